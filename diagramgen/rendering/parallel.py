"""Render many specs and views at once, skipping the ones already up to date.

Threads, not processes: the work that takes time is Graphviz, a subprocess that runs
outside the GIL, while the Python side of a render (loading, building DOT, inlining
icons) is a small share. Threads start at once and share the loaded modules; a process
pool pays the imports again in every worker (measured in `bench/RESULTS.md`).

`jobs` is the number of Graphviz processes at once (`graphviz.limit`). Two pools of
`jobs + 1` threads: one runs `render_design` per spec (mostly waiting), the other the
views those specs hand it, so no task waits for a thread held by its own parent, and
the Python side of one view overlaps the Graphviz run of another even with `jobs=1`.
Specs are read, checked against the cache and loaded in input order in the calling
thread, and outcomes come back in input order, so neither the files nor what the CLI
prints depend on which thread finishes first. Two specs with the same slug would write one
folder: the second is refused (`failed`), so one never silently overwrites the other.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TypeVar

from diagramgen.errors import DiagramgenError, OutputError, SpecError

if TYPE_CHECKING:
    from diagramgen.rendering import RenderOptions
    from diagramgen.rendering.cache import OutputIndex
    from diagramgen.spec.models import Design

T = TypeVar("T")
R = TypeVar("R")
Status = Literal["rendered", "unchanged", "failed"]


@dataclass
class SpecOutcome:
    """What happened to one spec file."""

    path: Path
    status: Status
    directory: Path | None = None  # the output folder (rendered or unchanged)
    files: list[Path] = field(default_factory=list)  # the files written (rendered only)
    error: Exception | None = None  # a `DiagramgenError`, or a `KeyError` for an unknown view
    seconds: float = 0.0  # wall time spent on this spec
    design: Design | None = None  # the loaded design (rendered only: the cache skips loading)
    simplified: dict[str, str] = field(default_factory=dict)  # view -> simpler layout used


def default_jobs() -> int:
    """The number of CPU cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def gather(executor: Executor | None, fn: Callable[[T], R], items: Sequence[T]) -> list[R]:
    """`[fn(x) for x in items]`, on `executor` when given; results in input order.

    Waits for every task even when one fails (they write into a folder the caller removes
    on failure), then raises the failure of the earliest item, so errors are deterministic.
    """
    if executor is None or len(items) <= 1:
        return [fn(x) for x in items]
    futures = [executor.submit(fn, x) for x in items]
    wait(futures)
    for f in futures:
        exc = f.exception()
        if exc is not None:
            raise exc
    return [f.result() for f in futures]


def render_specs(
    paths: Iterable[Path],
    out_root: str | Path,
    options: RenderOptions,
    *,
    jobs: int | None = None,
    force: bool = False,
) -> Iterator[SpecOutcome]:
    """Render spec files into `out_root/<slug>/`; yield one outcome per file, in input order.

    `jobs` bounds the Graphviz processes running at once (default: the core count). A
    spec whose stamp matches (`cache.py`) is `unchanged` and costs one file read; `force`
    renders it anyway. A partial render (`options.views`) is never up to date. Errors
    land in the outcome, never raised.
    """
    from diagramgen import atomic
    from diagramgen.rendering.cache import OutputIndex
    from diagramgen.rendering.graphviz import limit

    jobs = jobs or default_jobs()
    root = Path(out_root)
    if root.is_dir():
        with atomic.locked(root):
            atomic.sweep(root)  # staging folders that killed runs left behind
    index = None if force or options.views is not None else OutputIndex.scan(root)
    with limit(jobs):
        runner = _Runner(root, options, index, jobs + 1)
        pending: deque[Future[SpecOutcome]] = deque()
        try:
            for path in paths:
                pending.append(runner.start(Path(path)))
                while pending and pending[0].done():
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            runner.close()


class _Runner:
    """Starts spec renders; remembers which slugs this run renders, and in which order."""

    def __init__(
        self, root: Path, options: RenderOptions, index: OutputIndex | None, threads: int
    ) -> None:
        self.root = root
        self.options = options
        self.index = index
        self.claimed: dict[str, Path] = {}  # slug -> the spec that writes it in this run
        self.created_root: bool | None = None  # None: not looked at yet
        self.spec_pool = ThreadPoolExecutor(threads, thread_name_prefix="diagramgen-spec")
        self.view_pool = ThreadPoolExecutor(threads, thread_name_prefix="diagramgen-view")

    def close(self) -> None:
        """Wait for running renders (a render is never abandoned halfway) and stop."""
        for pool in (self.spec_pool, self.view_pool):
            pool.shutdown(wait=True, cancel_futures=True)
        if self.created_root:
            with contextlib.suppress(OSError):  # only when empty: every render failed
                self.root.rmdir()

    def _make_root(self) -> None:
        # Made once, before any render: a failing render removes the root it created
        # itself, which must never happen under a render running next to it.
        if self.created_root is None:
            self.created_root = False
            if not self.root.exists():
                with contextlib.suppress(OSError):  # render_design reports it
                    self.root.mkdir(parents=True)
                    self.created_root = True

    def start(self, path: Path) -> Future[SpecOutcome]:
        """Check the cache and load in this thread; render in the spec pool."""
        from diagramgen.rendering.cache import render_key
        from diagramgen.spec.paths import read_spec_bytes

        started = time.perf_counter()
        try:
            raw = read_spec_bytes(path)  # refuses FIFOs, devices and huge files unread
        except SpecError as exc:
            return _done(SpecOutcome(path, "failed", error=exc, seconds=_since(started)))
        key = render_key(raw, path.stem, self.options)
        if self.index is not None:
            folder = self.index.lookup(key, path.parent)
            if folder is not None and folder.name not in self.claimed:
                self.claimed[folder.name] = path
                return _done(SpecOutcome(path, "unchanged", folder, seconds=_since(started)))
        from diagramgen.spec.loader import loads  # after the cache: it costs 0.2 s

        try:
            design = loads(raw, path=str(path), default_name=path.stem, base_dir=path.parent)
        except SpecError as exc:
            return _done(SpecOutcome(path, "failed", error=exc, seconds=_since(started)))
        other = self.claimed.get(design.slug)
        if other is not None:
            error = OutputError(
                f"writes the same output folder {design.slug}/ as {other}: "
                "give one of them another `name:`"
            )
            return _done(SpecOutcome(path, "failed", error=error, seconds=_since(started)))
        self.claimed[design.slug] = path
        self._make_root()
        return self.spec_pool.submit(self._render, path, design, key, started)

    def _render(
        self,
        path: Path,
        design: Design,
        key: str | None,
        started: float,
    ) -> SpecOutcome:
        from diagramgen.rendering import render_design

        try:
            result = render_design(
                design, self.root, self.options, executor=self.view_pool, cache_key=key
            )
        except (DiagramgenError, KeyError) as exc:
            return SpecOutcome(path, "failed", error=exc, seconds=_since(started))
        return SpecOutcome(
            path,
            "rendered",
            result.directory,
            list(result.files),
            seconds=_since(started),
            design=design,
            simplified=result.simplified,
        )


def _done(outcome: SpecOutcome) -> Future[SpecOutcome]:
    future: Future[SpecOutcome] = Future()
    future.set_result(outcome)
    return future


def _since(started: float) -> float:
    return time.perf_counter() - started
