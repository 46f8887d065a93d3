"""The one module that imports mingrammer `diagrams`: a `DiagramView` in, DOT source out.

What we do differently from using `diagrams` directly, and why:
- every node gets `nodeid=` (its component id), so output is stable; diagrams uses uuid4;
- clusters are named from group ids, not labels, so equal labels stay separate clusters;
- every label is an HTML-like label built from escaped text, so quotes, backslashes, `\\N`
  and `<b>` appear literally instead of breaking Graphviz or injecting markup;
- icons sit in a fixed-size table cell above the wrapped label, so long labels grow the
  node instead of overlapping the icon or the neighbours;
- nothing is rendered here (`show=False`, no `__exit__`): the caller runs Graphviz with a
  timeout and post-processes the SVG.
"""

from __future__ import annotations

import html
import importlib
import os
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import diagrams
from diagrams import Cluster, Diagram, Node

from diagramgen.view.icons import icon_for
from diagramgen.view.model import DiagramView, ViewEdge, ViewNode
from diagramgen.view.themes import Theme

# Icons live under site-packages/resources; DOT refers to them relative to this root so
# the DOT text carries no machine path. Graphviz runs with this root as its working folder.
ICON_ROOT = Path(os.path.dirname(os.path.abspath(diagrams.__file__))).parent
ICON_SIZE = 56  # points
WRAP = 18  # characters per label line before wrapping


def esc(text: str) -> str:
    """Escape user text for an HTML-like Graphviz label (and so for SVG)."""
    # Graphviz expands \N, \G, \T ... even inside HTML labels, and entities are decoded
    # before that; a doubled backslash is the one form it turns back into one backslash.
    return html.escape(text, quote=True).replace("\\", "\\\\")


def wrap(text: str, width: int = WRAP) -> list[str]:
    """Split on newlines, then wrap long lines at word boundaries."""
    lines: list[str] = []
    for part in text.splitlines() or [""]:
        lines.extend(textwrap.wrap(part, width, break_long_words=True) or [""])
    return lines


def icon_path(icon: str) -> str:
    """The icon PNG of a `module:Class` name, relative to `ICON_ROOT`."""
    module_name, class_name = icon.split(":")
    cls = getattr(importlib.import_module(f"diagrams.{module_name}"), class_name)
    absolute = Path(cls._load_icon(cls))
    return absolute.relative_to(ICON_ROOT).as_posix()


class _StableCluster(Cluster):
    """A `diagrams.Cluster` whose Graphviz name comes from the group id, not its label."""

    def __init__(self, cluster_id: str, label: str, graph_attr: dict[str, str]) -> None:
        super().__init__(label="x", graph_attr=graph_attr)
        self.dot.name = f"cluster_{cluster_id}"
        self.dot.graph_attr["label"] = label


class _Component(Node):
    """A node whose icon and text live in its HTML label (the icon is in `label`)."""

    _icon = None  # no `image` attribute: the icon is a cell of the label table


def _node_label(node: ViewNode, theme: Theme, image: str) -> str:
    color = theme.text
    caption_color = theme.subtle_text
    if node.emphasis in ("muted", "context"):
        color = caption_color = theme.color(node.emphasis)
    elif node.emphasis in ("added", "removed", "changed"):
        caption_color = theme.color(node.emphasis)
    title_lines = wrap(node.label)
    if node.replicas > 1:
        title_lines[-1] += f" ×{node.replicas}"
    title = "<BR/>".join(f"<B>{esc(line)}</B>" for line in title_lines)
    rows = [
        f'<TR><TD FIXEDSIZE="TRUE" WIDTH="{ICON_SIZE}" HEIGHT="{ICON_SIZE}"'
        f'{_plate(theme)}><IMG SRC="{esc(image)}" SCALE="TRUE"/></TD></TR>',
        f'<TR><TD><FONT POINT-SIZE="{theme.label_size}" COLOR="{color}">{title}</FONT></TD></TR>',
    ]
    if node.caption:
        caption = "<BR/>".join(esc(line) for line in wrap(node.caption, WRAP + 4))
        rows.append(
            f'<TR><TD><FONT POINT-SIZE="{theme.caption_size}" COLOR="{caption_color}">'
            f"{caption}</FONT></TD></TR>"
        )
    border = ""
    if node.emphasis in ("highlight", "added", "removed", "changed"):
        style = ' STYLE="ROUNDED,DASHED"' if node.emphasis == "removed" else ' STYLE="ROUNDED"'
        border = f' BORDER="2" COLOR="{theme.color(node.emphasis)}"{style}'
    else:
        border = ' BORDER="0"'
    return (
        f'<<TABLE{border} CELLBORDER="0" CELLSPACING="2" CELLPADDING="2">'
        + "".join(rows)
        + "</TABLE>>"
    )


