"""The renderer-neutral view: what to draw, never how. Renderers and exporters consume it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

# How an element stands out: the theme maps each to colors. Flow views highlight their steps
# and mute the rest; diff views mark added/removed/changed; custom views fade the context.
Emphasis = Literal["normal", "highlight", "muted", "context", "added", "removed", "changed"]
LineStyle = Literal["solid", "dashed", "dotted", "bold"]
Direction = Literal["forward", "back", "both", "none"]
LayoutDirection = Literal["LR", "TB"]
ClusterStyle = Literal["solid", "dashed", "dotted", "bold", "filled"]


@dataclass(frozen=True)
class ViewNode:
    """A component as drawn."""

    id: str
    label: str
    kind: str
    tech: str | None = None
    platform: str | None = None  # a client's platform: picks its icon
    provider: str | None = None  # icon family (inherited from group and design); None: neutral
    cluster: str | None = None
    replicas: int = 1
    caption: str | None = None  # a second, smaller line (the tech, or a diff change)
    emphasis: Emphasis = "normal"
    icon: str | None = None  # a local image file (absolute path) overriding the kind/tech icon
    icon_digest: str | None = None  # sha256 of the icon's bytes when the spec was checked
    note: str | None = None  # a short annotation drawn beside the node


@dataclass(frozen=True)
class ViewCluster:
    """A group as drawn; `parent` nests it."""

    id: str
    label: str
    parent: str | None = None
    emphasis: Emphasis = "normal"
    color: str | None = None  # `#rrggbb[aa]`: the border (and the tint with style `filled`)
    style: ClusterStyle | None = None  # None: the theme's solid, filled box
    direction: LayoutDirection | None = None  # lines its own nodes up when it differs


@dataclass(frozen=True)
class ViewEdge:
    """A connection as drawn. An end may be a cluster id: the edge stops at its boundary."""

    source: str
    target: str
    label: str | None = None
    line: LineStyle = "solid"
    direction: Direction = "forward"
    emphasis: Emphasis = "normal"
    number: int | None = None  # the step number in a flow view
    color: str | None = None  # `#rrggbb[aa]`, already validated; drawn at normal emphasis


@dataclass(frozen=True)
class LegendEntry:
    """One line of the legend: a sample of a style and what it means."""

    label: str
    line: LineStyle = "solid"
    emphasis: Emphasis = "normal"
    color: str | None = None
    shape: Literal["line", "box"] = "line"  # a line sample (edges) or a box sample (groups)
    direction: Direction = "forward"  # arrowheads of a line sample


@dataclass
class DiagramView:
    """One picture of a design: nodes, edges, nested clusters, and their emphasis."""

    name: str  # the file stem: `overview`, a flow's slug, a custom view's slug, `diff`
    title: str
    subtitle: str | None = None
    direction: LayoutDirection = "LR"
    direction_fixed: bool = False  # the spec chose the direction: the layout search keeps it
    nodes: list[ViewNode] = field(default_factory=list)
    clusters: list[ViewCluster] = field(default_factory=list)
    edges: list[ViewEdge] = field(default_factory=list)
    legend: list[LegendEntry] = field(default_factory=list)

    def node_ids(self) -> set[str]:
        """Ids of the nodes in the view."""
        return {n.id for n in self.nodes}
