"""The layout search: lay a view out a few ways, measure each, keep the best.

dot's result depends on things a spec does not fix: the direction, the order the nodes are
written in (its crossing minimisation starts from it), which edges it tries to keep
straight, and how far apart it keeps neighbours. Rather than guess, `best_layout` builds a
few candidates from the view alone:

- `as-written`: the view as the spec orders it;
- `flow-order`: members ordered by the flows and the connection order from the entry
  points, edges of the main path weighted so dot keeps it straight;
- `turned`: the same, in the other direction (disconnected parts then sit side by side
  rather than stacked; a long chain fits a slide); skipped when the spec fixed `direction`;
- `spaced`: flow order with more room between neighbours, so parallel edges separate;
- `compact`: flow order with less room, so a tall or wide picture keeps legible text on a
  slide;
- `polyline`: flow order with straight-segment edges, which dot keeps apart where its
  splines bundle (edges leaving a group together);

lays each out with `dot -Tjson` (in parallel, within the Graphviz slots of
`graphviz.limit`), scores the geometry with `quality.measure` and keeps the lowest score,
the earlier candidate on a tie: same view, same choice, same bytes. When the winner is
off the slide's shape (`quality.ASPECT_RANGE`), one more layout stretches its gaps to
16:9 and is kept if it scores better. `fast` skips all of it.
"""

from __future__ import annotations

from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Literal

from diagramgen.errors import RenderError
from diagramgen.rendering.geometry import Geometry
from diagramgen.rendering.quality import ASPECT_RANGE, Quality, measure
from diagramgen.view.model import DiagramView
from diagramgen.view.themes import Theme

LayoutMode = Literal["search", "fast"]
LAYOUT_MODES: tuple[LayoutMode, ...] = ("search", "fast")
SEARCH_LIMIT = 150  # nodes: bigger views are laid out once (a layout alone takes seconds)
MAIN_WEIGHT = 4  # dot's edge weight on the main path: shorter and straighter than the rest
SPACED = {"nodesep": "0.8", "ranksep": "1.1"}
COMPACT = {"nodesep": "0.3", "ranksep": "0.6"}
SLIDE_ASPECT = 16 / 9


def check_mode(mode: str) -> LayoutMode:
    """`mode` as a `LayoutMode`, or ValueError naming the choices."""
    if mode not in LAYOUT_MODES:
        raise ValueError(f"unknown layout {mode!r}: choose from {', '.join(LAYOUT_MODES)}")
    return mode  # type: ignore[return-value]


@dataclass(frozen=True)
class Candidate:
    """One way to lay a view out: the view (order, direction) plus dot settings."""

    name: str
    view: DiagramView
    graph_attr: dict[str, str] = field(default_factory=dict)
    weights: tuple[int, ...] = ()  # per edge of the view; empty: all 1


@dataclass(frozen=True)
class Choice:
    """The layout kept: the candidate and its DOT text (to hand to `graphviz.lay_out`)."""

    candidate: Candidate
    source: str
    quality: Quality | None  # None when no search ran
    scores: tuple[tuple[str, float], ...] = ()  # every candidate's score, for reports


def flow_order(view: DiagramView) -> list[str]:
    """Node ids in reading order: along the highlighted steps, then breadth-first from entries.

    Entries are nodes nothing points at, in the view's order; a flow view's highlighted
    edges come first, in step order, so its path is what dot lines up first.
    """
    ids = [n.id for n in view.nodes]
    known = set(ids)
    out_edges: dict[str, list[str]] = defaultdict(list)
    incoming: set[str] = set()
    for e in view.edges:
        if e.source in known and e.target in known and e.source != e.target:
            out_edges[e.source].append(e.target)
            incoming.add(e.target)
    order: list[str] = []
    seen: set[str] = set()

    def visit(start: str) -> None:
        queue = [start]
        while queue:
            node = queue.pop(0)
            if node in seen:
                continue
            seen.add(node)
            order.append(node)
            queue += [t for t in out_edges[node] if t not in seen]

    steps = sorted((e for e in view.edges if e.number is not None), key=lambda e: e.number or 0)
    for e in steps:
        for end in (e.source, e.target):
            if end in known and end not in seen:
                seen.add(end)
                order.append(end)
    for start in [i for i in ids if i not in incoming] + ids:
        visit(start)
    return order


def main_path(view: DiagramView) -> set[int]:
    """Indexes of the edges on the main path: a flow's steps, else the longest chain.

    The longest chain follows edges in the view's order from each entry without revisiting
    a node (a depth-first search capped so big views stay cheap).
    """
    steps = {i for i, e in enumerate(view.edges) if e.emphasis == "highlight"}
    if steps:
        return steps
    ids = {n.id for n in view.nodes}
    out_edges: dict[str, list[int]] = defaultdict(list)
    incoming: set[str] = set()
    for i, e in enumerate(view.edges):
        if e.source in ids and e.target in ids and e.source != e.target:
            out_edges[e.source].append(i)
            incoming.add(e.target)
    best: list[int] = []
    budget = [5000]

    def walk(node: str, path: list[int], on_path: set[str]) -> None:
        nonlocal best
        budget[0] -= 1
        if len(path) > len(best):
            best = list(path)
        if budget[0] <= 0:
            return
        for i in out_edges[node]:
            target = view.edges[i].target
            if target not in on_path:
                walk(target, [*path, i], on_path | {target})

    for start in [n.id for n in view.nodes if n.id not in incoming]:
        walk(start, [], {start})
    return set(best)