def _plate(theme: Theme) -> str:
    if theme.node_fill == "none":
        return ""
    return f' BGCOLOR="{theme.node_fill}" STYLE="ROUNDED"'


def _edge_attrs(edge: ViewEdge, theme: Theme) -> dict[str, str]:
    color = edge.color or theme.color(edge.emphasis)
    attrs = {
        "color": color,
        "style": {"solid": "solid", "dashed": "dashed", "dotted": "dotted", "bold": "bold"}[
            edge.line
        ],
        "dir": edge.direction,
        "fontcolor": color if edge.emphasis != "normal" else theme.subtle_text,
        "fontname": theme.font,
        "fontsize": str(theme.edge_label_size),
    }
    if edge.emphasis == "highlight":
        attrs["penwidth"] = "2.2"
    elif edge.emphasis in ("added", "removed", "changed"):
        attrs["penwidth"] = "1.8"
    if edge.label:
        lines = "<BR/>".join(esc(line) for line in wrap(edge.label, 24))
        weight = "<B>" if edge.emphasis == "highlight" else ""
        attrs["label"] = f"<{weight}{lines}{'</B>' if weight else ''}>"
    return attrs


def _graph_label(view: DiagramView, theme: Theme) -> str:
    rows = [
        f'<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="{theme.title_size}" COLOR="{theme.text}">'
        f"<B>{esc(view.title)}</B></FONT></TD></TR>"
    ]
    if view.subtitle:
        text = '<BR ALIGN="LEFT"/>'.join(esc(line) for line in wrap(view.subtitle, 110))
        rows.append(
            f'<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="{theme.label_size}" '
            f'COLOR="{theme.subtle_text}">{text}<BR ALIGN="LEFT"/></FONT></TD></TR>'
        )
    if view.legend:
        samples = {"solid": "───", "dashed": "╌╌╌", "dotted": "┈┈┈", "bold": "━━━"}
        items = "&#160;&#160;&#160;&#160;".join(
            f'<FONT COLOR="{entry.color or theme.color(entry.emphasis)}">'
            f"{samples[entry.line]}</FONT>&#160;{esc(entry.label)}"
            for entry in view.legend
        )
        rows.append(
            f'<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="{theme.caption_size}" '
            f'COLOR="{theme.subtle_text}">Legend:&#160;&#160;{items}</FONT></TD></TR>'
        )
    return f'<<TABLE BORDER="0" CELLSPACING="4" CELLPADDING="0">{"".join(rows)}</TABLE>>'


@contextmanager
def _diagram(view: DiagramView, theme: Theme, graph_attr: dict[str, str]) -> Iterator[Diagram]:
    """A `diagrams.Diagram` made current without rendering on exit."""
    diagram = Diagram(
        name=view.name,
        filename=view.name,
        direction=view.direction,
        curvestyle="curved",
        outformat="svg",
        show=False,
        graph_attr={
            "label": _graph_label(view, theme),
            "labelloc": "t",
            "labeljust": "l",
            "pad": "0.4",
            "nodesep": "0.5",
            "ranksep": "0.9",
            "splines": "spline",
            "compound": "true",
            "newrank": "true",
            "bgcolor": theme.background,
            "fontname": theme.font,
            "fontcolor": theme.text,
            **graph_attr,
        },
        node_attr={
            "shape": "plain",
            "fontname": theme.font,
            "fontcolor": theme.text,
            "fixedsize": "false",
        },
        edge_attr={"color": theme.edge, "arrowsize": "0.8", "fontname": theme.font},
    )
    # The base attributes meant for icon nodes; ours are HTML tables sized by content.
    for key in ("width", "height", "labelloc", "imagescale", "style"):
        diagram.dot.node_attr.pop(key, None)
    diagrams.setdiagram(diagram)
    try:
        yield diagram
    finally:
        diagrams.setdiagram(None)  # type: ignore[arg-type]
        diagrams.setcluster(None)  # type: ignore[arg-type]


