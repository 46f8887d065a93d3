"""One rebuild: load a spec, render it like `diagramgen render`, and describe the outcome."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

from diagramgen.errors import DiagramgenError, Problem, SpecError
from diagramgen.rendering import RenderOptions, design_views, render_design
from diagramgen.spec.loader import load
from diagramgen.watch.state import SpecStatus, ViewImage

MAX_SOURCE_LINE = 300  # characters of a spec line shown under a problem


def spec_key(path: Path) -> str:
    """The key a spec is known by in the preview: its path as given, in POSIX form."""
    return path.as_posix()


def build_spec(
    path: Path,
    out_dir: Path,
    options: RenderOptions,
    previous: SpecStatus | None = None,
) -> SpecStatus:
    """Load and render one spec into `out_dir/<slug>/`; never raises for a bad spec.

    On success the status carries the new views (read back from the SVG files just
    written) and notes. On failure it carries the problems, or the render error, and
    keeps `previous`'s views and notes: the last good picture stays on the page.
    """
    started = time.monotonic()
    key = spec_key(path)
    base = previous or SpecStatus(key=key, title=path.stem)
    try:
        design = load(path)
        result = render_design(design, out_dir, options)
        views = tuple(
            ViewImage(v.name, v.title, (result.directory / f"{v.name}.svg").read_text("utf-8"))
            for v in design_views(design, options.views)
        )
        notes_file = result.directory / "notes.md"
        notes = notes_file.read_text("utf-8") if options.notes and notes_file.is_file() else None
    except SpecError as exc:
        return replace(
            base,
            problems=tuple(exc.problems),
            error=None,
            source_lines=_source_lines(path, exc.problems),
            checked_at=time.time(),
            duration=time.monotonic() - started,
        )
    except (DiagramgenError, OSError) as exc:
        message = str(exc) if isinstance(exc, DiagramgenError) else f"cannot read output: {exc}"
        return replace(
            base,
            problems=(),
            error=message,
            source_lines={},
            checked_at=time.time(),
            duration=time.monotonic() - started,
        )
    now = time.time()
    return SpecStatus(
        key=key,
        title=design.display_title,
        slug=design.slug,
        views=views,
        notes=notes,
        rendered_at=now,
        checked_at=now,
        duration=time.monotonic() - started,
        output=result.directory.as_posix(),
    )


def _source_lines(path: Path, problems: list[Problem]) -> dict[int, str]:
    """The text of each line a problem points at, to show it under the message."""
    wanted = {p.line for p in problems if p.line > 0}
    if not wanted:
        return {}
    try:
        text = path.read_bytes()[: 20 * 1024 * 1024].decode("utf-8", "replace")
    except OSError:
        return {}
    lines = text.splitlines()
    return {n: lines[n - 1].rstrip()[:MAX_SOURCE_LINE] for n in sorted(wanted) if n <= len(lines)}
