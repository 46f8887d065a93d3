"""`diagramgen validate`: check specs, print every problem as `path:line:col: message`."""

from __future__ import annotations

from pathlib import Path

import typer

from diagramgen.cli.common import EXIT_INVALID, err, print_spec_error, spec_paths


def validate(
    paths: list[Path] = typer.Argument(
        ..., help="Spec files or folders (a folder means every *.yaml, *.yml, *.json in it)."
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print problems only."),
) -> None:
    """Check specs; exit 0 when all are valid, else 1 with one line per problem on stderr.

    Example: `diagramgen validate specs/`
    """
    from diagramgen.errors import SpecError
    from diagramgen.spec.loader import load

    failed = 0
    files = spec_paths(paths)
    for path in files:
        try:
            load(path)
        except SpecError as exc:
            failed += 1
            print_spec_error(exc)
    if not quiet:
        ok = len(files) - failed
        err(f"{ok} of {len(files)} spec{'s' if len(files) != 1 else ''} valid")
    if failed:
        raise typer.Exit(EXIT_INVALID)
