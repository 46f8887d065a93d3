"""The render stage: views to files (svg, png, pdf, dot) plus the notes, written atomically."""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from diagramgen.atomic import move_into, replace_dir
from diagramgen.errors import OutputError
from diagramgen.view.model import DiagramView
from diagramgen.view.themes import Theme, get_theme

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from diagramgen.rendering.geometry import Geometry

    # Annotations only: a no-op `render` (every spec up to date) never loads the models.
    from diagramgen.spec.models import Design

FORMATS = ("svg", "png", "pdf", "dot")
DEFAULT_FORMATS = ("svg", "png")


@dataclass(frozen=True)
class RenderOptions:
    """How to render: formats, theme, Graphviz timeout, which views, PNG resolution."""

    formats: Sequence[str] = DEFAULT_FORMATS
    theme: str | None = None  # None: the spec's `theme:`, else light
    timeout: float = 120.0
    views: Sequence[str] | None = None  # None: every view
    notes: bool = True
    dpi: float | None = None  # PNG only; None: about PNG_WIDTH pixels wide (see png_dpi)
    transparent: bool = False  # PNG only: no background
    layout: str = "search"  # `search`: best of a few layouts (rendering/search.py); `fast`: one


@dataclass
class RenderResult:
    """What a render wrote."""

    slug: str
    directory: Path
    files: list[Path] = field(default_factory=list)


def view_to_dot(view: DiagramView, theme: Theme) -> str:
    """The DOT text of a view (icons referenced relative to the icon root)."""
    from diagramgen.rendering.diagrams_adapter import to_dot

    return to_dot(view, theme)


def view_geometry(
    view: DiagramView, theme: Theme, timeout: float = 120.0, layout: str = "search"
) -> Geometry:
    """The laid-out geometry of a view: the very layout its SVG and PNG are drawn from.

    Targets that need coordinates (draw.io, layout metrics, pages) read them here rather
    than laying the view out a second way; `layout` must be the one `render_view` used.
    """
    from diagramgen.rendering.diagrams_adapter import ICON_ROOT
    from diagramgen.rendering.geometry import geometry
    from diagramgen.rendering.graphviz import lay_out
    from diagramgen.rendering.search import best_layout, check_mode

    choice = best_layout(view, theme, check_mode(layout), timeout=timeout)
    source = lay_out(choice.source, len(view.nodes), {}, cwd=ICON_ROOT)
    return geometry(source, ICON_ROOT, timeout=timeout)


PNG_WIDTH = 1920  # pixels: a picture as wide as a full-HD slide
PNG_DPI_RANGE = (72.0, 300.0)  # never below 1 px per point; never far above the icons' pixels
_VIEWBOX = re.compile(r'<svg\b[^>]*?\bviewBox="[-\d.]+ [-\d.]+ ([\d.]+) [\d.]+"')


def png_dpi(svg: str, width: int = PNG_WIDTH) -> float:
    """The resolution that makes the drawing of a Graphviz SVG `width` pixels wide.

    Graphviz's dpi scales the whole drawing; the result is kept within `PNG_DPI_RANGE` so
    that huge designs keep legible text and tiny ones do not blow their icons up.
    """
    m = _VIEWBOX.search(svg)
    if not m or float(m.group(1)) <= 0:
        return 96.0  # Graphviz's own default
    low, high = PNG_DPI_RANGE
    return round(min(high, max(low, 72.0 * width / float(m.group(1)))), 3)


