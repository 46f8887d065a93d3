"""What the preview shows: the status of every watched spec, shared between threads.

The watch loop writes (`update`, `remove`); the HTTP handlers read (`snapshot`) and wait
for the next change (`wait`). Every change bumps one version number, which is what the
page's event stream announces.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field, replace
from typing import Any

from diagramgen.errors import Problem


@dataclass(frozen=True)
class ViewImage:
    """One rendered view of a spec: its name (the file stem), title and SVG text."""

    name: str
    title: str
    svg: str


@dataclass(frozen=True)
class SpecStatus:
    """The latest outcome for one spec file, with its last good render kept on failure."""

    key: str  # the spec's path as watched (POSIX); names the spec in URLs
    title: str
    slug: str | None = None
    views: tuple[ViewImage, ...] = ()  # the last good render
    notes: str | None = None  # Markdown of the last good render
    problems: tuple[Problem, ...] = ()  # the spec's current problems
    error: str | None = None  # a failure that is not the spec's fault (Graphviz, disk)
    source_lines: dict[int, str] = field(default_factory=dict)  # lines the problems point at
    rendered_at: float | None = None  # wall-clock time of the last good render
    checked_at: float = 0.0  # wall-clock time of the latest attempt
    duration: float = 0.0  # seconds the latest attempt took
    output: str | None = None  # the folder the last good render went to
    seq: int = 0  # the state version at which this status was stored

    @property
    def ok(self) -> bool:
        """True when the latest attempt succeeded."""
        return not self.problems and self.error is None

    def to_json(self) -> dict[str, Any]:
        """Plain data for the `/api/state` endpoint."""
        return {
            "key": self.key,
            "title": self.title,
            "slug": self.slug,
            "ok": self.ok,
            "problems": [
                {"line": p.line, "col": p.col, "message": p.message, "text": str(p)}
                for p in self.problems
            ],
            "error": self.error,
            "views": [{"name": v.name, "title": v.title, "svg": v.svg} for v in self.views],
            "notes": self.notes,
            "rendered_at": self.rendered_at,
            "checked_at": self.checked_at,
            "duration": round(self.duration, 3),
            "output": self.output,
            "seq": self.seq,
        }


@dataclass(frozen=True)
class Snapshot:
    """The state at one version: every spec's status, sorted by key."""

    version: int
    specs: tuple[SpecStatus, ...]
    closed: bool = False

    def get(self, key: str | None) -> SpecStatus | None:
        """The spec with this key; else the one changed most recently; None when empty."""
        for spec in self.specs:
            if spec.key == key:
                return spec
        return max(self.specs, key=lambda s: (s.seq, s.key), default=None)

    def to_json(self) -> dict[str, Any]:
        """Plain data for the `/api/state` endpoint."""
        return {"version": self.version, "specs": [s.to_json() for s in self.specs]}


class PreviewState:
    """Thread-safe store of `SpecStatus` by key, with a version that every change bumps."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._specs: dict[str, SpecStatus] = {}
        self._version = 0
        self._closed = False

    @property
    def version(self) -> int:
        """The current version (0 before the first change)."""
        with self._cond:
            return self._version

    def get(self, key: str) -> SpecStatus | None:
        """The stored status of one spec, if any."""
        with self._cond:
            return self._specs.get(key)

    def update(self, status: SpecStatus) -> int:
        """Store a spec's status, wake the waiters, and return the new version."""
        with self._cond:
            self._version += 1
            self._specs[status.key] = replace(status, seq=self._version)
            self._cond.notify_all()
            return self._version

    def remove(self, key: str) -> None:
        """Forget a spec (its file went away); a no-op for an unknown key."""
        with self._cond:
            if self._specs.pop(key, None) is not None:
                self._version += 1
                self._cond.notify_all()

    def snapshot(self) -> Snapshot:
        """An immutable copy of the current state."""
        with self._cond:
            specs = tuple(self._specs[k] for k in sorted(self._specs))
            return Snapshot(self._version, specs, self._closed)

    def wait(self, since: int, timeout: float) -> int:
        """Block until the version differs from `since`, the timeout passes, or `close()`."""
        with self._cond:
            self._cond.wait_for(lambda: self._version != since or self._closed, timeout)
            return self._version

    @property
    def closed(self) -> bool:
        """True once `close()` was called."""
        with self._cond:
            return self._closed

    def close(self) -> None:
        """Wake every waiter for good: the preview is shutting down."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()
