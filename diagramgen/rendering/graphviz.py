"""Run Graphviz `dot` on DOT text: several formats from one layout, with a timeout."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from diagramgen.errors import GraphvizNotFoundError, RenderError

DEFAULT_TIMEOUT = 120.0  # seconds


def dot_binary() -> str:
    """The path of `dot`, or `GraphvizNotFoundError`."""
    found = shutil.which("dot")
    if not found:
        raise GraphvizNotFoundError()
    return found


def run_dot(
    source: str,
    outputs: dict[str, Path],
    cwd: Path,
    timeout: float = DEFAULT_TIMEOUT,
    extra_args: list[str] | None = None,
) -> None:
    """Lay `source` out once and write each `format -> path` of `outputs`."""
    args = [dot_binary(), *(extra_args or [])]
    for fmt, path in outputs.items():
        renderer = "png:cairo" if fmt == "png" else "pdf:cairo" if fmt == "pdf" else fmt
        args += [f"-T{renderer}", f"-o{os.fspath(path.resolve())}"]
    try:
        proc = subprocess.run(
            args,
            input=source.encode("utf-8"),
            cwd=cwd,
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise RenderError(
            f"Graphviz did not finish within {timeout:g}s: split the design into smaller views "
            "(a `views:` section) or raise --timeout"
        ) from None
    if proc.returncode != 0:
        message = _first_error(proc.stderr.decode("utf-8", "replace"))
        raise RenderError(f"Graphviz failed (exit {proc.returncode}): {message}")


def _first_error(stderr: str) -> str:
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    errors = [line for line in lines if "error" in line.lower()] or lines
    return errors[0] if errors else "no message"
