"""`diagramgen site`: the static catalogue site (interactive views, notes, findings)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from diagramgen.cli.common import EXIT_INVALID, err, spec_paths, usage_error

if TYPE_CHECKING:
    from diagramgen.website import SiteResult


def site(
    paths: list[Path] = typer.Argument(
        None,
        help="Spec files or folders; a folder means every *.yaml, *.yml, *.json in it. "
        "Default: specs/",
        show_default=False,
    ),
    out: Path = typer.Option(
        ..., "--out", "-o", help="The site's folder (index.html at its root)."
    ),
    since: str = typer.Option(
        None,
        "--since",
        help="A git revision: add a changes page per design (what `diff` reports since then).",
        show_default=False,
    ),
    theme: str = typer.Option(
        None,
        "--theme",
        help="Color theme: light or dark. Default: each spec's `theme:`, else light.",
        show_default=False,
    ),
    jobs: int = typer.Option(
        None,
        "--jobs",
        "-j",
        min=1,
        help="Graphviz processes at once. Default: CPU cores.",
        show_default=False,
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print errors only."),
) -> None:
    """Build a static site of the designs: an index with search and filters, and per design
    its interactive views, notes and findings.

    Examples:

    - `diagramgen site specs/ -o output/site` (then open output/site/index.html)
    - `diagramgen site specs/ -o site --since main` (adds a changes page per design)
    """
    from diagramgen.errors import DiagramgenError, SpecError
    from diagramgen.view.themes import THEMES
    from diagramgen.website import build_site

    if theme is not None and theme not in THEMES:
        usage_error(f"unknown theme {theme!r}: choose from {', '.join(THEMES)}")
    if since is not None and not since.strip():
        usage_error("--since needs a git revision")
    files = spec_paths(paths or [Path("specs")])
    started = time.perf_counter()
    try:
        result = build_site(files, out, since=since, theme=theme, jobs=jobs)
    except SpecError as exc:
        for problem in exc.problems:
            err(str(problem))
        raise typer.Exit(EXIT_INVALID) from None
    except DiagramgenError as exc:
        err(f"error: {exc}")
        raise typer.Exit(EXIT_INVALID) from None
    print_failures(result)
    if not quiet and result.index is not None:
        built = len(result.designs) - len(result.unchanged)
        typer.echo(
            f"wrote {result.index} ({built} designs built, {len(result.unchanged)} unchanged, "
            f"{len(result.files)} files) in {time.perf_counter() - started:.1f}s"
        )
    if result.failed:
        raise typer.Exit(EXIT_INVALID)


def print_failures(result: SiteResult) -> None:
    """Each failed spec's problems: `path:line:col: message`, or `path: error: ...`."""
    from diagramgen.errors import SpecError

    for path, exc in result.failed:
        if isinstance(exc, SpecError):
            for problem in exc.problems:
                err(str(problem))
        else:
            err(f"{path}: error: {exc}")
