"""Fault injection: `render` (a real process) killed at several moments loses nothing.

Each case renders a spec once, then re-renders it with `--force` and sends SIGKILL, SIGTERM
or SIGHUP (what CI cancellation sends) before, during and near the end of the work. The
previous output must be intact afterwards (a finished render writes the same bytes, so the
folder is compared whole), a handled signal must leave no staging folder, and after a
SIGKILL the next render must sweep the one left behind.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT

SPEC = ROOT / "specs" / "ecommerce_platform.yaml"
SLUG = "ecommerce-platform"
# Moments: 0 = as soon as the process starts (before any staging folder); the others are
# seconds after its staging folder appeared (drawing views, writing notes, swapping).
MOMENTS = (0.0, 0.05, 0.6)


def _render(out: Path, *extra: str) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "diagramgen", "render", str(SPEC), "-o", str(out)]
    return subprocess.Popen(
        [*command, "-f", "svg,png,dot", "--jobs", "2", *extra],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _snapshot(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _staging(out: Path) -> list[Path]:
    return [p for p in out.iterdir() if p.name.startswith(".") and p.is_dir()]


def _wait_for_staging(out: Path, proc: subprocess.Popen[bytes], limit: float = 60) -> bool:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and proc.poll() is None:
        if _staging(out):
            return True
        time.sleep(0.005)
    return False


@pytest.fixture(scope="module")
def first(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    out = tmp_path_factory.mktemp("first")
    proc = _render(out)
    assert proc.wait(timeout=300) == 0, proc.stderr.read() if proc.stderr else ""
    return out, _snapshot(out / SLUG)


@pytest.mark.parametrize("moment", MOMENTS)
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM, signal.SIGHUP])
def test_killed_render_keeps_previous_output(
    first: tuple[Path, dict[str, str]], tmp_path: Path, sig: signal.Signals, moment: float
) -> None:
    import shutil

    out = tmp_path / "out"
    shutil.copytree(first[0], out)
    before = first[1]
    proc = _render(out, "--force")
    if moment:
        assert _wait_for_staging(out, proc), "the render finished before it could be interrupted"
        time.sleep(moment)
    os.kill(proc.pid, sig)
    code = proc.wait(timeout=120)
    stderr = proc.stderr.read().decode() if proc.stderr else ""
    assert "Traceback" not in stderr, stderr
    # -sig: killed before the handler was installed (nothing written yet); 128+sig: handled.
    assert code in (0, -sig, 128 + sig), (code, stderr)
    assert _snapshot(out / SLUG) == before  # previous (or an identical new) output, whole
    if sig != signal.SIGKILL:
        assert _staging(out) == [], "a handled signal must remove its staging folder"
    # The next render (nothing to do: the output is up to date) sweeps what a kill left.
    again = _render(out)
    assert again.wait(timeout=300) == 0
    assert _staging(out) == []
    assert _snapshot(out / SLUG) == before