def render_view(
    view: DiagramView,
    out_dir: Path,
    formats: Sequence[str],
    theme: Theme,
    timeout: float = 120.0,
    *,
    dpi: float | None = None,
    transparent: bool = False,
    layout: str = "search",
) -> list[Path]:
    """Write `out_dir/<view.name>.<fmt>` for each format; return the paths written.

    `dpi` and `transparent` apply to PNG only: it is drawn by a second Graphviz run with
    `-Gdpi`/`-Gbgcolor`, so the SVG and PDF bytes never depend on them. `dpi=None` makes
    the PNG about `PNG_WIDTH` pixels wide (see `png_dpi`). `layout="search"` draws the
    best of a few candidate layouts (`search.best_layout`), `"fast"` the view as written.
    """
    from diagramgen.rendering.diagrams_adapter import ICON_ROOT
    from diagramgen.rendering.graphviz import lay_out, run_dot
    from diagramgen.rendering.search import best_layout, check_mode
    from diagramgen.rendering.svg import inline_images

    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown format {unknown[0]!r}: choose from {', '.join(FORMATS)}")
    if dpi is not None and dpi <= 0:
        raise ValueError(f"dpi must be positive, not {dpi:g}")
    written: list[Path] = []
    outputs = {fmt: out_dir / f"{view.name}.{fmt}" for fmt in formats if fmt in ("svg", "pdf")}
    # dot settings by view size, falling back to simpler ones when dot fails (graphviz.py).
    chosen = best_layout(view, theme, check_mode(layout), timeout=timeout).source
    source = lay_out(chosen, len(view.nodes), outputs, cwd=ICON_ROOT, timeout=timeout)
    if "png" in formats:
        if dpi is None:
            if "svg" in outputs:
                layout = outputs["svg"].read_text("utf-8")
            else:
                with tempfile.TemporaryDirectory(prefix="diagramgen-") as scratch:
                    sized = Path(scratch) / "layout.svg"
                    run_dot(source, {"svg": sized}, cwd=ICON_ROOT, timeout=timeout)
                    layout = sized.read_text("utf-8")
            dpi = png_dpi(layout)
        png_args = [f"-Gdpi={dpi:g}"] + (["-Gbgcolor=transparent"] if transparent else [])
        png = out_dir / f"{view.name}.png"
        run_dot(source, {"png": png}, cwd=ICON_ROOT, timeout=timeout, extra_args=png_args)
    if "svg" in outputs:
        svg = outputs["svg"]
        svg.write_text(inline_images(svg.read_text("utf-8"), ICON_ROOT), "utf-8")
    if "dot" in formats:
        (out_dir / f"{view.name}.dot").write_text(source, "utf-8")
    for fmt in formats:
        written.append(out_dir / f"{view.name}.{fmt}")
    return written


def theme_name(design: Design, override: str | None = None) -> str:
    """The theme to draw a design in: `override` (the CLI's --theme), else its `theme:`."""
    return override or design.theme or "light"


def design_views(design: Design, names: Sequence[str] | None = None) -> list[DiagramView]:
    """The views `render` draws for a design, optionally only those named."""
    from diagramgen.view.builders import views

    all_views = views(design)
    if names is None:
        return all_views
    known = {v.name for v in all_views}
    missing = [n for n in names if n not in known]
    if missing:
        raise KeyError(
            f"no view {missing[0]!r} in {design.slug}: views are {', '.join(sorted(known))}"
        )
    return [v for v in all_views if v.name in names]


def render_design(
    design: Design,
    out_root: str | Path,
    options: RenderOptions | None = None,
    *,
    executor: Executor | None = None,
    cache_key: str | None = None,
) -> RenderResult:
    """Render every view and the notes of a design into `out_root/<slug>/`, all or nothing.

    Files are written to a temporary folder next to the target and swapped in only when
    everything succeeded, so a failed render leaves the output folder as it was.
    `executor` renders the views concurrently; `cache_key` stamps the folder for the
    incremental cache (`cache.py`), swapped in with the files it describes.
    """
    from diagramgen.rendering import cache
    from diagramgen.rendering.notes import render_notes
    from diagramgen.rendering.parallel import gather

    options = options or RenderOptions()
    theme = get_theme(theme_name(design, options.theme))
    root = Path(out_root)
    target = root / design.slug
    created_root = not root.exists()
    try:
        root.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{design.slug}.", suffix=".tmp", dir=root))
    except OSError as exc:
        raise OutputError(f"cannot write to {root}: {exc.strerror or exc}") from None
    try:
        files: list[Path] = []

        def draw(view: DiagramView) -> list[Path]:
            return render_view(
                view,
                staging,
                options.formats,
                theme,
                options.timeout,
                dpi=options.dpi,
                transparent=options.transparent,
                layout=options.layout,
            )

        for written in gather(executor, draw, design_views(design, options.views)):
            files += written
        if options.notes:
            notes = staging / "notes.md"
            notes.write_text(render_notes(design), "utf-8")
            files.append(notes)
        if options.views is None:
            if cache_key is not None:
                cache.write_stamp(staging, cache.make_stamp(cache_key, design, files))
            replace_dir(staging, target)
        else:
            cache.forget(target)  # the folder now mixes renders: no stamp describes it
            move_into(sorted(staging.iterdir()), target)
            shutil.rmtree(staging, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if created_root:
            shutil.rmtree(root, ignore_errors=True)
        raise
    return RenderResult(design.slug, target, [target / f.name for f in files])
