"""The one module that imports mingrammer `diagrams`: a `DiagramView` in, DOT source out.

What we do differently from using `diagrams` directly, and why:
- every node gets `nodeid=` (its component id), so output is stable; diagrams uses uuid4;
- clusters are named from group ids, not labels, so equal labels stay separate clusters;
- every label is an HTML-like label built from escaped text, so quotes, backslashes, `\\N`
  and `<b>` appear literally instead of breaking Graphviz or injecting markup;
- every style value comes from a closed set (line styles, arrowheads) or is a color the
  spec models checked (`#rrggbb[aa]`), so nothing from a spec reaches Graphviz unchecked;
- icons sit in a fixed-size table cell above the wrapped label, so long labels grow the
  node instead of overlapping the icon or the neighbours; muted nodes get a faded copy of
  their icon and replicated ones a stacked copy (see `icon_files`);
- the legend is a compact framed table in the header, right of the title: any box placed inside
  the drawing (a legend node, or a frame cluster with a corner label) changes dot's node
  order, so a spec would draw differently with and without its legend;
- nothing is rendered here (`show=False`, no `__exit__`): the caller runs Graphviz with a
  timeout in `ICON_ROOT` and post-processes the SVG.
"""

from __future__ import annotations

import functools
import html
import importlib
import itertools
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from importlib.metadata import version
from pathlib import Path

import diagrams
from diagrams import Cluster, Diagram, Node
from graphviz.quoting import quote

from diagramgen.rendering.icon_files import (
    custom_icon,
    derived_icon,
    ensure_root,
    prepare_root,
)
from diagramgen.view.icons import icon_for
from diagramgen.view.model import (
    DiagramView,
    LegendEntry,
    LineStyle,
    ViewCluster,
    ViewEdge,
    ViewNode,
)
from diagramgen.view.themes import Theme

# The stock icons live under site-packages/resources. Graphviz runs in ICON_ROOT, a cache
# folder that links to them and holds the spec icons and derived copies, and DOT names every
# image relative to it, so the DOT text carries no machine path.
SITE_ROOT = Path(os.path.dirname(os.path.abspath(diagrams.__file__))).parent
ICON_ROOT = prepare_root(SITE_ROOT / "resources", version("diagrams"))
ICON_SIZE = 56  # points
WRAP = 18  # characters per label line before wrapping
NOTE_WRAP = 26

LINE_STYLES: dict[LineStyle, str] = {
    "solid": "solid",
    "dashed": "dashed",
    "dotted": "dotted",
    "bold": "bold",
}
LEGEND_ROWS = 2  # entries per legend column: a wide, low legend in the header's corner
MUTED = ("muted", "context")
MARKED = ("highlight", "added", "removed", "changed")


def esc(text: str) -> str:
    """Escape user text for an HTML-like Graphviz label (and so for SVG)."""
    # Graphviz expands \N, \G, \T ... even inside HTML labels, and entities are decoded
    # before that; a doubled backslash is the one form it turns back into one backslash.
    return html.escape(text, quote=True).replace("\\", "\\\\")


# Where a long word may break: after `::`, or `/`, `-`, `_`, `.` between letters or digits
# (so `</script>` stays whole), and before a capital that
# follows a lower-case letter or digit (`TransitGateway` -> `Transit|Gateway`).
_BREAK = re.compile(r"(?<=::)(?=\w)|(?<=[A-Za-z0-9][/_\-.])(?=[A-Za-z0-9])|(?<=[a-z0-9])(?=[A-Z])")


def _pieces(word: str) -> list[str]:
    """A word cut at its break points; `</script>` and other words without one stay whole."""
    cuts = [m.start() for m in _BREAK.finditer(word) if 0 < m.start() < len(word)]
    bounds = [0, *cuts, len(word)]
    return [word[a:b] for a, b in itertools.pairwise(bounds) if word[a:b]]


