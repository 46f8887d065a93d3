"""The MCP server: the tools of `tools.py` and the specs of the folder, over the official SDK.

This is the only module that imports `mcp`; `diagramgen mcp` imports it inside the
command, so no other command pays for the SDK. Every tool call ends in a result: a
`ToolFailure` (an invalid spec, a path outside the folder, an unknown format) comes back
as a tool error whose text is the CLI's message, and anything unexpected is reported by
the SDK as a failed call while the server keeps serving.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Literal

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ResourceError, ResourceNotFoundError
from mcp.types import CallToolResult, ImageContent, Resource, TextContent, ToolAnnotations
from pydantic import Field

from diagramgen import __version__
from diagramgen.mcp_server import tools
from diagramgen.mcp_server.workspace import ToolFailure, Workspace

INSTRUCTIONS = """\
diagramgen turns a declarative system-design spec (YAML or JSON) into architecture \
diagrams, capacity estimates and design-rule findings.

Draft a design: `new` gives a commented starter spec, `schema` the JSON Schema of every \
field. Check it with `validate` (problems at line:column) and `check` (design rules; \
`rules` explains each code). `notes` gives the capacity estimates and tradeoffs, \
`render` the picture, `diff` what changed between two versions, `export` Mermaid, D2, \
draw.io or JSON. Every spec argument is either `path` (a spec file under the server's \
folder) or `text` (the spec itself, never written to disk). The specs of the folder are \
resources `spec://<slug>`, their notes `spec://<slug>/notes`."""

_PATH = Field(
    description="A spec file (YAML or JSON) under the server's folder, relative to it, e.g. "
    "`specs/url_shortener.yaml`. Give this or `text`.",
)
_TEXT = Field(
    description="The spec itself as YAML or JSON text (for a draft not saved yet); it is "
    "parsed in memory and written nowhere. Give this or `path`.",
)
_FORMAT = Field(description="`markdown` (for reading) or `json` (for further processing).")

SpecPath = Annotated[str | None, _PATH]
SpecText = Annotated[str | None, _TEXT]
TextFormat = Annotated[Literal["markdown", "json"], _FORMAT]

READ_ONLY = ToolAnnotations(read_only_hint=True, open_world_hint=False)


def _result(call: Callable[[], tools.ToolResult]) -> CallToolResult:
    """Run a tool; its answer as MCP content, or its `ToolFailure` as a tool error."""
    try:
        answer = call()
    except ToolFailure as exc:
        return CallToolResult(content=[TextContent(text=str(exc))], is_error=True)
    content: list[Any] = [TextContent(text=answer.text)]
    if answer.png is not None:
        data = base64.b64encode(answer.png).decode("ascii")
        content.insert(0, ImageContent(data=data, mime_type="image/png"))
    return CallToolResult(content=content, structured_content=answer.data)


class _Server(MCPServer):
    """MCPServer whose resource list is read from the folder at each request, so specs
    added after the start are listed too."""

    def __init__(self, workspace: Workspace, **kw: Any) -> None:
        super().__init__(**kw)
        self.workspace = workspace

    async def list_resources(self) -> list[Resource]:
        import anyio.to_thread

        specs = await anyio.to_thread.run_sync(self.workspace.specs)
        listed = await super().list_resources()
        for spec in specs:
            json_spec = Path(spec.path).suffix == ".json"
            listed.append(
                Resource(
                    uri=f"spec://{spec.slug}",
                    name=spec.slug,
                    title=f"{spec.path} (spec)",
                    description=f"The spec file {spec.path}",
                    mime_type="application/json" if json_spec else "application/yaml",
                )
            )
            listed.append(
                Resource(
                    uri=f"spec://{spec.slug}/notes",
                    name=f"{spec.slug}-notes",
                    title=f"{spec.path} (notes)",
                    description=f"Capacity estimates, findings and decisions of {spec.path}",
                    mime_type="text/markdown",
                )
            )
        return listed


def build_server(workspace: Workspace) -> MCPServer:
    """The diagramgen MCP server for `workspace` (run it with `.run("stdio")`)."""
    ws = workspace
    server = _Server(
        ws,
        name="diagramgen",
        version=__version__,
        instructions=INSTRUCTIONS,
        log_level="WARNING",  # stderr stays quiet: clients show it as the server's log
    )

    @server.tool(annotations=READ_ONLY, structured_output=False)
    def validate(path: SpecPath = None, text: SpecText = None) -> CallToolResult:
        """Check a spec against the schema and its references. Answers `valid`, or one
        `path:line:col: message` line per problem (every problem, not only the first), so
        you can fix them all at once. Run it after every edit of a spec."""
        return _result(lambda: tools.validate(ws, path, text))

    # It replaces only an earlier render of the design (tools._check_replaceable).
    rewrites = ToolAnnotations(destructive_hint=False, idempotent_hint=True, open_world_hint=False)

    @server.tool(annotations=rewrites, structured_output=False)
    def render(
        path: SpecPath = None,
        text: SpecText = None,
        out: Annotated[
            str | None,
            Field(
                description="Output folder under the server's folder. Default: `output` for "
                "a `path` spec (as `diagramgen render`), a private temporary folder for a "
                "`text` spec. The files go to OUT/<slug>/, replacing an earlier render there "
                "(never a folder it did not write)."
            ),
        ] = None,
        formats: Annotated[
            list[Literal["svg", "png", "pdf", "dot"]] | None,
            Field(description="Files to write besides the PNG (always written). Default: svg."),
        ] = None,
        theme: Annotated[
            Literal["light", "dark"] | None,
            Field(description="Color theme. Default: the spec's `theme:`, else light."),
        ] = None,
    ) -> CallToolResult:
        """Draw the design: the overview diagram comes back as a PNG image, followed by
        the paths of every file written (one picture per view: the overview, one per flow
        and per custom view, plus notes.md). Use it to show the user the architecture."""
        return _result(lambda: tools.render(ws, path, text, out, formats, theme))

    @server.tool(annotations=READ_ONLY, structured_output=False)
    def notes(
        path: SpecPath = None, text: SpecText = None, format: TextFormat = "markdown"
    ) -> CallToolResult:
        """The design's tradeoff notes: capacity estimates (requests per second at average
        and peak, bandwidth, storage growth, per-component load and cost), each with how
        it was derived, then the design-rule findings by topic and the recorded decisions.
        `json` gives `estimates` and `findings` as numbers (unrounded)."""
        return _result(lambda: tools.notes(ws, path, text, format))

    @server.tool(annotations=READ_ONLY, structured_output=False)
    def check(path: SpecPath = None, text: SpecText = None) -> CallToolResult:
        """Run the design rules (single points of failure, overloaded components, missing
        timeouts, unencrypted personal data, ...). One line per finding:
        `path:line:col: DG101 warning: message`, then the counts. `rules` explains a
        code; a finding the design accepts is silenced with `ignore: {DG101: reason}`."""
        return _result(lambda: tools.check(ws, path, text))

    @server.tool(annotations=READ_ONLY, structured_output=False)
    def diff(
        old_path: Annotated[
            str | None,
            Field(
                description="The old spec: a file under the server's folder, or "
                "`file@REV` for its version at a git revision (`specs/a.yaml@HEAD~1`)."
            ),
        ] = None,
        old_text: Annotated[str | None, Field(description="The old spec as text.")] = None,
        new_path: Annotated[
            str | None,
            Field(description="The new spec: a file under the server's folder, or `file@REV`."),
        ] = None,
        new_text: Annotated[str | None, Field(description="The new spec as text.")] = None,
        format: TextFormat = "markdown",
    ) -> CallToolResult:
        """What changed between two versions of a design: components, connections, groups,
        flows and decisions added, removed or changed (matched by id, so reordering is not
        a change), and how the estimates and findings moved. Give one of `old_path` and
        `old_text`, and one of `new_path` and `new_text`."""
        return _result(lambda: tools.diff(ws, old_path, old_text, new_path, new_text, format))

    @server.tool(annotations=READ_ONLY, structured_output=False)
    def export(
        to: Annotated[
            Literal["mermaid", "d2", "drawio", "json"],
            Field(description="mermaid (renders in Markdown), d2, drawio (XML) or json."),
        ],
        path: SpecPath = None,
        text: SpecText = None,
        view: Annotated[
            str | None,
            Field(
                description="A view other than the overview: `flow-<name>` or a view from "
                "`views:` (not for json)."
            ),
        ] = None,
    ) -> CallToolResult:
        """The design in another tool's format, as text: Mermaid to paste into Markdown,
        D2, a draw.io diagram, or the resolved design as JSON."""
        return _result(lambda: tools.export(ws, to, path, text, view))

    @server.tool(annotations=READ_ONLY, structured_output=False)
    def schema() -> CallToolResult:
        """The JSON Schema of a spec: every field, its type, description and examples
        (component kinds and their typed attributes, workload, flows, decisions). Read it
        before writing a spec."""
        return _result(lambda: tools.schema(ws))

    @server.tool(annotations=READ_ONLY, structured_output=False)
    def rules(
        code: Annotated[
            str | None, Field(description="One rule's code (e.g. DG101). Default: all.")
        ] = None,
    ) -> CallToolResult:
        """The design rules `check` runs: a table (code, name, severity, topic) and each
        rule's documentation: what it finds, why it matters, an example and the fix."""
        return _result(lambda: tools.rules(ws, code))

    @server.tool(annotations=READ_ONLY, structured_output=False)
    def new(
        template: Annotated[
            Literal["web", "pipeline", "event-driven", "minimal"],
            Field(
                description="web (CDN, load balancer, API, cache, SQL, workers); pipeline "
                "(collector, stream, ETL, lake, warehouse); event-driven (services on a "
                "stream); minimal (client, service, database)."
            ),
        ] = "web",
        name: Annotated[
            str, Field(description="The design's name: letters, digits, '-' and '_'.")
        ] = "my-design",
    ) -> CallToolResult:
        """A commented starter spec that validates and renders as it is, returned as text
        (nothing is written): edit it, then pass it to `validate` or `render` as `text`,
        or save it as specs/<name>.yaml."""
        return _result(lambda: tools.new(ws, template, name))

    @server.resource("spec://{slug}/notes", name="spec-notes", mime_type="text/markdown")
    def spec_notes(slug: str) -> str:
        """The tradeoff notes of a spec under the server's folder."""
        try:
            return tools.notes(ws, _resource_path(ws, slug)).text
        except ToolFailure as exc:  # an invalid spec: its problems, as `validate` gives them
            raise ResourceError(str(exc)) from None

    @server.resource("spec://{slug}", name="spec", mime_type="text/plain")
    def spec_text(slug: str) -> str:
        """A spec file under the server's folder."""
        return (ws.root / _resource_path(ws, slug)).read_text("utf-8")

    return server


def _resource_path(ws: Workspace, slug: str) -> str:
    try:
        return str(ws.find(slug))
    except ToolFailure as exc:
        raise ResourceNotFoundError(str(exc)) from None


def serve(root: Path) -> None:
    """Serve `root` over stdio until the client closes the connection."""
    ws = Workspace(root)
    try:
        build_server(ws).run("stdio")
    finally:
        ws.close()
