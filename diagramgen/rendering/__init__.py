"""The render stage: views to files (svg, png, pdf, dot) plus the notes, written atomically."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from diagramgen import atomic
from diagramgen.atomic import move_into, replace_dir
from diagramgen.errors import OutputError
from diagramgen.view.model import DiagramView
from diagramgen.view.themes import Theme, get_theme

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from diagramgen.rendering.geometry import Geometry

    # Annotations only: a no-op `render` (every spec up to date) never loads the models.
    from diagramgen.spec.models import Design

VIEW_FORMATS = ("svg", "png", "pdf", "dot")  # drawn by Graphviz, one view at a time
FORMATS = (*VIEW_FORMATS, "html")  # html: the interactive page around the SVG (interactive.py)
# `search`: the best of a few candidate layouts (search.py); `fast`: the view as written.
LayoutMode = Literal["search", "fast"]
LAYOUT_MODES: tuple[LayoutMode, ...] = ("search", "fast")
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
    # view name -> one line on how its layout was simplified (views drawn as usual: absent)
    simplified: dict[str, str] = field(default_factory=dict)


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
    simplified: dict[str, str] | None = None,
) -> list[Path]:
    """Write `out_dir/<view.name>.<fmt>` for each format; return the paths written.

    `dpi` and `transparent` apply to PNG only: it is drawn by a second Graphviz run with
    `-Gdpi`/`-Gbgcolor`, so the SVG and PDF bytes never depend on them. `dpi=None` makes
    the PNG about `PNG_WIDTH` pixels wide (see `png_dpi`). `layout="search"` draws the
    best of a few candidate layouts (`search.best_layout`), `"fast"` the view as written.
    When the view is too big or tangled for the usual drawing, `simplified[view.name]`
    gets one line saying which simpler layout was used (`graphviz.Drawn.note`).
    """
    from diagramgen.rendering.diagrams_adapter import ICON_ROOT
    from diagramgen.rendering.graphviz import draw, run_dot
    from diagramgen.rendering.search import best_layout, check_mode
    from diagramgen.rendering.svg import inline_images

    unknown = [f for f in formats if f not in VIEW_FORMATS]
    if unknown:
        raise ValueError(
            f"unknown format {unknown[0]!r}: choose from {', '.join(VIEW_FORMATS)}"
            + (" (html pages need the design: use render_design)" if "html" in unknown else "")
        )
    if dpi is not None and dpi <= 0:
        raise ValueError(f"dpi must be positive, not {dpi:g}")
    written: list[Path] = []
    outputs = {fmt: out_dir / f"{view.name}.{fmt}" for fmt in formats if fmt in ("svg", "pdf")}
    # dot settings by view size, falling back to simpler ones when dot fails (graphviz.py).
    chosen = best_layout(view, theme, check_mode(layout), timeout=timeout).source
    drawn_with = draw(chosen, len(view.nodes), outputs, cwd=ICON_ROOT, timeout=timeout)
    source = drawn_with.source
    if simplified is not None and drawn_with.note:
        simplified[view.name] = drawn_with.note
    if "png" in formats:
        if dpi is None:
            if "svg" in outputs:
                drawn = outputs["svg"].read_text("utf-8")
            else:
                with tempfile.TemporaryDirectory(prefix="diagramgen-") as scratch:
                    sized = Path(scratch) / "layout.svg"
                    run_dot(source, {"svg": sized}, cwd=ICON_ROOT, timeout=timeout)
                    drawn = sized.read_text("utf-8")
            dpi = png_dpi(drawn)
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


def output_root(out_root: str | Path) -> Path:
    """The output root; refused early when it cannot be a folder (empty name, dangling link)."""
    text = str(out_root)
    if not text.strip():
        raise OutputError("the output folder is empty: give a folder name (e.g. -o output)")
    root = Path(out_root)
    if root.is_symlink() and not root.exists():
        missing = os.readlink(root)
        raise OutputError(f"cannot write to {root}: it is a symbolic link to a missing {missing}")
    if root.exists() and not root.is_dir():
        raise OutputError(f"cannot write to {root}: it is a file, not a folder")
    return root


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
    root = output_root(out_root)
    target = root / design.slug
    created_root = not root.exists()
    with atomic.locked(root):
        atomic.sweep(root)  # staging folders of runs that were killed
    box = atomic.staging(root, design.slug, cache.HEADER)
    staging = box.path
    try:
        files: list[Path] = []
        simplified: dict[str, str] = {}
        pages = "html" in options.formats
        # The page embeds the SVG of the same layout: drawn even when not asked for.
        drawn = [f for f in options.formats if f != "html"]
        if pages and "svg" not in drawn:
            drawn.append("svg")

        def draw(view: DiagramView) -> list[Path]:
            atomic.check_cancelled()
            return render_view(
                view,
                staging,
                drawn,
                theme,
                options.timeout,
                dpi=options.dpi,
                transparent=options.transparent,
                layout=options.layout,
                simplified=simplified,
            )

        try:
            selected = design_views(design, options.views)
            for written in gather(executor, draw, selected):
                files += written
            notes_text = render_notes(design) if options.notes else None
            if notes_text is not None:
                notes = staging / "notes.md"
                notes.write_text(notes_text, "utf-8")
                files.append(notes)
            if pages:
                from diagramgen.rendering.interactive import write_pages

                files += write_pages(design, selected, staging, theme, notes_text)
                if "svg" not in options.formats:
                    for svg in [f for f in files if f.suffix == ".svg"]:
                        svg.unlink()
                        files.remove(svg)
            if options.views is None:
                stamp = cache.make_stamp(cache_key or "none", design, files)
                cache.write_stamp(staging, stamp)
                replace_dir(staging, target)
            else:
                # The folder now mixes renders: a keyless stamp marks it ours, never fresh.
                move_into(sorted(files), target, mark=cache.HEADER)
        except OSError as exc:  # a full disk while writing into the staging folder
            raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from None
    except BaseException:
        box.remove()
        if created_root:
            shutil.rmtree(root, ignore_errors=True)
        raise
    box.remove()  # what is left of it: nothing after a swap, the stamp after a partial move
    notes = {name: simplified[name] for name in sorted(simplified)}
    return RenderResult(design.slug, target, [target / f.name for f in files], notes)