def wrap(text: str, width: int = WRAP) -> list[str]:
    """Split on newlines, then wrap long lines at spaces, never inside a word.

    A word longer than `width` breaks at `::`, `/`, `-`, `_`, `.` or a case change; a word
    with none of those stays on one (long) line rather than being cut mid-word.
    """
    lines: list[str] = []
    for part in text.splitlines() or [""]:
        current = ""
        for word in part.split():
            joined = f"{current} {word}" if current else word
            if len(joined) <= width:
                current = joined
                continue
            if current and len(word) <= width:
                lines.append(current)
                current = word
                continue
            # The word itself is too long: fill the line with as many of its pieces as fit.
            for i, piece in enumerate(_pieces(word)):
                sep = " " if current and i == 0 else ""
                if current and len(current) + len(sep) + len(piece) > width:
                    lines.append(current)
                    current = piece
                else:
                    current = f"{current}{sep}{piece}"
        lines.append(current)
    return lines


def one_line(text: str, width: int) -> str:
    """The first sentence of `text`, cut at a word boundary to at most `width` characters."""
    flat = " ".join(text.split())
    first = re.split(r"(?<=[.!?])\s", flat, maxsplit=1)[0]
    if len(first) <= width:
        return first
    cut = first[: width - 1].rsplit(" ", 1)[0].rstrip(",;:-")
    return f"{cut}…"


@functools.lru_cache(maxsize=1024)
def icon_path(icon: str) -> str:
    """The icon PNG of a `module:Class` name, relative to `ICON_ROOT`."""
    module_name, class_name = icon.split(":")
    cls = getattr(importlib.import_module(f"diagrams.{module_name}"), class_name)
    absolute = Path(cls._load_icon(cls))
    return absolute.relative_to(SITE_ROOT).as_posix()


def mix(color: str, other: str, amount: float) -> str:
    """`color` blended towards `other` by `amount` (0: color, 1: other), as `#rrggbb`."""
    a, b = _rgb(color), _rgb(other)
    return "#" + "".join(f"{round(x + (y - x) * amount):02X}" for x, y in zip(a, b, strict=True))


def _rgb(color: str) -> tuple[int, int, int]:
    h = color.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def _is_dark(theme: Theme) -> bool:
    r, g, b = _rgb(theme.background)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b < 128


class _StableCluster(Cluster):
    """A `diagrams.Cluster` whose Graphviz name comes from the group id, not its label."""

    def __init__(self, name: str, label: str, graph_attr: dict[str, str]) -> None:
        super().__init__(label="x", graph_attr=graph_attr)
        self.dot.name = name
        self.dot.graph_attr["label"] = label


class _Component(Node):
    """A node whose icon and text live in its HTML label (the icon is in `label`)."""

    _icon = None  # no `image` attribute: the icon is a cell of the label table


def node_image(node: ViewNode, theme: Theme) -> str:
    """The image a node shows, relative to `ICON_ROOT`: faded when muted, stacked if replicated."""
    if node.icon:
        base = custom_icon(ICON_ROOT, Path(node.icon), node.icon_digest)
    else:
        base = icon_path(icon_for(node.kind, node.tech, node.platform, node.provider))
    stack = theme.cluster_border if node.replicas > 1 else None
    return derived_icon(ICON_ROOT, base, faded=node.emphasis in MUTED, stack=stack)


