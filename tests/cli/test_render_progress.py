"""What `render` prints: plain lines off a terminal, a progress bar on one, and a summary."""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from bench.generate import design_yaml
from diagramgen.cli import app

runner = CliRunner()
SUMMARY = re.compile(r"^(\d+) rendered, (\d+) unchanged, (\d+) failed in \d+\.\ds$", re.M)


def spec_folder(tmp_path: Path) -> Path:
    """Two valid specs and one invalid one."""
    folder = tmp_path / "specs"
    folder.mkdir()
    (folder / "a.yaml").write_text(design_yaml(8), "utf-8")
    (folder / "b.yaml").write_text("components: [{id: x, kind: servce}]\n", "utf-8")
    (folder / "c.yaml").write_text(design_yaml(9), "utf-8")
    return folder


def test_plain_lines_and_summary_off_a_terminal(tmp_path: Path) -> None:
    specs, out = spec_folder(tmp_path), tmp_path / "out"
    first = runner.invoke(app, ["render", str(specs), "-o", str(out), "-f", "svg", "-j", "2"])
    assert first.exit_code == 1
    assert first.stdout.splitlines()[:2] == [
        f"rendered {specs / 'a.yaml'} -> {out / 'generated-8'} (3 files)",
        f"rendered {specs / 'c.yaml'} -> {out / 'generated-9'} (3 files)",
    ]
    assert SUMMARY.search(first.stdout).groups() == ("2", "0", "1")  # type: ignore[union-attr]
    assert f"{specs / 'b.yaml'}:1:28: unknown component kind 'servce'" in first.stderr
    again = runner.invoke(app, ["render", str(specs), "-o", str(out), "-f", "svg"])
    assert f"unchanged {specs / 'a.yaml'} -> {out / 'generated-8'}" in again.stdout
    assert SUMMARY.search(again.stdout).groups() == ("0", "2", "1")  # type: ignore[union-attr]
    forced = runner.invoke(app, ["render", str(specs), "-o", str(out), "-f", "svg", "--force"])
    assert SUMMARY.search(forced.stdout).groups() == ("2", "0", "1")  # type: ignore[union-attr]


def test_quiet_prints_errors_only(tmp_path: Path) -> None:
    specs, out = spec_folder(tmp_path), tmp_path / "out"
    result = runner.invoke(app, ["render", str(specs), "-o", str(out), "-f", "svg", "--quiet"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and "unknown component kind" in result.stderr
    (specs / "b.yaml").unlink()
    assert runner.invoke(app, ["render", str(specs), "-o", str(out), "-q"]).stdout == ""


def run_in_terminal(args: list[str], cwd: Path) -> tuple[int, str]:
    """Run `diagramgen ARGS` with a pseudo-terminal as stdout and stderr."""
    main, child = pty.openpty()
    env = {**os.environ, "COLUMNS": "100", "TERM": "xterm-256color"}
    env.pop("NO_COLOR", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "diagramgen", *args],
        stdin=subprocess.DEVNULL,
        stdout=child,
        stderr=child,
        cwd=cwd,
        env=env,
    )
    os.close(child)
    chunks: list[bytes] = []
    while True:
        ready, _, _ = select.select([main], [], [], 120)
        if not ready:
            proc.kill()
            break
        try:
            data = os.read(main, 65536)
        except OSError:  # the child closed its end
            break
        if not data:
            break
        chunks.append(data)
    os.close(main)
    return proc.wait(timeout=60), b"".join(chunks).decode("utf-8", "replace")


def test_progress_bar_on_a_terminal(tmp_path: Path) -> None:
    specs, out = spec_folder(tmp_path), tmp_path / "out"
    code, screen = run_in_terminal(["render", str(specs), "-o", str(out), "-f", "svg"], tmp_path)
    assert code == 1
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", screen).replace("\r", "\n")
    assert "rendering" in plain and "━" in plain  # the bar, drawn while it runs
    assert re.search(r"\b[0-3]/3\b", plain)
    assert "unknown component kind 'servce'" in plain  # errors still show
    assert not re.search(r"^rendered ", plain, re.M)  # no per-spec lines
    assert SUMMARY.search(plain).groups() == ("2", "0", "1")  # type: ignore[union-attr]
