"""`diagramgen notes`: the tradeoff notes of one spec, as Markdown or JSON."""

from __future__ import annotations

from pathlib import Path

import typer

from diagramgen.cli.common import EXIT_INVALID, err, print_spec_error, usage_error

FORMATS = ("markdown", "json")


def notes(
    spec: Path = typer.Argument(..., help="The spec file."),
    fmt: str = typer.Option(
        "markdown", "--format", "-f", help="markdown (what render writes) or json."
    ),
    out: Path = typer.Option(
        None, "--out", "-o", help="Write to this file instead of standard output."
    ),
) -> None:
    """Print the tradeoff notes: capacity estimates, findings by topic, decisions.

    The JSON carries `estimates` (per operation: `avg_per_second`, `peak_per_second`,
    `bandwidth_bytes_per_second`, `storage_bytes` (null without a retention), unrounded)
    and `findings` (`code`, `severity`, `component`, `message`), plus per-component loads
    and the findings silenced with `ignore:` under `suppressed`.

    Examples:

    - `diagramgen notes specs/url_shortener.yaml`
    - `diagramgen notes specs/url_shortener.yaml --format json | jq .estimates.operations`
    """
    import json

    from diagramgen.analysis import analyze
    from diagramgen.errors import SpecError
    from diagramgen.rendering.notes import render_notes
    from diagramgen.spec.loader import load

    if fmt not in FORMATS:
        usage_error(f"unknown format {fmt!r}: choose from {', '.join(FORMATS)}")
    if not spec.exists():
        usage_error(f"no such file: {spec}")
    if spec.is_dir():
        usage_error(f"{spec} is a folder: notes takes one spec file")
    try:
        design = load(spec)
    except SpecError as exc:
        print_spec_error(exc)
        raise typer.Exit(EXIT_INVALID) from None
    analysis = analyze(design)
    if fmt == "json":
        text = json.dumps(analysis.to_json(), indent=2, ensure_ascii=False) + "\n"
    else:
        text = render_notes(design, analysis)
    if out is None:
        typer.echo(text, nl=False)
        return
    try:
        out.write_text(text, "utf-8")
    except OSError as exc:
        err(f"error: cannot write {out}: {exc.strerror or exc}")
        raise typer.Exit(EXIT_INVALID) from None
