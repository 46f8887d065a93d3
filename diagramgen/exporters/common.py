"""What the diagram exporters share: the cluster tree of a view, node text, stable ids, colors."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from diagramgen.view.model import DiagramView, Emphasis, ViewCluster, ViewNode
from diagramgen.view.themes import LIGHT

_HEX_COLOR = re.compile(r"^#[0-9A-Fa-f]{6}(?:[0-9A-Fa-f]{2})?$")


@dataclass
class Tree:
    """A view's clusters as a tree, with the nodes directly inside each (None: the top)."""

    clusters: dict[str, ViewCluster]
    children: dict[str | None, list[str]] = field(default_factory=dict)
    members: dict[str | None, list[ViewNode]] = field(default_factory=dict)

    def parent(self, cluster_id: str) -> str | None:
        """The enclosing cluster drawn in this view, or None at the top."""
        parent = self.clusters[cluster_id].parent
        return parent if parent in self.clusters else None


def tree(view: DiagramView) -> Tree:
    """The cluster tree of a view, in view order; a cluster whose parent is absent is a root."""
    result = Tree(clusters={c.id: c for c in view.clusters})
    result.children[None] = []
    result.members[None] = []
    for c in view.clusters:
        result.children.setdefault(c.id, [])
        result.members.setdefault(c.id, [])
    for c in view.clusters:
        result.children[result.parent(c.id)].append(c.id)
    for n in view.nodes:
        result.members[n.cluster if n.cluster in result.clusters else None].append(n)
    return result


def node_lines(node: ViewNode) -> list[str]:
    """The title lines of a node: its label, with `×N` for replicas."""
    lines = node.label.splitlines() or [""]
    if node.replicas > 1:
        lines[-1] += f" ×{node.replicas}"
    return lines


def safe_color(color: str | None) -> str | None:
    """A `#rrggbb[aa]` color, or None: nothing else may reach another tool's syntax."""
    if color and _HEX_COLOR.match(color):
        return color.lower()
    return None


def tint(color: str, amount: float) -> str:
    """`#rrggbb` of `color` mixed with white, `amount` of the color (alpha dropped)."""
    channels = [int(color[i : i + 2], 16) for i in (1, 3, 5)]
    mixed = [round(255 - (255 - c) * amount) for c in channels]
    return "#" + "".join(f"{c:02x}" for c in mixed)


def emphasis_color(emphasis: Emphasis) -> str:
    """The light theme's color for an emphasis (exports look like the light pictures)."""
    return LIGHT.color(emphasis).lower()


FADED: frozenset[str] = frozenset({"muted", "context"})


def unique_ids(
    ids: Iterable[str], unsafe: re.Pattern[str], reserved: Iterable[str] = ()
) -> dict[str, str]:
    """Map each id to a stable id for another tool, in order.

    Characters matching `unsafe` become `_`; a reserved word (any case) gets a trailing `_`;
    an id already taken gets `_2`, `_3` ...
    """
    words = {r.lower() for r in reserved}
    taken: set[str] = set()
    out: dict[str, str] = {}
    for original in ids:
        base = unsafe.sub("_", original) or "_"
        if base.lower() in words:
            base += "_"
        candidate, n = base, 1
        while candidate in taken or candidate.lower() in words:
            n += 1
            candidate = f"{base}_{n}"
        taken.add(candidate)
        out[original] = candidate
    return out


def json_text(value: object, indent: int | None = None) -> str:
    """JSON text that any YAML or JSON reader reads back exactly.

    `json.dumps` leaves DEL, C1 controls (which YAML readers reject) and U+0085 (which
    they fold into a space) raw; every unprintable character is written as a `\\u` escape.
    """
    text = json.dumps(value, ensure_ascii=False, indent=indent)
    return "".join(c if c == "\n" or c.isprintable() else _escape_char(c) for c in text)


def _escape_char(char: str) -> str:
    # Outside strings JSON text is printable ASCII, so only string content gets here.
    code = ord(char)
    if code > 0xFFFF:
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


@dataclass(frozen=True)
class Loss:
    """One kind of thing a target format cannot carry, and how many of them a view has."""

    kind: str  # a short stable name: `notes`, `legend`, `icons`, `group-direction` ...
    count: int
    detail: str  # what happens to them in the export, one clause

    def line(self, target: str) -> str:
        """`drawio export: notes (2) are left out: ...`, one warning line."""
        return f"{target} export: {self.kind} ({self.count}) {self.detail}"


class ExportText(str):
    """The exported text (a `str`), carrying the `losses` of the export beside it."""

    losses: tuple[Loss, ...]

    def __new__(cls, text: str, losses: Iterable[Loss] = ()) -> ExportText:
        obj = super().__new__(cls, text)
        obj.losses = tuple(losses)
        return obj


def losses(**found: tuple[int, str]) -> list[Loss]:
    """`Loss`es from `kind=(count, detail)`, keeping those with a count (kind `_` -> `-`)."""
    return [Loss(k.replace("_", "-"), n, d) for k, (n, d) in found.items() if n]


def noted(view: DiagramView) -> list[ViewNode]:
    """Nodes with a `note`."""
    return [n for n in view.nodes if n.note]


def custom_icons(view: DiagramView) -> list[ViewNode]:
    """Nodes drawn with the spec's own icon file."""
    return [n for n in view.nodes if n.icon]


def stock_icons(view: DiagramView) -> list[ViewNode]:
    """Nodes drawn with a stock kind or tech icon."""
    return [n for n in view.nodes if not n.icon]


def translucent(view: DiagramView) -> int:
    """How many groups and edges have a colour with an alpha channel (`#rrggbbaa`)."""
    colors = [c.color for c in view.clusters] + [e.color for e in view.edges]
    return sum(1 for c in colors if c and len(c) == 9)


def own_direction(view: DiagramView) -> list[ViewCluster]:
    """Groups that lay their members out in a direction other than the view's."""
    return [c for c in view.clusters if c.direction and c.direction != view.direction]


def members_of(t: Tree, cluster_id: str) -> set[str]:
    """Every node inside a cluster, nested clusters included."""
    found = {n.id for n in t.members[cluster_id]}
    for child in t.children[cluster_id]:
        found |= members_of(t, child)
    return found
