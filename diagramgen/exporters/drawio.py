"""draw.io (diagrams.net) export: an uncompressed mxGraph file to open and edit by hand.

Groups are container cells (their members have the group cell as `parent`, with
coordinates relative to it), components are vertices shaped by kind (cylinders for data
stores, hexagons for load balancers ...), connections are labelled edges.

The layout is a small deterministic one of our own, so the export needs no Graphviz run:
components are ranked along the flow of the edges (longest path from the sources), and
inside every container the members stand in one column (or row, top to bottom) per rank.
draw.io's own Arrange menu can re-lay it out.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from diagramgen.exporters.common import (
    FADED,
    Tree,
    emphasis_color,
    node_lines,
    safe_color,
    tint,
    tree,
    unique_ids,
)
from diagramgen.view.model import DiagramView, ViewCluster, ViewEdge, ViewNode
from diagramgen.view.themes import LIGHT

_UNSAFE_ID = re.compile(r"[^A-Za-z0-9_-]")
# Characters XML 1.0 cannot carry at all; they become U+FFFD.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

NODE_W, NODE_H = 140, 70
ACTOR_W, ACTOR_H, BELOW = 40, 60, 40  # a person shape with its label underneath
GAP_MAJOR, GAP_MINOR = 80, 30  # between ranks, between members of one rank
PAD, HEADER = 20, 30  # inside a container: padding, and room for its label on top
TITLE_H = 50

# Style of each kind: shape, then fill and stroke from the classic draw.io palette.
_BLUE, _GREEN, _YELLOW, _RED, _PURPLE, _GREY = (
    "fillColor=#dae8fc;strokeColor=#6c8ebf;",
    "fillColor=#d5e8d4;strokeColor=#82b366;",
    "fillColor=#fff2cc;strokeColor=#d6b656;",
    "fillColor=#f8cecc;strokeColor=#b85450;",
    "fillColor=#e1d5e7;strokeColor=#9673a6;",
    "fillColor=#f5f5f5;strokeColor=#666666;",
)
_CYLINDER = "shape=cylinder3;boundedLbl=1;backgroundOutline=1;size=12;"
SHAPES: dict[str, str] = {
    "client": "shape=umlActor;verticalLabelPosition=bottom;verticalAlign=top;" + _PURPLE,
    "dns": "ellipse;" + _RED,
    "cdn": "ellipse;shape=cloud;" + _RED,
    "load_balancer": "shape=hexagon;perimeter=hexagonPerimeter2;size=0.15;" + _RED,
    "api_gateway": "shape=hexagon;perimeter=hexagonPerimeter2;size=0.15;" + _RED,
    "service": "rounded=1;" + _BLUE,
    "worker": "shape=process;backgroundOutline=1;size=0.08;" + _BLUE,
    "function": "shape=parallelogram;perimeter=parallelogramPerimeter;size=0.12;" + _BLUE,
    "sql_database": _CYLINDER + _GREEN,
    "nosql_database": _CYLINDER + _GREEN,
    "cache": _CYLINDER + _GREEN,
    "object_storage": _CYLINDER + _GREEN,
    "search_index": _CYLINDER + _GREEN,
    # A cylinder lying on its side: the usual picture of a queue or a log.
    "queue": _CYLINDER + "direction=south;" + _YELLOW,
    "stream": _CYLINDER + "direction=south;" + _YELLOW,
    "monitoring": "shape=document;boundedLbl=1;size=0.15;" + _GREY,
    "external": "rounded=1;dashed=1;" + _PURPLE,
}
DEFAULT_SHAPE = "rounded=1;" + _BLUE
ARROWS = {
    "forward": "startArrow=none;endArrow=block;",
    "back": "startArrow=block;endArrow=none;",
    "both": "startArrow=block;endArrow=block;",
    "none": "startArrow=none;endArrow=none;",
}
FADED_STYLE = "opacity=45;textOpacity=45;"


def _xml_text(value: str) -> str:
    return _NOT_XML.sub("\ufffd", value)


def label(lines: list[str], caption: str | None = None) -> str:
    """An HTML cell value (cells have `html=1`) showing the text literally."""
    value = "<br>".join(html.escape(line, quote=False) for line in lines)
    if caption:
        value += f"<br><i>{html.escape(caption, quote=False)}</i>"
    return _xml_text(value)


@dataclass
class _Box:
    """A laid-out item: its size, and for containers where each member sits in it."""

    width: float
    height: float
    offsets: dict[str, tuple[float, float]]


def ranks(view: DiagramView) -> dict[str, int]:
    """Longest-path rank of each node along the edges; cycles are cut where first met."""
    t = tree(view)
    inside: dict[str, list[str]] = {}

    def members(cluster_id: str) -> list[str]:
        if cluster_id not in inside:
            found = [n.id for n in t.members[cluster_id]]
            for child in t.children[cluster_id]:
                found += members(child)
            inside[cluster_id] = found
        return inside[cluster_id]

    def ends(end: str) -> list[str]:
        return members(end) if end in t.clusters else [end]

    succ: dict[str, list[str]] = {n.id: [] for n in view.nodes}
    for edge in view.edges:
        for s in ends(edge.source):
            for d in ends(edge.target):
                if s != d and s in succ and d in succ:
                    succ[s].append(d)
    # Depth-first from every node in view order; edges back into the walk are ignored.
    order: list[str] = []
    state: dict[str, int] = {}
    for start in succ:
        if start in state:
            continue
        stack = [(start, iter(succ[start]))]
        state[start] = 1
        while stack:
            node, it = stack[-1]
            nxt = next((d for d in it if d not in state), None)
            if nxt is None:
                state[node] = 2
                order.append(node)
                stack.pop()
            else:
                state[nxt] = 1
                stack.append((nxt, iter(succ[nxt])))
    position = {n: i for i, n in enumerate(reversed(order))}
    rank = dict.fromkeys(succ, 0)
    for node in reversed(order):  # a topological order of the acyclic part
        for d in succ[node]:
            if position[d] > position[node]:
                rank[d] = max(rank[d], rank[node] + 1)
    return rank


def _node_size(node: ViewNode) -> tuple[float, float]:
    if node.kind == "client":
        return ACTOR_W, ACTOR_H + BELOW
    lines = len(node_lines(node)) + (1 if node.caption else 0)
    return NODE_W, NODE_H + max(0, lines - 2) * 15


def _layout(view: DiagramView, t: Tree, rank: dict[str, int]) -> dict[str | None, _Box]:
    """A box per container (None: the page) with its members' offsets inside it."""
    across = view.direction != "TB"  # ranks run left to right
    boxes: dict[str | None, _Box] = {}
    sizes: dict[str, tuple[float, float]] = {n.id: _node_size(n) for n in view.nodes}
    first_rank: dict[str, int] = {}

    def place(cluster_id: str | None) -> None:
        items: list[tuple[int, str]] = []
        for node in t.members[cluster_id]:
            items.append((rank[node.id], node.id))
        for child in t.children[cluster_id]:
            place(child)
            items.append((first_rank.get(child, 0), child))
        if cluster_id is not None:
            first_rank[cluster_id] = min((r for r, _ in items), default=0)
        columns: dict[int, list[str]] = {}
        for r, item in items:
            columns.setdefault(r, []).append(item)
        top = 0.0 if cluster_id is None else HEADER
        major, offsets, extent = (0.0 if cluster_id is None else PAD), {}, 0.0
        for r in sorted(columns):
            column = columns[r]
            thickness = max(sizes[i][0 if across else 1] for i in column)
            minor = (top if across else 0.0) + (0.0 if cluster_id is None else PAD)
            for item in column:
                w, h = sizes[item]
                if across:
                    offsets[item] = (major + (thickness - w) / 2, minor)
                    minor += h + GAP_MINOR
                else:
                    offsets[item] = (minor, top + major + (thickness - h) / 2)
                    minor += w + GAP_MINOR
            extent = max(extent, minor - GAP_MINOR)
            major += thickness + GAP_MAJOR
        major = major - GAP_MAJOR if columns else major
        pad = 0.0 if cluster_id is None else PAD
        if across:
            width, height = major + pad, extent + pad
        else:
            width, height = extent + pad, top + major + pad
        width = max(width, 160.0) if cluster_id is not None else width
        height = max(height, HEADER + 40.0) if cluster_id is not None else height
        boxes[cluster_id] = _Box(width, height, offsets)
        if cluster_id is not None:
            sizes[cluster_id] = (width, height)

    place(None)
    return boxes


