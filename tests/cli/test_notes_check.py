"""`diagramgen notes` and `diagramgen check`: output shapes, locations and exit codes."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from diagramgen import load
from diagramgen.analysis import default_registry
from diagramgen.cli import app
from diagramgen.rendering.notes import render_notes

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]
SHORTENER = ROOT / "specs" / "url_shortener.yaml"
LINE = re.compile(r"^(?P<path>.+):(?P<line>\d+):(?P<col>\d+): (?P<code>DG\d{3}) "
                  r"(?P<sev>error|warning|info): (?P<msg>.+)$")  # fmt: skip

RISKY = """\
components:
  - {id: web, kind: client}
  - {id: api, kind: service, replicas: 2}
  - {id: db, kind: sql_database, backups: true}
connections: [web -> api, api -> db]
disaster_recovery: {strategy: backup_restore}
"""
BROKEN_FLOW = """\
workload: {operations: [{name: hold seats, rate: 2k/s}]}
components:
  - {id: fans, kind: client}
  - {id: booking, kind: service, replicas: 3}
flows:
  - name: buy
    operations: [hold seat]
    steps: [fans -> booking]
disaster_recovery: {strategy: backup_restore}
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def test_notes_json_shape() -> None:
    result = runner.invoke(app, ["notes", str(SHORTENER), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["estimates"]["peak_factor"] == 3
    shorten = data["estimates"]["operations"][0]
    assert shorten["name"] == "shorten"
    assert round(shorten["avg_per_second"], 1) == 1157.4
    assert round(shorten["peak_per_second"], 1) == 3472.2
    assert round(shorten["bandwidth_bytes_per_second"], 1) == 578703.7
    assert shorten["storage_bytes"] == 9.125e13
    assert data["estimates"]["operations"][1]["storage_bytes"] is None
    assert data["findings"], "the showcase spec still has a tradeoff or two to note"
    for finding in data["findings"]:
        assert set(finding) >= {"code", "severity", "component", "message"}
        assert finding["code"] in default_registry()


def test_notes_markdown_is_what_render_writes(tmp_path: Path) -> None:
    result = runner.invoke(app, ["notes", str(SHORTENER)])
    assert result.exit_code == 0
    assert result.stdout == render_notes(load(SHORTENER))
    out = tmp_path / "notes.md"
    assert runner.invoke(app, ["notes", str(SHORTENER), "-o", str(out)]).exit_code == 0
    assert out.read_text("utf-8") == result.stdout


def test_notes_errors(tmp_path: Path) -> None:
    bad = _write(tmp_path, "bad.yaml", "components:\n  - {id: api, kind: servce}\n")
    result = runner.invoke(app, ["notes", str(bad)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{bad}:2:")
    assert runner.invoke(app, ["notes", str(SHORTENER), "--format", "yaml"]).exit_code == 2
    assert runner.invoke(app, ["notes", str(tmp_path)]).exit_code == 2
    assert runner.invoke(app, ["notes", str(tmp_path / "missing.yaml")]).exit_code == 2


def test_check_lines_locations_and_exit_codes(tmp_path: Path) -> None:
    spec = _write(tmp_path, "risky.yaml", RISKY)
    result = runner.invoke(app, ["check", str(spec)])
    assert result.exit_code == 0, result.output  # warnings only
    lines = result.stdout.splitlines()
    assert lines, "expected findings"
    parsed = [LINE.match(line) for line in lines]
    assert all(parsed), lines
    spof = next(m for m in parsed if m and m["code"] == "DG101")
    assert (spof["path"], spof["line"], spof["col"]) == (str(spec), "4", "5")  # the db entry
    assert "db is a single point of failure" in spof["msg"]
    assert "1 spec checked: 0 errors, 1 warnings" in result.stderr
    assert runner.invoke(app, ["check", str(spec), "--strict"]).exit_code == 1


def test_check_errors_fail_and_point_at_the_flow(tmp_path: Path) -> None:
    spec = _write(tmp_path, "flow.yaml", BROKEN_FLOW)
    result = runner.invoke(app, ["check", str(spec)])
    assert result.exit_code == 1
    assert f"{spec}:7:18: DG505 error: flow `buy` carries operation 'hold seat'" in result.stdout


def test_check_ignore_and_unknown_codes(tmp_path: Path) -> None:
    text = RISKY.replace(
        "backups: true}", 'backups: true, ignore: {DG101: "RDS multi-AZ", DG1O1: "typo"}}'
    )
    spec = _write(tmp_path, "quiet.yaml", text)
    result = runner.invoke(app, ["check", str(spec)])
    assert "DG101" not in result.stdout
    assert "1 suppressed" in result.stderr
    assert f"{spec}:4:" in result.stderr and "unknown rule 'DG1O1'" in result.stderr
    assert "(did you mean 'DG101'?)" in result.stderr
    assert runner.invoke(app, ["check", str(spec), "--strict"]).exit_code == 1


def test_check_invalid_spec_and_usage(tmp_path: Path) -> None:
    bad = _write(tmp_path, "bad.yaml", "components:\n  - {id: api, kind: servce}\n")
    good = _write(tmp_path, "good.yaml", RISKY)
    result = runner.invoke(app, ["check", str(tmp_path)])
    assert result.exit_code == 1
    assert f"{bad}:2:" in result.stderr and str(good) in result.stdout
    assert "1 invalid" in result.stderr
    assert runner.invoke(app, ["check"]).exit_code == 2
    assert runner.invoke(app, ["check", str(tmp_path / "nope.yaml")]).exit_code == 2


def test_list_rules() -> None:
    result = runner.invoke(app, ["check", "--list-rules"])
    assert result.exit_code == 0
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert [r[0] for r in rows] == default_registry().codes
    assert rows[0][:4] == ["DG101", "single-point-of-failure", "warning", "reliability"]


def test_check_through_a_real_process(tmp_path: Path) -> None:
    spec = _write(tmp_path, "risky.yaml", RISKY)
    proc = subprocess.run(
        [sys.executable, "-m", "diagramgen", "check", str(spec), str(SHORTENER), "--quiet"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    lines = proc.stdout.splitlines()
    assert all(LINE.match(line) for line in lines), lines
    assert lines[0].startswith(f"{spec}:4:5: DG101 warning: db is a single point of failure")
