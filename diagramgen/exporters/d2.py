"""D2 export: groups as nested containers, shapes per kind, labelled and styled edges.

Every key and label is a double-quoted D2 string, so no user text is read as D2 syntax
(keywords such as `label` or `shape` stay plain names when quoted, and `${...}` is not
substituted once its `$` is escaped).
"""

from __future__ import annotations

import re
from pathlib import Path

from diagramgen.exporters.common import (
    FADED,
    ExportText,
    Loss,
    emphasis_color,
    losses,
    node_lines,
    noted,
    own_direction,
    safe_color,
    stock_icons,
    tint,
    translucent,
    tree,
    unique_ids,
)
from diagramgen.spec.assets import data_uri
from diagramgen.view.model import DiagramView, ViewCluster, ViewEdge, ViewNode

_UNSAFE_KEY = re.compile(r"[^A-Za-z0-9_-]")
TITLE_KEY = '"(title)"'  # parentheses never occur in ids, so this key is always free

SHAPES: dict[str, str] = {
    "client": "person",
    "dns": "oval",
    "cdn": "cloud",
    "load_balancer": "hexagon",
    "api_gateway": "hexagon",
    "service": "rectangle",
    "worker": "step",
    "function": "rectangle",
    "sql_database": "cylinder",
    "nosql_database": "cylinder",
    "cache": "cylinder",
    "object_storage": "stored_data",
    "search_index": "cylinder",
    "queue": "queue",
    "stream": "queue",
    "monitoring": "page",
    "external": "cloud",
}
DIRECTIONS = {"LR": "right", "TB": "down"}
DASHES = {"dashed": 5, "dotted": 2}
FADED_OPACITY = "0.45"


def string(value: str) -> str:
    """A double-quoted D2 string holding `value` literally."""
    out = ['"']
    for char in value:
        if char in '"\\$':
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t")
        elif char == "\r":
            continue
        elif ord(char) < 0x20 or char == "\x7f":
            out.append("\ufffd")  # D2 strings have no escape for other control characters
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


def _node_label(node: ViewNode) -> str:
    lines = node_lines(node)
    if node.caption:
        lines.append(node.caption)
    return "\n".join(lines)


def _node_styles(node: ViewNode) -> list[str]:
    if node.emphasis in FADED:
        return [f"style.opacity: {FADED_OPACITY}"]
    if node.emphasis == "normal":
        return []
    color = emphasis_color(node.emphasis)
    styles = [f'style.stroke: "{color}"', "style.stroke-width: 3"]
    if node.emphasis == "removed":
        styles.append("style.stroke-dash: 4")
    return styles


def _cluster_styles(cluster: ViewCluster) -> list[str]:
    styles: list[str] = []
    color = safe_color(cluster.color)
    if cluster.emphasis in FADED:
        styles.append(f"style.opacity: {FADED_OPACITY}")
    elif cluster.emphasis != "normal":
        color = emphasis_color(cluster.emphasis)
    if color:
        styles.append(f'style.stroke: "{color[:7]}"')
        if cluster.style == "filled":
            styles.append(f'style.fill: "{tint(color, 0.15)}"')
    line = "dashed" if cluster.emphasis == "removed" else cluster.style
    if line in DASHES:
        styles.append(f"style.stroke-dash: {DASHES[line]}")
    elif line == "bold":
        styles.append("style.stroke-width: 3")
    return styles


def _edge_styles(edge: ViewEdge) -> list[str]:
    styles: list[str] = []
    color = safe_color(edge.color) if edge.emphasis == "normal" else None
    if edge.emphasis in FADED:
        styles.append(f"style.opacity: {FADED_OPACITY}")
    elif edge.emphasis != "normal":
        color = emphasis_color(edge.emphasis)
    if color:
        styles += [f'style.stroke: "{color[:7]}"', f'style.font-color: "{color[:7]}"']
    if edge.line in DASHES:
        styles.append(f"style.stroke-dash: {DASHES[edge.line]}")
    if edge.line == "bold" or edge.emphasis == "highlight":
        styles.append("style.stroke-width: 3")
    if edge.emphasis == "highlight":
        styles.append("style.bold: true")
    return styles


