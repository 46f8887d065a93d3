"""A `Deck` as a Marp Markdown deck, its pictures in a folder next to it.

Marp (marp.app) turns the file into HTML, PDF or PPTX; any Markdown viewer still shows
the slides one under the other. Pictures are sized with Marp's `w:`/`h:` keywords
computed from their aspect ratio, so they fit the 1280 x 720 slide undistorted, and the
notes go into HTML comments, which Marp shows as presenter notes.
"""

from __future__ import annotations

import json
from pathlib import PurePosixPath

from diagramgen.rendering.notes import md_escape
from diagramgen.slides.deck import Deck, Item, Picture, Slide, Table
from diagramgen.slides.fit import SLACK, wrap
from diagramgen.view.themes import Theme

# Marp's slide is 1280 x 720 px; the style below pads it by 40 x 56 and sets the title and
# subtitle sizes (at most two lines each); the picture gets the rest.
SLIDE_H, PAD_Y, FIGURE_W = 720, 40, 1168
TITLE_PX, SUBTITLE_PX, LINE = 34, 20, 1.25

STYLE = """\
section {
  background: %(bg)s; color: %(fg)s; font-family: "%(font)s", Verdana, Arial, sans-serif;
  font-size: 24px; padding: 40px 56px; place-content: start stretch;
}
section h1, section h2 { color: %(fg)s; margin: 0 0 8px; line-height: 1.25; }
section h2, section h2 + p { display: -webkit-box; -webkit-box-orient: vertical;
  -webkit-line-clamp: 2; overflow: hidden; }
section h1 { font-size: 56px; }
section h2 { font-size: 34px; }
section h3 { color: %(accent)s; font-size: 19px; margin: 0 0 8px; }
section h2 + p { color: %(subtle)s; font-size: 20px; line-height: 1.25; margin: 0 0 12px; }
section::after { color: %(subtle)s; font-size: 14px; }
section.lead { place-content: center stretch; padding: 0 110px; }
section.lead h1 { border-top: 6px solid %(accent)s; padding-top: 22px; }
section.lead p { color: %(subtle)s; font-size: 26px; }
section.diagram p:has(img) { text-align: center; margin: 0; }
section.summary {
  display: grid; grid-template-columns: 1.1fr 1fr; grid-template-rows: auto auto 1fr;
  grid-auto-flow: column; column-gap: 40px; align-content: start;
}
section.summary > h2 { grid-column: 1 / -1; }
section.summary.wide { display: block; }
section.summary table { display: table; font-size: 16px; border-collapse: collapse;
  width: 100%%; align-self: start; }
section.summary th { background: %(accent)s; color: %(bg)s; }
section.summary th, section.summary td { padding: 5px 8px; border: 0; }
section.summary tr:nth-child(even) td { background: %(panel)s; }
section.summary tr td { background: %(bg)s; }
section.summary ul, section.list ul { list-style: none; padding: 0; margin: 0; }
section.summary li { font-size: 18px; margin-bottom: 10px; }
section.list li { font-size: 22px; margin-bottom: 14px; }
section strong { color: %(accent)s; }
section code { background: %(panel)s; color: %(fg)s; }
"""


def figure_size(
    picture: Picture,
    box_w: int,
    box_h: int,
    crop: tuple[float, float, float, float] | None = None,
) -> tuple[int, int]:
    """The picture's (or its crop's) size inside a `box_w` x `box_h` box, keeping its aspect."""
    left, top, right, bottom = crop or (0.0, 0.0, 1.0, 1.0)
    width, height = picture.width * (right - left), picture.height * (bottom - top)
    scale = min(box_w / width, box_h / height)
    return max(1, round(width * scale)), max(1, round(height * scale))


def _lines(text: str, px: float, bold: bool) -> int:
    return min(2, len(wrap(text, FIGURE_W * SLACK, px, bold)))


def figure_height(s: Slide) -> int:
    """The height left for a diagram under the slide's title and subtitle, in pixels."""
    used = 2 * PAD_Y + _lines(s.title, TITLE_PX, True) * TITLE_PX * LINE + 8
    if s.subtitle:
        used += _lines(s.subtitle, SUBTITLE_PX, False) * SUBTITLE_PX * LINE + 12
    return int(SLIDE_H - used - 16)  # 16: the paragraph around the picture, and slack


