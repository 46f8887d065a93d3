"""Drift: where a design and the infrastructure it describes no longer match.

The infrastructure is imported (`diagramgen.importers`) into a `Design`, its components
matched to the design's by id, then by `source`, then by name. Both sides are then
projected onto what infrastructure can show (components, their tech, version, replicas
and autoscaling bounds, and connections between components) and compared with the diff
stage's own `diff`, so drift reads like a diff: design -> reality.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from diagramgen import techs
from diagramgen.diffing.compare import diff
from diagramgen.diffing.model import DesignDiff
from diagramgen.importers.model import match_key
from diagramgen.importers.model import same_name_key as _norm
from diagramgen.spec.models import Design

# Kinds no infrastructure file shows: a design's clients are never deployed.
NOT_DEPLOYED = ("client",)


@dataclass
class Drift:
    """The comparison: a `DesignDiff` from the design (old) to the infrastructure (new)."""

    diff: DesignDiff
    matched: dict[str, str] = field(default_factory=dict)  # infrastructure id -> design id
    not_compared: list[str] = field(default_factory=list)  # design ids infra cannot show
    warnings: list[str] = field(default_factory=list)

    @property
    def has_drift(self) -> bool:
        """True when design and infrastructure differ in anything compared."""
        return self.diff.has_changes


def match(design: Design, infra: Design) -> dict[str, str]:
    """Infrastructure component id -> design component id: by id, then source, then name."""
    free = {c.id: c for c in design.components}
    out: dict[str, str] = {}
    rest = []
    for c in infra.components:
        if c.id in free:
            out[c.id] = c.id
            del free[c.id]
        else:
            rest.append(c)
    by_source = {match_key(c.source): c.id for c in free.values() if c.source}
    still = []
    for c in rest:
        key = match_key(c.source)
        if key in by_source and by_source[key] in free:
            out[c.id] = by_source[key]
            del free[by_source[key]]
        else:
            still.append(c)
    for c in still:
        names = {_norm(c.id), _norm(c.display)}
        for d in list(free.values()):
            if {_norm(d.id), _norm(d.display)} & names:
                out[c.id] = d.id
                del free[d.id]
                break
    return out


def _facts(c: Any, other: Any | None) -> dict[str, Any]:
    """What infrastructure can tell about a component; attributes the design leaves out
    (tech, version) are only compared when both sides state them."""
    data: dict[str, Any] = {"id": c.id, "kind": c.kind, "replicas": c.replicas}
    tech = techs.canonical(c.tech)
    other_tech = techs.canonical(getattr(other, "tech", None)) if other is not None else tech
    if tech and other_tech:
        data["tech"] = tech
    version = getattr(c, "version", None)
    if version and (other is None or other.version):
        data["version"] = version
    scaling = getattr(c, "autoscaling", None)
    if scaling is not None:
        data["autoscaling"] = {"min": scaling.min, "max": scaling.max}
    return data


def drift(design: Design, infra: Design, warnings: list[str] | None = None) -> Drift:
    """Compare `design` with the imported `infra`; what differs is drift."""
    matched = match(design, infra)
    back = {d: i for i, d in matched.items()}
    infra_by_id = {c.id: c for c in infra.components}
    design_ids = {c.id for c in design.components}
    # Design components that no importer could show and that nothing matched.
    skipped = [
        c.id
        for c in design.components
        if c.id not in back and (c.kind in NOT_DEPLOYED or (c.kind == "external" and not c.source))
    ]
    old_comps, new_comps = [], []
    for c in design.components:
        if c.id in skipped:
            continue
        other = infra_by_id.get(back.get(c.id, ""))
        facts = _facts(c, other)
        facts["label"], facts["group"] = c.label, c.group
        old_comps.append(facts)
        if other is not None:
            mine = _facts(other, c)
            mine.update(id=c.id, kind=c.kind, label=c.label, group=c.group)
            new_comps.append(mine)
    taken = set(design_ids) | {g.id for g in design.groups}
    rename: dict[str, str] = dict(matched)
    for c in infra.components:
        if c.id in matched:
            continue
        cid = c.id if c.id not in taken else f"{c.id}-deployed"
        rename[c.id] = cid
        facts = _facts(c, None)
        facts.update(id=cid, label=c.label)
        new_comps.append(facts)
    compared = {c["id"] for c in old_comps}
    old_conns = [
        {"from": conn.source, "to": conn.target}
        for conn in design.connections
        if conn.source in compared and conn.target in compared
    ]
    new_conns = [
        {"from": rename[conn.source], "to": rename[conn.target]}
        for conn in infra.connections
        if conn.source in rename and conn.target in rename
    ]
    groups = [g.model_dump(mode="json", by_alias=True) for g in design.groups]
    head = {"name": design.name, "title": design.title}
    old = Design.model_validate(
        head | {"groups": groups, "components": old_comps, "connections": _unique(old_conns)}
    )
    new = Design.model_validate(
        head | {"groups": groups, "components": new_comps, "connections": _unique(new_conns)}
    )
    # Renames are matching's job here: a component the design lacks is reported as such.
    result = diff(old, new, detect_renames=False)
    return Drift(result, matched, skipped, list(warnings or []))


def _unique(conns: list[dict[str, str]]) -> list[dict[str, str]]:
    seen, out = set(), []
    for c in conns:
        key = (c["from"], c["to"])
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out


def _code(text: str) -> str:
    return f"`{text}`"


def to_markdown(result: Drift, spec_label: str, source_label: str) -> str:
    """The drift report: what only the design has, what only the infrastructure has, and
    what differs, as the diff's changelog words it."""
    from diagramgen.diffing.changelog import change_list
    from diagramgen.diffing.model import connection_name

    d = result.diff
    lines = [f"# Drift: {d.old.display_title}", ""]
    lines.append(f"{_code(spec_label)} (design) against {_code(source_label)} (deployed): ")
    if not result.has_drift:
        lines[-1] += "no drift."
    else:
        n = len(d.components.added) + len(d.components.removed) + len(d.components.changed)
        m = len(d.connections.added) + len(d.connections.removed)
        lines[-1] += f"{n} component and {m} connection differences."
    lines.append("")
    sections = [
        ("Designed, not deployed", d.components.removed, d.connections.removed),
        ("Deployed, not designed", d.components.added, d.connections.added),
    ]
    for title, comps, conns in sections:
        if comps or conns:
            lines += [f"## {title}", ""]
            lines += [f"- component {_code(c)}" for c in comps]
            lines += [f"- connection {_code(connection_name(k))}" for k in conns]
            lines.append("")
    if d.components.changed:
        lines += ["## Differs (design → deployed)", ""]
        for cid, changes in d.components.changed.items():
            lines.append(f"- {_code(cid)}: " + "; ".join(change_list("components", changes)))
        lines.append("")
    if result.not_compared:
        lines += ["Not compared (no infrastructure shows them): "
                  + ", ".join(_code(c) for c in result.not_compared), ""]  # fmt: skip
    if result.warnings:
        lines += ["## Import warnings", ""] + [f"- {w}" for w in result.warnings] + [""]
    return "\n".join(lines).rstrip("\n") + "\n"


