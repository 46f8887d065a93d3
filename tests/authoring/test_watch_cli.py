"""`diagramgen watch` as a user runs it: a real process, a save, the page, then Ctrl-C."""

from __future__ import annotations

import os
import re
import selectors
import signal
import subprocess
import sys
import time
from pathlib import Path

from typer.testing import CliRunner

from diagramgen.cli import app
from diagramgen.watch import PreviewServer, PreviewState
from tests.authoring.preview_helpers import get, spec_text, svg_of, wait_for

runner = CliRunner()


def _read_line(proc: subprocess.Popen[str], timeout: float = 20.0) -> str:
    assert proc.stdout is not None
    selector = selectors.DefaultSelector()
    selector.register(proc.stdout, selectors.EVENT_READ)
    try:
        if not selector.select(timeout):
            raise AssertionError("no output from diagramgen watch")
        return proc.stdout.readline()
    finally:
        selector.close()


def test_watch_process_serves_renders_and_stops_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    spec = tmp_path / "specs" / "live.yaml"
    spec.parent.mkdir()
    spec.write_text(spec_text("Started"), "utf-8")
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [sys.executable, "-m", "diagramgen", "watch", str(spec.parent), "-p", "0", "-o",
         str(out), "-f", "svg"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    try:
        first = _read_line(proc)
        match = re.fullmatch(r"preview at http://127\.0\.0\.1:(\d+)/ \(Ctrl-C to stop\)\n", first)
        assert match, first
        port = int(match.group(1))
        assert "rendered" in _read_line(proc)
        assert "Started" in svg_of(port, "live.yaml")

        spec.write_text(spec_text("Saved again"), "utf-8")
        wait_for(lambda: "Saved again" in svg_of(port, "live.yaml"), what="the re-render")
        assert "Saved again" in get(port, "/")[2]
        assert "Saved again" in (out / "live" / "overview.svg").read_text("utf-8")

        spec.write_text("components:\n  - {id: x, kind: nope}\n", "utf-8")
        wait_for(lambda: "problem" in get(port, "/")[2], what="the problems on the page")
    finally:
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=20)
    assert proc.returncode == 0, stderr
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr
    assert f"{spec.as_posix()}:2:" in stderr  # the broken save, reported like `validate`
    assert stdout.rstrip().endswith("stopped")


def test_sigterm_stops_it_cleanly_too(tmp_path: Path) -> None:
    spec = tmp_path / "live.yaml"
    spec.write_text(spec_text("x"), "utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "diagramgen", "watch", str(spec), "-p", "0", "-o",
         str(tmp_path / "out"), "-f", "svg", "--quiet"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    try:
        assert _read_line(proc).startswith("preview at http://127.0.0.1:")
    finally:
        proc.terminate()
        stdout, stderr = proc.communicate(timeout=20)
    assert proc.returncode == 0 and "Traceback" not in stderr, stderr
    assert "stopped" not in stdout  # --quiet


def test_port_in_use_is_a_usage_error(tmp_path: Path) -> None:
    spec = tmp_path / "live.yaml"
    spec.write_text(spec_text("x"), "utf-8")
    with PreviewServer(PreviewState(), port=0) as taken:
        started = time.monotonic()
        result = runner.invoke(app, ["watch", str(spec), "-p", str(taken.port)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: port {taken.port} is in use: choose another with --port (0 picks a free one)\n"
    )
    assert time.monotonic() - started < 10


def test_watch_usage_errors(tmp_path: Path) -> None:
    assert runner.invoke(app, ["watch", str(tmp_path / "missing.yaml")]).exit_code == 2
    assert runner.invoke(app, ["watch", str(tmp_path), "-f", "gif"]).exit_code == 2
    assert runner.invoke(app, ["watch", str(tmp_path), "--theme", "neon"]).exit_code == 2
    assert runner.invoke(app, ["watch", str(tmp_path), "-p", "70000"]).exit_code == 2