ARROWS = {"forward": "->", "back": "<-", "both": "<->", "none": "--"}


def _block(head: str, body: list[str]) -> list[str]:
    """`head`, with `{ body }` indented below it when there is a body."""
    if not body:
        return [head]
    return [f"{head} {{", *(f"  {line}" if line else "" for line in body), "}"]


def to_d2(view: DiagramView) -> ExportText:
    """The view as D2 source, with what D2 cannot carry in `.losses`."""
    t = tree(view)
    keys = unique_ids([c.id for c in view.clusters] + [n.id for n in view.nodes], _UNSAFE_KEY)
    paths: dict[str, str] = {}

    def path_of(cluster_id: str | None, key: str) -> str:
        parts = [f'"{key}"']
        while cluster_id is not None:
            parts.insert(0, f'"{keys[cluster_id]}"')
            cluster_id = t.parent(cluster_id)
        return ".".join(parts)

    lines = [f"direction: {DIRECTIONS.get(view.direction, 'right')}", ""]
    title = [
        "shape: text",
        "near: top-center",
        "style.font-size: 24",
        "style.bold: true",
    ]
    lines += _block(f"{TITLE_KEY}: {string(view.title)}", title)

    def emit(cluster_id: str | None) -> list[str]:
        out: list[str] = []
        for node in t.members[cluster_id]:
            paths[node.id] = path_of(cluster_id, keys[node.id])
            body = [f"shape: {SHAPES.get(node.kind, 'rectangle')}", *_node_styles(node)]
            if node.icon:
                # A `data:` URI, so the D2 file carries the icon wherever it goes.
                body.append(f"icon: {string(data_uri(Path(node.icon)))}")
            if node.note:
                body.append(f"tooltip: {string(node.note)}")
            out += _block(f'"{keys[node.id]}": {string(_node_label(node))}', body)
        for child in t.children[cluster_id]:
            cluster = t.clusters[child]
            paths[child] = path_of(t.parent(child), keys[child])
            body = _cluster_styles(cluster)
            if cluster.direction and cluster.direction != view.direction:
                body.append(f"direction: {DIRECTIONS[cluster.direction]}")
            body += emit(child)
            out += _block(f'"{keys[child]}": {string(cluster.label)}', body)
        return out

    lines += emit(None)
    if view.edges:
        lines.append("")
    for edge in view.edges:
        head = f"{paths[edge.source]} {ARROWS[edge.direction]} {paths[edge.target]}"
        if edge.label:
            head += f": {string(edge.label)}"
        lines += _block(head, _edge_styles(edge))
    return ExportText("\n".join(lines) + "\n", d2_losses(view))


def d2_losses(view: DiagramView) -> list[Loss]:
    """What a D2 file cannot carry of the view.

    D2 draws icons from URLs (custom icons go in as `data:` URIs; the stock ones have no
    URL that works offline); a container's own `direction` is honoured by the TALA layout
    engine only, not by dagre or ELK (d2lang.com/tour/layouts, layout-specific keywords).
    """
    return losses(
        notes=(len(noted(view)), "are kept only as tooltips: D2 has no note beside a shape"),
        legend=(1 if view.legend else 0, "is left out: D2's shapes carry no legend here"),
        icons=(
            len(stock_icons(view)),
            "(stock kind and tech icons) are left out: shapes follow the kind; custom icons "
            "are embedded",
        ),
        group_direction=(
            len(own_direction(view)),
            "are written as `direction` but honoured only by the TALA layout engine",
        ),
        colour_transparency=(
            translucent(view),
            "is dropped: D2 styles take opaque colours (`style.opacity` would fade labels too)",
        ),
    )
