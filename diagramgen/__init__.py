"""diagramgen: architecture diagrams and tradeoff notes from a declarative system-design spec.

The public API; each stage is importable on its own and imported lazily here, so that
`import diagramgen` stays cheap:

    import diagramgen
    design = diagramgen.load("specs/url_shortener.yaml")
    diagramgen.render(design, "output/")
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from diagramgen.analysis import Analysis
    from diagramgen.diffing import DesignDiff
    from diagramgen.rendering import RenderOptions, RenderResult
    from diagramgen.spec.models import Design
    from diagramgen.view.model import DiagramView
    from diagramgen.website import SiteResult


def load(path: str | Path) -> Design:
    """Load and validate a spec file; raises `diagramgen.errors.SpecError`."""
    from diagramgen.spec.loader import load as _load

    return _load(path)


def loads(text: str, path: str = "<spec>") -> Design:
    """Load and validate a spec from YAML or JSON text."""
    from diagramgen.spec.loader import loads as _loads

    return _loads(text, path=path)


def views(design: Design) -> list[DiagramView]:
    """The renderer-neutral views of a design: the overview, one per flow, then `views:`."""
    from diagramgen.view.builders import views as _views

    return _views(design)


def render(
    design: Design, out_dir: str | Path = "output", options: RenderOptions | None = None, **kw: Any
) -> RenderResult:
    """Render a design's views and notes into `out_dir/<slug>/`; keywords build RenderOptions."""
    from diagramgen.rendering import RenderOptions as _Options
    from diagramgen.rendering import render_design

    return render_design(design, out_dir, options or _Options(**kw))


def analyze(design: Design) -> Analysis:
    """Capacity estimates and design-rule findings of a design (pure, deterministic)."""
    from diagramgen.analysis import analyze as _analyze

    return _analyze(design)


def diff(old: Design, new: Design) -> DesignDiff:
    """What changed from `old` to `new`, matched by id, with the tradeoff delta."""
    from diagramgen.diffing import diff_designs

    return diff_designs(old, new)


def export(design: Design, to: str, view: str | None = None) -> str:
    """The design as `mermaid`, `d2`, `drawio` or `json` text; `view` picks another view."""
    from diagramgen.exporters import export as _export

    return _export(design, to, view)


def deck(
    designs: Design | Sequence[Design],
    path: str | Path,
    theme: str | None = None,
    title: str | None = None,
) -> list[Path]:
    """Write a slide deck (`.pptx`, `.html` or Marp `.md`, by suffix); return the files."""
    from diagramgen.slides import write_deck

    items = list(designs) if isinstance(designs, list | tuple) else [designs]
    return write_deck(items, path, theme=theme, title=title)


def site(
    paths: str | Path | Sequence[str | Path],
    out_dir: str | Path,
    *,
    since: str | None = None,
    theme: str | None = None,
    jobs: int | None = None,
) -> SiteResult:
    """Build the static catalogue site of the specs under `paths` (files or folders).

    Writes `out_dir/index.html` (search and filters) and per design its interactive view
    pages, notes and findings; `since` (a git revision) adds a changes page per design.
    Specs that fail are listed in the result's `failed`; the rest of the site is built.
    """
    from pathlib import Path as _Path

    from diagramgen.website import build_site

    items = [paths] if isinstance(paths, str | _Path) else list(paths)
    return build_site(items, out_dir, since=since, theme=theme, jobs=jobs)


def __getattr__(name: str) -> Any:
    # The models are the Python API (`diagramgen.Design(...)`), imported on first use.
    import importlib

    spec = importlib.import_module("diagramgen.spec")
    if name in spec.__all__:
        return getattr(spec, name)
    raise AttributeError(f"module 'diagramgen' has no attribute {name!r}")
