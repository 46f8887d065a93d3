"""What every command shares: error printing, exit codes, path checks."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import NoReturn

import typer

from diagramgen.errors import SpecError

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2


def err(message: str) -> None:
    """Print one line to stderr."""
    typer.echo(message, err=True)


def usage_error(message: str) -> NoReturn:
    """Print `error: message` and exit 2."""
    err(f"error: {message}")
    raise typer.Exit(EXIT_USAGE)


def print_spec_error(exc: SpecError) -> None:
    """One `path:line:col: message` line per problem, on stderr."""
    for problem in exc.problems:
        err(str(problem))


def spec_paths(paths: Iterable[Path]) -> list[Path]:
    """Expand folders to their spec files; a missing path or an empty folder is a usage error."""
    from diagramgen.spec.paths import expand_paths  # not the loader: no pydantic models

    given = list(paths)
    for p in given:
        if not p.exists():
            usage_error(f"no such file or folder: {p}")
    files = expand_paths(given)
    if not files:
        usage_error("no spec files (*.yaml, *.yml, *.json) in " + ", ".join(map(str, given)))
    return files


def split_csv(value: str) -> list[str]:
    """`svg, png` -> [`svg`, `png`]."""
    return [v.strip() for v in value.split(",") if v.strip()]


def stdout_is_terminal() -> bool:
    """True when printing to a terminal (progress bars, colors)."""
    return sys.stdout.isatty()
