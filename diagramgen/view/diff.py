"""The diff overlay: both versions of a design drawn as one, changes colored.

Added components and connections are green, removed ones red and dashed, changed ones
amber with the change as their caption (`replicas 1 → 3`), everything else muted. Removed
things keep their old group and their old place in the order, so the picture reads as
one design rather than two.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import replace
from typing import TypeVar

from diagramgen.diffing.model import Changes, DesignDiff
from diagramgen.diffing.values import UNITS, human
from diagramgen.spec.models import Connection
from diagramgen.view.builders import edge_label, overview
from diagramgen.view.model import (
    DiagramView,
    Emphasis,
    LegendEntry,
    ViewCluster,
    ViewEdge,
    ViewNode,
)

MAX_CAPTION_CHANGES = 4  # more would dwarf the icon; the changelog has them all
MAX_VALUE_CHARS = 24

H = TypeVar("H", bound=Hashable)


def change_caption(section: str, changes: Changes, limit: int = MAX_CAPTION_CHANGES) -> str:
    """`replicas 1 → 3`, one change per line, long values shortened, at most `limit` lines."""
    formatters = UNITS.get(section, {})

    def short(value: object, attr: str) -> str:
        text = human(value, formatters.get(attr))
        return text if len(text) <= MAX_VALUE_CHARS else text[: MAX_VALUE_CHARS - 1] + "…"

    lines = [f"{attr} {short(a, attr)} → {short(b, attr)}" for attr, (a, b) in changes.items()]
    if len(lines) > limit:
        lines = [*lines[: limit - 1], f"+{len(lines) - limit + 1} more changes"]
    return "\n".join(lines)


def merge_order(new: Sequence[H], old: Sequence[H], extra: set[H]) -> list[H]:
    """`new` in its order, with each item of `extra` (from `old`) after its old predecessor.

    So a removed item is drawn where it used to be: after the item it followed before.
    """
    present = set(new)
    after: dict[H | None, list[H]] = {}
    anchor: H | None = None
    for item in old:
        if item in extra:
            after.setdefault(anchor, []).append(item)
        elif item in present:
            anchor = item
    out = list(after.get(None, []))
    for item in new:
        out.append(item)
        out += after.get(item, [])
    return out


def _status(
    key2: tuple[str, str], key3: tuple[str, str, str], diff: DesignDiff, side: str
) -> tuple[Emphasis, Changes]:
    conns = diff.connections
    if side == "old":
        return ("removed", {}) if key2 in conns.removed or key3 in conns.removed else ("muted", {})
    if key2 in conns.added or key3 in conns.added:
        return "added", {}
    changes = conns.changed.get(key2) or conns.changed.get(key3)
    return ("changed", changes) if changes else ("muted", {})


def _edge_text(conn: Connection, changes: Changes) -> str | None:
    if not changes:
        return edge_label(conn)
    lines = []
    if "label" in changes:
        old, new = changes["label"]
        lines.append(f"{old or '(no label)'} → {new or '(no label)'}")
    elif edge_label(conn):
        lines.append(edge_label(conn) or "")
    rest = {k: v for k, v in changes.items() if k != "label"}
    if rest:
        lines.append(change_caption("connections", rest, 3))
    return "\n".join(lines)


def diff_view(
    diff: DesignDiff, old_label: str | None = None, new_label: str | None = None
) -> DiagramView:
    """The union of both versions as one `DiagramView` named `diff`.

    Nodes, clusters and edges start as each version's overview draws them (icons, group
    styles, line styles, arrowheads), then take the emphasis of their change.
    """
    old, new = diff.old, diff.new
    old_view, new_view = overview(old), overview(new)
    taken = {c.id for c in new.components} | {g.id for g in new.groups}

    # Removed items keep their ids unless the new design reuses one for something else.
    def unique(old_id: str) -> str:
        return old_id if old_id not in taken else f"{old_id}~old"

    # ---- clusters: new groups, removed ones where they were
    removed_groups = set(diff.groups.removed)
    group_ids = {g.id: unique(g.id) if g.id in removed_groups else g.id for g in old.groups}
    clusters: dict[str, ViewCluster] = {}
    for cluster in new_view.clusters:
        emphasis: Emphasis = "muted"
        label = cluster.label
        if cluster.id in diff.groups.added:
            emphasis = "added"
        elif cluster.id in diff.groups.changed:
            emphasis = "changed"
            change = change_caption("groups", diff.groups.changed[cluster.id])
            label += " (" + change.replace("\n", "; ") + ")"
        clusters[cluster.id] = replace(cluster, label=label, emphasis=emphasis)
    for cluster in old_view.clusters:
        if cluster.id in removed_groups:
            parent = group_ids.get(cluster.parent, cluster.parent) if cluster.parent else None
            cid = group_ids[cluster.id]
            clusters[cid] = replace(cluster, id=cid, parent=parent, emphasis="removed")
    cluster_order = merge_order(
        [g.id for g in new.groups],
        [group_ids[g.id] for g in old.groups],
        {group_ids[g] for g in removed_groups},
    )

    # ---- nodes
    removed_components = set(diff.components.removed)
    node_ids = {
        c.id: unique(c.id) if c.id in removed_components else diff.new_id(c.id)
        for c in old.components
    }
    renamed_to = {b: a for a, b in diff.renamed.items()}
    nodes: dict[str, ViewNode] = {}
    for node in new_view.nodes:
        emphasis = "muted"
        caption = node.caption
        if node.id in diff.components.added:
            emphasis = "added"
        elif node.id in diff.components.changed or node.id in renamed_to:
            emphasis = "changed"
            lines = [f"renamed from {renamed_to[node.id]}"] if node.id in renamed_to else []
            if node.id in diff.components.changed:
                lines.append(change_caption("components", diff.components.changed[node.id]))
            caption = "\n".join(lines)
        nodes[node.id] = replace(node, caption=caption, emphasis=emphasis)
    for node in old_view.nodes:
        if node.id in removed_components:
            nid = node_ids[node.id]
            cluster = group_ids.get(node.cluster, node.cluster) if node.cluster else None
            nodes[nid] = replace(node, id=nid, cluster=cluster, emphasis="removed")
    node_order = merge_order(
        [c.id for c in new.components],
        [node_ids[c.id] for c in old.components],
        {node_ids[c] for c in removed_components},
    )

    # ---- edges: the overview draws one edge per connection, in the spec's order
    def end(old_id: str) -> str:
        return node_ids.get(old_id) or group_ids.get(old_id) or old_id

    edges: dict[tuple[str, str, str, str], ViewEdge] = {}
    new_keys = []
    for conn, edge in zip(new.connections, new_view.edges, strict=True):
        emphasis, changes = _status(conn.key, (*conn.key, conn.label or ""), diff, "new")
        key = ("new", conn.source, conn.target, conn.label or "")
        new_keys.append(key)
        edges[key] = replace(edge, label=_edge_text(conn, changes), emphasis=emphasis)
    old_keys, removed_keys = [], set()
    for conn, edge in zip(old.connections, old_view.edges, strict=True):
        mapped = (diff.new_id(conn.source), diff.new_id(conn.target))
        emphasis, _ = _status(mapped, (*mapped, conn.label or ""), diff, "old")
        key = ("old", *mapped, conn.label or "")
        # An old connection that still exists is drawn once, from the new side.
        same = ("new", *mapped, conn.label or "")
        old_keys.append(key if emphasis == "removed" else same)
        if emphasis == "removed":
            removed_keys.add(key)
            edges[key] = replace(
                edge,
                source=end(conn.source),
                target=end(conn.target),
                line="dashed",
                emphasis="removed",
            )
    edge_order = merge_order(new_keys, old_keys, removed_keys)

    return DiagramView(
        name="diff",
        title=f"{new.display_title}: changes",
        subtitle=_subtitle(diff, old_label, new_label),
        direction=new_view.direction,
        nodes=[nodes[i] for i in node_order],
        clusters=[clusters[i] for i in cluster_order],
        edges=[edges[k] for k in edge_order if k in edges],
        legend=_legend([*nodes.values()], [*edges.values()], [*clusters.values()]),
    )


def _subtitle(diff: DesignDiff, old_label: str | None, new_label: str | None) -> str:
    counts = []
    added = len(diff.components.added) + len(diff.connections.added) + len(diff.groups.added)
    removed = (
        len(diff.components.removed) + len(diff.connections.removed) + len(diff.groups.removed)
    )
    changed = (
        len(diff.components.changed | {v: {} for v in diff.renamed.values()})
        + len(diff.connections.changed)
        + len(diff.groups.changed)
    )
    for n, what in ((added, "added"), (removed, "removed"), (changed, "changed")):
        if n:
            counts.append(f"{n} {what}")
    summary = ", ".join(counts) if counts else "no structural changes"
    if old_label and new_label:
        return f"{old_label} → {new_label}: {summary}"
    return summary


_LEGEND: list[tuple[Emphasis, str, str]] = [
    ("added", "added", "solid"),
    ("removed", "removed", "dashed"),
    ("changed", "changed (the change under its name)", "solid"),
    ("muted", "unchanged", "solid"),
]


def _legend(
    nodes: list[ViewNode], edges: list[ViewEdge], clusters: list[ViewCluster]
) -> list[LegendEntry]:
    used = {x.emphasis for x in [*nodes, *edges, *clusters]}
    return [
        LegendEntry(label, line, emphasis)  # type: ignore[arg-type]
        for emphasis, label, line in _LEGEND
        if emphasis in used
    ]
