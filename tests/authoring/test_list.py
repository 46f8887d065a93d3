"""`diagramgen list`: one row per spec, invalid ones included; plain text off a terminal."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from diagramgen.cli import app
from diagramgen.cli.cmd_list import COLUMNS, SpecRow, count_findings, print_table, spec_row
from diagramgen.spec.loader import load
from tests.conftest import SMALL_SPEC

runner = CliRunner()


def _specs(tmp_path: Path) -> Path:
    folder = tmp_path / "specs"
    folder.mkdir()
    (folder / "small.yaml").write_text(SMALL_SPEC, "utf-8")
    (folder / "broken.yaml").write_text(
        "name: half-done\ncomponents:\n  - {id: api, kind: servce}\n  - {id: db, kind: cach}\n",
        "utf-8",
    )
    (folder / "unparsable.json").write_text('{"components": [', "utf-8")
    return folder


def _table(output: str) -> dict[str, dict[str, str]]:
    lines = output.splitlines()
    assert lines[0].split("\t") == list(COLUMNS)
    rows = [dict(zip(COLUMNS, line.split("\t"), strict=True)) for line in lines[1:]]
    return {row["spec"].rsplit("/", 1)[-1]: row for row in rows}


def test_plain_table_lists_valid_and_invalid_specs(tmp_path: Path) -> None:
    folder = _specs(tmp_path)
    result = runner.invoke(app, ["list", str(folder), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1  # an invalid spec is in the list
    assert "2 specs invalid" in result.stderr and "diagramgen validate" in result.stderr
    rows = _table(result.stdout)
    assert list(rows) == ["broken.yaml", "small.yaml", "unparsable.json"]  # sorted, like render

    small = rows["small.yaml"]
    assert (small["name"], small["title"]) == ("small", "Small design")
    assert (small["components"], small["groups"], small["flows"]) == ("4", "2", "1")
    assert small["last rendered"] == "never"
    expected = SpecRow(
        folder / "small.yaml", "small", "", findings=count_findings(load(folder / "small.yaml"))
    ).findings_text()
    assert small["findings"] == expected

    broken = rows["broken.yaml"]
    assert broken["name"] == "half-done"  # from the raw YAML, so the output folder is found
    assert broken["findings"] == "invalid: 2 problems"
    assert (broken["components"], broken["title"]) == ("-", "-")
    assert rows["unparsable.json"]["findings"] == "invalid: 1 problem"


def test_all_valid_exits_0_and_shows_render_time(tmp_path: Path) -> None:
    spec = tmp_path / "small.yaml"
    spec.write_text(SMALL_SPEC, "utf-8")
    out = tmp_path / "out"
    assert runner.invoke(app, ["render", str(spec), "-o", str(out), "-f", "svg"]).exit_code == 0
    rendered = (out / "small" / "overview.svg").stat().st_mtime
    old = time.time() - 3600
    os.utime(spec, (old, old))
    result = runner.invoke(app, ["list", str(spec), "-o", str(out)])
    assert result.exit_code == 0, result.output
    row = _table(result.stdout)["small.yaml"]
    assert row["last rendered"] == time.strftime("%Y-%m-%d %H:%M", time.localtime(rendered))

    os.utime(spec, (rendered + 60, rendered + 60))  # edited after the render
    row = _table(runner.invoke(app, ["list", str(spec), "-o", str(out)]).stdout)["small.yaml"]
    assert row["last rendered"].endswith("(stale)")


def test_findings_text_forms() -> None:
    row = SpecRow(Path("a.yaml"), "a", "A", findings={"error": 1, "warning": 2, "info": 0})
    assert row.findings_text() == "1 error, 2 warnings"
    assert SpecRow(Path("a"), "a", "A", findings={"info": 2}).findings_text() == "2 info"
    assert SpecRow(Path("a"), "a", "A", findings={}).findings_text() == "none"
    assert SpecRow(Path("a"), "a", "A", findings=None).findings_text() == "-"


def test_rich_table_on_a_terminal_escapes_user_text(tmp_path: Path) -> None:
    spec = tmp_path / "x.yaml"
    spec.write_text(
        "title: '[bold red]not markup[/] <b>'\ncomponents:\n  - {id: a, kind: service}\n", "utf-8"
    )
    console = Console(record=True, width=200, force_terminal=True, color_system=None)
    print_table([spec_row(spec, tmp_path / "out")], console)
    text = console.export_text()
    assert "[bold red]not markup[/] <b>" in text
    for col in COLUMNS:
        assert col in text


def test_default_path_is_specs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(app, ["list"]).exit_code == 2  # no specs/ folder: usage error
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "small.yaml").write_text(SMALL_SPEC, "utf-8")
    result = runner.invoke(app, ["list"])
    assert result.exit_code == 0, result.output
    assert "specs/small.yaml\tsmall\t" in result.stdout
