"""Layout quality, measured on Graphviz's own layout (`geometry.Geometry`), never estimated.

Each metric is something a reader notices side by side with another tool's picture:

- `crossings`: points where two edges cross (outside the nodes they attach to);
- `overlap_pt`: length of edge drawn on top of another edge (within `OVERLAP_GAP` points and
  running the same way), outside the nodes' surroundings where edges legitimately meet;
- `stray_labels`: edge labels that sit nearer another edge than their own (a reader pairs a
  label with the nearest line), including labels struck through by another edge;
- `text_overlaps`: pairs of text runs whose boxes overlap;
- `through_groups`: edges that run across a group holding neither of their ends for
  `MIN_RUN` points or more (an edge to a group ends at its boundary and holds that group);
- `aspect`: width over height; `node_share`: node area over canvas area;
- `min_text_px`: the smallest text, in pixels, when the whole picture is fitted to a
  1920x1080 slide (scaled down, never up);
- `header_share`: the share of the height taken by the header (title, subtitle, legend).

`score` folds them into one number, lower is better, for the layout search.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from itertools import combinations, pairwise

from diagramgen.rendering.geometry import Box, EdgeGeometry, Geometry, Point

SLIDE = (1920.0, 1080.0)  # pixels of a full-HD slide
OVERLAP_GAP = 2.0  # points: two edge paths this close run on top of each other
NODE_MARGIN = 6.0  # points around a node where edges meet by design (ports, arrowheads)
STEP = 3.0  # points between the samples of an edge path
ASPECT_RANGE = (1.2, 2.1)  # slide-shaped: 16:9 is 1.78
MIN_TEXT_PX = 9.0  # the smallest text still legible on a projected slide
LEGIBLE_PX = 16.0  # larger text on a slide than this earns no more


@dataclass(frozen=True)
class Quality:
    """The layout metrics of one laid-out view (see the module docstring)."""

    crossings: int
    overlap_pt: float
    stray_labels: int
    text_overlaps: int
    through_groups: int
    aspect: float
    node_share: float
    min_text_px: float
    header_share: float
    width: float  # points
    height: float

    def as_dict(self) -> dict[str, float]:
        """The metrics as plain values (rounded, for reports)."""
        return {k: round(v, 3) if isinstance(v, float) else v for k, v in asdict(self).items()}

    @property
    def defects(self) -> int:
        """Defects a reader cannot un-see: text on text, edges on edges, labels by the wrong
        line, text too small to read on a slide.

        The search keeps a layout without them over any layout with them (`score` only
        ranks layouts with as many); edges on edges count once per `MIN_RUN` points.
        """
        small = 1 if 0 < self.min_text_px < MIN_TEXT_PX else 0  # 0: no text at all
        return self.text_overlaps + self.stray_labels + math.ceil(self.overlap_pt / MIN_RUN) + small

    @property
    def score(self) -> float:
        """One number for the search, lower is better.

        Defects a reader cannot un-see (text on text, edges on edges, a label by the wrong
        line) outweigh everything; then crossings; then the slide fit: aspect outside
        `ASPECT_RANGE`, text below `MIN_TEXT_PX`, and, rather than any aspect, the larger
        text on a slide (`min_text_px`, up to `LEGIBLE_PX`) and the less empty canvas
        (`node_share`), so white space never buys a better score.
        """
        low, high = ASPECT_RANGE
        aspect_off = 0.0
        if self.aspect > 0:
            if self.aspect < low:
                aspect_off = math.log(low / self.aspect)
            elif self.aspect > high:
                aspect_off = math.log(self.aspect / high)
        small_text = max(0.0, MIN_TEXT_PX - self.min_text_px)
        return (
            1000.0 * self.text_overlaps
            + 10.0 * self.overlap_pt
            + 300.0 * self.stray_labels
            + 60.0 * self.crossings
            + 100.0 * self.through_groups
            + 400.0 * aspect_off
            + 150.0 * small_text
            - 10.0 * min(self.min_text_px, LEGIBLE_PX)
            + 200.0 * (1.0 - min(1.0, self.node_share * 4))
        )


def measure(geo: Geometry) -> Quality:
    """The metrics of a laid-out view."""
    coarse = [e.polyline(12) for e in geo.edges]
    boxes = list(geo.nodes.values())
    return Quality(
        crossings=crossings(coarse, boxes),
        overlap_pt=round(overlap_length(coarse, boxes), 1),
        stray_labels=stray_labels(geo.edges, coarse),
        text_overlaps=text_overlaps(geo),
        through_groups=through_groups(geo, coarse),
        aspect=geo.aspect,
        node_share=sum(b.w * b.h for b in boxes) / (geo.width * geo.height)
        if geo.width and geo.height
        else 0.0,
        min_text_px=min_text_px(geo),
        header_share=header_share(geo),
        width=geo.width,
        height=geo.height,
    )


def _near_node(p: Point, boxes: list[Box], margin: float = NODE_MARGIN) -> bool:
    return any(_inside(p, b, margin) for b in boxes)


def _inside(p: Point, box: Box, margin: float) -> bool:
    return (
        box.x - margin <= p[0] <= box.right + margin
        and box.y - margin <= p[1] <= box.bottom + margin
    )


Segment = tuple[int, Point, Point]  # (edge position, start, end)
CELL = 24.0  # points: the grid that finds segments near each other


def _grid(paths: list[list[Point]], pad: float) -> dict[tuple[int, int], list[Segment]]:
    """Every segment of every path, by the grid cells its box (grown by `pad`) touches."""
    grid: dict[tuple[int, int], list[Segment]] = {}
    for k, path in enumerate(paths):
        for a, b in pairwise(path):
            x0, x1 = (a[0], b[0]) if a[0] <= b[0] else (b[0], a[0])
            y0, y1 = (a[1], b[1]) if a[1] <= b[1] else (b[1], a[1])
            seg = (k, a, b)
            ys = range(int((y0 - pad) // CELL), int((y1 + pad) // CELL) + 1)
            for cx in range(int((x0 - pad) // CELL), int((x1 + pad) // CELL) + 1):
                for cy in ys:
                    cell = grid.get((cx, cy))
                    if cell is None:
                        grid[(cx, cy)] = [seg]
                    else:
                        cell.append(seg)
    return grid


def _intersection(a: Point, b: Point, c: Point, d: Point) -> Point | None:
    """Where segment ab properly crosses segment cd, if it does."""
    r = (b[0] - a[0], b[1] - a[1])
    s = (d[0] - c[0], d[1] - c[1])
    denom = r[0] * s[1] - r[1] * s[0]
    if abs(denom) < 1e-9:
        return None
    qp = (c[0] - a[0], c[1] - a[1])
    t = (qp[0] * s[1] - qp[1] * s[0]) / denom
    u = (qp[0] * r[1] - qp[1] * r[0]) / denom
    if 0.0 < t <= 1.0 and 0.0 < u <= 1.0:
        return (a[0] + t * r[0], a[1] + t * r[1])
    return None


def crossings(paths: list[list[Point]], boxes: list[Box]) -> int:
    """Crossing points between edges, away from nodes (edges meeting at a node are no crossing).

    Two edges that run side by side touch many times; points within `4 * OVERLAP_GAP` of
    another crossing of the same pair count once.
    """
    found: dict[tuple[int, int], list[Point]] = {}
    for cell in _grid(paths, 0.0).values():
        for (i, a, b), (j, c, d) in combinations(cell, 2):
            if i == j:
                continue
            x = _intersection(a, b, c, d)
            if x is None or _near_node(x, boxes):
                continue
            pair = found.setdefault((min(i, j), max(i, j)), [])
            if not any(math.dist(x, f) < 4 * OVERLAP_GAP for f in pair):
                pair.append(x)
    return sum(len(v) for v in found.values())


def _segment_distance(p: Point, a: Point, b: Point) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    length2 = dx * dx + dy * dy
    if length2 == 0:
        return math.dist(p, a)
    t = max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length2))
    return math.dist(p, (a[0] + t * dx, a[1] + t * dy))


def _within_gap(p: Point, a: Point, b: Point) -> bool:
    """`_segment_distance(p, a, b) <= OVERLAP_GAP`, a box test first.

    The overlap test runs for every 3 pt sample of every edge of every candidate layout;
    the box around the segment rejects most of them before the exact distance.
    """
    if (
        p[0] < min(a[0], b[0]) - OVERLAP_GAP
        or p[0] > max(a[0], b[0]) + OVERLAP_GAP
        or p[1] < min(a[1], b[1]) - OVERLAP_GAP
        or p[1] > max(a[1], b[1]) + OVERLAP_GAP
    ):
        return False
    return _segment_distance(p, a, b) <= OVERLAP_GAP


MIN_RUN = 12.0  # points: shorter shared stretches are a shallow crossing, not an overlap


def overlap_length(paths: list[list[Point]], boxes: list[Box]) -> float:
    """Edge length running within `OVERLAP_GAP` of another edge for `MIN_RUN` or more.

    Counted once per stretch (the longer edge of a pair is not counted twice), and only
    away from nodes, where edges into one port meet by design. Each path is walked in
    samples at most `STEP` points apart (`_samples`), but only the segments with another
    edge's segment within reach are sampled: the others share nothing, and sampling every
    segment of every candidate layout took a third of a render's time.
    """
    grid = _grid(paths, OVERLAP_GAP)
    reach = OVERLAP_GAP + _SLACK
    total = 0.0
    for k, path in enumerate(paths):
        run = 0.0
        for a, b, n, start in _samples(path):
            near = _later_near(grid, k, a, b, reach)
            if not near:
                total += run if run >= MIN_RUN else 0.0
                run = 0.0
                continue
            for p, q in pairwise(_points(a, b, n, start)):
                mid = ((p[0] + q[0]) / 2, (p[1] + q[1]) / 2)
                if any(_within_gap(mid, c, d) for c, d in near) and not _near_node(mid, boxes):
                    run += math.dist(p, q)
                else:
                    total += run if run >= MIN_RUN else 0.0
                    run = 0.0
        total += run if run >= MIN_RUN else 0.0
    return total


# Points: the bounding-box tests that skip a segment are this much more generous than the
# exact tests they stand for, so rounding never skips a sample the exact test would take.
_SLACK = 1e-6


def _samples(path: list[Point]) -> Iterator[tuple[Point, Point, int, Point]]:
    """Each segment `(a, b)` of `path`, its number of samples and where they start.

    A segment is cut into `n` equal steps of at most `STEP` points, so lengths along the
    path are measured fairly; `_points` gives the samples. A segment's samples start where
    the previous segment's last one ended, so they run on without a gap.
    """
    prev = path[0] if path else (0.0, 0.0)
    for a, b in pairwise(path):
        n = max(1, math.ceil(math.dist(a, b) / STEP))
        yield a, b, n, prev
        # `_points`' last sample, computed as it computes it (`* n / n` is not always `b`
        # in floating point), so a run of samples never shifts by a rounding error.
        prev = (a[0] + (b[0] - a[0]) * n / n, a[1] + (b[1] - a[1]) * n / n)


def _points(a: Point, b: Point, n: int, start: Point) -> list[Point]:
    """The samples of segment `ab` after `start` (see `_samples`)."""
    return [start] + [
        (a[0] + (b[0] - a[0]) * i / n, a[1] + (b[1] - a[1]) * i / n) for i in range(1, n + 1)
    ]


def _later_near(
    grid: dict[tuple[int, int], list[Segment]], k: int, a: Point, b: Point, reach: float
) -> list[tuple[Point, Point]]:
    """The segments of paths after `k` whose bounding box comes within `reach` of `ab`'s.

    A sample of `ab` within `OVERLAP_GAP` of another path lies within that distance of
    one of these segments, so the rest need no exact test.
    """
    x0, x1 = (a[0], b[0]) if a[0] <= b[0] else (b[0], a[0])
    y0, y1 = (a[1], b[1]) if a[1] <= b[1] else (b[1], a[1])
    seen: set[int] = set()
    near = []
    for cx in range(int((x0 - reach) // CELL), int((x1 + reach) // CELL) + 1):
        for cy in range(int((y0 - reach) // CELL), int((y1 + reach) // CELL) + 1):
            for seg in grid.get((cx, cy), ()):
                j, c, d = seg
                if j <= k or id(seg) in seen:
                    continue
                seen.add(id(seg))
                if (
                    min(c[0], d[0]) - reach <= x1
                    and max(c[0], d[0]) + reach >= x0
                    and min(c[1], d[1]) - reach <= y1
                    and max(c[1], d[1]) + reach >= y0
                ):
                    near.append((c, d))
    return near


def _point_box_distance(p: Point, box: Box) -> float:
    dx = max(box.x - p[0], 0.0, p[0] - box.right)
    dy = max(box.y - p[1], 0.0, p[1] - box.bottom)
    return math.hypot(dx, dy)


def _segment_box_distance(a: Point, b: Point, box: Box) -> float:
    """Exact distance from a segment to a box (0 when the segment touches the box)."""
    if _inside(a, box, 0.0) or _inside(b, box, 0.0):
        return 0.0
    corners = [(box.x, box.y), (box.right, box.y), (box.right, box.bottom), (box.x, box.bottom)]
    for c, d in zip(corners, corners[1:] + corners[:1], strict=True):
        if _intersection(a, b, c, d) is not None:
            return 0.0
    return min(
        _point_box_distance(a, box),
        _point_box_distance(b, box),
        *(_segment_distance(c, a, b) for c in corners),
    )


def _path_box_distance(path: list[Point], box: Box) -> float:
    # The segments by a lower bound of their distance (their bounding box's gap), nearest
    # first: once that bound reaches the best exact distance, no later segment is nearer.
    right, bottom = box.right, box.bottom
    bounds = sorted(
        (
            max(
                min(a[0], b[0]) - right,
                box.x - max(a[0], b[0]),
                min(a[1], b[1]) - bottom,
                box.y - max(a[1], b[1]),
                0.0,
            ),
            i,
        )
        for i, (a, b) in enumerate(pairwise(path))
    )
    best = math.inf
    for bound, i in bounds:
        if bound >= best:
            break
        best = min(best, _segment_box_distance(path[i], path[i + 1], box))
        if best == 0.0:
            break
    return best


def stray_labels(edges: list[EdgeGeometry], paths: list[list[Point]]) -> int:
    """Edge labels nearer another edge than their own (0.5 pt of tolerance).

    A label whose own edge keeps a gap but that another edge runs through counts too.
    """
    return len(stray_label_edges(edges, paths))


def stray_label_edges(edges: list[EdgeGeometry], paths: list[list[Point]]) -> list[int]:
    """The indexes of the edges whose label is stray (see `stray_labels`), in order."""
    stray: list[int] = []
    boxes = [_bbox(p) if len(p) > 1 else None for p in paths]
    for e, own_path in zip(edges, paths, strict=True):
        label = e.label_box
        if label is None or len(own_path) < 2:
            continue
        own = _path_box_distance(own_path, label)
        if own == 0.0:
            continue  # on its own edge: no other edge is nearer
        for other, path, bb in zip(edges, paths, boxes, strict=True):
            if other.index == e.index or bb is None:
                continue
            # Cheap reject: the other path's bounding box is farther than `own`.
            if _box_gap(bb, label) > own:
                continue
            if _nearer_than(path, label, own):
                stray.append(e.index)
                break
    return stray


def _box_gap(a: Box, b: Box) -> float:
    """A lower bound of the distance between anything in box `a` and anything in box `b`."""
    return max(a.x - b.right, b.x - a.right, a.y - b.bottom, b.y - a.bottom)


def _nearer_than(path: list[Point], label: Box, own: float) -> bool:
    """Whether `path` is nearer `label` than `own` by more than 0.5 pt, or runs through it.

    The same answer as comparing `_path_box_distance(path, label)` with `own`, but a
    segment whose bounding box is already too far is never measured exactly.
    """
    limit = own - 0.5
    for a, b in pairwise(path):
        seg = Box(min(a[0], b[0]), min(a[1], b[1]), abs(b[0] - a[0]), abs(b[1] - a[1]))
        bound = _box_gap(seg, label)
        if bound >= limit and bound > 0.0:
            continue
        d = _segment_box_distance(a, b, label)
        if d < limit or d == 0.0:
            return True
    return False


def through_groups(geo: Geometry, paths: list[list[Point]]) -> int:
    """Edges running `MIN_RUN` points or more inside a group that holds neither of their ends.

    A group box holds its members and its subgroups' members; an edge drawn to or from a
    group ends at a member of it (clipped at the box), so that group holds the end. The
    samples within `NODE_MARGIN` of a group's border do not count: edges leave a group there.
    """
    count = 0
    groups = [
        (box, set(geo.cluster_members.get(name, ())))
        for name, box in geo.clusters.items()
        if box.w > 2 * NODE_MARGIN and box.h > 2 * NODE_MARGIN
    ]
    for e, path in zip(geo.edges, paths, strict=True):
        foreign = [
            Box(b.x + NODE_MARGIN, b.y + NODE_MARGIN, b.w - 2 * NODE_MARGIN, b.h - 2 * NODE_MARGIN)
            for b, members in groups
            if e.source not in members and e.target not in members
        ]
        if not foreign:
            continue
        if len(path) > 1:  # only the groups the path's bounding box reaches
            bb = _bbox(path)
            foreign = [box for box in foreign if _box_gap(box, bb) <= 0.0]
        inside = 0.0
        for a, b, n, start in _samples(path):
            # Only the segments that reach one of the boxes have samples inside one.
            x0, x1 = min(a[0], b[0]) - _SLACK, max(a[0], b[0]) + _SLACK
            y0, y1 = min(a[1], b[1]) - _SLACK, max(a[1], b[1]) + _SLACK
            reached = [
                box
                for box in foreign
                if box.x <= x1 and box.right >= x0 and box.y <= y1 and box.bottom >= y0
            ]
            if not reached:
                continue
            for p, q in pairwise(_points(a, b, n, start)):
                mid = ((p[0] + q[0]) / 2, (p[1] + q[1]) / 2)
                if any(box.contains(mid) for box in reached):
                    inside += math.dist(p, q)
        if inside >= MIN_RUN:
            count += 1
    return count


def _bbox(path: list[Point]) -> Box:
    xs = [p[0] for p in path]
    ys = [p[1] for p in path]
    return Box(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))


def text_overlaps(geo: Geometry) -> int:
    """Pairs of text runs whose boxes overlap by more than half a point."""
    # Swept left to right: only boxes that start before one ends can overlap it.
    boxes = sorted((t.box for t in geo.texts if t.text.strip()), key=lambda b: b.x)
    count = 0
    for i, a in enumerate(boxes):
        end = a.right  # `overlaps` needs b.x + 0.5 < a.right - 0.5
        for b in boxes[i + 1 :]:
            if b.x >= end:
                break
            if a.overlaps(b, 0.5):
                count += 1
    return count


def fit_scale(width: float, height: float, slide: tuple[float, float] = SLIDE) -> float:
    """Pixels per point when a `width` x `height` picture is fitted to `slide` (never enlarged)."""
    if width <= 0 or height <= 0:
        return 1.0
    return min(4.0, slide[0] / width, slide[1] / height)


def min_text_px(geo: Geometry, slide: tuple[float, float] = SLIDE) -> float:
    """The smallest text's size in pixels when the picture fills `slide` (at most 4x)."""
    sizes = [t.size for t in geo.texts if t.text.strip()]
    if not sizes:
        return 0.0
    return min(sizes) * fit_scale(geo.width, geo.height, slide)


def header_share(geo: Geometry) -> float:
    """The header's share of the picture's height (0 without a header)."""
    if geo.header is None or not geo.height:
        return 0.0
    return geo.header.h / geo.height
