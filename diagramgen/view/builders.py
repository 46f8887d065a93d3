"""Build `DiagramView`s from a design: the overview and one view per flow."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from diagramgen.spec.models import Connection, Design, slugify
from diagramgen.spec.styles import color_hex
from diagramgen.techs import display_name
from diagramgen.view.model import (
    DiagramView,
    Direction,
    LegendEntry,
    LineStyle,
    ViewCluster,
    ViewEdge,
    ViewNode,
)

# Spellings the alias table (`diagramgen.techs`) does not give: protocols and tools it does
# not list, and the short names our captions use where the table has the product's full
# name (`gcs`, not `Cloud Storage`). Everything else is `techs.display_name`.
TECH_NAMES = {
    "grpc": "gRPC", "gcs": "GCS", "hsm": "HSM", "mlflow": "MLflow", "hikaricp": "HikariCP",
    "emqx": "EMQX", "ffmpeg": "FFmpeg", "osrm": "OSRM", "mqtt": "MQTT", "ocsp": "OCSP",
    "websocket": "WebSocket", "pytorch": "PyTorch",
}  # fmt: skip


def tech_name(tech: str | None) -> str | None:
    """`postgresql` -> `PostgreSQL`; unknown names keep the spec's spelling."""
    if not tech:
        return None
    if tech.lower() in TECH_NAMES:
        return TECH_NAMES[tech.lower()]
    return display_name(tech)


def edge_label(conn: Connection) -> str | None:
    """The text on an edge: the label, with the protocol in brackets when given."""
    if conn.protocol and conn.label:
        return f"{conn.label} [{conn.protocol}]"
    return conn.label or conn.protocol


def _nodes(design: Design) -> list[ViewNode]:
    return [
        ViewNode(
            id=c.id,
            label=c.display,
            kind=c.kind,
            tech=c.tech,
            platform=getattr(c, "platform", None),
            provider=design.provider_of(c),
            cluster=c.group,
            replicas=c.replicas,
            caption=tech_name(c.tech),
            icon=str(c.icon_file) if c.icon_file else None,
            icon_digest=c.icon_digest,
            note=c.note,
        )
        for c in design.components
    ]


def _clusters(design: Design) -> list[ViewCluster]:
    return [
        ViewCluster(
            id=g.id,
            label=g.display,
            parent=g.parent,
            color=color_hex(g.color) if g.color else None,
            style=g.style,
            direction=g.direction,
        )
        for g in design.groups
    ]


def _edge(conn: Connection) -> ViewEdge:
    """A connection as an edge, with its label, line, arrowheads and color."""
    return ViewEdge(
        source=conn.source,
        target=conn.target,
        label=edge_label(conn),
        line=conn.line_style,
        direction=conn.direction,
        color=color_hex(conn.color) if conn.color else None,
    )


LINE_MEANINGS: dict[LineStyle, str] = {
    "solid": "synchronous call",
    "dashed": "asynchronous (fire and forget)",
}
LINE_ORDER: tuple[LineStyle, ...] = ("solid", "dashed", "dotted", "bold")
DIRECTION_MEANINGS: dict[Direction, str] = {
    "both": "both directions",
    "none": "link without a direction",
}


def legend_entries(design: Design) -> list[LegendEntry]:
    """The legend of the overview: the line styles, arrowheads and colors the design uses.

    Solid and dashed lines have their default meanings (dashed only when it marks async
    calls); other styles and colors are listed when the spec's `legend:` gives a meaning.
    """
    if not design.legend.show:
        return []
    meanings = design.legend
    conns = design.connections
    entries: list[LegendEntry] = []
    for line in LINE_ORDER:
        used = [c for c in conns if c.line_style == line]
        default = LINE_MEANINGS.get(line)
        if line == "dashed" and not any(c.is_async for c in used):
            default = None  # dashed chosen by hand means what the spec's legend says
        meaning = meanings.lines.get(line) or default
        if used and meaning:
            entries.append(LegendEntry(meaning, line))
    for direction, meaning in DIRECTION_MEANINGS.items():
        if any(c.direction == direction for c in conns):
            entries.append(LegendEntry(meaning, "solid", direction=direction))
    edge_colors = [c.color for c in conns if c.color]
    group_colors = [g.color for g in design.groups if g.color and g.color not in edge_colors]
    for color in dict.fromkeys(edge_colors):
        if color in meanings.colors:
            entries.append(LegendEntry(meanings.colors[color], "solid", color=color_hex(color)))
    for color in dict.fromkeys(group_colors):
        if color in meanings.colors:
            entries.append(
                LegendEntry(meanings.colors[color], "solid", color=color_hex(color), shape="box")
            )
    return entries


