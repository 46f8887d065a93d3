"""Mermaid flowchart export: nested subgraphs for groups, labelled edges, dashed async edges.

The text renders as it is in Markdown on code-hosting sites (a ```mermaid block).
"""

from __future__ import annotations

import re

from diagramgen.exporters.common import (
    FADED,
    ExportText,
    Loss,
    Tree,
    emphasis_color,
    json_text,
    losses,
    members_of,
    node_lines,
    noted,
    own_direction,
    safe_color,
    tree,
    unique_ids,
)
from diagramgen.view.model import DiagramView, Emphasis, ViewCluster, ViewEdge, ViewNode

# Words the flowchart grammar reads as keywords wherever an id may stand.
RESERVED = (
    "end", "graph", "flowchart", "subgraph", "style", "linkStyle", "classDef", "class",
    "click", "call", "href", "callback", "direction", "default", "interpolate", "accTitle",
    "accDescr", "TB", "TD", "BT", "LR", "RL",
)  # fmt: skip
_UNSAFE_ID = re.compile(r"[^A-Za-z0-9_]")

# Opening and closing brackets of each kind's shape.
SHAPES: dict[str, tuple[str, str]] = {
    "client": ("([", "])"),
    "dns": ("((", "))"),
    "cdn": ("{{", "}}"),
    "load_balancer": ("{{", "}}"),
    "api_gateway": ("{{", "}}"),
    "service": ("[", "]"),
    "worker": ("[[", "]]"),
    "function": ("[[", "]]"),
    "sql_database": ("[(", ")]"),
    "nosql_database": ("[(", ")]"),
    "cache": ("[(", ")]"),
    "object_storage": ("[(", ")]"),
    "search_index": ("[(", ")]"),
    "queue": ("[/", "/]"),
    "stream": ("[/", "/]"),
    "monitoring": ("(", ")"),
    "external": (">", "]"),
}
DEFAULT_SHAPE = ("[", "]")

# A class per family of kinds, so the flowchart tells stores, queues and services apart by
# colour as well as by shape (the light palette of the pictures' clusters and accents).
KIND_CLASSES: dict[str, tuple[str, tuple[str, ...]]] = {
    "client": ("fill:#f3e8ff,stroke:#7c3aed", ("client", "external")),
    "edge": ("fill:#fde8e8,stroke:#c81e1e", ("dns", "cdn", "load_balancer", "api_gateway")),
    "compute": ("fill:#e1effe,stroke:#1c64f2", ("service", "worker", "function")),
    "store": (
        "fill:#def7ec,stroke:#057a55",
        ("sql_database", "nosql_database", "cache", "object_storage", "search_index"),
    ),
    "messaging": ("fill:#fdf6b2,stroke:#b43403", ("queue", "stream")),
    "ops": ("fill:#f3f4f6,stroke:#4b5563", ("monitoring",)),
}

# Characters that could end a quoted label, start an entity, a comment (`%%`) or a
# markdown string, or be read as markup; Mermaid decodes `#<decimal>;` back to the character.
_ENTITY_CHARS = frozenset('"#%&<>|`\\{}[]()')


def text(value: str) -> str:
    """User text for inside a quoted Mermaid label: entities for risky characters, `<br/>`."""
    out: list[str] = []
    for line_number, line in enumerate(value.splitlines() or [""]):
        if line_number:
            out.append("<br/>")
        for char in line:
            if char in _ENTITY_CHARS or not char.isprintable():
                out.append(f"#{ord(char)};")
            else:
                out.append(char)
    return "".join(out)


def _node_text(node: ViewNode) -> str:
    title = "<br/>".join(text(line) for line in node_lines(node))
    if node.caption:
        title += f"<br/><small>{text(node.caption)}</small>"
    return title


def _arrow(edge: ViewEdge) -> tuple[str, str, str]:
    """`(source, arrow, target)`; a `back` edge is drawn from its target."""
    body = {"solid": "--", "dashed": "-.-", "dotted": "-.-", "bold": "=="}[edge.line]
    source, target = edge.source, edge.target
    if edge.direction == "none":
        arrow = {"--": "---", "-.-": "-.-", "==": "==="}[body]
    else:
        head = {"--": "-->", "-.-": "-.->", "==": "==>"}[body]
        arrow = "<" + head if edge.direction == "both" else head
        if edge.direction == "back":
            source, target = target, source
    return source, arrow, target


def _edge_style(edge: ViewEdge) -> str | None:
    styles: list[str] = []
    color = safe_color(edge.color) if edge.emphasis == "normal" else None
    if edge.emphasis != "normal":
        color = emphasis_color(edge.emphasis)
    if color:
        styles += [f"stroke:{color}", f"color:{color}"]
    if edge.emphasis == "highlight" or edge.line == "bold":
        styles.append("stroke-width:3px")
    if edge.line == "dotted":
        styles.append("stroke-dasharray:2 3")
    return ",".join(styles) or None


def _cluster_style(cluster: ViewCluster) -> str | None:
    styles: list[str] = []
    color = safe_color(cluster.color)
    if cluster.emphasis != "normal":
        color = emphasis_color(cluster.emphasis)
        styles.append(f"color:{color}")
    if color:
        styles.append(f"stroke:{color}")
        if cluster.style == "filled" and cluster.emphasis == "normal":
            styles.append(f"fill:{color[:7]}22")
    line = "dashed" if cluster.emphasis == "removed" else cluster.style
    if line == "dashed":
        styles.append("stroke-dasharray:6 4")
    elif line == "dotted":
        styles.append("stroke-dasharray:2 3")
    elif line == "bold":
        styles.append("stroke-width:3px")
    return ",".join(styles) or None


