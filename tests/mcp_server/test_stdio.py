"""`diagramgen mcp` as an assistant sees it: a subprocess spoken to with the SDK's own
stdio client.

One server is started for the module (in a temporary git repository with two specs) and
every call is made in one session; the tests then read the answers. Starting the server
once keeps the module at a few seconds.
"""

from __future__ import annotations

import base64
import io
import subprocess
import sys
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client
from mcp.shared.exceptions import MCPError
from PIL import Image

from tests.conftest import SMALL_SPEC
from tests.diffing.test_git import git

# Line 6 puts an unknown field on a component: the loader reports it at 6:26.
BAD_SPEC = """\
name: bad
components:
  - {id: web, kind: client}
  - {id: api, kind: service}
connections:
  - {from: web, to: api, colour: red}
"""
EDITED_SPEC = SMALL_SPEC.replace("replicas: 3}", "replicas: 5}").replace(
    "connections:\n", "  - {id: cache, kind: cache, tech: redis, group: data}\nconnections:\n"
)
CALLS: dict[str, tuple[str, dict[str, Any]]] = {
    "validate_good": ("validate", {"path": "specs/small.yaml"}),
    "validate_bad_path": ("validate", {"path": "specs/bad.yaml"}),
    "validate_bad_text": ("validate", {"text": BAD_SPEC}),
    "validate_both": ("validate", {"path": "specs/small.yaml", "text": SMALL_SPEC}),
    "render": ("render", {"path": "specs/small.yaml"}),
    "render_text": ("render", {"text": EDITED_SPEC}),
    "render_bad": ("render", {"path": "specs/bad.yaml"}),
    "notes_md": ("notes", {"path": "specs/small.yaml"}),
    "notes_json": ("notes", {"text": SMALL_SPEC, "format": "json"}),
    "check": ("check", {"path": "specs/small.yaml"}),
    "diff_git": ("diff", {"old_path": "specs/small.yaml@HEAD", "new_path": "specs/small.yaml"}),
    "diff_text": (
        "diff",
        {"old_text": SMALL_SPEC, "new_path": "specs/small.yaml", "format": "json"},
    ),
    "diff_bad_rev": ("diff", {"old_path": "specs/small.yaml@nope", "new_path": "specs/small.yaml"}),
    "export": ("export", {"path": "specs/small.yaml", "to": "mermaid"}),
    "schema": ("schema", {}),
    "rules": ("rules", {}),
    "rule": ("rules", {"code": "dg101"}),
    "new": ("new", {"template": "minimal", "name": "shop"}),
    "outside_dotdot": ("validate", {"path": "../secret.yaml"}),
    "outside_absolute": ("notes", {"path": "/etc/passwd"}),
    "outside_link": ("check", {"path": "specs/link.yaml"}),
    "outside_out": ("render", {"path": "specs/small.yaml", "out": "../elsewhere"}),
    "outside_diff": ("diff", {"old_path": "../secret.yaml@HEAD", "new_path": "specs/small.yaml"}),
    "missing": ("notes", {"path": "specs/missing.yaml"}),
}


async def _session(root: Path) -> dict[str, Any]:
    params = StdioServerParameters(
        command=sys.executable, args=["-m", "diagramgen", "mcp"], cwd=str(root)
    )
    answers: dict[str, Any] = {}
    with anyio.fail_after(180):
        await _calls(params, answers)
    return answers


async def _calls(params: StdioServerParameters, answers: dict[str, Any]) -> None:
    async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        answers["tools"] = (await session.list_tools()).tools
        for key, (name, arguments) in CALLS.items():
            answers[key] = await session.call_tool(name, arguments)
        answers["resources"] = (await session.list_resources()).resources
        answers["resource_spec"] = await session.read_resource("spec://small")
        answers["resource_notes"] = await session.read_resource("spec://small/notes")
        for uri in ("spec://bad/notes", "spec://nope"):
            try:
                answers[uri] = await session.read_resource(uri)
            except MCPError as exc:  # a protocol error, as resources report failures
                answers[uri] = exc
        # The server is still serving after every error above.
        answers["after"] = await session.call_tool("validate", {"text": SMALL_SPEC})


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """A git repository with specs/small.yaml committed and then edited, plus specs/bad.yaml,
    a link out of the folder, and a secret beside the folder; and every answer."""
    base = tmp_path_factory.mktemp("mcp")
    root = base / "work"
    (root / "specs").mkdir(parents=True)
    (base / "secret.yaml").write_text(SMALL_SPEC, "utf-8")
    git(root, "init", "-q")
    (root / "specs" / "small.yaml").write_text(SMALL_SPEC, "utf-8")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "first")
    (root / "specs" / "small.yaml").write_text(EDITED_SPEC, "utf-8")
    (root / "specs" / "bad.yaml").write_text(BAD_SPEC, "utf-8")
    (root / "specs" / "link.yaml").symlink_to(base / "secret.yaml")
    return root, anyio.run(_session, root)


def text_of(result: Any) -> str:
    return "\n".join(c.text for c in result.content if c.type == "text")


def test_lists_the_tools_with_their_arguments(served):
    _, answers = served
    tools = {t.name: t for t in answers["tools"]}
    assert set(tools) == {
        "validate", "render", "notes", "check", "diff", "export", "schema", "rules", "new",
    }  # fmt: skip
    for name in ("validate", "render", "notes", "check", "export"):
        props = tools[name].input_schema["properties"]
        assert {"path", "text"} <= set(props), name
        assert props["path"]["description"] and props["text"]["description"]
        assert tools[name].description
    assert set(tools["diff"].input_schema["properties"]) >= {"old_path", "new_text"}


