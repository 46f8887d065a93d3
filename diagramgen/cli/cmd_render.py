"""`diagramgen render`: specs to diagrams and notes under `output/<slug>/`."""

from __future__ import annotations

import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from diagramgen.cli.common import (
    EXIT_INVALID,
    err,
    spec_paths,
    split_csv,
    stdout_is_terminal,
    timeout_option,
    usage_error,
)

if TYPE_CHECKING:
    from diagramgen.rendering.parallel import SpecOutcome
    from diagramgen.website import SiteBuilder


def render(
    paths: list[Path] = typer.Argument(
        None,
        help="Spec files or folders; a folder means every *.yaml, *.yml, *.json in it. "
        "Default: specs/",
        show_default=False,
    ),
    out: str = typer.Option("output", "--out", "-o", help="Output folder."),
    formats: str = typer.Option(
        "svg,png",
        "--format",
        "-f",
        help="Comma-separated formats: svg, png, pdf, dot, html (an interactive page per view).",
    ),
    theme: str = typer.Option(
        None,
        "--theme",
        help="Color theme: light or dark. Default: the spec's `theme:`, else light.",
        show_default=False,
    ),
    dpi: float = typer.Option(
        None,
        "--dpi",
        min=10,
        max=2400,
        help="PNG resolution. Default: about 1920 pixels wide (a full-HD slide), 72-300 dpi.",
        show_default=False,
    ),
    transparent: bool = typer.Option(
        False, "--transparent", help="PNG with a transparent background (SVG keeps its own)."
    ),
    view: list[str] = typer.Option(
        None, "--view", help="Render only this view (repeatable): overview, flow-NAME ..."
    ),
    timeout: float = timeout_option(),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print errors only."),
    jobs: int = typer.Option(
        None,
        "--jobs",
        "-j",
        min=1,
        help="Graphviz processes at once (specs and views render in parallel). "
        "Default: the number of CPU cores.",
        show_default=False,
    ),
    force: bool = typer.Option(
        False, "--force", help="Render every spec, even those whose output is up to date."
    ),
    gallery: bool = typer.Option(
        False, "--gallery", help="Also write OUT/README.md, a gallery of the designs from PATHS."
    ),
    site: bool = typer.Option(
        False,
        "--site",
        help="Also build the catalogue site into OUT/site/ from these very renders (as "
        "`diagramgen site` would, without laying anything out again); needs svg.",
    ),
    layout: str = typer.Option(
        "search",
        "--layout",
        help="`search`: lay each view out a few ways and keep the best by measured quality "
        "(crossings, overlaps, slide fit); `fast`: one layout, the view as written.",
    ),
) -> None:
    """Render specs into `OUT/<slug>/overview.<fmt>`, one file per further view, and `notes.md`.

    Examples:

    - `diagramgen render` (everything in specs/ into output/)
    - `diagramgen render specs/url_shortener.yaml -f svg,pdf --theme dark -o build/`
    - `diagramgen render --jobs 4 --force` (re-render everything, four Graphviz at once)
    - `diagramgen render --layout fast` (one layout per view, no search)

    A spec whose spec file, options and diagramgen version are unchanged since its last
    render is skipped (`unchanged`); `--force` renders it anyway.
    """
    from diagramgen.errors import DiagramgenError
    from diagramgen.rendering import FORMATS, LAYOUT_MODES, RenderOptions
    from diagramgen.rendering.parallel import render_specs
    from diagramgen.view.themes import THEMES

    fmts = split_csv(formats)
    bad = [f for f in fmts if f not in FORMATS]
    if bad or not fmts:
        usage_error(
            f"unknown format {bad[0] if bad else formats!r}: choose from {', '.join(FORMATS)}"
        )
    if theme is not None and theme not in THEMES:
        usage_error(f"unknown theme {theme!r}: choose from {', '.join(THEMES)}")
    if layout not in LAYOUT_MODES:
        usage_error(f"unknown layout {layout!r}: choose from {', '.join(LAYOUT_MODES)}")
    if not out.strip():
        usage_error("-o/--out is empty: give an output folder (e.g. -o output)")
    if site and "svg" not in fmts:
        usage_error("--site builds its pages from the SVGs: add svg to --format")
    if site and view:
        usage_error("--site needs every view: leave out --view")
    files = spec_paths(paths or [Path("specs")])
    options = RenderOptions(
        formats=fmts,
        theme=theme,
        timeout=timeout,
        views=view or None,
        dpi=dpi,
        transparent=transparent,
        layout=layout,
    )
    started = time.perf_counter()
    outcomes: Iterable[SpecOutcome] = render_specs(files, out, options, jobs=jobs, force=force)
    folders: dict[Path, Path] = {}  # spec -> its output folder, for the gallery
    outcomes = _noting_folders(outcomes, folders)
    builder = None
    if site:
        from diagramgen.website import SITE_DIR, SiteBuilder

        builder = SiteBuilder(Path(out) / SITE_DIR, options)
        outcomes = _building(outcomes, builder)
    if not quiet and stdout_is_terminal() and sys.stderr.isatty():
        counts = _with_progress_bar(outcomes, len(files))
    else:
        counts = _with_lines(outcomes, quiet)
    failed = counts["failed"]
    if not quiet:
        typer.echo(_summary(counts, time.perf_counter() - started))
    if builder is not None:
        failed += _finish_site(builder, quiet)
    if gallery:
        from diagramgen.rendering.gallery import write_gallery

        try:
            write_gallery(out, files, fmts, folders)
        except DiagramgenError as exc:
            failed += 1
            err(f"{out}: error: {exc}")
    if failed:
        raise typer.Exit(EXIT_INVALID)


