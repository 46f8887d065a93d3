"""The laid-out view: positions, sizes, edge routes and text boxes from Graphviz's own layout.

One layout feeds every target: the SVG and PNG are drawn by `dot` from a DOT text, and
`geometry(dot_text)` reads the positions of that very layout (`dot -Tjson`), so the draw.io
export, the layout-quality metrics and anything else that needs coordinates agree with the
picture exactly. Coordinates are in points, origin at the top left of the canvas (Graphviz
puts it at the bottom left; we flip once here so no caller has to).
"""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from diagramgen.errors import RenderError

Point = tuple[float, float]
POINTS_PER_INCH = 72.0


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle: left, top, width, height (points, y down)."""

    x: float
    y: float
    w: float
    h: float

    @property
    def center(self) -> Point:
        """The middle of the box."""
        return (self.x + self.w / 2, self.y + self.h / 2)

    @property
    def right(self) -> float:
        """x of the right edge."""
        return self.x + self.w

    @property
    def bottom(self) -> float:
        """y of the bottom edge."""
        return self.y + self.h

    def overlaps(self, other: Box, margin: float = 0.0) -> bool:
        """True when the two boxes share area (shrunk by `margin` on every side)."""
        return (
            self.x + margin < other.right - margin
            and other.x + margin < self.right - margin
            and self.y + margin < other.bottom - margin
            and other.y + margin < self.bottom - margin
        )

    def contains(self, p: Point) -> bool:
        """True when the point lies inside the box."""
        return self.x <= p[0] <= self.right and self.y <= p[1] <= self.bottom


@dataclass(frozen=True)
class Text:
    """One run of text as Graphviz placed it: its box, point size and owner."""

    text: str
    box: Box
    size: float  # font size in points
    owner: str  # `node:<id>`, `edge:<index>`, `cluster:<name>` or `graph`


@dataclass(frozen=True)
class EdgeGeometry:
    """One edge's route: the cubic B-spline control points and its label."""

    index: int  # position among the DOT's edges, in order
    source: str
    target: str
    controls: tuple[Point, ...]  # Graphviz `pos` control points (start, then 3 per segment)
    arrow_end: Point | None  # the arrow tip at the head, when drawn
    arrow_start: Point | None
    label: Point | None  # label centre (`lp`, or `xlp` for an xlabel)
    label_box: Box | None

    def polyline(self, samples: int = 8) -> list[Point]:
        """Points along the route: each Bezier segment sampled `samples` times, arrows added."""
        pts = list(self.controls)
        out: list[Point] = []
        if self.arrow_start is not None:
            out.append(self.arrow_start)
        if len(pts) >= 4 and (len(pts) - 1) % 3 == 0:
            out.append(pts[0])
            for i in range(0, len(pts) - 1, 3):
                p0, p1, p2, p3 = pts[i : i + 4]
                for step in range(1, samples + 1):
                    t = step / samples
                    u = 1 - t
                    out.append(
                        (
                            u**3 * p0[0] + 3 * u * u * t * p1[0] + 3 * u * t * t * p2[0]
                            + t**3 * p3[0],
                            u**3 * p0[1] + 3 * u * u * t * p1[1] + 3 * u * t * t * p2[1]
                            + t**3 * p3[1],
                        )
                    )  # fmt: skip
        else:
            out.extend(pts)
        if self.arrow_end is not None:
            out.append(self.arrow_end)
        return out


@dataclass(frozen=True)
class Geometry:
    """A whole laid-out view: canvas size, node boxes, cluster boxes, edges and texts."""

    width: float
    height: float
    nodes: dict[str, Box] = field(default_factory=dict)  # by node name (the component id)
    clusters: dict[str, Box] = field(default_factory=dict)  # by subgraph name (`cluster_x`)
    cluster_members: dict[str, tuple[str, ...]] = field(default_factory=dict)
    edges: list[EdgeGeometry] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)
    header: Box | None = None  # the graph label (title, subtitle, legend), when drawn

    @property
    def aspect(self) -> float:
        """Width over height."""
        return self.width / self.height if self.height else 0.0


def _floats(text: str) -> list[float]:
    return [float(v) for v in text.replace(",", " ").split()]


