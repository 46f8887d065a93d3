"""The watch loop: rebuild the specs whose files change, debounced, until told to stop."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path

from diagramgen.rendering import RenderOptions
from diagramgen.spec.loader import SPEC_SUFFIXES, expand_paths
from diagramgen.watch.builder import build_spec, spec_key
from diagramgen.watch.state import PreviewState, SpecStatus

# watchfiles groups the events of one save (editors write a temporary file, rename it,
# touch it again) and yields them once no new event came for `step` ms, or after at most
# `debounce` ms of continuous changes.
DEFAULT_DEBOUNCE_MS = 1600
DEFAULT_STEP_MS = 100
# How long the watch waits for events before handing control back (to notice `stop`, and
# to run the first build as soon as the watch is in place).
READY_TIMEOUT_MS = 250


def _abs(path: str | Path) -> str:
    return os.path.normpath(os.path.abspath(path))


class Watcher:
    """Renders the specs under `paths` into `out_dir` now and on every change.

    `paths` are spec files and folders as for `diagramgen render` (a folder means its
    `*.yaml`, `*.yml` and `*.json` files, including ones created later). Every outcome
    goes into `state`; `on_update` (if given) is called with each new status, from the
    thread that runs the loop.
    """

    def __init__(
        self,
        paths: Sequence[Path],
        out_dir: Path,
        options: RenderOptions | None = None,
        state: PreviewState | None = None,
        on_update: Callable[[SpecStatus], None] | None = None,
    ) -> None:
        self.paths = [Path(p) for p in paths]
        self.out_dir = Path(out_dir)
        self.options = options or RenderOptions()
        if "svg" not in self.options.formats:  # the preview shows the SVG files
            self.options = replace(self.options, formats=("svg", *self.options.formats))
        self.state = state or PreviewState()
        self.on_update = on_update
        self._known: dict[str, Path] = {}  # absolute path -> path as shown

    # ---------------------------------------------------------------- what is watched

    def spec_files(self) -> list[Path]:
        """The spec files right now: given files (even missing ones) and folders' contents."""
        return expand_paths(self.paths)

    def watch_roots(self) -> list[Path]:
        """The folders to watch: each given folder, and the folder of each given file.

        Folders, not files: editors that save by writing a new file and renaming it over
        the old one would otherwise leave the watch on a deleted file.
        """
        roots = {_abs(p if p.is_dir() else p.parent) for p in self.paths}
        return [Path(r) for r in sorted(roots)]

    def is_relevant(self, path: str | Path) -> bool:
        """True for a change that can affect the preview: a watched spec, or a new one."""
        full = _abs(path)
        if full in self._known:
            return True
        if Path(full).suffix not in SPEC_SUFFIXES:
            return False
        folders = {_abs(p) for p in self.paths if p.is_dir()}
        files = {_abs(p) for p in self.paths if not p.is_dir()}
        return full in files or os.path.dirname(full) in folders

    # ---------------------------------------------------------------- building

    def build(self, path: Path) -> SpecStatus:
        """Rebuild one spec, store its status and report it."""
        previous = self.state.get(spec_key(path))
        try:
            status = build_spec(path, self.out_dir, self.options, previous)
        except Exception as exc:  # a bug must not end a long watch session
            base = previous or SpecStatus(key=spec_key(path), title=path.stem)
            status = replace(
                base,
                problems=(),
                error=f"internal error ({type(exc).__name__}): {exc}",
                checked_at=time.time(),
            )
        self.state.update(status)
        if self.on_update is not None:
            self.on_update(status)
        return status

    def build_all(self) -> list[SpecStatus]:
        """Build every spec now (the first render of a session)."""
        files = self.spec_files()
        self._known = {_abs(p): p for p in files}
        return [self.build(p) for p in files]

    def apply(self, changed: Iterable[str | Path]) -> list[SpecStatus]:
        """React to changed paths: rebuild changed and new specs, forget vanished ones."""
        changed_abs = {_abs(p) for p in changed}
        files = self.spec_files()
        current = {_abs(p): p for p in files}
        for gone in sorted(set(self._known) - set(current)):
            self.state.remove(spec_key(self._known[gone]))
        added = set(current) - set(self._known)
        self._known = current
        return [self.build(p) for a, p in current.items() if a in changed_abs or a in added]

    # ---------------------------------------------------------------- the loop

    def run(
        self,
        stop: threading.Event | None = None,
        *,
        debounce_ms: int = DEFAULT_DEBOUNCE_MS,
        step_ms: int = DEFAULT_STEP_MS,
        force_polling: bool | None = None,
        initial_build: bool = True,
    ) -> None:
        """Build everything, then rebuild on each change until `stop` is set.

        The first build starts once the file watch is in place, so a save made while it
        runs is not lost. A KeyboardInterrupt propagates to the caller (the CLI turns it
        into a clean exit).
        """
        import watchfiles

        built = not initial_build
        for changes in watchfiles.watch(
            *self.watch_roots(),
            watch_filter=lambda _change, path: self.is_relevant(path),
            debounce=debounce_ms,
            step=step_ms,
            stop_event=stop,
            rust_timeout=READY_TIMEOUT_MS,
            yield_on_timeout=True,
            recursive=False,
            force_polling=force_polling,
            raise_interrupt=True,
        ):
            if not built:
                self.build_all()  # also covers whatever `changes` holds
                built = True
            elif changes:
                self.apply(path for _change, path in changes)
