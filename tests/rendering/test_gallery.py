"""The gallery page: pure Markdown from designs, and `render --gallery` writing it."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from diagramgen import loads
from diagramgen.cli import app
from diagramgen.rendering.gallery import (
    GalleryEntry,
    GalleryView,
    gallery_entry,
    gallery_markdown,
    write_gallery,
)
from tests.conftest import SMALL_SPEC

runner = CliRunner()


def _entry(slug: str, title: str = "T", description: str | None = None) -> GalleryEntry:
    return GalleryEntry(
        slug=slug,
        title=title,
        description=description,
        notes=f"{slug}/notes.md",
        image=f"{slug}/overview.png",
        diagram=f"{slug}/overview.svg",
    )


def test_entry_links_the_files_render_writes() -> None:
    entry = gallery_entry(loads(SMALL_SPEC), ["svg", "png", "dot"])
    assert entry.slug == "small"
    assert entry.image == "small/overview.png"
    assert entry.diagram == "small/overview.svg"
    assert entry.notes == "small/notes.md"
    assert entry.views == (GalleryView("read", "small/flow-read.svg"),)


def test_entry_without_png_shows_the_svg_and_without_pictures_shows_none() -> None:
    svg_only = gallery_entry(loads(SMALL_SPEC), ["svg"])
    assert svg_only.image == svg_only.diagram == "small/overview.svg"
    dot_only = gallery_entry(loads(SMALL_SPEC), ["dot"])
    assert dot_only.image is None and dot_only.diagram is None and dot_only.views == ()
    assert "| - |" in gallery_markdown([dot_only])


def test_rows_are_sorted_by_slug_whatever_the_input_order() -> None:
    a, b = _entry("alpha", "Alpha"), _entry("beta", "Beta")
    page = gallery_markdown([b, a])
    assert page == gallery_markdown([a, b])
    assert page.index("[Alpha]") < page.index("[Beta]")
    assert "2 designs" in page


def test_a_row_shows_the_picture_and_links_notes_and_diagram() -> None:
    page = gallery_markdown([_entry("shop", "Shop", "Sells things.")])
    row = page.splitlines()[-1]
    assert row.startswith("| **[Shop](shop/notes.md)**<br><br>Sells things.")
    assert '<a href="shop/overview.svg"><img src="shop/overview.png"' in row
    assert "[diagram](shop/overview.svg)" in row


def test_text_cannot_break_the_table_or_inject_markup() -> None:
    entry = _entry("x", 'A | B <script>"', "line one\nline | two <b>")
    row = gallery_markdown([entry]).splitlines()[-1]
    assert len(re.findall(r"(?<!\\)\|", row)) == 3  # the cell borders only, text pipes escaped
    assert "<script>" not in row and "<b>" not in row
    assert 'alt="A &#124; B &lt;script&gt;&quot; overview"' in row


def test_write_gallery_lists_specs_whose_output_exists(tmp_path: Path) -> None:
    spec = tmp_path / "small.yaml"
    spec.write_text(SMALL_SPEC, "utf-8")
    broken = tmp_path / "broken.yaml"
    broken.write_text("components: [{id: a, kind: servce}]\n", "utf-8")
    out = tmp_path / "out"
    out.mkdir()
    assert write_gallery(out, [spec, broken], ["svg", "png"]) is None  # nothing rendered yet
    (out / "small").mkdir()
    for name in ("notes.md", "overview.svg", "overview.png"):
        (out / "small" / name).write_text("x", "utf-8")
    page = write_gallery(out, [spec, broken], ["svg", "png"])
    assert page == out / "README.md"
    text = page.read_text("utf-8")
    assert "[Small design](small/notes.md)" in text and 'src="small/overview.png"' in text
    assert "flow-read" not in text  # that view was not rendered: no dead link
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []


def test_render_gallery_option(tmp_path: Path) -> None:
    spec = tmp_path / "small.yaml"
    spec.write_text(SMALL_SPEC, "utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["render", str(spec), "-o", str(out), "-f", "svg", "--gallery"])
    assert result.exit_code == 0, result.output
    page = (out / "README.md").read_text("utf-8")
    assert page == gallery_markdown([gallery_entry(loads(SMALL_SPEC), ["svg"])])
    plain = tmp_path / "plain"
    assert runner.invoke(app, ["render", str(spec), "-o", str(plain), "-f", "svg"]).exit_code == 0
    assert not (plain / "README.md").exists()


def test_gallery_of_an_unchanged_render_parses_no_spec(tmp_path: Path, monkeypatch) -> None:
    """The second `render --gallery` reads the rows from the stamps: no spec is loaded."""
    import diagramgen.spec.loader as loader

    spec = tmp_path / "small.yaml"
    spec.write_text(SMALL_SPEC, "utf-8")
    out = tmp_path / "out"
    args = ["render", str(spec), "-o", str(out), "-f", "svg", "--gallery"]
    assert runner.invoke(app, args).exit_code == 0
    first = (out / "README.md").read_text("utf-8")

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a spec was parsed for an unchanged render")

    monkeypatch.setattr(loader, "load", refuse)
    monkeypatch.setattr(loader, "loads", refuse)
    (out / "README.md").unlink()
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert (out / "README.md").read_text("utf-8") == first
