"""Compare two designs item by item, matched by id (never by position), renames detected.

Each section is keyed by its natural id before comparing (components and groups by `id`,
connections by their ends, flows and operations by name, decisions by title), so reordering
a list is no change. A component whose id changed while its kind, attributes and
connections stayed the same is a rename; its connections (and flow steps, and references
from other components) are compared through the rename, so they are not reported either.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from diagramgen.diffing.model import Changes, ConnectionKey, DesignDiff, SectionDiff
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


def diff(old: Design, new: Design) -> DesignDiff:
    """Everything that changed from `old` to `new` (the tradeoff delta is added when available)."""
    renamed = find_renames(old, new)
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


def _design_changes(old: Design, new: Design) -> Changes:
    def top(d: Design) -> dict[str, Any]:
        data = _dump(d)
        return {
            "name": data["name"],
            "title": data["title"],
            "description": data["description"],
            "notes": data["notes"],
            "workload": {"peak_factor": d.workload.peak_factor if d.workload else None},
        }

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

    A removed and an added component are candidates when their kind and every attribute
    but the id are equal. A pair is kept when the component's connections are the same
    once every rename is applied. Pairs that cannot be told apart (identical twins) pair
    up in sorted id order, so the result is deterministic.
    """
    old_by_id = {c.id: c for c in old.components}
    new_by_id = {c.id: c for c in new.components}
    removed = sorted(old_by_id.keys() - new_by_id.keys())
    added = sorted(new_by_id.keys() - old_by_id.keys())
    if not removed or not added:
        return {}

    # Candidates by kind and attributes; references to other components are left out here
    # and checked once the renames are known.
    def plain(component: Any) -> dict[str, Any]:
        data = _component_dump(component, {})
        for attr in REFERENCE_ATTRIBUTES:
            if isinstance(data.get(attr), str):
                data[attr] = "*"
        return data

    new_plain = {a: plain(new_by_id[a]) for a in added}
    candidates: dict[str, list[str]] = {}
    for r in removed:
        r_plain = plain(old_by_id[r])
        found = [a for a in added if same(r_plain, new_plain[a])]
        if found:
            candidates[r] = found
    if not candidates:
        return {}

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

    def signature(conns: list[Connection], renamed: Mapping[str, str]) -> list[str]:
        return sorted(repr(_mapped(c, renamed)) for c in conns)

    def fits(r: str, a: str, renamed: Mapping[str, str]) -> bool:
        return signature(incident[r], renamed) == signature(new_incident[a], {}) and same(
            _component_dump(old_by_id[r], renamed), _component_dump(new_by_id[a], {})
        )

    # Start from every one-to-one candidate pair, so that two renamed components connected
    # to each other confirm each other; then extend and prune until nothing moves.
    takers: dict[str, int] = defaultdict(int)
    for found in candidates.values():
        for a in found:
            takers[a] += 1
    mapping = {r: f[0] for r, f in candidates.items() if len(f) == 1 and takers[f[0]] == 1}
    rejected: set[tuple[str, str]] = set()
    while True:
        extended = False
        for r in sorted(candidates.keys() - mapping.keys()):
            taken = set(mapping.values())
            for a in candidates[r]:
                if a not in taken and (r, a) not in rejected and fits(r, a, {**mapping, r: a}):
                    mapping[r] = a
                    extended = True
                    break
        wrong = [r for r in sorted(mapping) if not fits(r, mapping[r], mapping)]
        for r in wrong:
            rejected.add((r, mapping.pop(r)))
        # Each round adds a pair or rejects one for good, so this ends.
        if not wrong and not extended:
            return dict(sorted(mapping.items()))