def candidates(view: DiagramView) -> list[Candidate]:
    """The layouts to try for a view, in order of preference on equal scores."""
    order = {node_id: i for i, node_id in enumerate(flow_order(view))}
    ordered = replace(view, nodes=sorted(view.nodes, key=lambda n: order.get(n.id, len(order))))
    main = main_path(view)
    weights = tuple(MAIN_WEIGHT if i in main else 1 for i in range(len(view.edges)))
    out = [
        Candidate("as-written", view),
        Candidate("flow-order", ordered, weights=weights),
    ]
    if not view.direction_fixed:
        turned = "TB" if view.direction == "LR" else "LR"
        out.append(Candidate("turned", replace(ordered, direction=turned), weights=weights))
    out.append(Candidate("spaced", ordered, dict(SPACED), weights))
    out.append(Candidate("compact", ordered, dict(COMPACT), weights))
    out.append(Candidate("polyline", ordered, {"splines": "polyline"}, weights))
    return out


def candidate_dot(candidate: Candidate, theme: Theme) -> str:
    """The DOT text of a candidate, as the adapter writes it (before `graphviz.lay_out`)."""
    from diagramgen.rendering.diagrams_adapter import to_dot

    return to_dot(candidate.view, theme, candidate.graph_attr, candidate.weights or None)


def best_layout(
    view: DiagramView,
    theme: Theme,
    mode: LayoutMode = "search",
    timeout: float = 120.0,
    workers: int = 2,
) -> Choice:
    """The candidate with the best layout-quality score (the view as written for `fast`).

    Candidates that dot cannot lay out are skipped; if none can, the view as written is
    returned and `graphviz.lay_out` falls back to its simpler layouts as before.
    """
    first = Candidate("as-written", view)
    if mode == "fast" or len(view.nodes) > SEARCH_LIMIT or not view.nodes:
        return Choice(first, candidate_dot(first, theme), None)
    from diagramgen.rendering.diagrams_adapter import ICON_ROOT
    from diagramgen.rendering.dotshape import shape
    from diagramgen.rendering.geometry import geometry
    from diagramgen.rendering.graphviz import apply_layout, layouts_for

    as_written = candidate_dot(first, theme)
    plan = layouts_for(len(view.nodes), shape(as_written))[0]
    if plan.routed:  # tangled: only the routed layout finishes in time, so nothing to compare
        return Choice(first, as_written, None)
    tried = candidates(view)
    sources = [candidate_dot(c, theme) for c in tried]

    def lay(source: str) -> Geometry | None:
        try:
            return geometry(apply_layout(source, plan), ICON_ROOT, timeout=timeout)
        except RenderError:
            return None

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        geometries = list(pool.map(lay, sources))
    scored = [
        (measure(geo), i) for i, geo in enumerate(geometries) if geo is not None and geo.nodes
    ]
    if not scored:
        return Choice(first, sources[0], None)
    best_quality, best = min(scored, key=lambda item: (round(item[0].score, 6), item[1]))
    scores = [(tried[i].name, round(q.score, 1)) for q, i in scored]
    choice = Choice(tried[best], sources[best], best_quality, tuple(scores))
    geo = geometries[best]
    ratio = slide_ratio(geo) if geo is not None else None
    if ratio is not None:
        # Off the slide's shape: the same layout with its gaps stretched to 16:9 (dot's
        # `ratio` moves nodes apart, never shrinks them), kept when it scores better.
        stretched = replace(
            tried[best],
            name=f"{tried[best].name}+16:9",
            graph_attr={**tried[best].graph_attr, "ratio": f"{ratio:.3f}"},
        )
        source = candidate_dot(stretched, theme)
        geo2 = lay(source)
        if geo2 is not None and geo2.nodes:
            quality = measure(geo2)
            scores.append((stretched.name, round(quality.score, 1)))
            if round(quality.score, 6) < round(best_quality.score, 6):
                choice = Choice(stretched, source, quality, tuple(scores))
            else:
                choice = replace(choice, scores=tuple(scores))
    return choice


def slide_ratio(geo: Geometry, target: float = SLIDE_ASPECT) -> float | None:
    """dot's `ratio` (drawing height over width) that makes `geo` `target` wide, header included.

    None when the picture is already within `ASPECT_RANGE`. A wide picture gets height, a
    tall one width; either way its scale on a 16:9 slide stays what it was.
    """
    low, high = ASPECT_RANGE
    if not geo.height or not geo.width or low <= geo.aspect <= high:
        return None
    header = geo.header.h if geo.header is not None else 0.0
    if geo.aspect > high:
        return max(0.05, (geo.width / target - header) / geo.width)
    return max(0.05, (geo.height - header) / (geo.height * target))
