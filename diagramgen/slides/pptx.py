"""A `Deck` as a PowerPoint file (python-pptx), 16:9, every shape inside the slide.

Sizes are in points (the slide is 960 x 540). Text boxes get an explicit font size chosen
by `slides.fit`, so a long title shrinks and wraps instead of running off the slide;
pictures are scaled to their box keeping their aspect ratio, and centered.
"""

from __future__ import annotations

import io
import os
import zipfile
from datetime import UTC, datetime
from typing import Any

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Pt

from diagramgen.slides.deck import Deck, Item, Picture, Slide, Table
from diagramgen.slides.fit import LINE_SPACING, Fitted, ellipsize, fit
from diagramgen.slides.text import markdown_text
from diagramgen.view.themes import Theme

SLIDE_W, SLIDE_H = 960.0, 540.0  # points: 13.333 x 7.5 inches
MARGIN = 40.0
TOP = 26.0
BOTTOM = 24.0
CONTENT_W = SLIDE_W - 2 * MARGIN
PICTURE_MARGIN = 16.0  # around a diagram: the picture takes the slide's width
DIAGRAM_TOP = 10.0
DIAGRAM_BOTTOM = 8.0
ROW_H = 24.0  # table rows
NAME_SHARE = 0.3  # the least share of a table's width its first column gets
CELL_PAD = 5.0
NO_GRID_STYLE = "{2D5ABB26-0587-4C30-8999-92F81FD0307C}"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed, so the same deck gives the same bytes


def _rgb(color: str) -> RGBColor:
    return RGBColor.from_string(color.lstrip("#")[:6].upper())


def tone_color(theme: Theme, tone: str) -> str:
    """The color of a finding's tag by severity: the theme's diff palette, reused."""
    return {
        "error": theme.color("removed"),
        "warning": theme.color("changed"),
        "info": theme.accent,
    }.get(tone, theme.text)