def _node_label(node: ViewNode, theme: Theme, image: str, direction: str) -> str:
    color = theme.text
    caption_color = theme.subtle_text
    if node.emphasis in MUTED:
        color = caption_color = theme.color(node.emphasis)
    elif node.emphasis in ("added", "removed", "changed"):
        caption_color = theme.color(node.emphasis)
    title_lines = wrap(node.label)
    if node.replicas > 1:
        title_lines[-1] += f" ×{node.replicas}"
    title = "<BR/>".join(f"<B>{esc(line)}</B>" for line in title_lines)
    rows = [
        f'<TR><TD FIXEDSIZE="TRUE" WIDTH="{ICON_SIZE}" HEIGHT="{ICON_SIZE}"'
        f'{_plate(theme, node)}><IMG SRC="{esc(image)}" SCALE="TRUE"/></TD></TR>',
        f'<TR><TD><FONT POINT-SIZE="{theme.label_size}" COLOR="{color}">{title}</FONT></TD></TR>',
    ]
    if node.caption:
        caption = "<BR/>".join(esc(line) for line in wrap(node.caption, WRAP + 4))
        rows.append(
            f'<TR><TD><FONT POINT-SIZE="{theme.caption_size}" COLOR="{caption_color}">'
            f"{caption}</FONT></TD></TR>"
        )
    if node.emphasis in MARKED:
        style = ' STYLE="ROUNDED,DASHED"' if node.emphasis == "removed" else ' STYLE="ROUNDED"'
        border = f' BORDER="2" COLOR="{theme.color(node.emphasis)}"{style}'
    else:
        border = ' BORDER="0"'
    main = f'<TABLE{border} CELLBORDER="0" CELLSPACING="2" CELLPADDING="2">{"".join(rows)}</TABLE>'
    if not node.note:
        return f"<{main}>"
    # The note sits where edges do not arrive: below in a left-to-right layout, to the
    # right in a top-to-bottom one. Edges attach to the `main` port, never to the note.
    note = _note(node, theme)
    if direction == "TB":
        # A nested table stretches to its cell: a filler row under the note keeps it at
        # its own height, at the top, instead of as tall as the component.
        lines = len(title_lines) + len(wrap(node.caption, WRAP + 4) if node.caption else [])
        filler = max(1, ICON_SIZE + 8 + 16 * lines - 18 * len(wrap(node.note, NOTE_WRAP)))
        body = (
            f'<TR><TD PORT="main" ROWSPAN="2">{main}</TD><TD>{note}</TD></TR>'
            f'<TR><TD HEIGHT="{filler}"></TD></TR>'
        )
    else:
        body = f'<TR><TD PORT="main">{main}</TD></TR><TR><TD>{note}</TD></TR>'
    return f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0">{body}</TABLE>>'


def _note(node: ViewNode, theme: Theme) -> str:
    muted = node.emphasis in MUTED
    fill = mix(theme.note_fill, theme.background, 0.6) if muted else theme.note_fill
    color = theme.color(node.emphasis) if muted else theme.note_text
    text = "<BR/>".join(esc(line) for line in wrap(node.note or "", NOTE_WRAP))
    return (
        f'<TABLE BORDER="1" COLOR="{mix(fill, theme.text, 0.25)}" BGCOLOR="{fill}" '
        f'STYLE="ROUNDED" CELLBORDER="0" CELLPADDING="4"><TR><TD>'
        f'<FONT POINT-SIZE="{theme.caption_size}" COLOR="{color}"><I>{text}</I></FONT>'
        "</TD></TR></TABLE>"
    )


def _plate(theme: Theme, node: ViewNode) -> str:
    if theme.node_fill == "none":
        return ""
    fill = theme.node_fill
    if node.emphasis in MUTED:
        fill = mix(fill, theme.background, 0.8)
    return f' BGCOLOR="{fill}" STYLE="ROUNDED"'


def _edge_attrs(edge: ViewEdge, theme: Theme) -> dict[str, str]:
    # An edge's own color shows at normal emphasis only: a flow, diff or context view
    # colors by emphasis, and a custom color would hide which edges are muted.
    color = edge.color if edge.color and edge.emphasis == "normal" else theme.color(edge.emphasis)
    attrs = {
        "color": color,
        "style": LINE_STYLES[edge.line],
        "dir": edge.direction,
        "fontcolor": theme.color(edge.emphasis) if edge.emphasis != "normal" else theme.subtle_text,
        "fontname": theme.font,
        "fontsize": str(theme.edge_label_size),
    }
    if edge.emphasis == "highlight":
        attrs["penwidth"] = "3" if edge.line == "bold" else "2.2"
    elif edge.emphasis in ("added", "removed", "changed"):
        attrs["penwidth"] = "1.8"
    if edge.label:
        lines = "<BR/>".join(esc(line) for line in wrap(edge.label, 24))
        weight = "<B>" if edge.emphasis == "highlight" else ""
        attrs["label"] = f"<{weight}{lines}{'</B>' if weight else ''}>"
    return attrs


