"""`diagramgen check`: design-rule findings, one `path:line:col: CODE severity: message` each."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from diagramgen.cli.common import (
    EXIT_INVALID,
    err,
    print_spec_error,
    spec_paths,
    usage_error,
)

if TYPE_CHECKING:
    pass


def check(
    paths: list[Path] = typer.Argument(
        None,
        help="Spec files or folders (a folder means every *.yaml, *.yml, *.json in it).",
        show_default=False,
    ),
    strict: bool = typer.Option(False, "--strict", help="Exit 1 on any warning too."),
    list_rules: bool = typer.Option(
        False, "--list-rules", help="Print the rules (code, name, severity, topic) and exit."
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No summary line on stderr."),
) -> None:
    """Run the design rules; print each finding as `path:line:col: DG101 warning: message`.

    Exit 1 when a spec is invalid or a finding is an error (with `--strict`: also on any
    warning); info findings never fail. Findings silenced by a component's (or the
    design's) `ignore: {DG101: reason}` are not printed; the summary counts them.

    Examples:

    - `diagramgen check specs/`
    - `diagramgen check specs/url_shortener.yaml --strict`
    - `diagramgen check --list-rules`
    """
    if list_rules:
        _print_rules()
        return
    if not paths:
        usage_error("give spec files or folders to check (or --list-rules)")

    from diagramgen.analysis import analyze
    from diagramgen.analysis.report import finding_lines, unknown_ignore_lines
    from diagramgen.errors import SpecError
    from diagramgen.spec.loader import load_located

    counts = {"error": 0, "warning": 0, "info": 0, "suppressed": 0, "invalid": 0}
    files = spec_paths(paths)
    for path in files:
        try:
            loaded = load_located(path)
        except SpecError as exc:
            counts["invalid"] += 1
            print_spec_error(exc)
            continue
        analysis = analyze(loaded.design)
        for line in finding_lines(loaded, analysis):
            typer.echo(line)
        for line in unknown_ignore_lines(loaded, analysis):
            err(line)
            counts["warning"] += 1
        for f in analysis.findings:
            counts[f.severity] += 1
        counts["suppressed"] += len(analysis.suppressed)
    if not quiet:
        n = len(files)
        summary = (
            f"{n} spec{'s' if n != 1 else ''} checked: {counts['error']} errors, "
            f"{counts['warning']} warnings, {counts['info']} info"
        )
        if counts["suppressed"]:
            summary += f", {counts['suppressed']} suppressed"
        if counts["invalid"]:
            summary += f"; {counts['invalid']} invalid"
        err(summary)
    if counts["invalid"] or counts["error"] or (strict and counts["warning"]):
        raise typer.Exit(EXIT_INVALID)


def _print_rules() -> None:
    """The registry as a table on a terminal, as tab-separated lines otherwise."""
    from diagramgen.analysis import default_registry
    from diagramgen.cli.common import stdout_is_terminal

    rules = list(default_registry())
    if not stdout_is_terminal():
        for r in rules:
            typer.echo(f"{r.code}\t{r.name}\t{r.severity}\t{r.topic}\t{r.summary()}")
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("code", "name", "severity", "topic", "finds", box=None, show_edge=False)
    for r in rules:
        table.add_row(r.code, r.name, r.severity, r.topic, r.summary())
    Console().print(table)
