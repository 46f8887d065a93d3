"""`diagramgen watch`: re-render on every save and serve a live preview page on 127.0.0.1."""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from diagramgen.cli.common import EXIT_USAGE, err, exists, spec_paths, split_csv, usage_error

if TYPE_CHECKING:
    from diagramgen.watch import PreviewServer, SpecStatus


def _themes() -> list[str]:
    """Theme names, for shell completion."""
    from diagramgen.view.themes import THEMES

    return list(THEMES)


def watch(
    paths: list[Path] = typer.Argument(
        None,
        help="Spec files or folders to watch; a folder means every *.yaml, *.yml, *.json in "
        "it, including files created later. Default: specs/",
        show_default=False,
    ),
    out: Path = typer.Option(Path("output"), "--out", "-o", help="Output folder."),
    port: int = typer.Option(
        8765, "--port", "-p", min=0, max=65535, help="Port on 127.0.0.1 (0: any free port)."
    ),
    formats: str = typer.Option(
        "svg,png",
        "--format",
        "-f",
        help="Comma-separated formats written on each save: svg, png, pdf, dot "
        "(svg is always written: the page shows it).",
    ),
    theme: str | None = typer.Option(
        None,
        "--theme",
        help="Color theme: light or dark. Default: the spec's, else light.",
        autocompletion=_themes,
    ),
    open_browser: bool = typer.Option(
        False, "--open", help="Open the preview in the default web browser."
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print errors only."),
) -> None:
    """Re-render specs on every save and show them on a live page at http://127.0.0.1:PORT/.

    Writes the same files as `render` into `OUT/<slug>/`. The page shows each spec's views
    and notes, updates itself after every save, and lists the problems (with line numbers)
    when a save breaks the spec, keeping the last good picture. Ctrl-C stops it.

    Examples:

    - `diagramgen watch` (every spec in specs/, page at http://127.0.0.1:8765/)
    - `diagramgen watch specs/shop.yaml --open`
    - `diagramgen watch specs/ -p 9000 -f svg --theme dark`
    """
    from diagramgen.rendering import FORMATS, RenderOptions
    from diagramgen.view.themes import THEMES
    from diagramgen.watch import PreviewServerError, preview

    fmts = split_csv(formats)
    bad = [f for f in fmts if f not in FORMATS]
    if bad or not fmts:
        usage_error(
            f"unknown format {bad[0] if bad else formats!r}: choose from {', '.join(FORMATS)}"
        )
    if theme is not None and theme not in THEMES:
        usage_error(f"unknown theme {theme!r}: choose from {', '.join(THEMES)}")
    given = paths or [Path("specs")]
    for p in given:
        if not exists(p):
            usage_error(f"no such file or folder: {p}")
    # An empty folder is fine here: specs created in it later appear on the page.
    if not any(p.is_dir() for p in given):
        spec_paths(given)
    options = RenderOptions(formats=tuple(fmts), theme=theme)

    def ready(server: PreviewServer) -> None:
        typer.echo(f"preview at {server.url} (Ctrl-C to stop)")
        if open_browser:
            import webbrowser

            webbrowser.open(server.url)

    def report(status: SpecStatus) -> None:
        if status.ok:
            if not quiet:
                stamp = time.strftime("%H:%M:%S")
                typer.echo(
                    f"{stamp} rendered {status.key} -> {status.output} ({status.duration:.2f} s)"
                )
            return
        if status.error is not None:
            err(f"{status.key}: error: {status.error}")
        for problem in status.problems:
            err(str(problem))

    from diagramgen.atomic import Cancelled

    restore = _stop_on_sigterm()
    try:
        preview(given, out, port=port, options=options, on_ready=ready, on_update=report)
    except PreviewServerError as exc:
        err(f"error: {exc}")
        raise typer.Exit(EXIT_USAGE) from None
    except (KeyboardInterrupt, Cancelled):  # Ctrl-C, SIGTERM or SIGHUP: stop cleanly
        pass
    finally:
        restore()
    if not quiet:
        typer.echo("stopped")


def _stop_on_sigterm() -> Callable[[], None]:
    """Make SIGTERM stop the watch like Ctrl-C (service managers, `kill`); returns an undo."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None

    def interrupt(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    return lambda: signal.signal(signal.SIGTERM, previous)
