"""`diagramgen mcp`: serve the tools to an assistant over MCP (stdio)."""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

import typer

from diagramgen.cli.common import err, usage_error


def mcp(
    root: Path = typer.Option(
        None,
        "--root",
        help="The folder to serve (tools only read and write under it). Default: the "
        "current folder.",
        show_default=False,
    ),
) -> None:
    """Run an MCP server on standard input and output, for assistants (Claude, VS Code).

    Tools: validate, render, notes, check, diff, export, schema, rules, new; each takes
    a spec as `path` (a file under the folder) or `text`. Resources: the specs under the
    folder as `spec://<slug>` and their notes as `spec://<slug>/notes`. Paths outside the
    folder are refused. Register it with a client: see the README.

    Example: `diagramgen mcp --root ~/designs`
    """
    if root is not None:
        if not root.is_dir():
            usage_error(f"no such folder: {root}")
        # Relative paths in tool calls, git and custom icons are all read from here.
        os.chdir(root)
    # The SDK is imported only now: other commands start without it.
    from diagramgen.mcp_server.server import serve

    if sys.stdin.isatty():  # started by hand: say what it waits for (stdout is the protocol's)
        err(
            f"diagramgen mcp: serving {Path.cwd()} to an MCP client on stdin/stdout; "
            "register it with a client (README: Assistants). Ctrl-D stops it."
        )
    # Ctrl-C is a normal way to stop a server, not a crash: no traceback.
    with contextlib.suppress(KeyboardInterrupt):
        serve(Path.cwd())