class _Writer:
    def __init__(self, deck: Deck) -> None:
        self.deck = deck
        self.theme = deck.theme
        self.prs = Presentation()
        self.prs.slide_width = Pt(SLIDE_W)
        self.prs.slide_height = Pt(SLIDE_H)
        self.blank = self.prs.slide_layouts[6]

    # ------------------------------------------------------------------ shapes

    def text(
        self,
        slide: Any,
        box: tuple[float, float, float, float],
        fitted: Fitted,
        color: str,
        bold: bool = False,
        align: str = "left",
        anchor: str = "top",
    ) -> None:
        x, y, w, h = box
        shape = slide.shapes.add_textbox(Pt(x), Pt(y), Pt(w), Pt(h))
        frame = shape.text_frame
        frame.word_wrap = True
        frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
        frame.vertical_anchor = {"top": MSO_ANCHOR.TOP, "middle": MSO_ANCHOR.MIDDLE}.get(
            anchor, MSO_ANCHOR.BOTTOM
        )
        for i, lines in enumerate(fitted.paragraphs):
            para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            para.alignment = PP_ALIGN.CENTER if align == "center" else PP_ALIGN.LEFT
            para.line_spacing = Pt(fitted.size * LINE_SPACING)
            self.run(para, " ".join(lines), fitted.size, color, bold)

    def run(self, para: Any, text: str, size: float, color: str, bold: bool = False) -> None:
        run = para.add_run()
        run.text = text
        font = run.font
        font.name = self.theme.font
        font.size = Pt(size)
        font.bold = bold
        font.color.rgb = _rgb(color)

    def rect(self, slide: Any, box: tuple[float, float, float, float], color: str) -> None:
        x, y, w, h = box
        shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Pt(x), Pt(y), Pt(w), Pt(h))
        shape.fill.solid()
        shape.fill.fore_color.rgb = _rgb(color)
        shape.line.fill.background()
        shape.shadow.inherit = False

    def new_slide(self, notes: str) -> Any:
        slide = self.prs.slides.add_slide(self.blank)
        fill = slide.background.fill
        fill.solid()
        fill.fore_color.rgb = _rgb(self.theme.background)
        if notes:
            slide.notes_slide.notes_text_frame.text = markdown_text(notes)
        return slide

    def header(self, slide: Any, s: Slide) -> float:
        """Title and subtitle at the top; returns where the content may start."""
        title = fit(s.title, CONTENT_W, 62, 28, 16, bold=True, max_lines=2)
        title_h = title.height()
        self.text(slide, (MARGIN, TOP, CONTENT_W, title_h + 4), title, self.theme.text, True)
        y = TOP + title_h + 4
        if s.subtitle:
            sub = fit(s.subtitle, CONTENT_W, 30, 15, 10, max_lines=2)
            self.text(slide, (MARGIN, y, CONTENT_W, sub.height() + 2), sub, self.theme.subtle_text)
            y += sub.height() + 2
        self.rect(slide, (MARGIN, y + 6, 56, 3), self.theme.accent)
        return y + 18

    # ------------------------------------------------------------------ slides

    def title_slide(self, s: Slide) -> None:
        slide = self.new_slide(s.notes)
        x, w = 80.0, SLIDE_W - 160
        title = fit(s.title, w, 150, 44, 24, bold=True, max_lines=3)
        bottom = 290.0
        self.rect(slide, (x, bottom - title.height() - 22, 72, 5), self.theme.accent)
        top = bottom - title.height()
        self.text(slide, (x, top, w, title.height()), title, self.theme.text, bold=True)
        if s.subtitle:
            sub = fit(s.subtitle, w, 150, 20, 11, max_lines=6)
            self.text(slide, (x, bottom + 18, w, sub.height()), sub, self.theme.subtle_text)

    def diagram_slide(self, s: Slide) -> None:
        """A one-line title, then the picture (or its tile) as wide as the slide allows."""
        slide = self.new_slide(s.notes)
        width = SLIDE_W - 2 * PICTURE_MARGIN
        title = fit(s.title, width, 40, 24, 14, bold=True, max_lines=1)
        if title.cut:  # a title too long for one line wraps rather than losing words
            title = fit(s.title, width, 60, 20, 12, bold=True, max_lines=2)
        self.text(
            slide,
            (PICTURE_MARGIN, DIAGRAM_TOP, SLIDE_W - 2 * PICTURE_MARGIN, title.height() + 4),
            title,
            self.theme.text,
            True,
        )
        top = DIAGRAM_TOP + title.height() + 10
        self.rect(slide, (PICTURE_MARGIN, top - 5, 56, 3), self.theme.accent)
        if s.picture is None:
            return
        box = (
            PICTURE_MARGIN,
            top + 4,
            SLIDE_W - 2 * PICTURE_MARGIN,
            SLIDE_H - DIAGRAM_BOTTOM - top - 4,
        )
        x, y, w, h = picture_box(s.picture, box, s.crop)
        image: Any = str(s.picture.png)
        if s.crop is not None:
            image = tile_png(s.picture, s.crop)
        slide.shapes.add_picture(image, Pt(x), Pt(y), Pt(w), Pt(h))

    def summary_slide(self, s: Slide) -> None:
        slide = self.new_slide(s.notes)
        top = self.header(slide, s)
        left_w = 452.0
        right_x = MARGIN + left_w + 28 if s.has_table_column else MARGIN
        right_w = SLIDE_W - MARGIN - right_x
        bottom = SLIDE_H - BOTTOM
        if s.table_heading:
            self.heading(slide, s.table_heading, (MARGIN, top, left_w))
        if s.table is not None:
            self.table(slide, s.table, (MARGIN, top + 26, left_w))
        elif s.table_empty:
            msg = fit(s.table_empty, left_w, bottom - top - 26, 14, 10)
            self.text(slide, (MARGIN, top + 26, left_w, msg.height()), msg, self.theme.subtle_text)
        if s.items_heading:
            self.heading(slide, s.items_heading, (right_x, top, right_w))
        box = (right_x, top + 26, right_w, bottom - top - 26)
        if s.items:
            self.items(slide, s.items, box, 16, 10)
        elif s.items_empty:
            msg = fit(s.items_empty, right_w, box[3], 14, 10)
            self.text(slide, (*box[:3], msg.height()), msg, self.theme.subtle_text)

    def list_slide(self, s: Slide) -> None:
        slide = self.new_slide(s.notes)
        top = self.header(slide, s)
        self.items(slide, s.items, (MARGIN, top, CONTENT_W, SLIDE_H - BOTTOM - top), 20, 11)

    def heading(self, slide: Any, text: str, at: tuple[float, float, float]) -> None:
        x, y, w = at
        fitted = fit(text, w, 20, 14, 10, bold=True, max_lines=1)
        self.text(slide, (x, y, w, 20), fitted, self.theme.accent, bold=True)

    def items(
        self,
        slide: Any,
        items: tuple[Item, ...],
        box: tuple[float, float, float, float],
        max_size: float,
        min_size: float,
    ) -> None:
        """Bullets with a bold lead or colored tag; sized so that all of them fit the box."""
        heads = [item.lead or item.tag or "" for item in items]
        paragraphs = [
            f"{h}  {plain(item.text)}".strip() for h, item in zip(heads, items, strict=True)
        ]
        x, y, w, h = box
        fitted = fit(paragraphs, w, h, max_size, min_size, gap=0.55)
        shape = slide.shapes.add_textbox(Pt(x), Pt(y), Pt(w), Pt(fitted.height(0.55) + 4))
        frame = shape.text_frame
        frame.word_wrap = True
        frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
        for i, lines in enumerate(fitted.paragraphs):
            item, head = items[i], heads[i]
            para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            para.line_spacing = Pt(fitted.size * LINE_SPACING)
            if i:
                para.space_before = Pt(fitted.size * 0.55)
            shown = " ".join(lines)
            if head and shown.startswith(head):
                color = tone_color(self.theme, item.tone) if item.tag else self.theme.text
                self.run(para, head, fitted.size, color, bold=True)
                self.run(para, shown[len(head) :], fitted.size, self.theme.text)
            else:
                self.run(para, shown, fitted.size, self.theme.text)

    def table(self, slide: Any, table: Table, at: tuple[float, float, float]) -> None:
        x, y, w = at
        size = 12.0
        rows = [table.header, *table.rows]
        widths = column_widths(rows, w, size)
        frame = slide.shapes.add_table(
            len(rows), len(widths), Pt(x), Pt(y), Pt(w), Pt(ROW_H * len(rows))
        )
        # "No Style, No Grid": our fills only, no borders from the default table style.
        frame._element.graphic.graphicData.tbl.tblPr.find(qn("a:tableStyleId")).text = NO_GRID_STYLE
        grid = frame.table
        for c, width in enumerate(widths):
            grid.columns[c].width = Pt(width)
        for r, values in enumerate(rows):
            grid.rows[r].height = Pt(ROW_H)
            for c, value in enumerate(values):
                cell = grid.cell(r, c)
                cell.margin_left = cell.margin_right = Pt(CELL_PAD)
                cell.margin_top = cell.margin_bottom = Pt(2)
                cell.vertical_anchor = MSO_ANCHOR.MIDDLE
                cell.fill.solid()
                header = r == 0
                fill = self.theme.accent if header else self.theme.panel
                if not header and r % 2 == 0:
                    fill = self.theme.background
                cell.fill.fore_color.rgb = _rgb(fill)
                room = (widths[c] - 2 * CELL_PAD) * 0.94
                text = ellipsize_to(value, room, size, header)
                para = cell.text_frame.paragraphs[0]
                para.alignment = PP_ALIGN.LEFT if c == 0 else PP_ALIGN.RIGHT
                color = self.theme.background if header else self.theme.text
                self.run(para, text, size, color, bold=header)

    # ------------------------------------------------------------------ all

    def write(self) -> bytes:
        for s in self.deck.slides:
            {
                "title": self.title_slide,
                "diagram": self.diagram_slide,
                "summary": self.summary_slide,
                "list": self.list_slide,
            }[s.kind](s)
        props = self.prs.core_properties
        props.title = self.deck.title
        props.author = props.last_modified_by = "diagramgen"
        props.revision = 1
        props.created = props.modified = _timestamp()
        buffer = io.BytesIO()
        self.prs.save(buffer)
        return _normalized_zip(buffer.getvalue())