def _vertex_style(node: ViewNode) -> str:
    style = SHAPES.get(node.kind, DEFAULT_SHAPE) + "whiteSpace=wrap;html=1;"
    if node.emphasis in FADED:
        style += FADED_STYLE
    elif node.emphasis != "normal":
        style += f"strokeColor={emphasis_color(node.emphasis)};strokeWidth=3;"
        if node.emphasis == "removed":
            style += "dashed=1;"
    return style


def _container_style(cluster: ViewCluster, depth: int) -> str:
    fill = LIGHT.cluster_fills[depth % len(LIGHT.cluster_fills)].lower()
    stroke = LIGHT.cluster_border.lower()
    color = safe_color(cluster.color)
    if cluster.emphasis not in ("normal", *FADED):
        color = emphasis_color(cluster.emphasis)
    if color:
        stroke = color[:7]
        if cluster.style == "filled":
            fill = tint(color, 0.15)
    style = (
        "rounded=1;arcSize=4;whiteSpace=wrap;html=1;container=1;collapsible=0;"
        "recursiveResize=0;verticalAlign=top;align=left;spacingLeft=10;spacingTop=2;"
        f"fontStyle=1;fontColor={LIGHT.subtle_text.lower()};fillColor={fill};"
        f"strokeColor={stroke};"
    )
    line = "dashed" if cluster.emphasis == "removed" else cluster.style
    if line == "dashed":
        style += "dashed=1;"
    elif line == "dotted":
        style += "dashed=1;dashPattern=1 3;"
    elif line == "bold":
        style += "strokeWidth=3;"
    if cluster.emphasis in FADED:
        style += FADED_STYLE
    return style


