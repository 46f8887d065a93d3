"""The folder rules of the MCP server, in-process: confinement, spec arguments, listing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from diagramgen.cli import app
from diagramgen.mcp_server import tools
from diagramgen.mcp_server.workspace import InvalidSpec, ToolFailure, Workspace
from tests.conftest import SMALL_SPEC


@pytest.fixture
def ws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    root = tmp_path / "root"
    (root / "specs").mkdir(parents=True)
    (root / "specs" / "small.yaml").write_text(SMALL_SPEC, "utf-8")
    (tmp_path / "outside.yaml").write_text(SMALL_SPEC, "utf-8")
    monkeypatch.chdir(root)  # as `diagramgen mcp` runs: in the folder it serves
    return Workspace(root)


@pytest.mark.parametrize(
    "given", ["../outside.yaml", "specs/../../outside.yaml", "OUTSIDE_ABS", "specs/out.yaml"]
)
def test_paths_that_leave_the_folder_are_refused(ws: Workspace, given: str):
    outside = ws.root.parent / "outside.yaml"
    (ws.root / "specs" / "out.yaml").symlink_to(outside)
    given = str(outside) if given == "OUTSIDE_ABS" else given
    with pytest.raises(ToolFailure, match="outside the folder the server was started in"):
        ws.load(given, None)


def test_paths_inside_the_folder_load(ws: Workspace):
    (ws.root / "specs" / "alias.yaml").symlink_to(ws.root / "specs" / "small.yaml")
    for given in ("specs/small.yaml", str(ws.root / "specs/small.yaml"), "specs/alias.yaml"):
        loaded = ws.load(given, None)
        assert loaded.design.slug == "small"
        assert loaded.path == "specs/small.yaml"  # messages name it relative to the folder


def test_exactly_one_spec_argument(ws: Workspace):
    with pytest.raises(ToolFailure, match="not both"):
        ws.load("specs/small.yaml", SMALL_SPEC)
    with pytest.raises(ToolFailure, match="give the spec"):
        ws.load(None, None)
    with pytest.raises(ToolFailure, match="is a folder"):
        ws.load("specs", None)


def test_invalid_text_carries_every_problem(ws: Workspace):
    with pytest.raises(InvalidSpec) as info:
        ws.load(None, "components:\n  - {id: a, kind: nope}\n  - {id: b, kind: service, x: 1}\n")
    lines = str(info.value).splitlines()
    assert len(lines) == len(info.value.problems) >= 2
    assert all(line.startswith("<text>:") for line in lines)


def test_text_specs_are_written_nowhere(ws: Workspace):
    before = sorted(p for p in ws.root.rglob("*"))
    assert tools.validate(ws, text=SMALL_SPEC).text == "valid"
    assert tools.notes(ws, text=SMALL_SPEC).text.startswith("# Small design")
    assert sorted(p for p in ws.root.rglob("*")) == before


def test_specs_lists_spec_files_only(ws: Workspace):
    (ws.root / "specs" / "copy.yaml").write_text(SMALL_SPEC, "utf-8")  # same name: small
    (ws.root / "ci.yaml").write_text("jobs: {build: {}}\n", "utf-8")
    (ws.root / "package.json").write_text('{"name": "x"}', "utf-8")
    (ws.root / "broken.yaml").write_text("components: [\n", "utf-8")
    (ws.root / ".hidden").mkdir()
    (ws.root / ".hidden" / "h.yaml").write_text("components: []\n", "utf-8")
    (ws.root / "nested" / "deep").mkdir(parents=True)
    (ws.root / "nested" / "deep" / "d.json").write_text('{"components": []}', "utf-8")
    (ws.root / "specs" / "out.yaml").symlink_to(ws.root.parent / "outside.yaml")
    listed = [(s.slug, s.path) for s in ws.specs()]
    assert listed == [("d", "nested/deep/d.json"), ("small", "specs/copy.yaml")]
    assert ws.find("d") == Path("nested/deep/d.json")
    with pytest.raises(ToolFailure, match="no spec named"):
        ws.find("nope")


def test_render_never_replaces_a_folder_it_did_not_write(ws: Workspace):
    # A design named `specs` rendered with out=".": the target is the user's specs folder.
    named = SMALL_SPEC.replace("name: small", "name: specs")
    with pytest.raises(ToolFailure, match="is not a diagramgen render"):
        tools.render(ws, text=named, out=".")
    assert (ws.root / "specs" / "small.yaml").read_text("utf-8") == SMALL_SPEC
    (ws.root / "out" / "small" / "nested").mkdir(parents=True)
    (ws.root / "out" / "small" / "overview.svg").write_text("<svg/>", "utf-8")
    with pytest.raises(ToolFailure, match="out/small exists"):
        tools.render(ws, path="specs/small.yaml", out="out")
    assert (ws.root / "out" / "small" / "nested").is_dir()


def test_scratch_folder_is_private_and_removed(ws: Workspace):
    scratch = ws.scratch()
    assert scratch.is_dir() and not scratch.is_relative_to(ws.root)
    assert scratch.stat().st_mode & 0o077 == 0  # mkdtemp: only this user
    ws.close()
    assert not scratch.exists()


def test_mcp_root_must_be_a_folder(tmp_path: Path):
    result = CliRunner().invoke(app, ["mcp", "--root", str(tmp_path / "missing")])
    assert result.exit_code == 2
    assert "no such folder" in result.output


def test_version_does_not_import_the_sdk():
    # -X importtime lists every module imported; the SDK must not be among them.
    run = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "diagramgen", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    modules = {line.rsplit("|", 1)[-1].strip() for line in run.stderr.splitlines()}
    assert "diagramgen.cli.cmd_mcp" in modules  # the command is registered ...
    assert not {m for m in modules if m.split(".")[0] in ("mcp", "mcp_types")}  # ... lazily
