"""The `diagramgen` command line: a thin typer layer over the library.

Each command lives in its own module and imports the heavy stages (rendering, diagrams,
Graphviz) inside the command body, so `--help` and `--version` stay fast.
"""

from __future__ import annotations

import typer

from diagramgen import __version__
from diagramgen.cli import (
    cmd_check,
    cmd_diff,
    cmd_drift,
    cmd_export,
    cmd_import,
    cmd_list,
    cmd_mcp,
    cmd_new,
    cmd_notes,
    cmd_render,
    cmd_schema,
    cmd_site,
    cmd_slides,
    cmd_validate,
    cmd_watch,
)

app = typer.Typer(
    name="diagramgen",
    help="Architecture diagrams and tradeoff notes from a declarative system-design spec.\n\n"
    "Quick start: `diagramgen validate specs/` then `diagramgen render specs/url_shortener.yaml`.",
    no_args_is_help=True,
    rich_markup_mode="markdown",
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"diagramgen {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False,
        "--version",
        "-V",
        help="Print the version and exit.",
        callback=_version,
        is_eager=True,
    ),
) -> None:
    """Architecture diagrams and tradeoff notes from a declarative system-design spec."""


app.command("render")(cmd_render.render)
app.command("notes")(cmd_notes.notes)
app.command("check")(cmd_check.check)
app.command("validate")(cmd_validate.validate)
app.command("schema")(cmd_schema.schema)
app.command("export")(cmd_export.export)
app.command("new")(cmd_new.new)
app.command("watch")(cmd_watch.watch)
app.command("list")(cmd_list.list_specs)
app.command("diff")(cmd_diff.diff)
app.command("slides")(cmd_slides.slides)
app.command("site")(cmd_site.site)
app.command("mcp")(cmd_mcp.mcp)
app.command("import")(cmd_import.import_)
app.command("drift")(cmd_drift.drift)


def main() -> None:
    """Console-script entry point.

    SIGTERM, SIGHUP and SIGINT stop a command cleanly: staging folders are removed on the
    way out (`atomic.cancel_on_signals`) and the exit status is 128 + the signal number.
    """
    import gc

    from diagramgen.atomic import Cancelled, cancel_on_signals

    # Collect cycles every 200,000 allocations, not every 700, as mypy does ("otherwise we
    # can spend a large fraction of cpu in gc", mypy/build.py): a loaded spec is tens of
    # thousands of objects with almost no cycles, scanned again and again for nothing
    # (0.08 s of a 1,000-component `notes`, 150 collections freeing about 1,000 objects).
    gc.set_threshold(200_000, 30, 30)
    try:
        with cancel_on_signals():
            app()
    except Cancelled as exc:
        typer.echo(f"diagramgen: {exc}", err=True)
        raise SystemExit(128 + exc.signum) from None
    except OSError as exc:  # the system refused something no command checked: no traceback
        where = f" {str(exc.filename)[:120]}" if exc.filename else ""
        typer.echo(f"error:{where}: {exc.strerror or exc}", err=True)
        raise SystemExit(1) from None
