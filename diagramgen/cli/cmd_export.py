"""`diagramgen export`: a design in another tool's format (Mermaid, D2, draw.io, JSON)."""

from __future__ import annotations

from pathlib import Path

import typer

from diagramgen.cli.common import EXIT_INVALID, err, print_spec_error, usage_error


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
    from diagramgen.errors import SpecError
    from diagramgen.exporters import EXPORTERS, FORMATS, export
    from diagramgen.spec.loader import load

    if to not in EXPORTERS:
        usage_error(f"unknown format {to!r}: choose from {', '.join(FORMATS)}")
    if not spec.exists():
        usage_error(f"no such file: {spec}")
    if spec.is_dir():
        usage_error(f"{spec} is a folder: export takes one spec file")
    try:
        design = load(spec)
    except SpecError as exc:
        print_spec_error(exc)
        raise typer.Exit(EXIT_INVALID) from None
    try:
        text = export(design, to, view)
    except ValueError as exc:
        usage_error(str(exc))
    if out is None:
        typer.echo(text, nl=False)
        return
    try:
        out.write_text(text, "utf-8")
    except OSError as exc:
        err(f"error: cannot write {out}: {exc.strerror or exc}")
        raise typer.Exit(EXIT_INVALID) from None
