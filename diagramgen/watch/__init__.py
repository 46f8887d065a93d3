"""`diagramgen watch`: re-render specs on every save and show them on a live local page.

    from diagramgen.watch import preview
    preview(["specs/"], "output", port=8765)   # blocks; Ctrl-C (KeyboardInterrupt) ends it

The parts work on their own: `Watcher` (the debounced watch loop, rendering into the
output folder), `PreviewState` (what the page shows, shared between threads) and
`PreviewServer` (the page, `/api/state` JSON and the `/events` stream). Nothing here
prints: progress reaches the caller through the `on_ready` and `on_update` callbacks.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from diagramgen.rendering import RenderOptions
from diagramgen.watch.server import (
    DEFAULT_HOST,
    DEFAULT_PORT,
    PreviewServer,
    PreviewServerError,
)
from diagramgen.watch.state import PreviewState, Snapshot, SpecStatus, ViewImage
from diagramgen.watch.watcher import Watcher

__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_PORT",
    "PreviewServer",
    "PreviewServerError",
    "PreviewState",
    "Snapshot",
    "SpecStatus",
    "ViewImage",
    "Watcher",
    "preview",
]


def preview(
    paths: Sequence[str | Path],
    out_dir: str | Path = "output",
    *,
    port: int = DEFAULT_PORT,
    options: RenderOptions | None = None,
    on_ready: Callable[[PreviewServer], None] | None = None,
    on_update: Callable[[SpecStatus], None] | None = None,
    stop: threading.Event | None = None,
) -> None:
    """Serve the preview on 127.0.0.1:`port` and re-render `paths` on change until `stop`.

    `on_ready` gets the running server (its `url`) before the first build. Raises
    `PreviewServerError` when the port cannot be used; a KeyboardInterrupt propagates
    after the server has stopped.
    """
    state = PreviewState()
    watcher = Watcher([Path(p) for p in paths], Path(out_dir), options, state, on_update)
    with PreviewServer(state, port=port) as server:
        if on_ready is not None:
            on_ready(server)
        watcher.run(stop)
