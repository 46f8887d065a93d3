"""Run Graphviz `dot` on DOT text: several formats from one layout, with a timeout.

Large clustered graphs are where `dot` breaks (measured with Graphviz 2.43 on generated
designs, see `bench/RESULTS.md`): edge labels become extra rank nodes, so a 1,000-node design
with labelled edges never finishes, past ~900 nodes the layout can fail with "trouble in
init_rank", and edges between groups that span many ranks make dot's position phase run for
minutes even on 60 nodes (`dotshape.py`). `lay_out` therefore picks a plan by the measured
`Shape` of the view (nodes, edges, edges between groups, the rank crossings dot would add)
and, when dot fails in that known way or runs out of its share of the time, moves on to the
next simpler layout:

- `full`: the drawing as the adapter emits it (labels on the edges, spline routing);
- `large`: edge labels as `xlabel`s (placed after the layout, so they cost nothing),
  polyline routing;
- `straight`: the same with straight edges;
- `routed`: each group laid out by dot without the edges between groups, which are then
  drawn straight over the fixed layout (Graphviz's `nop2` engine keeps the positions and
  routes only the edges that have none): bounded work for any number of such edges;
- `spanning`: for a tangled view whose edges are not between groups (no groups, or all
  in one), the same with the edges of a spanning forest in place of the groups' own: dot
  lays out a forest (no edge spans ranks), and every other edge is drawn straight over it;
- `flat`: straight edges without group boxes, the last resort for graphs dot cannot rank.

`draw` returns the layout it used, so the caller can tell the user which simplification
was made (`Drawn.note`).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from diagramgen.errors import GraphvizNotFoundError, RenderError
from diagramgen.rendering.dotshape import Shape, add_edges, shape, split_cross, split_spanning

DEFAULT_TIMEOUT = 120.0  # seconds
LARGE_VIEW = 600  # nodes; above this the full drawing hangs or fails on measured designs
MEDIUM_VIEW = 150  # nodes; above this a full layout that times out may still fall back
# Estimated rank crossings (`Shape.virtual`) above which only the routed layout finishes in
# time. Measured with Graphviz 2.43 on `bench/generate.py` designs: generated designs of 300
# and 1,000 components (451 and 1,738) take under a second as `large`; services calling
# across groups take 1.6 s full at 569, 5 s at 706, and over 40 s at 2,340 (8.5 s as
# `large`) and at 6,704 (even as `large`); the routed layout draws 6,752,545 (3,000
# services) in about 15 s.
TANGLED = 1500


class LayoutError(RenderError):
    """dot gave up on a layout it should manage ("trouble in init_rank" and the like)."""


@dataclass(frozen=True)
class Layout:
    """One way to ask dot for a picture; later ones trade detail for robustness."""

    name: str
    graph_attr: Mapping[str, str] = field(default_factory=dict)
    xlabels: bool = False  # edge labels placed after the layout instead of as rank nodes
    clusters: bool = True  # draw groups as boxes
    # A routed layout: which edges dot lays out (the rest are drawn straight over after),
    # as `(source) -> (source with those edges only, the other edge statements)`.
    split: Callable[[str], tuple[str, list[str]]] | None = None
    summary: str = ""  # what was simplified, for error messages and docs

    @property
    def routed(self) -> bool:
        """Laid out in two steps: part of the edges by dot, the others drawn over after."""
        return self.split is not None


FULL = Layout("full")
LARGE = Layout(
    "large", {"splines": "polyline"}, xlabels=True, summary="edge labels beside the edges"
)
STRAIGHT = Layout(
    "straight", {"splines": "line"}, xlabels=True, summary="straight edges, labels beside them"
)
ROUTED = Layout(
    "routed",
    {"splines": "polyline"},
    xlabels=True,
    split=split_cross,
    summary="groups laid out on their own, edges between groups drawn straight over them",
)
SPANNING = Layout(
    "spanning",
    {"splines": "polyline"},
    xlabels=True,
    split=split_spanning,
    summary="a spanning tree of its edges laid out, the other edges drawn straight over it",
)
FLAT = Layout(
    "flat",
    {"splines": "line", "compound": "false"},
    xlabels=True,
    clusters=False,
    summary="straight edges, labels beside them, no group boxes",
)
LAYOUTS = (FULL, LARGE, STRAIGHT, ROUTED, FLAT)  # a view with edges between groups
# The root graph attributes that make `dot` draw a routed layout from its positions.
_ROUTED_DRAW = {"layout": "nop2", "splines": "line"}

# How dot reports a layout it could not compute (as opposed to bad input): rank and
# crossing-minimisation failures, all known to come and go with graph shape and settings.
_LAYOUT_FAILURE = re.compile(
    r"trouble in init_rank|install_in_rank|build_ranks|lost \S+ \S+ edge|"
    r"flat edge between adjacent nodes|node \S+ in graph \S+ has no position|mincross|merge2",
    re.IGNORECASE,
)
_EDGE = re.compile(r"(?m)^(\t+\S+ -> \S+ \[)label=")
_CLUSTER = re.compile(r'(?m)^(\t+subgraph "?)cluster_')


_limit: threading.Semaphore | None = None  # see `limit`
_held = threading.local()  # whether this thread holds a slot already


@contextmanager
def limit(processes: int) -> Iterator[None]:
    """At most `processes` Graphviz runs at once in this process while the block runs.

    A render pool may then have more threads than Graphviz slots, so that the Python side
    of one view (building DOT, inlining icons) overlaps another view's Graphviz run.
    """
    global _limit
    previous, _limit = _limit, threading.BoundedSemaphore(processes)
    try:
        yield
    finally:
        _limit = previous


@contextmanager
def _slot() -> Iterator[None]:
    """Hold one of the `limit` slots (re-entrant per thread; free without a limit)."""
    limiter = _limit
    if limiter is None or getattr(_held, "slot", False):
        yield
        return
    with limiter:
        _held.slot = True
        try:
            yield
        finally:
            _held.slot = False


def dot_binary() -> str:
    """The path of `dot`, or `GraphvizNotFoundError`."""
    found = shutil.which("dot")
    if not found:
        raise GraphvizNotFoundError()
    return found


def run_dot(
    source: str,
    outputs: dict[str, Path],
    cwd: Path,
    timeout: float = DEFAULT_TIMEOUT,
    extra_args: list[str] | None = None,
) -> None:
    """Lay `source` out once and write each `format -> path` of `outputs`.

    Raises `LayoutError` when dot fails to lay the graph out (or crashes), `RenderError`
    for every other failure, including the timeout.
    """
    args = [dot_binary(), *(extra_args or [])]
    for fmt, path in outputs.items():
        renderer = "png:cairo" if fmt == "png" else "pdf:cairo" if fmt == "pdf" else fmt
        args += [f"-T{renderer}", f"-o{os.fspath(path.resolve())}"]
    try:
        with _slot():  # the timeout counts from the start of dot, not from the wait
            proc = subprocess.run(
                args,
                input=source.encode("utf-8"),
                cwd=cwd,
                capture_output=True,
                timeout=timeout,
                check=False,
            )
    except subprocess.TimeoutExpired:
        raise RenderError(
            f"Graphviz did not finish within {timeout:g}s: split the design into smaller views "
            "(a `views:` section) or raise --timeout"
        ) from None
    if proc.returncode != 0:
        stderr = proc.stderr.decode("utf-8", "replace")
        message = _first_error(stderr)
        if proc.returncode < 0:
            raise LayoutError(f"Graphviz crashed (signal {-proc.returncode}): {message}")
        if _LAYOUT_FAILURE.search(stderr):
            raise LayoutError(f"Graphviz failed (exit {proc.returncode}): {message}")
        raise RenderError(f"Graphviz failed (exit {proc.returncode}): {message}")


def layouts_for(nodes: int, measured: Shape | None = None) -> tuple[Layout, ...]:
    """The layouts to try for a view of `nodes` nodes (and `measured` shape), best first.

    A tangled view (more estimated rank crossings than `TANGLED`) goes straight to a
    routed layout: every layout before it would spend the time budget and fail. Routed by
    its groups when edges run between them, else along a spanning forest (measured: 200
    services calling 3 others each, no groups, 26,784 estimated crossings: no layout in
    60 s before, 0.2 s this way; 1,000 of them in 1.2 s). A view with no edge between
    groups tries the spanning layout where the groups' one would change nothing.
    """
    cross = measured is None or measured.cross > 0
    if measured is not None and measured.virtual > TANGLED:
        return (ROUTED, SPANNING, FLAT) if cross else (SPANNING, FLAT)
    plan = LAYOUTS if cross else tuple(SPANNING if x is ROUTED else x for x in LAYOUTS)
    return plan[1:] if nodes > LARGE_VIEW else plan


def apply_layout(source: str, layout: Layout) -> str:
    """The DOT text of `source` (as the adapter writes it) drawn with `layout`.

    For a routed layout this is the input of its first step (the groups' layout, edges
    between groups included): `draw` takes them out and puts them back.
    """
    if layout.xlabels:
        # The adapter (through the graphviz package) writes an edge's label first.
        source = _EDGE.sub(r"\1xlabel=", source)
    if not layout.clusters:
        # Plain subgraphs draw no box; without `compound` their lhead/ltail are ignored.
        # A prefix keeps the name an identifier even for a group called `edge` or `node`.
        source = _CLUSTER.sub(r"\1flat_", source)
    if layout.graph_attr:
        # A root graph attribute set again at the end overrides the adapter's value.
        source = add_edges(source, [], dict(layout.graph_attr))
    return source


@dataclass(frozen=True)
class Drawn:
    """What `draw` did: the DOT text the outputs were drawn from, and the layout used."""

    source: str
    layout: Layout
    shape: Shape

    @property
    def note(self) -> str | None:
        """One line for the user when the layout was simplified, else None."""
        if self.layout is FULL:
            return None
        return f"{self.shape.describe()}: drawn with {self.layout.summary}"


def lay_out(
    source: str,
    nodes: int,
    outputs: dict[str, Path],
    cwd: Path,
    timeout: float = DEFAULT_TIMEOUT,
) -> str:
    """Render `source` into `outputs` with the best layout dot manages; return the DOT used.

    `draw` without the report of which layout it used.
    """
    return draw(source, nodes, outputs, cwd, timeout).source


def draw(
    source: str,
    nodes: int,
    outputs: dict[str, Path],
    cwd: Path,
    timeout: float = DEFAULT_TIMEOUT,
) -> Drawn:
    """Render `source` into `outputs` with the best layout dot manages, within `timeout`.

    The layouts come from `layouts_for` on the measured shape of `source`. A `LayoutError`
    moves on to the next one; so does a timeout while a routed layout is still ahead (a
    layout before it gets half the remaining time) or for views above `MEDIUM_VIEW` nodes
    (half the remaining time per try). All tries together stay within `timeout`. With no
    `outputs`, nothing is drawn: the first layout's DOT is returned (a routed layout's
    positions are computed, since they are the layout).
    """
    measured = shape(source)
    plan = layouts_for(nodes, measured)
    if not outputs and not plan[0].routed:
        return Drawn(apply_layout(source, plan[0]), plan[0], measured)
    with _slot():  # one slot for all tries, and their time budget starts now
        return _draw(source, nodes, measured, plan, outputs, cwd, timeout)


def _draw(
    source: str,
    nodes: int,
    measured: Shape,
    plan: tuple[Layout, ...],
    outputs: dict[str, Path],
    cwd: Path,
    timeout: float,
) -> Drawn:
    deadline = time.monotonic() + timeout
    failures: list[str] = []
    for i, layout in enumerate(plan):
        last = i == len(plan) - 1
        routed_ahead = any(later.routed for later in plan[i + 1 :])
        falls_back = routed_ahead or layout.routed or nodes > MEDIUM_VIEW
        remaining = max(1.0, deadline - time.monotonic())
        whole = last or not falls_back or (layout.routed and not routed_ahead)
        budget = remaining if whole else remaining / 2
        try:
            if layout.routed:
                text = _routed(source, layout, cwd, budget, deadline)
                if outputs:
                    run_dot(text, outputs, cwd=cwd, timeout=max(1.0, deadline - time.monotonic()))
            else:
                text = apply_layout(source, layout)
                run_dot(text, outputs, cwd=cwd, timeout=budget)
            return Drawn(text, layout, measured)
        except LayoutError as exc:
            failures.append(f"{layout.name}: {exc}")
        except RenderError as exc:
            timed_out = str(exc).startswith("Graphviz did not finish")
            if not timed_out or not falls_back:
                raise
            failures.append(f"{layout.name}: no result within {budget:.0f}s")
        if last or deadline - time.monotonic() < 1.0:
            break
    tried = "; ".join(failures)
    raise RenderError(
        f"Graphviz could not lay out this {nodes}-node view, even simplified ({tried}): "
        "split the design into smaller views (a `views:` section)"
    )


def _routed(source: str, layout: Layout, cwd: Path, budget: float, deadline: float) -> str:
    """The positioned DOT of a routed layout: groups by dot, edges between them added after.

    dot lays the view out without its edges between groups, or (`SPANNING`) with only a
    spanning forest's edges (`-Tdot` writes every position); the edges left out go back in
    without positions, and the `nop2` engine the result names keeps
    the positions and draws them straight: whatever renders this text draws the same picture.
    """
    if layout.split is None:
        raise ValueError(f"{layout.name} is not a routed layout")
    inner, cross = layout.split(apply_layout(source, layout))
    with tempfile.TemporaryDirectory(prefix="diagramgen-") as scratch:
        positions = Path(scratch) / "positions.dot"
        run_dot(
            inner, {"dot": positions}, cwd=cwd, timeout=min(budget, deadline - time.monotonic())
        )
        placed = positions.read_text("utf-8")
    return add_edges(placed, cross, _ROUTED_DRAW)


def _first_error(stderr: str) -> str:
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    errors = [line for line in lines if "error" in line.lower()] or lines
    return errors[0] if errors else "no message"
