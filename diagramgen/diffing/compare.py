"""Compare two designs item by item, matched by id (never by position), renames detected.

Each section is keyed by its natural id before comparing (components and groups by `id`,
connections by their ends, flows and operations by name, decisions by title), so reordering
a list is no change. A component whose id changed while its kind, attributes and
connections stayed the same is a rename; its connections (and flow steps, and references
from other components) are compared through the rename, so they are not reported either.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from diagramgen.diffing.model import Changes, ConnectionKey, DesignDiff, SectionDiff
from diagramgen.diffing.values import canonical as _canonical
from diagramgen.diffing.values import compare, field_defaults, same
from diagramgen.spec.models import (
    COMPONENT_CLASSES,
    Connection,
    Design,
    Flow,
    Operation,
)

# Component attributes that name another component: compared through renames.
REFERENCE_ATTRIBUTES = ("origin", "session_store", "dead_letter")

_COMPONENT_DEFAULTS = {kind: field_defaults(cls) for kind, cls in COMPONENT_CLASSES.items()}


def diff(old: Design, new: Design, detect_renames: bool = True) -> DesignDiff:
    """Everything that changed from `old` to `new` (the tradeoff delta is added when available).

    Without `detect_renames`, a component whose id changed is removed plus added (drift
    matches components itself, before comparing).
    """
    renamed = find_renames(old, new) if detect_renames else {}
    result = DesignDiff(old=old, new=new, renamed=renamed)
    result.design = _design_changes(old, new)
    result.components = _components(old, new, renamed)
    result.groups = _section(
        {g.id: _dump(g, "id") for g in old.groups},
        {g.id: _dump(g, "id") for g in new.groups},
    )
    result.connections = _connections(old.connections, new.connections, renamed)
    result.flows = _section(
        {f.name: _flow_dump(f, renamed) for f in old.flows},
        {f.name: _flow_dump(f, {}) for f in new.flows},
    )
    result.decisions = _section(
        {d.title: _dump(d, "title") for d in old.decisions},
        {d.title: _dump(d, "title") for d in new.decisions},
    )
    result.operations = _section(
        {o.name: _dump(o, "name") for o in _operations(old)},
        {o.name: _dump(o, "name") for o in _operations(new)},
    )
    return result


# ---------------------------------------------------------------- sections


def _dump(item: Any, *exclude: str) -> dict[str, Any]:
    data: dict[str, Any] = item.model_dump(mode="json")
    for key in exclude:
        data.pop(key, None)
    return data


def _section(
    old: Mapping[str, dict[str, Any]],
    new: Mapping[str, dict[str, Any]],
    defaults: Callable[[str], Mapping[str, Any]] | None = None,
) -> SectionDiff[str]:
    """Added, removed and changed items of two id -> attributes maps."""
    out: SectionDiff[str] = SectionDiff(
        added=sorted(new.keys() - old.keys()), removed=sorted(old.keys() - new.keys())
    )
    for key in sorted(old.keys() & new.keys()):
        changes = compare(old[key], new[key], defaults(key) if defaults else None)
        if changes:
            out.changed[key] = changes
    return out


def _operations(design: Design) -> list[Operation]:
    return design.workload.operations if design.workload else []


# The sections matched item by item; every other top-level attribute is compared as a value.
KEYED_SECTIONS = ("groups", "components", "connections", "flows", "decisions")


def _design_changes(old: Design, new: Design) -> Changes:
    def top(d: Design) -> dict[str, Any]:
        data = _dump(d, *KEYED_SECTIONS)
        # Operations are matched by name on their own; only the peak factor is left here.
        data["workload"] = {"peak_factor": d.workload.peak_factor if d.workload else None}
        return data

    return compare(top(old), top(new))


def _component_dump(component: Any, renamed: Mapping[str, str]) -> dict[str, Any]:
    data = _dump(component, "id")
    for attr in REFERENCE_ATTRIBUTES:
        if isinstance(data.get(attr), str):
            data[attr] = renamed.get(data[attr], data[attr])
    return data


def _components(old: Design, new: Design, renamed: Mapping[str, str]) -> SectionDiff[str]:
    old_map = {renamed.get(c.id, c.id): _component_dump(c, renamed) for c in old.components}
    new_map = {c.id: _component_dump(c, {}) for c in new.components}
    kinds = {c.id: c.kind for c in old.components} | {c.id: c.kind for c in new.components}
    old_kind = {renamed.get(c.id, c.id): c.kind for c in old.components}

    def defaults(cid: str) -> dict[str, Any]:
        # A key only one kind has: compare it with the default the other kind would give.
        return {**_COMPONENT_DEFAULTS[kinds[cid]], **_COMPONENT_DEFAULTS[old_kind[cid]]}

    # Old ids are mapped through the renames, so a renamed component is neither removed
    # nor added: it is compared with itself.
    return _section(old_map, new_map, defaults)


def _flow_dump(flow: Flow, renamed: Mapping[str, str]) -> dict[str, Any]:
    data = _dump(flow, "name")
    data["steps"] = [step_text(s, renamed) for s in flow.steps]
    return data


def step_text(conn: Connection, renamed: Mapping[str, str] | None = None) -> str:
    """A flow step or connection as one line: `api -> db: reads [SQL]` (`~>` when async)."""
    renamed = renamed or {}
    text = f"{renamed.get(conn.source, conn.source)} {'~>' if conn.is_async else '->'} "
    text += renamed.get(conn.target, conn.target)
    if conn.label:
        text += f": {conn.label}"
    if conn.protocol:
        text += f" [{conn.protocol}]"
    if conn.description:
        text += f" ({conn.description})"
    return text


# ---------------------------------------------------------------- connections


def _mapped(conn: Connection, renamed: Mapping[str, str]) -> tuple[str, str, dict[str, Any]]:
    data = _dump(conn, "from", "to")
    return renamed.get(conn.source, conn.source), renamed.get(conn.target, conn.target), data


def _connections(
    old: Iterable[Connection], new: Iterable[Connection], renamed: Mapping[str, str]
) -> SectionDiff[ConnectionKey]:
    """Connections matched by their ends; parallel ones (same ends) by their label.

    Parallel connections whose labels match nothing on the other side are paired as one
    changed connection when exactly one is left on each side, else removed and added.
    """
    by_ends: dict[tuple[str, str], tuple[list[dict[str, Any]], list[dict[str, Any]]]] = defaultdict(
        lambda: ([], [])
    )
    for conn in old:
        src, dst, data = _mapped(conn, renamed)
        by_ends[(src, dst)][0].append(data)
    for conn in new:
        src, dst, data = _mapped(conn, {})
        by_ends[(src, dst)][1].append(data)

    out: SectionDiff[ConnectionKey] = SectionDiff()
    for ends in sorted(by_ends):
        olds, news = by_ends[ends]
        if len(olds) <= 1 and len(news) <= 1:
            if olds and news:
                changes = compare(olds[0], news[0])
                if changes:
                    out.changed[ends] = changes
            elif olds:
                out.removed.append(ends)
            else:
                out.added.append(ends)
            continue

        def keyed(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
            return {item["label"] or "": item for item in items}

        old_by_label, new_by_label = keyed(olds), keyed(news)
        for label in sorted(old_by_label.keys() & new_by_label.keys()):
            changes = compare(old_by_label[label], new_by_label[label])
            if changes:
                out.changed[(*ends, label)] = changes
        gone = sorted(old_by_label.keys() - new_by_label.keys())
        came = sorted(new_by_label.keys() - old_by_label.keys())
        if len(gone) == 1 and len(came) == 1:
            out.changed[(*ends, came[0])] = compare(old_by_label[gone[0]], new_by_label[came[0]])
        else:
            out.removed += [(*ends, label) for label in gone]
            out.added += [(*ends, label) for label in came]
    out.added.sort()
    out.removed.sort()
    out.changed = dict(sorted(out.changed.items()))
    return out


# ---------------------------------------------------------------- renames


def find_renames(old: Design, new: Design) -> dict[str, str]:
    """Old id -> new id of each component that only changed its id.

    A removed and an added component can be one renamed component when their kind and
    every attribute but the id are equal and their connections are the same once the
    renames are applied. Candidates are found by color refinement: components kept under
    the same id anchor the structure, and a removed or added component's color starts from
    its attributes and is refined by its connections and its neighbors' colors, so chains
    of renamed components match each other. Components of one color pair up in sorted id
    order, and every pair is checked; pairs that do not hold are dropped.
    """
    old_by_id = {c.id: c for c in old.components}
    new_by_id = {c.id: c for c in new.components}
    removed = sorted(old_by_id.keys() - new_by_id.keys())
    added = sorted(new_by_id.keys() - old_by_id.keys())
    if not removed or not added:
        return {}

    # References to other components are left out of the colors and checked at the end.
    def plain(component: Any) -> str:
        data = _component_dump(component, {})
        for attr in REFERENCE_ATTRIBUTES:
            if isinstance(data.get(attr), str):
                data[attr] = "*"
        return json.dumps(_canonical(data), sort_keys=True)

    palette: dict[Any, int] = {}

    def paint(value: Any) -> int:
        return palette.setdefault(value, len(palette))

    sides = []
    for design, moving in ((old, removed), (new, added)):
        color = {cid: paint(("attrs", plain(design.component(cid)))) for cid in moving}
        edges: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
        for conn in design.connections:
            data = json.dumps(_dump(conn, "from", "to"), sort_keys=True)
            edges[conn.source].append(("out", data, conn.target))
            edges[conn.target].append(("in", data, conn.source))
        sides.append((color, edges))

    def anchor(end: str, color: dict[str, int]) -> int:
        # Kept components and groups keep their identity: they are the same on both sides.
        return color[end] if end in color else paint(("id", end))

    classes = -1
    for _ in range(len(removed) + len(added)):
        refined = []
        for color, edges in sides:
            refined.append(
                {
                    cid: paint(
                        (c, tuple(sorted((d, e, anchor(o, color)) for d, e, o in edges[cid])))
                    )
                    for cid, c in color.items()
                }
            )
        for (color, _edges), new_color in zip(sides, refined, strict=True):
            color.clear()
            color.update(new_color)
        count = len({*sides[0][0].values(), *sides[1][0].values()})
        if count == classes:
            break
        classes = count

    by_color: dict[int, tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
    for r in removed:
        by_color[sides[0][0][r]][0].append(r)
    for a in added:
        by_color[sides[1][0][a]][1].append(a)
    mapping = {r: a for olds, news in by_color.values() for r, a in zip(olds, news, strict=False)}

    incident: dict[str, list[Connection]] = defaultdict(list)
    for conn in old.connections:
        incident[conn.source].append(conn)
        if conn.target != conn.source:
            incident[conn.target].append(conn)
    new_incident: dict[str, list[Connection]] = defaultdict(list)
    for conn in new.connections:
        new_incident[conn.source].append(conn)
        if conn.target != conn.source:
            new_incident[conn.target].append(conn)

    def fits(r: str, a: str) -> bool:
        before = sorted(repr(_mapped(c, mapping)) for c in incident[r])
        after = sorted(repr(_mapped(c, {})) for c in new_incident[a])
        return before == after and same(
            _component_dump(old_by_id[r], mapping), _component_dump(new_by_id[a], {})
        )

    # Dropping a pair can break the pairs next to it, so check until nothing is dropped.
    while True:
        wrong = [r for r in sorted(mapping) if not fits(r, mapping[r])]
        if not wrong:
            return dict(sorted(mapping.items()))
        for r in wrong:
            del mapping[r]
