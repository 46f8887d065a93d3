"""Views defined in the spec's `views:` section: chosen groups and components, their
direct neighbours faded as context, everything else left out.

A custom view is cut from the overview, so it draws every node and edge exactly as the
overview does (labels, line styles, colors); only what is kept and its emphasis change.
"""

from __future__ import annotations

from dataclasses import replace

from diagramgen.graph import DesignGraph
from diagramgen.spec.models import Design, View, slugify
from diagramgen.view.builders import overview
from diagramgen.view.model import DiagramView, LegendEntry

CONTEXT_LEGEND = "neighbour outside this view"


def custom_view_name(view_name: str) -> str:
    """The file stem of a custom view: the slug of its name."""
    return slugify(view_name)


def custom_views(design: Design) -> list[DiagramView]:
    """One `DiagramView` per entry of the spec's `views:` section, in spec order."""
    if not design.views:
        return []
    graph = DesignGraph(design)
    base = overview(design)
    return [_cut(design, graph, base, view) for view in design.views]


def custom_view(design: Design, index: int) -> DiagramView:
    """The view defined by `design.views[index]`."""
    return _cut(design, DesignGraph(design), overview(design), design.views[index])


def _subtree_groups(graph: DesignGraph, group_id: str) -> set[str]:
    """The group and every group nested in it, at any depth."""
    found: set[str] = set()
    stack = [group_id]
    while stack:
        gid = stack.pop()
        if gid not in found:
            found.add(gid)
            stack.extend(graph.children.get(gid, []))
    return found


def _select(graph: DesignGraph, ids: list[str]) -> tuple[set[str], set[str]]:
    """The components and the groups that `ids` name, groups expanded to their contents."""
    components: set[str] = set()
    groups: set[str] = set()
    for item in ids:
        if item in graph.groups:
            groups |= _subtree_groups(graph, item)
        if item in graph.groups or item in graph.components:
            components.update(graph.expand(item))
    return components, groups


def _cut(design: Design, graph: DesignGraph, base: DiagramView, spec: View) -> DiagramView:
    if spec.include:
        core_nodes, core_groups = _select(graph, spec.include)
    else:
        core_nodes, core_groups = set(graph.components), set(graph.groups)
    hidden_nodes, hidden_groups = _select(graph, spec.exclude)
    core_nodes -= hidden_nodes
    core_groups -= hidden_groups
    hidden = hidden_nodes | hidden_groups

    def is_core(end: str) -> bool:
        return end in core_nodes or end in core_groups

    context: set[str] = set()
    edges = []
    for edge in base.edges:
        if edge.source in hidden or edge.target in hidden:
            continue
        source_in, target_in = is_core(edge.source), is_core(edge.target)
        if source_in and target_in:
            edges.append(edge)
        elif (source_in or target_in) and spec.context:
            context.add(edge.target if source_in else edge.source)
            # An explicit color would outshine the fade, so context edges take the theme's.
            edges.append(replace(edge, emphasis="context", color=None))

    nodes = []
    for node in base.nodes:
        if node.id in core_nodes:
            nodes.append(node)
        elif node.id in context:
            nodes.append(replace(node, emphasis="context"))

    # Draw the groups that are included or are context ends, and every box around what is
    # drawn; a box holding nothing included is context itself.
    drawn_groups = core_groups | (context & set(graph.groups))
    solid_groups = set(core_groups)
    for node in nodes:
        chain = graph.ancestors(graph.components[node.id].group)
        drawn_groups.update(chain)
        if node.id in core_nodes:
            solid_groups.update(chain)
    for gid in list(drawn_groups):
        parents = graph.ancestors(graph.groups[gid].parent)
        drawn_groups.update(parents)
        if gid in core_groups:
            solid_groups.update(parents)
    clusters = [
        c if c.id in solid_groups else replace(c, emphasis="context")
        for c in base.clusters
        if c.id in drawn_groups
    ]

    lines = {e.line for e in edges}
    legend = [entry for entry in base.legend if entry.line in lines]
    if any(e.emphasis == "context" for e in edges):
        legend.append(LegendEntry(CONTEXT_LEGEND, "solid", "context"))
    return DiagramView(
        name=custom_view_name(spec.name),
        title=spec.title or f"{design.display_title}: {spec.name}",
        subtitle=spec.description,
        direction=spec.direction or base.direction,
        direction_fixed=spec.direction is not None or base.direction_fixed,
        nodes=nodes,
        clusters=clusters,
        edges=edges,
        legend=legend,
    )