def parse_json(data: dict[str, Any]) -> Geometry:
    """The geometry of a `dot -Tjson` (or `-Tjson0`) document, y flipped to point down."""
    x0, y0, x1, y1 = _floats(str(data.get("bb", "0,0,0,0")))
    height = y1 - y0

    def pt(x: float, y: float) -> Point:
        return (x - x0, y1 - y)

    def box_from_bb(bb: str) -> Box:
        a, b, c, d = _floats(bb)
        return Box(a - x0, y1 - d, c - a, d - b)

    def texts(ops: list[dict[str, Any]] | None, owner: str) -> list[Text]:
        out: list[Text] = []
        size = 14.0
        for op in ops or []:
            if op.get("op") == "F":
                size = float(op.get("size", size))
            elif op.get("op") == "T":
                x, y = op["pt"]
                w = float(op.get("width", 0.0))
                left = {"l": x, "r": x - w}.get(op.get("align", "c"), x - w / 2)
                # Baseline at y: ascent about 0.8 of the size above it, descent 0.2 below.
                top_left = pt(left, y + size * 0.8)
                out.append(Text(str(op.get("text", "")), Box(*top_left, w, size), size, owner))
        return out

    objects: list[dict[str, Any]] = list(data.get("objects", []))
    names = {int(o.get("_gvid", i)): o.get("name", "") for i, o in enumerate(objects)}
    geo_nodes: dict[str, Box] = {}
    geo_clusters: dict[str, Box] = {}
    members: dict[str, tuple[str, ...]] = {}
    all_texts: list[Text] = texts(data.get("_ldraw_"), "graph")
    header = None
    if "lp" in data and "lwidth" in data and "lheight" in data:
        lx, ly = _floats(data["lp"])
        lw = float(data["lwidth"]) * POINTS_PER_INCH
        lh = float(data["lheight"]) * POINTS_PER_INCH
        cx, cy = pt(lx, ly)
        header = Box(cx - lw / 2, cy - lh / 2, lw, lh)
    for obj in objects:
        name = str(obj.get("name", ""))
        if "pos" in obj and "width" in obj:
            cx, cy = pt(*_floats(obj["pos"]))
            w = float(obj["width"]) * POINTS_PER_INCH
            h = float(obj["height"]) * POINTS_PER_INCH
            geo_nodes[name] = Box(cx - w / 2, cy - h / 2, w, h)
            all_texts += texts(obj.get("_ldraw_"), f"node:{name}")
        elif "bb" in obj:
            geo_clusters[name] = box_from_bb(obj["bb"])
            members[name] = tuple(names[i] for i in obj.get("nodes", []) if i in names)
            all_texts += texts(obj.get("_ldraw_"), f"cluster:{name}")
    geo_edges: list[EdgeGeometry] = []
    for i, edge in enumerate(data.get("edges", [])):
        controls: list[Point] = []
        end = start = None
        for part in str(edge.get("pos", "")).split():
            values = part.split(",")
            if values[0] == "e":
                end = pt(float(values[1]), float(values[2]))
            elif values[0] == "s":
                start = pt(float(values[1]), float(values[2]))
            else:
                controls.append(pt(float(values[0]), float(values[1])))
        label_texts = texts(edge.get("_ldraw_") or edge.get("_xldraw_"), f"edge:{i}")
        all_texts += label_texts
        lp = edge.get("lp") or edge.get("xlp")
        label_box = None
        if label_texts:
            left = min(t.box.x for t in label_texts)
            top = min(t.box.y for t in label_texts)
            label_box = Box(
                left,
                top,
                max(t.box.right for t in label_texts) - left,
                max(t.box.bottom for t in label_texts) - top,
            )
        geo_edges.append(
            EdgeGeometry(
                index=i,
                source=names.get(int(edge["tail"]), ""),
                target=names.get(int(edge["head"]), ""),
                controls=tuple(controls),
                arrow_end=end,
                arrow_start=start,
                label=pt(*_floats(lp)) if lp else None,
                label_box=label_box,
            )
        )
    return Geometry(
        width=x1 - x0,
        height=height,
        nodes=geo_nodes,
        clusters=geo_clusters,
        cluster_members=members,
        edges=geo_edges,
        texts=all_texts,
        header=header,
    )


def geometry(dot_source: str, cwd: Path, timeout: float = 120.0) -> Geometry:
    """Lay out a DOT text with `dot -Tjson` and return its geometry.

    `dot` is deterministic, so for the DOT text that drew a picture this is that picture's
    layout; `cwd` must be the folder the DOT's image paths are relative to (image sizes
    take part in the layout).
    """
    from diagramgen.rendering.graphviz import _slot, dot_binary

    try:
        with _slot():
            proc = subprocess.run(
                [dot_binary(), "-Tjson"],
                input=dot_source.encode("utf-8"),
                cwd=os.fspath(cwd),
                capture_output=True,
                timeout=timeout,
                check=False,
            )
    except subprocess.TimeoutExpired:
        raise RenderError(f"Graphviz did not finish the layout within {timeout:g}s") from None
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RenderError(f"Graphviz failed (exit {proc.returncode}): {message[:1]}")
    return parse_json(json.loads(proc.stdout.decode("utf-8")))
