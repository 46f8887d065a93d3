"""Write an `Imported` as a spec: YAML with comments that say what to fill in next.

A re-import into an existing spec (`merge`) updates the components it matches (by id,
then `source`, then name) in place, keeps everything the user wrote (labels, groups,
comments, flows, decisions) and adds what is new; it never deletes.
"""

from __future__ import annotations

import io
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from diagramgen.importers.model import Imported, match_key
from diagramgen.importers.model import same_name_key as _norm

# What the infrastructure knows about a component: a re-import refreshes these only.
INFRA_KEYS = ("tech", "version", "replicas", "autoscaling", "source")

_HEADER = """\
Imported by `diagramgen import {source}` ({format}).
Each component keeps its `source`: re-run the import with -o on this file to update it.
Where design and reality differ: `diagramgen drift {spec} --against {source}`.
What to fill in next, the parts infrastructure cannot tell:
  - labels and descriptions: what each component does for the user;
  - workload: the operations and their rates, for the capacity estimates;
  - flows: the request paths that matter (a flow view is drawn for each);
  - decisions: why these technologies, with the alternatives you weighed."""

_TAIL = """
workload:               # the load to carry; e.g.
  peak_factor: 3
  operations:
    - {name: main request, rate: 100/s, size: 1KB}
flows:                  # request paths; each becomes a numbered picture
  - name: main request
    steps:
      - {from: a, to: b}
decisions:              # the why, written up ADR-style in the notes
  - title: ...
    chosen: ...
    alternatives: [...]
    because: ..."""


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 100
    return yaml


def _commented(value: Any) -> Any:
    if isinstance(value, dict):
        out = CommentedMap()
        for k, v in value.items():
            out[k] = _commented(v)
        return out
    if isinstance(value, list):
        return CommentedSeq([_commented(v) for v in value])
    return value


def to_yaml(imported: Imported, spec_name: str = "SPEC", source_arg: str | None = None) -> str:
    """The imported design as a commented YAML spec; `source_arg` is the source as the user
    named it (for the commands the comments suggest)."""
    doc = _commented(imported.data())
    source = source_arg or imported.source
    header = _HEADER.format(source=source, format=imported.format, spec=spec_name)
    doc.yaml_set_start_comment(header)
    if imported.warnings:
        doc.yaml_set_comment_before_after_key(
            "components",
            before="Import warnings:\n" + "\n".join(f"  - {w}" for w in imported.warnings),
        )
    buf = io.StringIO()
    _yaml().dump(doc, buf)
    tail = "\n".join("# " + line if line else "#" for line in _TAIL.strip("\n").splitlines())
    return buf.getvalue() + "\n# Next: fill in and uncomment.\n" + tail + "\n"


def merge(existing_text: str, imported: Imported) -> tuple[str, list[str]]:
    """`existing_text` (a spec) updated from `imported`; returns the text and what changed."""
    yaml = _yaml()
    doc = yaml.load(existing_text)
    if not isinstance(doc, dict):
        doc = CommentedMap()
    notes: list[str] = []
    comps = doc.setdefault("components", CommentedSeq())
    groups = doc.setdefault("groups", CommentedSeq()) if imported.groups else doc.get("groups")
    ids = {g.get("id") for g in groups or [] if isinstance(g, dict)}
    ids |= {c.get("id") for c in comps if isinstance(c, dict)}
    rename: dict[str, str] = {}
    for comp in imported.components:
        target = _find(comps, comp)
        if target is None:
            if comp["id"] in ids:
                notes.append(f"not added: {comp['id']} (the id is taken)")
                continue
            comps.append(_commented(comp))
            ids.add(comp["id"])
            notes.append(f"added {comp['id']}")
            continue
        rename[comp["id"]] = target["id"]
        for key in INFRA_KEYS:
            if key in comp and target.get(key) != comp[key]:
                target[key] = _commented(comp[key])
                notes.append(f"updated {target['id']}.{key}")
    for group in imported.groups:
        if group["id"] not in ids and groups is not None:
            groups.append(_commented(group))
            ids.add(group["id"])
    conns = doc.setdefault("connections", CommentedSeq())
    have = {_ends(c) for c in conns}
    for conn in imported.connections:
        ends = (rename.get(conn["from"], conn["from"]), rename.get(conn["to"], conn["to"]))
        if ends not in have:
            conns.append(_commented({**conn, "from": ends[0], "to": ends[1]}))
            have.add(ends)
            notes.append(f"added {ends[0]} -> {ends[1]}")
    seen = {match_key(c.get("source")) for c in imported.components}
    for comp in comps:
        key = match_key(comp.get("source")) if isinstance(comp, dict) else None
        if (
            key
            and key not in seen
            and comp.get("source", "").split(":")[0].split(" ")[0]
            in (
                imported.source,
                *(c["source"].split(":")[0].split(" ")[0] for c in imported.components),
            )
        ):
            notes.append(f"kept {comp['id']}: no longer in {imported.source} (delete it if gone)")
    buf = io.StringIO()
    yaml.dump(doc, buf)
    return buf.getvalue(), notes


def _ends(conn: Any) -> tuple[str, str] | None:
    from diagramgen.spec.models import Connection

    try:
        c = Connection.model_validate(conn)
    except ValueError:
        return None
    return (str(c.source), str(c.target))


def _find(comps: list[Any], comp: dict[str, Any]) -> Any:
    """The existing component `comp` is: same id, else same source, else same name."""
    items = [c for c in comps if isinstance(c, dict)]
    for c in items:
        if c.get("id") == comp["id"]:
            return c
    key = match_key(comp.get("source"))
    for c in items:
        if key and match_key(c.get("source")) == key:
            return c
    name = _norm(comp.get("label") or comp["id"])
    for c in items:
        if name in (_norm(c.get("label") or ""), _norm(c.get("id"))):
            return c
    return None