def _cluster_attrs(c: ViewCluster, depth: int, theme: Theme) -> dict[str, str]:
    fill = theme.cluster_fills[depth % len(theme.cluster_fills)]
    border = theme.cluster_border
    style = ["rounded", "filled"]
    label_color = theme.subtle_text
    if c.emphasis != "normal":
        border = label_color = theme.color(c.emphasis)
        if c.emphasis == "removed":
            style.append("dashed")
    else:
        if c.color:
            border = c.color
            if c.style == "filled":
                fill = mix(c.color[:7], theme.background, 0.75 if _is_dark(theme) else 0.88)
        if c.style in ("dashed", "dotted", "bold"):
            style.append(c.style)
    return {
        "style": ",".join(style),
        "fillcolor": fill,
        "bgcolor": fill,
        "pencolor": border,
        "penwidth": "2" if c.style == "bold" and c.emphasis == "normal" else "1",
        "fontname": theme.font,
        "fontsize": str(theme.label_size + 1),
        "fontcolor": label_color,
        "labeljust": "l",
        "margin": "14",
    }


SUBTITLE_CHARS = 120  # the subtitle is one line: the description's first sentence, cut


LEGEND_GAP = 24  # points between the title and the legend, at least


def _graph_label(view: DiagramView, theme: Theme, gap: float | None = None) -> str:
    """The header: title and a one-line subtitle, the legend in the top right corner.

    The full description stays in the notes and the decks; one row keeps the header as
    low as its tallest part, so the picture gets the height. `gap` (points) is the room
    between the title and the legend: the layout search, which knows how wide the drawing
    came out, widens it so the legend ends at the drawing's right side, in the corner;
    without it the legend sits `LEGEND_GAP` beside the title.
    """
    title = _title(view, theme)
    if not view.legend:
        return f"<{title}>"
    space = round(max(gap or 0.0, LEGEND_GAP)) if title or gap else 0
    spacer = f'<TD WIDTH="{space}"></TD>' if space else ""
    return (
        '<<TABLE BORDER="0" CELLSPACING="0" CELLPADDING="0">'
        f'<TR><TD ALIGN="LEFT" VALIGN="TOP">{title}</TD>{spacer}'
        f'<TD ALIGN="LEFT" VALIGN="TOP">{_legend(view, theme)}</TD></TR></TABLE>>'
    )


def _title(view: DiagramView, theme: Theme) -> str:
    rows = []
    if view.title:  # slides show the title on the slide and draw the view without one
        rows.append(
            f'<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="{theme.title_size}" COLOR="{theme.text}">'
            f"<B>{esc(view.title)}</B></FONT></TD></TR>"
        )
    if view.subtitle:
        rows.append(
            f'<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="{theme.label_size}" '
            f'COLOR="{theme.subtle_text}">{esc(one_line(view.subtitle, SUBTITLE_CHARS))}'
            "</FONT></TD></TR>"
        )
    if not rows:
        return ""
    return f'<TABLE BORDER="0" CELLSPACING="4" CELLPADDING="0">{"".join(rows)}</TABLE>'


