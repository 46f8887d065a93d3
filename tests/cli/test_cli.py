"""The CLI through typer's runner and through a real subprocess: exit codes and messages."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from diagramgen.cli import app

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]


def test_help_lists_commands() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("render", "validate", "schema"):
        assert command in result.output


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output.startswith("diagramgen ")


def test_validate_ok(small_spec: Path) -> None:
    result = runner.invoke(app, ["validate", str(small_spec)])
    assert result.exit_code == 0, result.output


def test_validate_folder_reports_every_problem(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("components:\n  - {id: api, kind: servce}\n")
    (tmp_path / "b.json").write_text(
        '{"components": [{"id": "x", "kind": "cache", "ttl": "soon"}]}'
    )
    (tmp_path / "notes.txt").write_text("not a spec")
    result = runner.invoke(app, ["validate", str(tmp_path)])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert (
        f"{tmp_path}/a.yaml:2:21: unknown component kind 'servce' (did you mean 'service'?)"
        in lines
    )
    assert any(
        line.startswith(f"{tmp_path}/b.json:1:") and "invalid duration" in line for line in lines
    )


def test_usage_errors_exit_2(tmp_path: Path, small_spec: Path) -> None:
    assert runner.invoke(app, ["validate"]).exit_code == 2
    assert runner.invoke(app, ["validate", str(tmp_path / "missing.yaml")]).exit_code == 2
    assert runner.invoke(app, ["render", str(small_spec), "-f", "gif"]).exit_code == 2
    assert runner.invoke(app, ["render", str(small_spec), "--theme", "neon"]).exit_code == 2
    assert runner.invoke(app, ["nonsense"]).exit_code == 2


def test_render_writes_the_contract_layout(tmp_path: Path, small_spec: Path) -> None:
    result = runner.invoke(app, ["render", str(small_spec), "-o", str(tmp_path), "-f", "svg,dot"])
    assert result.exit_code == 0, result.output
    # Dotfiles are the renderer's own bookkeeping (the incremental render stamp).
    names = sorted(p.name for p in (tmp_path / "small").iterdir() if not p.name.startswith("."))
    assert names == ["flow-read.dot", "flow-read.svg", "notes.md", "overview.dot", "overview.svg"]


def test_render_one_view_keeps_the_others(tmp_path: Path, small_spec: Path) -> None:
    runner.invoke(app, ["render", str(small_spec), "-o", str(tmp_path), "-f", "dot"])
    result = runner.invoke(
        app, ["render", str(small_spec), "-o", str(tmp_path), "-f", "svg", "--view", "overview"]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "small" / "overview.svg").exists()
    assert (tmp_path / "small" / "flow-read.dot").exists()
    bad = runner.invoke(app, ["render", str(small_spec), "-o", str(tmp_path), "--view", "nope"])
    assert bad.exit_code == 1 and "no view 'nope'" in bad.stderr


def test_render_invalid_spec_exits_1_and_writes_nothing(tmp_path: Path) -> None:
    spec = tmp_path / "bad.yaml"
    spec.write_text("components:\n  - {id: a, kind: service, replicas: 0}\n")
    out = tmp_path / "out"
    result = runner.invoke(app, ["render", str(spec), "-o", str(out)])
    assert result.exit_code == 1
    assert "bad.yaml:2:" in result.stderr
    assert not out.exists()


def test_schema_is_json() -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert "components" in schema["properties"]


def _run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "diagramgen", *args], cwd=cwd, capture_output=True, text=True,
        timeout=120, check=False,
    )  # fmt: skip


def test_subprocess_validate_error_has_no_traceback(tmp_path: Path) -> None:
    spec = tmp_path / "x.yaml"
    spec.write_text("components:\n  - {id: api, kind: servce}\n")
    proc = _run("validate", str(spec))
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert f"{spec}:2:21: unknown component kind 'servce' (did you mean 'service'?)" in proc.stderr


def test_subprocess_render(tmp_path: Path) -> None:
    proc = _run("render", "specs/url_shortener.yaml", "-o", str(tmp_path), "-f", "svg")
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "url-shortener" / "overview.svg").exists()


def test_subprocess_binary_input(tmp_path: Path) -> None:
    spec = tmp_path / "x.yaml"
    spec.write_bytes(bytes(range(256)))
    proc = _run("validate", str(spec))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
