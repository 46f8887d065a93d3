"""`diagramgen export`: a design in another tool's format (Mermaid, D2, draw.io, JSON)."""

from __future__ import annotations

from pathlib import Path

import typer

from diagramgen.cli.common import load_one, usage_error, write_output


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
        help="Export this view instead of the overview (flow-NAME, a view from `views:`); "
        "not for json.",
    ),
) -> None:
    """Print (or write with -o) the design as Mermaid, D2, draw.io or JSON.

    Examples:

    - `diagramgen export specs/url_shortener.yaml --to mermaid` (paste into Markdown)
    - `diagramgen export specs/url_shortener.yaml --to drawio -o shortener.drawio`
    - `diagramgen export specs/url_shortener.yaml --to d2 --view flow-redirect | d2 - out.svg`
    """
    from diagramgen.exporters import EXPORTERS, FORMATS, export

    if to not in EXPORTERS:
        usage_error(f"unknown format {to!r}: choose from {', '.join(FORMATS)}")
    design = load_one(spec, "export")
    try:
        text = export(design, to, view)
    except ValueError as exc:
        usage_error(str(exc))
    write_output(text, out)