def plain(text: str) -> str:
    """Finding texts mark code with backticks; a slide shows the words only."""
    return text.replace("`", "")


def column_widths(rows: list[tuple[str, ...]], width: float, size: float) -> list[float]:
    """Column widths in points summing to `width`: the figure columns as wide as their
    widest cell, the first (name) column gets the rest but at least `NAME_SHARE` of it."""
    from diagramgen.slides.fit import text_width

    need = [
        max(text_width(row[c], size, bold=r == 0) for r, row in enumerate(rows)) / 0.94
        + 2 * CELL_PAD
        + 2  # rounding: a cell exactly as wide as its text would still be cut
        for c in range(len(rows[0]))
    ]
    figures = sum(need[1:])
    room = width - max(min(need[0], width * NAME_SHARE), width - figures)
    scale = min(1.0, room / figures)
    rest = [n * scale for n in need[1:]]
    return [width - sum(rest), *rest]


def ellipsize_to(text: str, width: float, size: float, bold: bool = False) -> str:
    """`text` unchanged when it fits `width` points on one line, else cut with an ellipsis."""
    from diagramgen.slides.fit import text_width

    return text if text_width(text, size, bold) <= width else ellipsize(text, width, size, bold)


def tile_png(picture: Picture, crop: tuple[float, float, float, float]) -> io.BytesIO:
    """The part `crop` of the picture's PNG as a PNG of its own.

    Cut here rather than with the picture's crop rectangle (`srcRect`), which LibreOffice
    Impress draws at the wrong scale for large images.
    """
    from PIL import Image

    with Image.open(picture.png) as im:
        w, h = im.size
        box = (round(crop[0] * w), round(crop[1] * h), round(crop[2] * w), round(crop[3] * h))
        out = io.BytesIO()
        im.crop(box).save(out, "PNG", optimize=False)
    out.seek(0)
    return out


def picture_box(
    picture: Picture,
    box: tuple[float, float, float, float],
    crop: tuple[float, float, float, float] | None = None,
) -> tuple[float, float, float, float]:
    """The largest rectangle of the picture's (or its crop's) aspect ratio inside `box`,
    centered in it."""
    x, y, w, h = box
    left, top, right, bottom = crop or (0.0, 0.0, 1.0, 1.0)
    width, height = picture.width * (right - left), picture.height * (bottom - top)
    scale = min(w / width, h / height)
    pw, ph = width * scale, height * scale
    return x + (w - pw) / 2, y + (h - ph) / 2, pw, ph


def _timestamp() -> datetime:
    # Reproducible builds set SOURCE_DATE_EPOCH; otherwise a fixed date keeps bytes stable.
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC).replace(tzinfo=None)
    return datetime(2000, 1, 1)


def _normalized_zip(data: bytes) -> bytes:
    """The same zip with fixed member dates: python-pptx stamps the current time."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def pptx_bytes(deck: Deck) -> bytes:
    """The deck as the bytes of a .pptx file; the same deck gives the same bytes."""
    return _Writer(deck).write()
