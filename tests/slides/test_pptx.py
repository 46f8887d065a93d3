"""The PowerPoint deck, opened with python-pptx: slides, pictures in bounds, notes, fitting."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.util import Emu, Pt

from diagramgen.slides import write_deck
from diagramgen.slides.deck import Deck, Picture
from diagramgen.slides.fit import LINE_SPACING
from diagramgen.slides.pptx import column_widths, picture_box, pptx_bytes, tone_color
from diagramgen.spec.models import Design
from tests.slides.conftest import LONG_TITLE


@pytest.fixture(scope="module")
def data(deck: Deck) -> bytes:
    """The deck of both designs as a .pptx file's bytes."""
    return pptx_bytes(deck)


@pytest.fixture(scope="module")
def prs(data: bytes) -> Presentation:
    """The deck of both designs, as python-pptx reads it back."""
    return Presentation(io.BytesIO(data))


def test_slide_count_and_16_by_9(prs: Presentation, deck: Deck) -> None:
    assert len(prs.slides) == len(deck.slides)
    assert prs.slide_width * 9 == prs.slide_height * 16


def test_every_shape_is_inside_the_slide(prs: Presentation) -> None:
    w, h = prs.slide_width, prs.slide_height
    for number, slide in enumerate(prs.slides, start=1):
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.top >= 0, (number, shape.name)
            assert shape.left + shape.width <= w, (number, shape.name)
            assert shape.top + shape.height <= h, (number, shape.name)


def test_pictures_keep_their_aspect_ratio_and_are_centered(prs: Presentation, deck: Deck) -> None:
    seen = 0
    for s, slide in zip(deck.slides, prs.slides, strict=True):
        pics = [sh for sh in slide.shapes if sh.shape_type == MSO_SHAPE_TYPE.PICTURE]
        if s.kind != "diagram":
            assert not pics
            continue
        assert len(pics) == 1 and s.picture is not None
        pic = pics[0]
        assert abs(pic.width / pic.height - s.picture.aspect) < 0.01
        center = pic.left + pic.width / 2
        assert abs(center - prs.slide_width / 2) < Pt(1)
        # Large: it fills the width or the height of the room under the title.
        assert pic.width > prs.slide_width * 0.8 or pic.top + pic.height > prs.slide_height * 0.9
        seen += 1
    assert seen == 5


def test_picture_box_fits_without_distortion() -> None:
    wide = Picture(Path("w.png"), Path("w.svg"), 2000, 500)
    x, y, w, h = picture_box(wide, (40, 100, 880, 400))
    assert (x, w) == (40, 880) and h == pytest.approx(220) and y == pytest.approx(190)
    tall = Picture(Path("t.png"), Path("t.svg"), 500, 2000)
    x, y, w, h = picture_box(tall, (40, 100, 880, 400))
    assert (y, h) == (100, 400) and w == pytest.approx(100) and x == pytest.approx(430)


def test_diagram_and_summary_slides_have_speaker_notes(prs: Presentation, deck: Deck) -> None:
    for s, slide in zip(deck.slides, prs.slides, strict=True):
        if s.kind in ("diagram", "summary", "list"):
            notes = slide.notes_slide.notes_text_frame.text
            assert "Components" in notes, s.title
            assert "**" not in notes and "\\" not in notes  # plain text, not Markdown
    flow = next(i for i, s in enumerate(deck.slides) if s.title == "Small design: read")
    assert "2. api → db: select" in prs.slides[flow].notes_slide.notes_text_frame.text


def test_long_titles_shrink_and_wrap_within_the_slide(prs: Presentation, deck: Deck) -> None:
    index = next(i for i, s in enumerate(deck.slides) if s.title == LONG_TITLE)
    title = prs.slides[index].shapes[0]
    assert title.text_frame.text.replace("\n", " ") == LONG_TITLE
    size = title.text_frame.paragraphs[0].runs[0].font.size.pt
    assert size < 28  # shrunk from the largest size
    lines = round(title.height / Pt(size * LINE_SPACING))
    assert 1 <= lines <= 2


def test_findings_show_severity_tags(prs: Presentation, deck: Deck) -> None:
    index = next(i for i, s in enumerate(deck.slides) if s.kind == "summary" and s.items)
    first = deck.slides[index].items[0]
    frames = [sh.text_frame for sh in prs.slides[index].shapes if sh.has_text_frame]
    frame = next(f for f in frames if f.text.startswith(f"{first.tag} {first.text[:20]}"))
    tag = frame.paragraphs[0].runs[0]
    assert tag.text == first.tag and tag.font.bold
    assert f"#{tag.font.color.rgb}" == tone_color(deck.theme, first.tone).upper()


def test_capacity_table_figures(prs: Presentation, deck: Deck) -> None:
    index = next(i for i, s in enumerate(deck.slides) if s.table is not None)
    tables = [sh for sh in prs.slides[index].shapes if sh.has_table]
    assert len(tables) == 1
    table = tables[0].table
    assert [c.text for c in table.rows[0].cells] == [
        "Operation",
        "Average",
        "Peak",
        "Bandwidth",
        "Storage",
    ]
    row = [c.text for c in table.rows[1].cells]
    assert row[0].startswith("operation number 0") and row[1] == "11.6/s"
    assert row[2] == "46.3/s"  # peak factor 4


def test_column_widths_sum_to_the_table_width() -> None:
    rows = [("Operation", "Average"), ("a very long operation name indeed", "1.16k/s")]
    widths = column_widths(rows, 300, 12)
    assert sum(widths) == pytest.approx(300) and widths[0] >= 90


def test_same_deck_same_bytes(deck: Deck, data: bytes) -> None:
    assert pptx_bytes(deck) == data
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_write_deck_dark(tmp_path: Path, small_design: Design) -> None:
    out = tmp_path / "deck" / "talk.pptx"
    assert write_deck([small_design], out, theme="dark") == [out]
    prs = Presentation(str(out))
    assert len(prs.slides) == 4
    fill = prs.slides[1].background.fill
    assert str(fill.fore_color.rgb) == "0F172A"
    assert prs.core_properties.title == "Small design"
    assert not list(tmp_path.glob("deck/.*"))  # no temporary files left behind
    assert Emu(prs.slide_width).inches == pytest.approx(13.333, abs=0.01)
