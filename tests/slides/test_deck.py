"""The deck plan: slides and their order, continuation slides, text fitting, notes as text."""

from __future__ import annotations

import pytest

from diagramgen.slides import deck_kind
from diagramgen.slides.deck import (
    DECISIONS_PER_SLIDE,
    FINDINGS_BESIDE_TABLE,
    FINDINGS_FULL_WIDTH,
    MAX_ITEM_CHARS,
    TABLE_ROWS_PER_SLIDE,
    Deck,
    clip,
)
from diagramgen.slides.fit import LINE_SPACING, fit, text_width, wrap
from diagramgen.slides.text import markdown_html, markdown_text
from diagramgen.spec.models import Design


def test_slide_order(deck: Deck) -> None:
    kinds = [(s.kind, s.title) for s in deck.slides]
    assert kinds[0] == ("title", "System designs")
    assert kinds[1:4] == [
        ("diagram", "Small design"),
        ("diagram", "Small design: read"),
        ("summary", "Small design: capacity and findings"),
    ]
    # No decisions in the small design: no decisions slide; the crowded one comes next.
    assert kinds[4][0] == "diagram" and kinds[4][1].startswith("A deliberately long")
    assert [k for k, _ in kinds].count("diagram") == 2 + 3
    assert kinds[-1][1].endswith("decisions (2/2)")


def test_diagram_slides_carry_pictures_and_the_full_notes(deck: Deck) -> None:
    for s in deck.slides:
        if s.kind == "diagram":
            assert s.picture is not None and s.picture.png.is_file() and s.picture.svg.is_file()
            assert "## Components" in s.notes
    flow = next(s for s in deck.slides if s.title == "Small design: read")
    assert flow.notes.startswith("## Flow: read")
    assert "2. api → db: select" in flow.notes


def test_pictures_leave_the_title_to_the_slide(deck: Deck) -> None:
    svg = deck.slides[1].picture.svg.read_text()  # type: ignore[union-attr]
    assert "Small design" not in svg and "Three components" not in svg
    assert "data:image/png;base64," in svg  # still self-contained


def test_small_design_summary_says_what_is_missing(deck: Deck) -> None:
    summary = deck.slides[3]
    assert summary.table is None and summary.table_empty and "workload" in summary.table_empty
    assert summary.items, "the small design has findings"
    assert summary.items_heading == f"Findings ({len(summary.items)})"


def test_crowded_design_is_split_over_continuation_slides(
    deck: Deck, crowded_design: Design
) -> None:
    from diagramgen.analysis import analyze

    summaries = [s for s in deck.slides if s.kind == "summary" and "deliberately" in s.title]
    assert len(summaries) > 1
    assert all(s.title.endswith(f"({i}/{len(summaries)})") for i, s in enumerate(summaries, 1))
    rows = [r for s in summaries if s.table for r in s.table.rows]
    assert len(rows) == len(crowded_design.workload.operations)  # type: ignore[union-attr]
    assert all(len(s.table.rows) <= TABLE_ROWS_PER_SLIDE for s in summaries if s.table)
    items = [i for s in summaries for i in s.items]
    assert len(items) == len(analyze(crowded_design).findings)  # none dropped
    for s in summaries:
        most, chars = FINDINGS_BESIDE_TABLE if s.table else FINDINGS_FULL_WIDTH
        assert len(s.items) <= most
        assert len(s.items) == 1 or sum(len(i.text) + len(i.tag or "") for i in s.items) <= chars
        assert all(len(i.text) <= MAX_ITEM_CHARS for i in s.items)
    assert "## Findings" in summaries[0].notes  # the whole text of cut findings
    severities = [i.tone for i in items]
    order = {"error": 0, "warning": 1, "info": 2}
    assert severities == sorted(severities, key=order.__getitem__)
    decisions = [s for s in deck.slides if s.kind == "list"]
    assert sum(len(s.items) for s in decisions) == len(crowded_design.decisions)
    assert all(len(s.items) <= DECISIONS_PER_SLIDE for s in decisions)


def test_deck_kind_by_suffix() -> None:
    assert deck_kind("a/b/Talk.PPTX") == ".pptx"
    assert deck_kind("deck.html") == ".html" and deck_kind("deck.md") == ".md"
    with pytest.raises(ValueError, match=r"\.pptx, \.html, \.md"):
        deck_kind("deck.pdf")


def test_clip_cuts_at_a_word() -> None:
    assert clip("short") == "short"
    cut = clip("word " * 100, 50)
    assert len(cut) <= 50 and cut.endswith("word…")


def test_fit_shrinks_then_cuts() -> None:
    short = fit("Title", 400, 40, 28, 12, bold=True)
    assert short.size == 28 and short.paragraphs == (("Title",),) and not short.cut
    long = fit("word " * 40, 400, 80, 28, 12)
    assert 12 <= long.size < 28 and not long.cut
    assert long.height() <= 80
    assert all(text_width(line, long.size) <= 400 for line in long.paragraphs[0])
    huge = fit("word " * 2000, 400, 80, 28, 12)
    assert huge.cut and huge.size == 12 and huge.height() <= 80
    assert huge.paragraphs[-1][-1].endswith("…")
    capped = fit("word " * 40, 400, 500, 28, 12, max_lines=2)
    assert sum(len(p) for p in capped.paragraphs) <= 2


def test_fit_paragraphs_with_gaps_stay_in_the_box() -> None:
    paragraphs = [f"paragraph {i} " + "text " * 30 for i in range(10)]
    fitted = fit(paragraphs, 300, 200, 20, 10, gap=0.5)
    assert fitted.height(0.5) <= 200
    assert fitted.size * LINE_SPACING * 2 <= 200


def test_wrap_splits_words_longer_than_the_line() -> None:
    lines = wrap("x" * 200, 100, 12)
    assert len(lines) > 1 and "".join(lines) == "x" * 200
    assert all(text_width(line, 12) <= 100 for line in lines)


def test_markdown_text_reads_well() -> None:
    md = "# Title\n\nSome **bold** \\*text\\*.\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
    text = markdown_text(md)
    assert text == "Title\n\nSome bold *text*.\n\n• one\n• two\n\na | b\n1 | 2\n"


def test_markdown_html_escapes_raw_html() -> None:
    html = markdown_html("<script>alert(1)</script> and `code`")
    assert "<script>" not in html and "&lt;script&gt;" in html and "<code>code</code>" in html
