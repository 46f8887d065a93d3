"""What each MCP tool does, as plain functions over a `Workspace` (no MCP SDK here).

Each is a thin wrapper over the public API (`diagramgen.render`, `analyze`, `diff`,
`export`) and the helpers the CLI commands call, so a tool answers exactly what the
matching command prints. A tool returns a `ToolResult`; a failure raises `ToolFailure`
(`workspace.py`), whose text the server hands back as a tool error.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from diagramgen.errors import DiagramgenError, SpecError
from diagramgen.mcp_server.workspace import TEXT_NAME, InvalidSpec, ToolFailure, Workspace, choose

if TYPE_CHECKING:
    from diagramgen.spec.models import Design

RENDER_OUT = "output"  # where `render` writes a `path` spec, as `diagramgen render` does


@dataclass(frozen=True)
class ToolResult:
    """A tool's answer: text for the assistant, optionally a PNG and a JSON value."""

    text: str
    png: bytes | None = None
    data: dict[str, Any] | None = None


def _json(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


def validate(ws: Workspace, path: str | None = None, text: str | None = None) -> ToolResult:
    """`valid`, or one `path:line:col: message` line per problem (a result, not a failure:
    the problems are the answer)."""
    try:
        ws.load(path, text)
    except InvalidSpec as exc:
        problems = [
            {"path": p.path, "line": p.line or None, "col": p.col or None, "message": p.message}
            for p in exc.problems
        ]
        return ToolResult(str(exc), data={"valid": False, "problems": problems})
    return ToolResult("valid", data={"valid": True, "problems": []})


def render(
    ws: Workspace,
    path: str | None = None,
    text: str | None = None,
    out: str | None = None,
    formats: list[str] | None = None,
    theme: str | None = None,
) -> ToolResult:
    """Render every view and the notes; the answer carries the overview PNG and the files."""
    import diagramgen
    from diagramgen.rendering import FORMATS
    from diagramgen.view.themes import THEMES

    fmts = list(dict.fromkeys([*(formats or ["svg"]), "png"]))  # the PNG comes back
    bad = [f for f in fmts if f not in FORMATS]
    if bad:
        raise ToolFailure(f"unknown format {bad[0]!r}: choose from {', '.join(FORMATS)}")
    if theme is not None and theme not in THEMES:
        raise ToolFailure(f"unknown theme {theme!r}: choose from {', '.join(THEMES)}")
    design = ws.load(path, text).design
    if out is not None:
        target = ws.resolve(out, "out")
    elif choose(path, text) == "path":
        target = ws.resolve(RENDER_OUT, "out")
    else:
        target = ws.scratch()  # a draft's pictures never land among the user's files
    _check_replaceable(ws, target / design.slug)
    try:
        result = diagramgen.render(design, target, formats=fmts, theme=theme)
    except DiagramgenError as exc:
        raise ToolFailure(f"error: {exc}") from None
    files = [ws.shown(f) for f in result.files]
    overview = result.directory / "overview.png"
    lines = [f"rendered {design.slug} into {ws.shown(result.directory)}:", *files]
    return ToolResult(
        "\n".join(lines) + "\n",
        png=overview.read_bytes(),
        data={"slug": design.slug, "directory": ws.shown(result.directory), "files": files},
    )


def _check_replaceable(ws: Workspace, folder: Path) -> None:
    """Refuse to render over a folder that is not an earlier render.

    A render replaces `OUT/<slug>/` whole. `diagramgen render` writes a flat folder with an
    `overview.*`; anything else there (`out: "."` and a design named `specs`, say) is the
    user's, and an assistant's odd `out` must never delete it.
    """
    if not folder.is_dir():
        return
    entries = list(folder.iterdir())
    ours = any(e.name.startswith("overview.") for e in entries)
    if entries and (not ours or any(e.is_dir() for e in entries)):
        raise ToolFailure(
            f"{ws.shown(folder)} exists and is not a diagramgen render (a render replaces "
            "the whole folder): give another `out`"
        )


def notes(
    ws: Workspace, path: str | None = None, text: str | None = None, format: str = "markdown"
) -> ToolResult:
    """The tradeoff notes as Markdown, or the estimates and findings as JSON."""
    import diagramgen
    from diagramgen.rendering.notes import render_notes

    if format not in ("markdown", "json"):
        raise ToolFailure(f"unknown format {format!r}: choose markdown or json")
    design = ws.load(path, text).design
    analysis = diagramgen.analyze(design)
    if format == "json":
        data = analysis.to_json()
        return ToolResult(_json(data), data=data)
    return ToolResult(render_notes(design, analysis))


def check(ws: Workspace, path: str | None = None, text: str | None = None) -> ToolResult:
    """The findings, one `path:line:col: DG101 warning: message` line each, as `check` prints."""
    import diagramgen
    from diagramgen.analysis.report import finding_lines, unknown_ignore_lines

    loaded = ws.load(path, text)
    analysis = diagramgen.analyze(loaded.design)
    lines = finding_lines(loaded, analysis) + unknown_ignore_lines(loaded, analysis)
    summary = analysis.to_json()["summary"]
    # The summary line of `diagramgen check`.
    counts = f"{summary['error']} errors, {summary['warning']} warnings, {summary['info']} info"
    if summary["suppressed"]:
        counts += f", {summary['suppressed']} suppressed"
    text_out = "\n".join([*lines, counts]) + "\n"
    return ToolResult(
        text_out, data={"findings": [f.to_json() for f in analysis.findings], "summary": summary}
    )


def diff(
    ws: Workspace,
    old_path: str | None = None,
    old_text: str | None = None,
    new_path: str | None = None,
    new_text: str | None = None,
    format: str = "markdown",
) -> ToolResult:
    """The changelog from the old spec to the new one (each a path, `path@rev`, or text)."""
    import diagramgen
    from diagramgen.diffing.changelog import to_json, to_markdown

    if format not in ("markdown", "json"):
        raise ToolFailure(f"unknown format {format!r}: choose markdown or json")
    old, old_label = _diff_side(ws, old_path, old_text, "old")
    new, new_label = _diff_side(ws, new_path, new_text, "new")
    result = diagramgen.diff(old, new)
    if format == "json":
        data = to_json(result, old_label, new_label)
        return ToolResult(_json(data), data=data)
    return ToolResult(to_markdown(result, old_label, new_label))


def _diff_side(ws: Workspace, path: str | None, text: str | None, side: str) -> tuple[Design, str]:
    """One side of a diff: a spec file, a spec file at a git revision, or text."""
    from diagramgen.diffing.git import SpecRef, parse_ref
    from diagramgen.diffing.sources import load_ref
    from diagramgen.spec.loader import loads

    try:
        choose(path, text)
    except ToolFailure:
        raise ToolFailure(
            f"give the {side} spec: `{side}_path` (a file under the server's folder, or "
            f"`file@REV` for its version in git) or `{side}_text` (the spec itself)"
        ) from None
    try:
        if text is not None:
            label = f"{TEXT_NAME[:-1]} {side}>"
            return loads(text, path=label, base_dir=ws.root), label
        assert path is not None
        ref = parse_ref(path)
        if ref.rev is None:
            rel = ws.spec_file(str(ref.path), f"{side}_path")
        else:
            # A file deleted since `rev` is still a fine `file@rev`: confine, do not require.
            rel = Path(ws.shown(ws.resolve(str(ref.path), f"{side}_path")))
        ref = SpecRef(rel, ref.rev)
        return load_ref(ref), str(ref)
    except SpecError as exc:
        raise InvalidSpec(exc) from None
    except DiagramgenError as exc:  # git: unknown revision, not a repository, ...
        if isinstance(exc, ToolFailure):
            raise
        raise ToolFailure(f"error: {exc}") from None


def export(
    ws: Workspace,
    to: str,
    path: str | None = None,
    text: str | None = None,
    view: str | None = None,
) -> ToolResult:
    """The design as Mermaid, D2, draw.io or JSON text."""
    import diagramgen

    design = ws.load(path, text).design
    try:
        exported = diagramgen.export(design, to, view)
    except ValueError as exc:
        raise ToolFailure(str(exc)) from None
    # What the format cannot carry, one line per kind (the CLI prints them as warnings).
    losses = [loss.line(to) for loss in exported.losses]
    return ToolResult(str(exported), data={"losses": losses} if losses else None)


def schema(ws: Workspace) -> ToolResult:
    """The JSON Schema of the spec, generated from the models."""
    from diagramgen.spec.schema import schema_json

    return ToolResult(schema_json())


def rules(ws: Workspace, code: str | None = None) -> ToolResult:
    """The rule table, then each rule's documentation (what it finds, why, how to fix)."""
    import inspect

    from diagramgen.analysis import default_registry
    from diagramgen.analysis.registry import rules_table
    from diagramgen.spec.semantic import did_you_mean

    registry = default_registry()
    chosen = list(registry)
    if code is not None:
        rule = registry.get(code.strip().upper())
        if rule is None:
            raise ToolFailure(f"no rule {code!r}{did_you_mean(code.upper(), registry.codes)}")
        chosen = [rule]
    parts = [] if code is not None else [rules_table(registry), ""]
    data = []
    for rule in chosen:
        doc = inspect.cleandoc(type(rule).__doc__ or "")
        parts += [f"## {rule.code} `{rule.name}` ({rule.severity}, {rule.topic})", "", doc, ""]
        data.append(
            {
                "code": rule.code,
                "name": rule.name,
                "severity": rule.severity,
                "topic": rule.topic,
                "summary": rule.summary(),
                "doc": doc,
            }
        )
    return ToolResult("\n".join(parts), data={"rules": data})


def new(ws: Workspace, template: str = "web", name: str = "my-design") -> ToolResult:
    """A commented starter spec from a template (returned, not written)."""
    from diagramgen.templates import TEMPLATES, schema_reference, starter_spec

    if template not in TEMPLATES:
        raise ToolFailure(f"unknown template {template!r}: choose from {', '.join(TEMPLATES)}")
    try:
        folder = ws.root / "specs"
        return ToolResult(
            starter_spec(name, template, schema=schema_reference(folder), path=f"specs/{name}.yaml")
        )
    except ValueError as exc:
        raise ToolFailure(str(exc)) from None