def _legend_sample(entry: LegendEntry, theme: Theme) -> str:
    """Three cells: tail arrowhead, a real line drawn as a cell border, head arrowhead."""
    color = entry.color or theme.color(entry.emphasis)
    if entry.shape == "box":
        fill = mix(color[:7], theme.background, 0.75 if _is_dark(theme) else 0.88)
        return (
            f'<TD COLSPAN="3" FIXEDSIZE="TRUE" WIDTH="46" HEIGHT="12" BGCOLOR="{fill}" '
            f'COLOR="{color}" BORDER="1"> </TD>'
        )
    width = 3 if entry.line == "bold" or entry.emphasis == "highlight" else 1
    style = {"dashed": ' STYLE="DASHED"', "dotted": ' STYLE="DOTTED"'}.get(entry.line, "")
    arrow = f'<FONT COLOR="{color}">{{}}</FONT>'  # Graphviz refuses an empty FONT
    head = arrow.format("▶") if entry.direction in ("forward", "both") else ""
    tail = arrow.format("◀") if entry.direction in ("back", "both") else ""
    return (
        f'<TD WIDTH="8" ALIGN="RIGHT">{tail}</TD>'
        f'<TD FIXEDSIZE="TRUE" WIDTH="30" HEIGHT="{2 * width + 2}" BORDER="{width}" SIDES="B" '
        f'COLOR="{color}"{style}></TD>'
        f'<TD WIDTH="8" ALIGN="LEFT">{head}</TD>'
    )


