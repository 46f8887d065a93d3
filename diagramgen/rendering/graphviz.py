"""Run Graphviz `dot` on DOT text: several formats from one layout, with a timeout.

Large clustered graphs are where `dot` breaks (measured with Graphviz 2.43 on generated
designs, see `bench/RESULTS.md`): edge labels become extra rank nodes, so a 1,000-node design
with labelled edges never finishes, and past ~900 nodes the layout can fail with "trouble in
init_rank". `lay_out` therefore picks a `Layout` by the size of the view and, when dot fails
in that known way, retries with the next simpler one:

- `full`: the drawing as the adapter emits it (labels on the edges, spline routing);
- `large`: edge labels as `xlabel`s (placed after the layout, so they cost nothing),
  polyline routing;
- `straight`: the same with straight edges;
- `flat`: the same without group boxes, the last resort for graphs dot cannot rank.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from diagramgen.errors import GraphvizNotFoundError, RenderError

DEFAULT_TIMEOUT = 120.0  # seconds
LARGE_VIEW = 600  # nodes; above this the full drawing hangs or fails on measured designs
MEDIUM_VIEW = 150  # nodes; above this a full layout that times out may still fall back


class LayoutError(RenderError):
    """dot gave up on a layout it should manage ("trouble in init_rank" and the like)."""


@dataclass(frozen=True)
class Layout:
    """One way to ask dot for a picture; later ones trade detail for robustness."""

    name: str
    graph_attr: Mapping[str, str] = field(default_factory=dict)
    xlabels: bool = False  # edge labels placed after the layout instead of as rank nodes
    clusters: bool = True  # draw groups as boxes
    summary: str = ""  # what was simplified, for error messages and docs


FULL = Layout("full")
LARGE = Layout(
    "large", {"splines": "polyline"}, xlabels=True, summary="edge labels beside the edges"
)
STRAIGHT = Layout(
    "straight", {"splines": "line"}, xlabels=True, summary="straight edges, labels beside them"
)
FLAT = Layout(
    "flat",
    {"splines": "line", "compound": "false"},
    xlabels=True,
    clusters=False,
    summary="straight edges, labels beside them, no group boxes",
)
LAYOUTS = (FULL, LARGE, STRAIGHT, FLAT)

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


def layouts_for(nodes: int) -> tuple[Layout, ...]:
    """The layouts to try for a view of `nodes` nodes, best first."""
    return LAYOUTS[1:] if nodes > LARGE_VIEW else LAYOUTS


def apply_layout(source: str, layout: Layout) -> str:
    """The DOT text of `source` (as the adapter writes it) drawn with `layout`."""
    if layout.xlabels:
        # The adapter (through the graphviz package) writes an edge's label first.
        source = _EDGE.sub(r"\1xlabel=", source)
    if not layout.clusters:
        # Plain subgraphs draw no box; without `compound` their lhead/ltail are ignored.
        # A prefix keeps the name an identifier even for a group called `edge` or `node`.
        source = _CLUSTER.sub(r"\1flat_", source)
    if layout.graph_attr:
        # A root graph attribute set again at the end overrides the adapter's value.
        attrs = " ".join(f"{k}={v}" for k, v in sorted(layout.graph_attr.items()))
        end = source.rstrip().rfind("}")
        source = f"{source[:end]}\tgraph [{attrs}]\n{source[end:]}"
    return source


def lay_out(
    source: str,
    nodes: int,
    outputs: dict[str, Path],
    cwd: Path,
    timeout: float = DEFAULT_TIMEOUT,
) -> str:
    """Render `source` into `outputs` with the best layout dot manages; return the DOT used.

    The layouts come from `layouts_for(nodes)`; a `LayoutError` moves on to the next one,
    and so does a timeout for views above `MEDIUM_VIEW` nodes (which then get half the
    remaining time per try). All tries together stay within `timeout`. With no `outputs`,
    nothing runs and the first layout's DOT is returned.
    """
    plan = layouts_for(nodes)
    if not outputs:
        return apply_layout(source, plan[0])
    with _slot():  # one slot for all tries, and their time budget starts now
        return _lay_out(source, nodes, plan, outputs, cwd, timeout)


def _lay_out(
    source: str,
    nodes: int,
    plan: tuple[Layout, ...],
    outputs: dict[str, Path],
    cwd: Path,
    timeout: float,
) -> str:
    deadline = time.monotonic() + timeout
    failures: list[str] = []
    for i, layout in enumerate(plan):
        last = i == len(plan) - 1
        remaining = max(1.0, deadline - time.monotonic())
        budget = remaining if last or nodes <= MEDIUM_VIEW else remaining / 2
        text = apply_layout(source, layout)
        try:
            run_dot(text, outputs, cwd=cwd, timeout=budget)
            return text
        except LayoutError as exc:
            failures.append(f"{layout.name}: {exc}")
        except RenderError as exc:
            timed_out = str(exc).startswith("Graphviz did not finish")
            if not timed_out or nodes <= MEDIUM_VIEW:
                raise
            failures.append(f"{layout.name}: no result within {budget:.0f}s")
        if last or deadline - time.monotonic() < 1.0:
            break
    tried = "; ".join(failures)
    raise RenderError(
        f"Graphviz could not lay out this {nodes}-node view, even simplified ({tried}): "
        "split the design into smaller views (a `views:` section)"
    )


def _first_error(stderr: str) -> str:
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    errors = [line for line in lines if "error" in line.lower()] or lines
    return errors[0] if errors else "no message"
