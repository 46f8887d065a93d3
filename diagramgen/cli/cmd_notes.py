"""`diagramgen notes`: the tradeoff notes of one spec, as Markdown or JSON."""

from __future__ import annotations

from pathlib import Path

import typer

from diagramgen.cli.common import load_one, usage_error, write_output

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
    from diagramgen.rendering.notes import render_notes

    if fmt not in FORMATS:
        usage_error(f"unknown format {fmt!r}: choose from {', '.join(FORMATS)}")
    design = load_one(spec, "notes")
    analysis = analyze(design)
    if fmt == "json":
        text = json.dumps(analysis.to_json(), indent=2, ensure_ascii=False) + "\n"
    else:
        text = render_notes(design, analysis)
    write_output(text, out)