def overview(design: Design) -> DiagramView:
    """The whole design: every component, group and connection."""
    return DiagramView(
        name="overview",
        title=design.display_title,
        subtitle=design.description,
        direction=design.direction,
        direction_fixed="direction" in design.model_fields_set,
        nodes=_nodes(design),
        clusters=_clusters(design),
        edges=[_edge(c) for c in design.connections],
        legend=legend_entries(design),
    )


def flow_view_name(flow_name: str) -> str:
    """The file stem of a flow's view: `flow-<slug>`."""
    return f"flow-{slugify(flow_name)}"


def flow_view(design: Design, flow_index: int) -> DiagramView:
    """The design with one flow's steps numbered and highlighted, everything else muted."""
    flow = design.flows[flow_index]
    numbers: dict[tuple[str, str], list[int]] = defaultdict(list)
    step_labels: dict[tuple[str, str], list[str]] = defaultdict(list)
    for n, step in enumerate(flow.steps, start=1):
        numbers[step.key].append(n)
        if step.label:
            step_labels[step.key].append(step.label)
    on_flow = {end for step in flow.steps for end in step.key}

    edges: list[ViewEdge] = []
    drawn: set[tuple[str, str]] = set()
    for conn in design.connections:
        nums = numbers.get(conn.key)
        if nums and conn.key not in drawn:
            drawn.add(conn.key)
            text = step_labels.get(conn.key) or ([edge_label(conn)] if edge_label(conn) else [])
            edges.append(
                replace(
                    _edge(conn),
                    label=_numbered(nums, text),
                    emphasis="highlight",
                    number=nums[0],
                )
            )
        else:
            edges.append(replace(_edge(conn), emphasis="muted"))
    # Steps with no matching connection are drawn as edges of their own, in step order.
    for n, step in enumerate(flow.steps, start=1):
        if step.key in drawn:
            continue
        drawn.add(step.key)
        edges.append(
            replace(
                _edge(step),
                label=_numbered(numbers[step.key], step_labels.get(step.key, [])),
                emphasis="highlight",
                number=n,
            )
        )
    nodes = [
        ViewNode(**{**n.__dict__, "emphasis": "highlight" if n.id in on_flow else "muted"})
        for n in _nodes(design)
    ]
    # Only what the picture shows: the muted sample when something is off the flow.
    legend = [LegendEntry(f"step of the {flow.name} flow, in order", "bold", "highlight")]
    if any(e.emphasis == "muted" for e in edges):
        legend += [LegendEntry("not on this flow", "solid", "muted")]
    return DiagramView(
        name=flow_view_name(flow.name),
        title=f"{design.display_title}: {flow.name}",
        subtitle=flow.description,
        direction=design.direction,
        direction_fixed="direction" in design.model_fields_set,
        nodes=nodes,
        clusters=_clusters(design),
        edges=edges,
        legend=legend if design.legend.show else [],
    )


def _numbered(numbers: list[int], labels: list[str]) -> str:
    head = ", ".join(str(n) for n in numbers)
    unique = list(dict.fromkeys(labels))
    return f"{head}. {' / '.join(unique)}" if unique else f"{head}."


def views(design: Design) -> list[DiagramView]:
    """Every view `render` writes: the overview, one per flow, then the spec's own `views:`."""
    from diagramgen.view.custom import custom_views  # custom builds on this module

    flows = [flow_view(design, i) for i in range(len(design.flows))]
    return [overview(design), *flows, *custom_views(design)]
