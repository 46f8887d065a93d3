"""`diagramgen diff` on plain files: output formats, the picture, exit codes, usage errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from diagramgen.cli import app
from diagramgen.view.themes import LIGHT
from tests.diffing.conftest import NEW_SPEC, OLD_SPEC

runner = CliRunner()


@pytest.fixture
def pair(tmp_path: Path) -> tuple[str, str]:
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text(OLD_SPEC, "utf-8")
    new.write_text(NEW_SPEC, "utf-8")
    return str(old), str(new)


def test_markdown_by_default_and_exit_0_even_with_changes(pair: tuple[str, str]) -> None:
    result = runner.invoke(app, ["diff", *pair])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Changes to Shop\n")
    assert result.stderr == ""


def test_exit_code_flag(pair: tuple[str, str]) -> None:
    assert runner.invoke(app, ["diff", *pair, "--exit-code"]).exit_code == 1
    same = runner.invoke(app, ["diff", pair[0], pair[0], "--exit-code"])
    assert same.exit_code == 0
    assert same.stdout.endswith(": no changes.\n")


def test_json_output(pair: tuple[str, str]) -> None:
    result = runner.invoke(app, ["diff", *pair, "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["components"]["changed"]["db"] == {"replicas": [1, 3]}
    assert data["tradeoffs"]["estimates"]["storage_bytes"] == [91.25e12, 182.5e12]


def test_picture_with_o(pair: tuple[str, str], tmp_path: Path) -> None:
    out = tmp_path / "review"
    result = runner.invoke(app, ["diff", *pair, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["diff.png", "diff.svg"]
    svg = (out / "diff.svg").read_text("utf-8")
    for color in ("added", "removed", "changed", "muted"):
        assert LIGHT.emphasis[color].lower() in svg.lower()
    assert "replicas 1 → 3" in svg and "renamed from cache" in svg
    assert 'stroke-dasharray="5,2"' in svg  # removed things are dashed
    assert "data:image/png;base64," in svg and "site-packages" not in svg
    assert result.stderr.startswith(f"wrote {out}/diff.svg, {out}/diff.png")


def test_invalid_spec_is_exit_1_located(pair: tuple[str, str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("components:\n  - {id: a, kind: servce}\n")
    result = runner.invoke(app, ["diff", pair[0], str(bad)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{bad}:2:19: unknown component kind 'servce'")


@pytest.mark.parametrize(
    "extra",
    [
        [],
        ["--format", "xml"],
        ["-f", "gif"],
        ["--theme", "neon"],
    ],
)
def test_usage_errors_exit_2(pair: tuple[str, str], extra: list[str]) -> None:
    args = ["diff", pair[0]] if not extra else ["diff", *pair, *extra]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ")


def test_missing_file_is_a_usage_error(pair: tuple[str, str], tmp_path: Path) -> None:
    result = runner.invoke(app, ["diff", pair[0], str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2
    assert "no such file" in result.stderr


def test_help_lists_diff() -> None:
    assert "diff" in runner.invoke(app, ["--help"]).output
    assert "--exit-code" in runner.invoke(app, ["diff", "--help"]).output


def test_real_process_has_no_traceback(pair: tuple[str, str]) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "diagramgen", "diff", f"{pair[0]}@HEAD", pair[1]],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith("error: ") and "not inside a git repository" in proc.stderr