def _edge_style(edge: ViewEdge) -> str:
    style = (
        "edgeStyle=orthogonalEdgeStyle;rounded=1;orthogonalLoop=1;jettySize=auto;html=1;"
        "labelBackgroundColor=#ffffff;" + ARROWS[edge.direction]
    )
    color = safe_color(edge.color) if edge.emphasis == "normal" else None
    if edge.emphasis not in ("normal", *FADED):
        color = emphasis_color(edge.emphasis)
    color = color[:7] if color else LIGHT.edge.lower()
    style += f"strokeColor={color};fontColor={color};"
    if edge.line == "dashed":
        style += "dashed=1;"
    elif edge.line == "dotted":
        style += "dashed=1;dashPattern=1 3;"
    if edge.line == "bold" or edge.emphasis == "highlight":
        style += "strokeWidth=3;"
    if edge.emphasis == "highlight":
        style += "fontStyle=1;"
    if edge.emphasis in FADED:
        style += FADED_STYLE
    return style


def _geometry(cell: ET.Element, x: float, y: float, w: float, h: float) -> None:
    size = {"x": _num(x), "y": _num(y), "width": _num(w), "height": _num(h)}
    ET.SubElement(cell, "mxGeometry", **size, **{"as": "geometry"})


def _num(value: float) -> str:
    return str(round(value)) if float(value).is_integer() else f"{value:.1f}"


def to_drawio(view: DiagramView) -> str:
    """The view as a draw.io file (uncompressed mxGraph XML)."""
    t = tree(view)
    ids = unique_ids(
        [c.id for c in view.clusters] + [n.id for n in view.nodes], _UNSAFE_ID, ("0", "1")
    )
    boxes = _layout(view, t, ranks(view))
    mxfile = ET.Element("mxfile", host="diagramgen", type="device")
    diagram = ET.SubElement(mxfile, "diagram", id=_xml_text(view.name), name=_xml_text(view.title))
    model = ET.SubElement(
        diagram,
        "mxGraphModel",
        grid="1",
        gridSize="10",
        guides="1",
        tooltips="1",
        connect="1",
        arrows="1",
        fold="1",
        page="0",
        math="0",
        shadow="0",
    )
    root = ET.SubElement(model, "root")
    ET.SubElement(root, "mxCell", id="0")
    ET.SubElement(root, "mxCell", id="1", parent="0")
    title = ET.SubElement(
        root,
        "mxCell",
        id=":title",
        value=label(view.title.splitlines() or [""]),
        style="text;html=1;align=left;verticalAlign=top;fontSize=20;fontStyle=1;whiteSpace=wrap;",
        vertex="1",
        parent="1",
    )
    _geometry(title, 0, 0, max(boxes[None].width, 400), TITLE_H - 10)

    def emit(cluster_id: str | None, depth: int) -> None:
        box = boxes[cluster_id]
        parent = "1" if cluster_id is None else ids[cluster_id]
        dy = TITLE_H if cluster_id is None else 0
        for node in t.members[cluster_id]:
            x, y = box.offsets[node.id]
            w, h = _node_size(node)
            if node.kind == "client":
                h -= BELOW
            cell = ET.SubElement(
                root,
                "mxCell",
                id=ids[node.id],
                value=label(node_lines(node), node.caption),
                style=_vertex_style(node),
                vertex="1",
                parent=parent,
            )
            _geometry(cell, x, y + dy, w, h)
        for child in t.children[cluster_id]:
            x, y = box.offsets[child]
            child_box = boxes[child]
            cell = ET.SubElement(
                root,
                "mxCell",
                id=ids[child],
                value=label(t.clusters[child].label.splitlines() or [""]),
                style=_container_style(t.clusters[child], depth),
                vertex="1",
                parent=parent,
            )
            _geometry(cell, x, y + dy, child_box.width, child_box.height)
            emit(child, depth + 1)

    emit(None, 0)
    for index, edge in enumerate(view.edges, start=1):
        cell = ET.SubElement(
            root,
            "mxCell",
            id=f":edge{index}",
            value=label(edge.label.splitlines()) if edge.label else "",
            style=_edge_style(edge),
            edge="1",
            parent="1",
            source=ids[edge.source],
            target=ids[edge.target],
        )
        ET.SubElement(cell, "mxGeometry", relative="1", **{"as": "geometry"})
    ET.indent(mxfile, space="  ")
    return ET.tostring(mxfile, encoding="unicode") + "\n"