def to_dot(view: DiagramView, theme: Theme, graph_attr: dict[str, str] | None = None) -> str:
    """The DOT source of a view, built through mingrammer `diagrams`."""
    clusters = {c.id: c for c in view.clusters}
    children: dict[str | None, list[str]] = {}
    for c in view.clusters:
        children.setdefault(c.parent if c.parent in clusters else None, []).append(c.id)
    members: dict[str | None, list[ViewNode]] = {}
    for n in view.nodes:
        members.setdefault(n.cluster if n.cluster in clusters else None, []).append(n)

    anchors: dict[str, str] = {}  # cluster id -> a node inside it, for edges to its boundary
    placed: dict[str, Node] = {}
    depth_of: dict[str, int] = {}

    def add_nodes(cluster_id: str | None) -> None:
        for n in members.get(cluster_id, []):
            image = icon_path(icon_for(n.kind, n.tech, None) if not n.icon else n.icon)
            placed[n.id] = _Component(_node_label(n, theme, image), nodeid=n.id)

    def add_cluster(cluster_id: str, depth: int) -> None:
        c = clusters[cluster_id]
        depth_of[cluster_id] = depth
        fill = theme.cluster_fills[depth % len(theme.cluster_fills)]
        label_color = theme.color(c.emphasis) if c.emphasis != "normal" else theme.subtle_text
        attrs = {
            "style": "rounded,filled" + (",dashed" if c.emphasis == "removed" else ""),
            "fillcolor": fill,
            "bgcolor": fill,
            "pencolor": theme.color(c.emphasis) if c.emphasis != "normal" else theme.cluster_border,
            "fontname": theme.font,
            "fontsize": str(theme.label_size + 1),
            "fontcolor": label_color,
            "labeljust": "l",
            "margin": "14",
        }
        label = f"<<B>{esc(c.label)}</B>>"
        with _StableCluster(cluster_id, label, attrs):
            add_nodes(cluster_id)
            for child in children.get(cluster_id, []):
                add_cluster(child, depth + 1)
            if not _has_nodes(cluster_id):
                # Graphviz drops empty clusters; an invisible point keeps the box and gives
                # edges to the group something to attach to.
                anchor = f"anchor.{cluster_id}"
                placed[anchor] = _Component("", nodeid=anchor, shape="point", style="invis")

    def _has_nodes(cluster_id: str) -> bool:
        stack = [cluster_id]
        while stack:
            cid = stack.pop()
            if members.get(cid):
                return True
            stack.extend(children.get(cid, []))
        return False

    def first_inside(cluster_id: str) -> str:
        stack = [cluster_id]
        while stack:
            cid = stack.pop(0)
            if members.get(cid):
                return members[cid][0].id
            stack = children.get(cid, []) + stack
        return f"anchor.{cluster_id}"

    cluster_of = {n.id: n.cluster for n in view.nodes}

    def inside(node_id: str, cluster_id: str) -> bool:
        cid = cluster_of.get(node_id)
        while cid is not None:
            if cid == cluster_id:
                return True
            cid = clusters[cid].parent if cid in clusters else None
        return False

    with _diagram(view, theme, graph_attr or {}) as diagram:
        add_nodes(None)
        for root in children.get(None, []):
            add_cluster(root, 0)
        for cid in clusters:
            anchors[cid] = first_inside(cid)
        for edge in view.edges:
            attrs = _edge_attrs(edge, theme)
            src, dst = edge.source, edge.target
            if src in clusters:
                attrs["ltail"] = f"cluster_{src}"
                src = anchors[src]
            if dst in clusters:
                if not inside(src, dst):
                    attrs["lhead"] = f"cluster_{dst}"
                dst = anchors[dst]
            if edge.source in clusters and inside(dst, edge.source):
                attrs.pop("ltail", None)
            diagram.dot.edge(src, dst, **attrs)
        source = diagram.dot.source
    return source
