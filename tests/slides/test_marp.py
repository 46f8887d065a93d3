"""The Marp Markdown deck: front matter, one section per slide, pictures next to it, notes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from diagramgen.slides import write_deck
from diagramgen.slides.deck import Deck, Slide
from diagramgen.slides.marp import FIGURE_W, SLIDE_H, figure_height, marp_text, md_rich
from diagramgen.spec.models import Design

IMAGE = re.compile(r"!\[w:(\d+) h:(\d+)\]\(([^)]+)\)")


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory, small_design: Design) -> list[Path]:
    """A dark Marp deck of the small design, written to disk."""
    out = tmp_path_factory.mktemp("marp") / "talk" / "deck.md"
    return write_deck([small_design], out, theme="dark")


def test_front_matter_and_slides(written: list[Path]) -> None:
    text = written[0].read_text("utf-8")
    front, body = text.split("\n---\n", 1)[0], text.split("\n---\n", 1)[1]
    meta = YAML(typ="safe").load(front.removeprefix("---\n"))
    assert meta["marp"] is True and meta["size"] == "16:9" and meta["title"] == "Small design"
    assert "#0F172A" in meta["style"]  # the dark theme's background
    slides = body.split("\n---\n")
    assert len(slides) == 4
    assert "<!-- _class: lead -->" in slides[0] and "# Small design" in slides[0]
    assert "<!-- _class: summary -->" in slides[3]


def test_pictures_are_written_next_to_the_deck_and_fit(written: list[Path]) -> None:
    deck_md, *pictures = written
    assert [p.name for p in pictures] == ["02-overview.svg", "03-flow-read.svg"]
    assert all(p.parent == deck_md.parent / "deck_assets" for p in pictures)
    text = deck_md.read_text("utf-8")
    found = IMAGE.findall(text)
    assert [ref for _, _, ref in found] == [f"deck_assets/{p.name}" for p in pictures]
    for (w, h, ref), picture in zip(found, pictures, strict=True):
        assert (deck_md.parent / ref).is_file()
        svg = picture.read_text("utf-8")
        vw, vh = map(float, re.search(r'viewBox="[\d.-]+ [\d.-]+ ([\d.]+) ([\d.]+)"', svg).groups())  # type: ignore[union-attr]
        assert abs(int(w) / int(h) - vw / vh) < 0.01  # no distortion
        assert int(w) <= FIGURE_W and int(h) < SLIDE_H - 100


def test_rewriting_replaces_stale_pictures(tmp_path: Path, small_design: Design) -> None:
    out = tmp_path / "deck.md"
    write_deck([small_design], out)
    stale = tmp_path / "deck_assets" / "99-old.svg"
    stale.write_text("<svg/>")
    write_deck([small_design], out)
    assert not stale.exists() and (tmp_path / "deck_assets" / "02-overview.svg").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deck.md", "deck_assets"]


def test_notes_are_presenter_comments(deck: Deck) -> None:
    text = marp_text(deck, {i: f"a/{i}.svg" for i, s in enumerate(deck.slides) if s.picture})
    sections = text.split("\n---\n")[1:]
    assert len(sections) == len(deck.slides)
    for s, section in zip(deck.slides, sections, strict=True):
        if s.notes:
            comment = section[section.rindex("<!--\n") :]
            assert "## Components" in comment and comment.rstrip().endswith("-->")
            assert comment.count("-->") == 1


def test_notes_cannot_close_their_comment(deck: Deck) -> None:
    from dataclasses import replace

    evil = replace(deck)
    evil.slides = [replace(deck.slides[1], notes="a --> b <!-- c")]
    text = marp_text(evil, {0: "x.svg"})
    assert "a -- > b < !-- c" in text


def test_titles_and_items_are_escaped() -> None:
    assert md_rich("set `backups: true` for *db*") == "set `backups: true` for \\*db\\*"
    assert md_rich("odd ` tick") == "odd \\` tick"


def test_figure_height_leaves_room_for_long_titles() -> None:
    short = figure_height(Slide("diagram", "Short"))
    long = figure_height(Slide("diagram", "word " * 40, subtitle="more " * 60))
    assert long < short <= SLIDE_H - 2 * 40 - 50