def test_validate_good_and_bad_specs(served):
    _, answers = served
    good = answers["validate_good"]
    assert not good.is_error and text_of(good) == "valid"
    bad = answers["validate_bad_path"]
    assert text_of(bad).startswith("specs/bad.yaml:6:")
    assert "colour" in text_of(bad)
    problem = bad.structured_content["problems"][0]
    assert (problem["path"], problem["line"]) == ("specs/bad.yaml", 6)
    assert problem["col"] > 1
    assert bad.structured_content["valid"] is False
    # The same message the CLI prints for the same file.
    cli = subprocess.run(
        [sys.executable, "-m", "diagramgen", "validate", "-q", "specs/bad.yaml"],
        cwd=served[0],
        capture_output=True,
        text=True,
    )
    assert cli.returncode == 1 and cli.stderr.strip() == text_of(bad)
    from_text = text_of(answers["validate_bad_text"])
    assert from_text == text_of(bad).replace("specs/bad.yaml", "<text>")


def test_both_spec_arguments_is_a_tool_error(served):
    _, answers = served
    assert answers["validate_both"].is_error
    assert "not both" in text_of(answers["validate_both"])
    assert not answers["after"].is_error and text_of(answers["after"]) == "valid"


def test_render_returns_the_overview_png_and_the_files(served):
    root, answers = served
    result = answers["render"]
    assert not result.is_error, text_of(result)
    images = [c for c in result.content if c.type == "image"]
    assert len(images) == 1 and images[0].mime_type == "image/png"
    data = base64.b64decode(images[0].data)
    with Image.open(io.BytesIO(data)) as picture:
        picture.load()
        assert picture.format == "PNG" and picture.width >= 500
    files = result.structured_content["files"]
    assert "output/small/overview.png" in files and "output/small/notes.md" in files
    for rel in files:
        assert (root / rel).is_file(), rel
    assert (root / "output" / "small" / "overview.png").read_bytes() == data
    assert "output/small/overview.svg" in text_of(result)


def test_render_of_text_writes_only_to_a_private_temp_folder(served):
    root, answers = served
    result = answers["render_text"]
    assert not result.is_error, text_of(result)
    assert any(c.type == "image" for c in result.content)
    directory = Path(result.structured_content["directory"])
    assert directory.is_absolute() and not directory.is_relative_to(root)
    # The server removed its temporary folder when the session ended.
    assert not directory.exists()
    assert answers["render_bad"].is_error
    assert text_of(answers["render_bad"]).startswith("specs/bad.yaml:6:")


def test_notes_and_check(served):
    _, answers = served
    md = text_of(answers["notes_md"])
    assert md.startswith("# Small design")
    data = answers["notes_json"].structured_content
    assert {"estimates", "findings"} <= set(data)
    check = text_of(answers["check"]).splitlines()
    assert " DG" in check[0] and "errors, " in check[-1]
    cli = subprocess.run(
        [sys.executable, "-m", "diagramgen", "check", "-q", "specs/small.yaml"],
        cwd=served[0],
        capture_output=True,
        text=True,
    )
    assert cli.stdout.splitlines() == check[:-1]  # the lines `diagramgen check` prints


def test_diff_from_git_and_from_text(served):
    _, answers = served
    changelog = text_of(answers["diff_git"])
    assert not answers["diff_git"].is_error, changelog
    assert "specs/small.yaml@HEAD" in changelog and "cache" in changelog
    data = answers["diff_text"].structured_content
    assert data["components"]["added"] == ["cache"]
    assert data["components"]["changed"]["api"]["replicas"] == [3, 5]
    assert answers["diff_bad_rev"].is_error
    assert "nope" in text_of(answers["diff_bad_rev"])


def test_export_schema_rules_new(served):
    _, answers = served
    assert text_of(answers["export"]).startswith(("flowchart", "%%", "---"))
    assert '"$schema"' in text_of(answers["schema"]) or '"properties"' in text_of(answers["schema"])
    rules = text_of(answers["rules"])
    assert "| `DG101` |" in rules and "## DG101" in rules
    one = answers["rule"]
    assert not one.is_error and [r["code"] for r in one.structured_content["rules"]] == ["DG101"]
    starter = text_of(answers["new"])
    assert 'name: "shop"' in starter or "name: shop" in starter


@pytest.mark.parametrize(
    "key", ["outside_dotdot", "outside_absolute", "outside_link", "outside_out", "outside_diff"]
)
def test_paths_outside_the_folder_are_refused(served, key):
    root, answers = served
    result = answers[key]
    assert result.is_error
    assert "outside the folder the server was started in" in text_of(result)
    assert not (root.parent / "elsewhere").exists()


def test_missing_file_is_a_tool_error(served):
    _, answers = served
    assert answers["missing"].is_error
    assert text_of(answers["missing"]) == "no such file: specs/missing.yaml"


def test_resources_are_the_specs_and_their_notes(served):
    root, answers = served
    uris = {str(r.uri) for r in answers["resources"]}
    assert {"spec://small", "spec://small/notes"} <= uris
    assert "spec://bad" in uris  # invalid, but a spec: listed so it can be fixed
    spec = answers["resource_spec"].contents[0].text
    assert spec == (root / "specs" / "small.yaml").read_text("utf-8")
    assert answers["resource_notes"].contents[0].text.startswith("# Small design")
    bad = answers["spec://bad/notes"]
    assert isinstance(bad, MCPError) and "specs/bad.yaml:6:" in str(bad)
    missing = answers["spec://nope"]
    assert isinstance(missing, MCPError) and "no spec named 'nope'" in str(missing)