def _class_def(emphasis: Emphasis) -> str:
    color = emphasis_color(emphasis)
    if emphasis in FADED:
        return f"stroke:{color},color:{color}"
    style = f"stroke:{color},stroke-width:3px"
    return style + (",stroke-dasharray:6 4" if emphasis == "removed" else "")


def to_mermaid(view: DiagramView) -> ExportText:
    """The view as a Mermaid flowchart, with what Mermaid cannot carry in `.losses`."""
    t = tree(view)
    ids = unique_ids(
        [c.id for c in view.clusters] + [n.id for n in view.nodes], _UNSAFE_ID, RESERVED
    )
    lines = ["---", f"title: {json_text(view.title)}", "---", f"flowchart {view.direction}"]

    def emit_nodes(cluster_id: str | None, indent: str) -> None:
        for node in t.members[cluster_id]:
            opening, closing = SHAPES.get(node.kind, DEFAULT_SHAPE)
            lines.append(f'{indent}{ids[node.id]}{opening}"{_node_text(node)}"{closing}')

    def emit_cluster(cluster_id: str, indent: str) -> None:
        cluster = t.clusters[cluster_id]
        lines.append(f'{indent}subgraph {ids[cluster_id]}["{text(cluster.label)}"]')
        if cluster.direction and cluster.direction != view.direction:
            lines.append(f"{indent}    direction {cluster.direction}")
        emit_nodes(cluster_id, indent + "    ")
        for child in t.children[cluster_id]:
            emit_cluster(child, indent + "    ")
        lines.append(f"{indent}end")

    emit_nodes(None, "    ")
    for root in t.children[None]:
        emit_cluster(root, "    ")
    lines.extend(_edges(view, ids))
    lines.extend(_kind_classes(view, ids))
    lines.extend(_styles(view, ids))
    return ExportText("\n".join(lines) + "\n", mermaid_losses(view, t))


def _kind_classes(view: DiagramView, ids: dict[str, str]) -> list[str]:
    lines: list[str] = []
    for name, (style, kinds) in KIND_CLASSES.items():
        members = [ids[n.id] for n in view.nodes if n.kind in kinds]
        if members:
            lines.append(f"    classDef kind_{name} {style}")
            lines.append(f"    class {','.join(members)} kind_{name}")
    return lines


def crossing_boundary(view: DiagramView, t: Tree, cluster: ViewCluster) -> bool:
    """True when an edge joins a member of the cluster to something outside it."""
    inside = members_of(t, cluster.id) | {cluster.id}
    return any((e.source in inside) != (e.target in inside) for e in view.edges)


def mermaid_losses(view: DiagramView, t: Tree | None = None) -> list[Loss]:
    """What a Mermaid flowchart cannot carry of the view.

    Mermaid ignores a subgraph's `direction` when any of its nodes links outside it
    (Mermaid's flowchart syntax reference, "Limitation" under subgraph direction).
    """
    t = t or tree(view)
    ignored = [c for c in own_direction(view) if crossing_boundary(view, t, c)]
    return losses(
        notes=(len(noted(view)), "are left out: a Mermaid flowchart has no notes"),
        legend=(
            1 if view.legend else 0,
            "is left out: a Mermaid flowchart has no legend (the shapes and colour classes stay)",
        ),
        icons=(
            len(view.nodes),
            "are left out: nodes are shaped and coloured by kind instead (a Mermaid flowchart "
            "draws no images where GitHub and GitLab render it)",
        ),
        group_direction=(
            len(ignored),
            "are ignored by Mermaid: a subgraph's `direction` applies only when none of its "
            "nodes links outside it",
        ),
    )


def _edges(view: DiagramView, ids: dict[str, str]) -> list[str]:
    lines = []
    for edge in view.edges:
        source, arrow, target = _arrow(edge)
        label = f'|"{text(edge.label)}"|' if edge.label else ""
        lines.append(f"    {ids[source]} {arrow}{label} {ids[target]}")
    return lines


def _styles(view: DiagramView, ids: dict[str, str]) -> list[str]:
    lines: list[str] = []
    by_emphasis: dict[Emphasis, list[str]] = {}
    for node in view.nodes:
        if node.emphasis != "normal":
            by_emphasis.setdefault(node.emphasis, []).append(ids[node.id])
    for emphasis in sorted(by_emphasis):
        lines.append(f"    classDef {emphasis} {_class_def(emphasis)}")
        lines.append(f"    class {','.join(by_emphasis[emphasis])} {emphasis}")
    for cluster in view.clusters:
        style = _cluster_style(cluster)
        if style:
            lines.append(f"    style {ids[cluster.id]} {style}")
    # One `linkStyle` line per distinct style, listing the edges by their index.
    edge_styles: dict[str, list[str]] = {}
    for index, edge in enumerate(view.edges):
        style = _edge_style(edge)
        if style:
            edge_styles.setdefault(style, []).append(str(index))
    for style, indexes in edge_styles.items():
        lines.append(f"    linkStyle {','.join(indexes)} {style}")
    return lines
