"""`diagramgen mcp`: serve the tools to an assistant over MCP (stdio)."""

from __future__ import annotations

import os
from pathlib import Path

import typer

from diagramgen.cli.common import usage_error


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

    serve(Path.cwd())
