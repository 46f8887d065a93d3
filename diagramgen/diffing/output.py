"""Write the diff diagram: `DIR/diff.<fmt>`, each file swapped in whole or not at all."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

from diagramgen.atomic import move_into
from diagramgen.diffing.model import DesignDiff
from diagramgen.errors import OutputError
from diagramgen.view.model import DiagramView


def write_diff_diagram(
    diff: DesignDiff,
    out_dir: str | Path,
    formats: Sequence[str] = ("svg", "png"),
    theme: str = "light",
    old_label: str | None = None,
    new_label: str | None = None,
    timeout: float = 120.0,
) -> list[Path]:
    """Render the diff overlay into `out_dir/diff.<fmt>` for each format; return the paths.

    Every file is rendered into a temporary folder inside `out_dir` first and renamed into
    place only when all formats succeeded, so a failure leaves no half-written file.
    """
    from diagramgen.view.diff import diff_view

    return write_view(diff_view(diff, old_label, new_label), out_dir, formats, theme, timeout)


def write_view(
    view: DiagramView,
    out_dir: str | Path,
    formats: Sequence[str] = ("svg", "png"),
    theme: str = "light",
    timeout: float = 120.0,
) -> list[Path]:
    """Render one view into `out_dir/<view name>.<fmt>`, each file swapped in whole."""
    from diagramgen.rendering import render_view
    from diagramgen.view.themes import get_theme

    palette = get_theme(theme)
    root = Path(out_dir)
    try:
        root.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".diff.", suffix=".tmp", dir=root))
    except OSError as exc:
        raise OutputError(f"cannot write to {root}: {exc.strerror or exc}") from None
    try:
        return move_into(render_view(view, staging, list(formats), palette, timeout), root)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
