"""What every command shares: error printing, exit codes, path checks."""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import typer

from diagramgen.errors import SpecError
from diagramgen.text import one_line

if TYPE_CHECKING:
    from diagramgen.spec.models import Design

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2


def err(message: str) -> None:
    """Print one line to stderr."""
    typer.echo(one_line(message), err=True)


def usage_error(message: str) -> NoReturn:
    """Print `error: message` and exit 2."""
    err(f"error: {message}")
    raise typer.Exit(EXIT_USAGE)


def print_spec_error(exc: SpecError) -> None:
    """One `path:line:col: message` line per problem, on stderr."""
    for problem in exc.problems:
        err(str(problem))


def exists(path: Path) -> bool:
    """`path.exists()`, with a name the system refuses (too long, a loop of links) a usage error."""
    try:
        os.stat(path)
    except FileNotFoundError:
        return path.is_symlink()
    except NotADirectoryError:
        return False
    except OSError as exc:
        if exc.errno in (errno.ENAMETOOLONG, errno.ELOOP, errno.EINVAL):
            usage_error(f"cannot use {str(path)[:120]}: {exc.strerror or exc}")
        return True  # there, but not readable: the command reports it
    except ValueError as exc:  # an embedded NUL
        usage_error(f"cannot use {str(path)[:120]!r}: {exc}")
    return True


def spec_paths(paths: Iterable[Path]) -> list[Path]:
    """Expand folders to their spec files; a missing path or an empty folder is a usage error."""
    from diagramgen.spec.paths import expand_paths  # not the loader: no pydantic models

    given = list(paths)
    for p in given:
        if not exists(p):
            usage_error(f"no such file or folder: {p}")
    files = expand_paths(given)
    if not files:
        usage_error("no spec files (*.yaml, *.yml, *.json) in " + ", ".join(map(str, given)))
    return files


def load_one(spec: Path, command: str) -> Design:
    """Load the one spec a command takes; a folder or a missing file is a usage error (2),
    an invalid spec prints its problems and exits 1."""
    from diagramgen.spec.loader import load

    if not exists(spec):
        usage_error(f"no such file: {spec}")
    if spec.is_dir():
        usage_error(f"{spec} is a folder: {command} takes one spec file")
    try:
        return load(spec)
    except SpecError as exc:
        print_spec_error(exc)
        raise typer.Exit(EXIT_INVALID) from None


def write_output(text: str, out: Path | None) -> None:
    """Print `text` to stdout, or write it to `out`; an unwritable file exits 1."""
    if out is None:
        typer.echo(text, nl=False)
        return
    from diagramgen.atomic import write_text
    from diagramgen.errors import OutputError

    if exists(out) and out.is_dir():
        usage_error(f"{out} is a folder: give a file name")
    try:
        write_text(out, text)  # all or nothing: a full disk never leaves a fragment
    except OutputError as exc:
        err(f"error: {exc}")
        raise typer.Exit(EXIT_INVALID) from None


MAX_TIMEOUT = 86400.0  # a day: beyond that a "timeout" is a typo, and `inf` overflows


def finite(value: float | None) -> float | None:
    """Option callback: refuse `inf`, `nan` (which slip through typer's min/max checks)."""
    import math

    if value is not None and not math.isfinite(value):
        raise typer.BadParameter(f"{value} is not a finite number")
    return value


def timeout_option(help: str = "Seconds Graphviz may take per view.") -> Any:
    """The `--timeout` option of the commands that run Graphviz: finite, 1 s to a day."""
    return typer.Option(120.0, "--timeout", min=1, max=MAX_TIMEOUT, callback=finite, help=help)


def split_csv(value: str) -> list[str]:
    """`svg, png` -> [`svg`, `png`]."""
    return [v.strip() for v in value.split(",") if v.strip()]


def stdout_is_terminal() -> bool:
    """True when printing to a terminal (progress bars, colors)."""
    return sys.stdout.isatty()