def _building(outcomes: Iterable[SpecOutcome], builder: SiteBuilder) -> Iterator[SpecOutcome]:
    """The outcomes, each handed to the site builder first (while the render goes on)."""
    for outcome in outcomes:
        builder.add(outcome)
        yield outcome


def _finish_site(builder: SiteBuilder, quiet: bool) -> int:
    """Write the site's index; print its errors and a summary line; the number of failures."""
    from diagramgen.cli.cmd_site import print_failures
    from diagramgen.errors import DiagramgenError

    try:
        result = builder.finish()
    except DiagramgenError as exc:
        err(f"{builder.root}: error: {exc}")
        return 1
    print_failures(result)
    if not quiet and result.index is not None:
        built = len(result.designs) - len(result.unchanged)
        typer.echo(f"site {result.index}: {built} designs built, {len(result.unchanged)} unchanged")
    return len(result.failed)


def _error_lines(outcome: SpecOutcome) -> list[str]:
    """A failed spec's problems: `path:line:col: message` each, or `path: error: ...`."""
    from diagramgen.errors import SpecError

    exc = outcome.error
    if isinstance(exc, SpecError):
        return [str(problem) for problem in exc.problems]
    if isinstance(exc, KeyError):
        return [f"{outcome.path}: {exc.args[0]}"]
    return [f"{outcome.path}: error: {exc}"]


def _noting_folders(
    outcomes: Iterable[SpecOutcome], folders: dict[Path, Path]
) -> Iterator[SpecOutcome]:
    """The outcomes, noting where each spec that did not fail has its output."""
    for outcome in outcomes:
        if outcome.status != "failed" and outcome.directory is not None:
            folders[outcome.path] = outcome.directory
        yield outcome


def _layout_notes(outcome: SpecOutcome) -> list[str]:
    """`path: note: view: ... drawn with ...` for each view drawn with a simpler layout."""
    return [f"{outcome.path}: note: {view}: {note}" for view, note in outcome.simplified.items()]


def _with_lines(outcomes: Iterable[SpecOutcome], quiet: bool) -> Counter[str]:
    """One plain line per spec (errors only when quiet), for logs and pipes."""
    counts: Counter[str] = Counter()
    for outcome in outcomes:
        counts[outcome.status] += 1
        if outcome.status == "failed":
            for line in _error_lines(outcome):
                err(line)
        elif quiet:
            continue
        elif outcome.status == "rendered":
            typer.echo(
                f"rendered {outcome.path} -> {outcome.directory} ({len(outcome.files)} files)"
            )
            for line in _layout_notes(outcome):
                err(line)
        else:
            typer.echo(f"unchanged {outcome.path} -> {outcome.directory}")
    return counts


def _with_progress_bar(outcomes: Iterable[SpecOutcome], total: int) -> Counter[str]:
    """A rich progress bar on stderr; errors are printed above it as they come."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    counts: Counter[str] = Counter()
    columns = (
        TextColumn("rendering"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
    )
    console = Console(stderr=True)
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("", total=total)
        for outcome in outcomes:
            counts[outcome.status] += 1
            if outcome.status == "failed":
                for line in _error_lines(outcome):
                    console.print(line, markup=False, highlight=False, soft_wrap=True)
            for line in _layout_notes(outcome):
                console.print(line, markup=False, highlight=False, soft_wrap=True)
            progress.update(task, advance=1, description=f"{outcome.status} {outcome.path.name}")
    return counts


def _summary(counts: Counter[str], seconds: float) -> str:
    """`2 rendered, 5 unchanged, 1 failed in 3.2s`."""
    parts = ", ".join(f"{counts[s]} {s}" for s in ("rendered", "unchanged", "failed"))
    return f"{parts} in {seconds:.1f}s"