def _yaml_str(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def _comment(text: str) -> str:
    # An HTML comment ends at the first `-->`; keep the notes from closing it early.
    return "<!--\n" + text.replace("-->", "-- >").replace("<!--", "< !--").strip() + "\n-->"


def _table(table: Table) -> list[str]:
    lines = ["| " + " | ".join(md_escape(h) for h in table.header) + " |"]
    lines.append("|:--|" + "--:|" * (len(table.header) - 1))
    lines += ["| " + " | ".join(md_escape(v) for v in row) + " |" for row in table.rows]
    return lines


def md_rich(text: str) -> str:
    """Markdown of `text`: its `backtick` spans stay code, everything else is escaped."""
    parts = text.split("`")
    if len(parts) % 2 == 0:  # an unpaired backtick: no code spans at all
        return md_escape(text)
    return "".join(
        f"`{part}`" if i % 2 and part else md_escape(part) for i, part in enumerate(parts)
    )


def _item(item: Item) -> str:
    if item.lead:
        return f"- **{md_escape(item.lead)}** {md_rich(item.text)}"
    if item.tag:
        return f"- **{md_escape(item.tag)}** {md_rich(item.text)}"
    return f"- {md_rich(item.text)}"


def _slide(s: Slide, assets: dict[int, str], index: int) -> list[str]:
    lines: list[str] = []
    if s.kind == "title":
        lines += ["<!-- _class: lead -->", "<!-- _paginate: false -->", ""]
        lines += [f"# {md_escape(s.title)}", ""]
        if s.subtitle:
            lines += [md_escape(s.subtitle), ""]
    else:
        kind = s.kind if s.kind != "summary" or s.has_table_column else "summary wide"
        lines += [f"<!-- _class: {kind} -->", "", f"## {md_escape(s.title)}", ""]
    if s.kind == "diagram" and s.picture is not None:
        if s.subtitle:
            lines += [md_escape(s.subtitle), ""]
        w, h = figure_size(s.picture, FIGURE_W, figure_height(s), s.crop)
        lines += [f"![w:{w} h:{h}]({assets[index]})", ""]
    elif s.kind == "summary":
        if s.table_heading:
            lines += [f"### {md_escape(s.table_heading)}", ""]
        if s.table is not None:
            lines += [*_table(s.table), ""]
        elif s.table_empty:
            lines += [md_escape(s.table_empty), ""]
        if s.items_heading:
            lines += [f"### {md_escape(s.items_heading)}", ""]
        if s.items:
            lines += [*(_item(i) for i in s.items), ""]
        elif s.items_empty:
            lines += [md_escape(s.items_empty), ""]
    elif s.kind == "list":
        lines += [*(_item(i) for i in s.items), ""]
    if s.notes:
        lines += [_comment(s.notes), ""]
    return lines


def marp_text(deck: Deck, assets: dict[int, str]) -> str:
    """The Marp Markdown of `deck`; `assets` maps a slide's index to its picture's path."""
    style = marp_style(deck.theme)
    front = [
        "---",
        "marp: true",
        "size: 16:9",
        "paginate: true",
        f"title: {_yaml_str(deck.title)}",
        "style: |",
        *(f"  {line}" if line else "" for line in style.splitlines()),
        "---",
        "",
    ]
    body: list[str] = []
    for i, s in enumerate(deck.slides):
        if i:
            body += ["---", ""]
        body += _slide(s, assets, i)
    return "\n".join(front + body).rstrip("\n") + "\n"


def asset_name(deck_stem: str, index: int, picture: Picture) -> PurePosixPath:
    """Where a slide's picture goes, relative to the Markdown file."""
    return PurePosixPath(f"{deck_stem}_assets") / f"{index:02d}-{picture.svg.name}"


def marp_style(theme: Theme) -> str:
    """The CSS the deck's front matter carries for `theme`."""
    return STYLE % {
        "bg": theme.background,
        "fg": theme.text,
        "subtle": theme.subtle_text,
        "accent": theme.accent,
        "panel": theme.panel,
        "font": theme.font,
    }
