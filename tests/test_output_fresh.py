"""`output/` is committed, so it must be what `make render` makes from `specs/` today.

The check needs no Graphviz: it rebuilds the DOT text of every view and the notes and
compares them with the committed files. Same DOT (and the same pinned Graphviz and fonts)
means the same SVG and PNG; the pictures themselves are only checked for presence.
Any difference means: run `make render` and commit `output/`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import diagramgen
from diagramgen.rendering import design_views, theme_name
from diagramgen.rendering.diagrams_adapter import ICON_ROOT
from diagramgen.rendering.gallery import GALLERY_FILE, SITE_DIR, gallery_entry, gallery_markdown
from diagramgen.rendering.graphviz import lay_out
from diagramgen.rendering.notes import render_notes
from diagramgen.rendering.search import best_layout
from diagramgen.spec.models import Design
from diagramgen.view.model import DiagramView
from diagramgen.view.themes import get_theme

ROOT = Path(__file__).resolve().parent.parent
SPECS = sorted((ROOT / "specs").glob("*.yaml"))
OUTPUT = ROOT / "output"
# What the Makefile's render target writes (`-f svg,png,dot --gallery`).
MAKE_FORMATS = ("svg", "png", "dot")
STALE = "output/ is stale: run `make render` and commit output/"


def _dot(view: DiagramView, design: Design) -> str:
    """The DOT text `render` writes for a view, without running Graphviz."""
    # The layout search picks the DOT a render draws (deterministic: same view, same pick).
    source = best_layout(view, get_theme(theme_name(design))).source
    # With no outputs, lay_out only applies the first layout plan: what a render keeps
    # whenever Graphviz succeeds with it, which it does for every catalogue view.
    return lay_out(source, len(view.nodes), {}, cwd=ICON_ROOT)


@pytest.fixture(params=SPECS, ids=lambda p: p.stem)
def design(request: pytest.FixtureRequest) -> Design:
    """Each spec in specs/."""
    return diagramgen.load(request.param)


def test_design_output_is_fresh(design: Design) -> None:
    folder = OUTPUT / design.slug
    assert folder.is_dir(), f"{STALE} (no output/{design.slug}/)"
    views = design_views(design)
    expected = {f"{v.name}.{fmt}" for v in views for fmt in MAKE_FORMATS} | {"notes.md"}
    # Dotfiles are the renderer's own bookkeeping (the incremental render stamp).
    present = {p.name for p in folder.iterdir() if not p.name.startswith(".")}
    assert present == expected, (
        f"{STALE}: output/{design.slug}/ lacks {sorted(expected - present)}, "
        f"has extra {sorted(present - expected)}"
    )
    stale = [
        f"{v.name}.dot"
        for v in views
        if (folder / f"{v.name}.dot").read_text("utf-8") != _dot(v, design)
    ]
    if (folder / "notes.md").read_text("utf-8") != render_notes(design):
        stale.append("notes.md")
    assert not stale, f"{STALE}: output/{design.slug}/ differs in {', '.join(stale)}"


def test_no_output_without_a_spec() -> None:
    slugs = {diagramgen.load(p).slug for p in SPECS}
    orphans = sorted(
        p.name
        for p in OUTPUT.iterdir()
        if p.is_dir() and not p.name.startswith(".")
        if p.name not in slugs and p.name != SITE_DIR  # the catalogue site (`make render`)
    )
    assert not orphans, f"output/ has folders no spec renders: {', '.join(orphans)}"


def test_gallery_is_fresh() -> None:
    # `make render` builds the catalogue site first, so the gallery links to it.
    entries = [gallery_entry(diagramgen.load(p), MAKE_FORMATS, site=True) for p in SPECS]
    page = OUTPUT / GALLERY_FILE
    assert page.is_file(), f"{STALE} (no output/{GALLERY_FILE})"
    assert page.read_text("utf-8") == gallery_markdown(entries), STALE
