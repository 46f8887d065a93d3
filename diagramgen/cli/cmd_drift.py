"""`diagramgen drift`: where the deployed system no longer matches its design."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from diagramgen.cli.common import EXIT_INVALID, err, load_one, split_csv, usage_error


def drift(
    spec: Path = typer.Argument(..., help="The design: a spec file."),
    against: Path = typer.Option(
        ...,
        "--against",
        help="What is deployed: anything `diagramgen import` reads (Compose, Kubernetes, "
        "Terraform plan/state JSON, `.tf` folder).",
    ),
    output_format: str = typer.Option(
        "markdown", "--format", help="Report format on stdout: markdown or json."
    ),
    exit_code: bool = typer.Option(False, "--exit-code", help="Exit 1 on drift (for CI)."),
    out: Path | None = typer.Option(
        None, "--out", "-o", help="Also draw the drift into OUT/drift.svg (and png)."
    ),
    formats: str = typer.Option("svg,png", "--formats", "-f", help="Picture formats with -o."),
    theme: str = typer.Option("light", "--theme", help="Picture theme: light or dark."),
) -> None:
    """Compare a design with the infrastructure: components and connections only one side
    has, and what differs (replicas, autoscaling bounds, tech, version). Components are
    matched by id, then by `source`, then by name.

    Examples:

    - `diagramgen drift specs/voting.yaml --against compose.yaml`
    - `diagramgen drift specs/shop.yaml --against k8s/ --exit-code -o drift/`
    """
    from diagramgen.rendering import FORMATS
    from diagramgen.view.themes import THEMES

    if output_format not in ("markdown", "json"):
        usage_error(f"unknown --format {output_format!r}: choose markdown or json")
    fmts = split_csv(formats)
    if not fmts or any(f not in FORMATS for f in fmts):
        usage_error(f"unknown format in {formats!r}: choose from {', '.join(FORMATS)}")
    if theme not in THEMES:
        usage_error(f"unknown theme {theme!r}: choose from {', '.join(THEMES)}")
    design = load_one(spec, "drift")

    from diagramgen.diffing.output import write_view
    from diagramgen.drift import drift as compare
    from diagramgen.drift import drift_view, to_json, to_markdown
    from diagramgen.errors import DiagramgenError
    from diagramgen.importers import import_source

    try:
        imported = import_source(against)
        result = compare(design, imported.design(), imported.warnings)
        if output_format == "json":
            typer.echo(json.dumps(to_json(result, str(spec), str(against)), indent=2))
        else:
            typer.echo(to_markdown(result, str(spec), str(against)), nl=False)
        if out is not None:
            view = drift_view(result, str(spec), str(against))
            written = write_view(view, out, fmts, theme)
            err("wrote " + ", ".join(map(str, written)))
    except DiagramgenError as exc:
        err(f"error: {exc}")
        raise typer.Exit(EXIT_INVALID) from None
    if exit_code and result.has_drift:
        raise typer.Exit(1)
