"""`diagramgen render`: specs to diagrams and notes under `output/<slug>/`."""

from __future__ import annotations

from pathlib import Path

import typer

from diagramgen.cli.common import (
    EXIT_INVALID,
    err,
    print_spec_error,
    spec_paths,
    split_csv,
    usage_error,
)


def render(
    paths: list[Path] = typer.Argument(
        None,
        help="Spec files or folders; a folder means every *.yaml, *.yml, *.json in it. "
        "Default: specs/",
        show_default=False,
    ),
    out: Path = typer.Option(Path("output"), "--out", "-o", help="Output folder."),
    formats: str = typer.Option(
        "svg,png", "--format", "-f", help="Comma-separated formats: svg, png, pdf, dot."
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
    timeout: float = typer.Option(
        120.0, "--timeout", min=1, help="Seconds Graphviz may take per view."
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print errors only."),
    gallery: bool = typer.Option(
        False, "--gallery", help="Also write OUT/README.md, a gallery of the designs from PATHS."
    ),
) -> None:
    """Render specs into `OUT/<slug>/overview.<fmt>`, one file per further view, and `notes.md`.

    Examples:

    - `diagramgen render` (everything in specs/ into output/)
    - `diagramgen render specs/url_shortener.yaml -f svg,pdf --theme dark -o build/`
    """
    from diagramgen.errors import DiagramgenError, SpecError
    from diagramgen.rendering import FORMATS, RenderOptions, render_design
    from diagramgen.spec.loader import load
    from diagramgen.view.themes import THEMES

    fmts = split_csv(formats)
    bad = [f for f in fmts if f not in FORMATS]
    if bad or not fmts:
        usage_error(
            f"unknown format {bad[0] if bad else formats!r}: choose from {', '.join(FORMATS)}"
        )
    if theme is not None and theme not in THEMES:
        usage_error(f"unknown theme {theme!r}: choose from {', '.join(THEMES)}")
    files = spec_paths(paths or [Path("specs")])
    options = RenderOptions(
        formats=fmts,
        theme=theme,
        timeout=timeout,
        views=view or None,
        dpi=dpi,
        transparent=transparent,
    )
    failed = 0
    for path in files:
        try:
            design = load(path)
            result = render_design(design, out, options)
        except SpecError as exc:
            failed += 1
            print_spec_error(exc)
            continue
        except KeyError as exc:
            failed += 1
            err(f"{path}: {exc.args[0]}")
            continue
        except DiagramgenError as exc:
            failed += 1
            err(f"{path}: error: {exc}")
            continue
        if not quiet:
            typer.echo(f"rendered {path} -> {result.directory} ({len(result.files)} files)")
    if gallery:
        from diagramgen.rendering.gallery import write_gallery

        try:
            write_gallery(out, files, fmts)
        except DiagramgenError as exc:
            failed += 1
            err(f"{out}: error: {exc}")
    if failed:
        raise typer.Exit(EXIT_INVALID)
