"""`diagramgen export`: a design in another tool's format (Mermaid, D2, draw.io, JSON)."""

from __future__ import annotations

from pathlib import Path

import typer

from diagramgen.cli.common import EXIT_INVALID, err, load_one, usage_error


def export(
    spec: Path = typer.Argument(..., help="The spec file to export."),
    to: str = typer.Option(
        ..., "--to", "-t", help="Format: mermaid, d2, drawio or json.", show_default=False
    ),
    out: Path = typer.Option(
        None, "--out", "-o", help="Write to this file instead of standard output."
    ),
    view: str = typer.Option(
        None,
        "--view",
        help="Export this view instead of the overview: a view from `views:` or a flow, by "
        "its name as written or its file name (`data-tier`, `flow-redirect`); not for json.",
    ),
) -> None:
    """Print (or write with -o) the design as Mermaid, D2, draw.io or JSON.

    What the format cannot carry (notes, the legend, icons ...) is reported on stderr, one
    warning line per kind. The draw.io file is laid out as the SVG is (Graphviz), and a JSON
    file written elsewhere refers to custom icons from its own folder.

    Examples:

    - `diagramgen export specs/url_shortener.yaml --to mermaid` (paste into Markdown)
    - `diagramgen export specs/url_shortener.yaml --to drawio -o shortener.drawio`
    - `diagramgen export specs/url_shortener.yaml --to d2 --view flow-redirect | d2 - out.svg`
    """
    from diagramgen.atomic import write_text
    from diagramgen.errors import OutputError, RenderError
    from diagramgen.exporters import EXPORTERS, FORMATS, export

    if to not in EXPORTERS:
        usage_error(f"unknown format {to!r}: choose from {', '.join(FORMATS)}")
    design = load_one(spec, "export")
    try:
        text = export(design, to, view, dest=out.parent if out is not None else None)
    except ValueError as exc:
        usage_error(str(exc))
    except RenderError as exc:
        err(f"error: {exc}")
        raise typer.Exit(EXIT_INVALID) from None
    for loss in text.losses:
        err(f"warning: {loss.line(to)}")
    if out is None:
        typer.echo(text, nl=False)
        return
    try:
        write_text(out, text)
    except OutputError as exc:
        err(f"error: {exc}")
        raise typer.Exit(EXIT_INVALID) from None
