"""`diagramgen new`: write a commented starter spec that validates and renders as it is."""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path

import typer

from diagramgen.cli.common import EXIT_INVALID, err, exists, usage_error
from diagramgen.templates import TEMPLATES


class Template(StrEnum):
    """The starter templates (the files under diagramgen/templates/; a test keeps them equal)."""

    web = "web"
    pipeline = "pipeline"
    event_driven = "event-driven"
    minimal = "minimal"


_TEMPLATE_HELP = "Starting point: " + "; ".join(f"{k} ({v})" for k, v in TEMPLATES.items()) + "."


def new(
    name: str = typer.Argument(
        ...,
        help="Name of the design: letters, digits, '-' and '_'. Writes DIR/NAME.yaml.",
        show_default=False,
    ),
    template: Template = typer.Option(Template.web, "--template", "-t", help=_TEMPLATE_HELP),
    out: Path = typer.Option(
        Path("specs"),
        "--out",
        "-o",
        metavar="DIR",
        help="Folder to write the spec into (created if missing).",
    ),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing file."),
    schema: str | None = typer.Option(
        None,
        "--schema",
        help="What the `# yaml-language-server: $schema=` line points at (a path relative to "
        "DIR, or a URL). Default: the nearest schemas/design.schema.json in DIR or above it, "
        "else the published schema URL.",
        show_default=False,
    ),
) -> None:
    """Write a commented starter spec `DIR/NAME.yaml` that validates and renders as it is.

    Refuses to overwrite an existing file (exit 1) unless `--force` is given.

    Examples:

    - `diagramgen new checkout` (writes specs/checkout.yaml from the web template)
    - `diagramgen new ingest --template pipeline -o designs/`
    - `diagramgen new orders -t event-driven && diagramgen watch specs/orders.yaml`
    """
    from diagramgen.templates import check_name, schema_reference, starter_spec

    try:
        stem = check_name(name)
    except ValueError as exc:
        usage_error(str(exc))
    if schema is not None and (not schema.strip() or any(ch < " " for ch in schema)):
        usage_error("--schema must be one line of text: a path or a URL")
    target = out / f"{stem}.yaml"
    text = starter_spec(
        stem, template.value, schema=schema or schema_reference(out), path=target.as_posix()
    )
    if exists(target) and target.is_dir():
        err(f"error: {target} is a folder")
        raise typer.Exit(EXIT_INVALID)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        err(f"error: cannot write {target}: cannot create {out}: {exc.strerror or exc}")
        raise typer.Exit(EXIT_INVALID) from None
    try:
        # "x" creates the file only if it does not exist: no check-then-write race.
        with open(target, "w" if force else "x", encoding="utf-8", newline="\n") as f:
            f.write(text)
    except FileExistsError:
        err(f"error: {target} already exists (use --force to overwrite it)")
        raise typer.Exit(EXIT_INVALID) from None
    except OSError as exc:
        err(f"error: cannot write {target}: {exc.strerror or exc}")
        raise typer.Exit(EXIT_INVALID) from None
    typer.echo(f"created {target} from the {template.value} template")
    typer.echo(
        f"next: edit it, then `diagramgen watch {_shell(target)}` for a live preview "
        f"or `diagramgen render {_shell(target)}`"
    )


def _shell(path: Path) -> str:
    """A path as the user would type it (quoted only when it needs to be)."""
    import shlex

    return shlex.quote(os.fspath(path))