def _legend(view: DiagramView, theme: Theme) -> str:
    """A framed table of the entries, in columns of at most `LEGEND_ROWS`."""
    cells = [
        f'{_legend_sample(e, theme)}<TD ALIGN="LEFT">&#160;{esc(e.label)}&#160;&#160;</TD>'
        for e in view.legend
    ]
    columns = -(-len(cells) // LEGEND_ROWS)
    depth = -(-len(cells) // columns)  # balanced: 5 entries are 3 + 2, not 4 + 1
    empty = '<TD COLSPAN="4"></TD>'
    rows = [
        "<TR>"
        + "".join(
            cells[c * depth + r] if c * depth + r < len(cells) else empty for c in range(columns)
        )
        + "</TR>"
        for r in range(depth)
    ]
    head = (
        f'<TR><TD COLSPAN="{4 * columns}" ALIGN="LEFT"><FONT POINT-SIZE="{theme.caption_size + 1}" '
        f'COLOR="{theme.text}"><B>Legend</B></FONT></TD></TR>'
    )
    return (
        f'<TABLE BORDER="1" COLOR="{theme.cluster_border}" BGCOLOR="{theme.background}" '
        f'STYLE="ROUNDED" CELLBORDER="0" CELLSPACING="1" CELLPADDING="3">'
        f'<TR><TD><FONT POINT-SIZE="{theme.caption_size}" COLOR="{theme.subtle_text}">'
        f'<TABLE BORDER="0" CELLSPACING="0" CELLPADDING="1">{head}{"".join(rows)}</TABLE>'
        "</FONT></TD></TR></TABLE>"
    )


@contextmanager
def _diagram(
    view: DiagramView, theme: Theme, graph_attr: dict[str, str], legend_gap: float | None
) -> Iterator[Diagram]:
    """A `diagrams.Diagram` made current without rendering on exit."""
    diagram = Diagram(
        name=view.name,
        filename=view.name,
        direction=view.direction,
        curvestyle="curved",
        outformat="svg",
        show=False,
        graph_attr={
            "label": _graph_label(view, theme, legend_gap),
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


def to_dot(
    view: DiagramView,
    theme: Theme,
    graph_attr: dict[str, str] | None = None,
    weights: Sequence[int] | None = None,
    ends: Mapping[int, tuple[str, str] | None] | None = None,
    legend_gap: float | None = None,
) -> str:
    """The DOT source of a view, built through mingrammer `diagrams`.

    `graph_attr` overrides our Graphviz settings; `weights` (one per edge of the view) are
    dot's edge weights, which the layout search raises on the main path to keep it straight.
    An edge to or from a group is drawn to one of its members and clipped at the group's
    box (`lhead`/`ltail`); by default that is the group's first member. `ends` (edge index
    -> the two nodes to draw it between, members of its groups, or None for the default
    ones) lets the layout search pick the members nearest each other instead; such an edge
    leaves the ranking alone (`constraint=false`), so it does not pull its groups apart.
    `legend_gap` is the room between the title and the legend (see `_graph_label`).
    """
    ensure_root(ICON_ROOT, SITE_ROOT / "resources")
    clusters = {c.id: c for c in view.clusters}
    children: dict[str | None, list[str]] = {}
    for c in view.clusters:
        children.setdefault(c.parent if c.parent in clusters else None, []).append(c.id)
    members: dict[str | None, list[ViewNode]] = {}
    for n in view.nodes:
        members.setdefault(n.cluster if n.cluster in clusters else None, []).append(n)
    with_note = {n.id for n in view.nodes if n.note}

    anchors: dict[str, str] = {}  # cluster id -> a node inside it, for edges to its boundary
    placed: dict[str, Node] = {}

    def add_nodes(cluster_id: str | None) -> None:
        for n in members.get(cluster_id, []):
            label = _node_label(n, theme, node_image(n, theme), view.direction)
            placed[n.id] = _Component(label, nodeid=n.id)

    def add_cluster(cluster_id: str, depth: int) -> None:
        c = clusters[cluster_id]
        label = f"<<B>{esc(c.label)}</B>>"
        with _StableCluster(f"cluster_{cluster_id}", label, _cluster_attrs(c, depth, theme)) as box:
            add_nodes(cluster_id)
            own = [n.id for n in members.get(cluster_id, [])]
            if c.direction and c.direction != view.direction and len(own) > 1:
                # dot lays the whole graph out in one direction (rankdir is graph-wide);
                # putting the group's own nodes on one rank lines them up across it.
                box.dot.body.append("\t{rank=same; " + " ".join(quote(i) for i in own) + "}\n")
            for child in children.get(cluster_id, []):
                add_cluster(child, depth + 1)
            if not _has_nodes(cluster_id) or cluster_id in own_edges:
                # Graphviz drops empty clusters; an invisible point keeps the box and gives
                # edges to the group something to attach to. A group connected to its own
                # member gets one too: its first member would make that edge a self-loop.
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

    def within(endpoint: str, cluster_id: str) -> bool:
        """A node or group lying inside the group `cluster_id`."""
        if endpoint not in clusters:
            return inside(endpoint, cluster_id)
        cid = clusters[endpoint].parent
        while cid is not None:
            if cid == cluster_id:
                return True
            cid = clusters[cid].parent if cid in clusters else None
        return False

    own_edges = {
        group
        for e in view.edges
        for group, other in ((e.source, e.target), (e.target, e.source))
        if group in clusters and within(other, group)
    }

    with _diagram(view, theme, graph_attr or {}, legend_gap) as diagram:
        add_nodes(None)
        for root in children.get(None, []):
            add_cluster(root, 0)
        for cid in clusters:
            anchors[cid] = first_inside(cid)
        for index, edge in enumerate(view.edges):
            attrs = _edge_attrs(edge, theme)
            if weights and index < len(weights) and weights[index] != 1:
                attrs["weight"] = str(weights[index])
            src, dst = edge.source, edge.target
            if src in clusters and within(dst, src):  # a group to its own member
                if dst in clusters:
                    attrs["lhead"] = f"cluster_{dst}"
                src, dst = f"anchor.{src}", anchors.get(dst, dst)
            elif dst in clusters and within(src, dst):  # a member to its own group
                src, dst = anchors.get(src, src), f"anchor.{dst}"
            if src in clusters:
                attrs["ltail"] = f"cluster_{src}"
                src = anchors[src]
            if dst in clusters:
                if not inside(src, dst):
                    attrs["lhead"] = f"cluster_{dst}"
                dst = anchors[dst]
            if edge.source in clusters and inside(dst, edge.source):
                attrs.pop("ltail", None)
            if ends and index in ends and ("lhead" in attrs or "ltail" in attrs):
                src, dst = ends[index] or (src, dst)
                attrs["constraint"] = "false"
            if src in with_note:
                attrs["tailport"] = "main"
            if dst in with_note:
                attrs["headport"] = "main"
            diagram.dot.edge(src, dst, **attrs)
        source = diagram.dot.source
    return source