def to_json(result: Drift, spec_label: str, source_label: str) -> dict[str, Any]:
    """The drift report as data: the diff's JSON shape (design = old, deployed = new), plus
    `drift`, `design_only`, `deployed_only`, `matched`, `not_compared` and `warnings`."""
    from diagramgen.diffing.changelog import to_json as diff_json

    data = diff_json(result.diff, spec_label, source_label)
    comps, conns = result.diff.components, result.diff.connections
    return {
        "drift": result.has_drift,
        "design": spec_label,
        "deployed": source_label,
        "design_only": {
            "components": comps.removed,
            "connections": [list(k) for k in conns.removed],
        },
        "deployed_only": {"components": comps.added, "connections": [list(k) for k in conns.added]},
        "changed": data["components"]["changed"],
        "components": data["components"],
        "connections": data["connections"],
        "matched": dict(sorted(result.matched.items())),
        "not_compared": result.not_compared,
        "warnings": result.warnings,
    }


# The diff picture's legend, in drift's words.
_LEGEND_WORDS = {
    "added": "deployed, not designed",
    "removed": "designed, not deployed",
    "changed": "differs (design → deployed)",
    "muted": "as designed",
}


def drift_view(result: Drift, spec_label: str, source_label: str) -> Any:
    """The diff overlay of design and deployment, titled and explained as drift."""
    from dataclasses import replace

    from diagramgen.view.diff import diff_view

    view = diff_view(result.diff, spec_label, source_label)
    legend = [replace(e, label=_LEGEND_WORDS.get(e.emphasis, e.label)) for e in view.legend]
    d = result.diff
    counts = [
        (len(d.components.added) + len(d.connections.added), "deployed only"),
        (len(d.components.removed) + len(d.connections.removed), "designed only"),
        (len(d.components.changed) + len(d.connections.changed), "differ"),
    ]
    summary = ", ".join(f"{n} {what}" for n, what in counts if n) or "no drift"
    view = replace(view, subtitle=f"{spec_label} (design) against {source_label}: {summary}")
    return replace(view, name="drift", title=f"{result.diff.old.display_title}: drift",
                   legend=legend)  # fmt: skip
