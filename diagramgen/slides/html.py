"""A `Deck` as one self-contained HTML file: inline SVG, inline CSS and script, no requests.

Slides are 1280 x 720 CSS pixels, scaled to the window. The arrow keys, Page Up/Down,
space, Home and End page through them, `N` shows the speaker notes, and the address
keeps the slide number (`deck.html#3`). Printing gives one slide per page; without
script every slide is shown, one under the other.
"""

from __future__ import annotations

import html
import re

from diagramgen.slides.deck import Deck, Item, Slide, Table
from diagramgen.slides.text import markdown_html
from diagramgen.view.themes import Theme

_PROLOGUE = re.compile(r"\A.*?(?=<svg\b)", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_SIZE = re.compile(r'(<svg\b[^>]*?)\s(width|height)="[^"]*"')
_ID = re.compile(r'\bid="([^"]+)"')
_REF = re.compile(r'(href="#|url\(#)([^")]+)')
_CODE = re.compile(r"`([^`]+)`")

CSS = """
:root { --bg: %(bg)s; --fg: %(fg)s; --subtle: %(subtle)s; --accent: %(accent)s;
  --panel: %(panel)s; --error: %(error)s; --warning: %(warning)s; --info: %(accent)s; }
* { box-sizing: border-box; }
html, body { margin: 0; background: var(--bg); color: var(--fg);
  font-family: "%(font)s", "Verdana", "Helvetica Neue", Arial, sans-serif; }
.slide { width: 1280px; height: 720px; padding: 36px 56px 32px; display: flex;
  flex-direction: column; overflow: hidden; background: var(--bg); position: relative; }
.slide h1, .slide h2 { margin: 0; font-weight: 700; line-height: 1.2; overflow-wrap: anywhere; }
.slide h2 { font-size: 36px; display: -webkit-box; -webkit-box-orient: vertical;
  -webkit-line-clamp: 2; overflow: hidden; }
.slide .sub { margin: 6px 0 0; color: var(--subtle); font-size: 20px; line-height: 1.3;
  display: -webkit-box; -webkit-box-orient: vertical; -webkit-line-clamp: 2; overflow: hidden; }
.slide .rule { width: 72px; height: 4px; background: var(--accent); margin: 14px 0 18px;
  flex: none; }
.title { justify-content: center; padding: 0 110px; }
.title h1 { font-size: 60px; display: -webkit-box; -webkit-box-orient: vertical;
  -webkit-line-clamp: 3; overflow: hidden; overflow-wrap: anywhere; }
.title .rule { width: 96px; height: 6px; order: -1; }
.title .sub { font-size: 26px; margin-top: 22px; -webkit-line-clamp: 5; }
.figure { flex: 1; min-height: 0; display: flex; align-items: center; justify-content: center; }
.diagram { padding: 12px 24px 10px; }
.diagram h2 { font-size: 30px; }
.diagram .rule { margin: 8px 0 8px; height: 3px; }
.figure svg { display: block; width: 100%%; height: 100%%; }
.columns { flex: 1; min-height: 0; display: grid; grid-template-columns: 1.1fr 1fr;
  gap: 40px; }
.columns > div, .body { min-height: 0; overflow: hidden; }
.body { flex: 1; }
h3 { margin: 0 0 10px; font-size: 19px; color: var(--accent); }
table { width: 100%%; border-collapse: collapse; font-size: 16px; table-layout: fixed; }
th { background: var(--accent); color: var(--bg); text-align: right; padding: 6px 8px; }
td { padding: 6px 8px; text-align: right; white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis; }
th:first-child, td:first-child { text-align: left; width: 32%%; }
tbody tr:nth-child(odd) td { background: var(--panel); }
ul.items { list-style: none; margin: 0; padding: 0; font-size: 19px; line-height: 1.3; }
.list ul.items { font-size: 24px; }
ul.items li { margin: 0 0 14px; }
.tag { font-weight: 700; margin-right: 8px; }
.tone-error .tag { color: var(--error); }
.tone-warning .tag { color: var(--warning); }
.tone-info .tag { color: var(--info); }
.lead { font-weight: 700; margin-right: 8px; }
code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.9em; }
.empty { color: var(--subtle); font-size: 18px; }
.number { position: absolute; right: 24px; bottom: 14px; font-size: 14px; color: var(--subtle); }
.notes { display: none; }
body.paged { overflow: hidden; height: 100vh; }
body.paged .slide { display: none; position: absolute; left: 50%%; top: 50%%; }
body.paged .slide.active { display: flex; }
body.show-notes .slide.active .notes { display: block; position: absolute; inset: auto 0 0 0;
  max-height: 45%%; overflow: auto; background: var(--panel); color: var(--fg);
  font-size: 16px; padding: 8px 24px; border-top: 3px solid var(--accent); }
@page { size: 1280px 720px; margin: 0; }
@media print {
  html, body { background: var(--bg); -webkit-print-color-adjust: exact;
    print-color-adjust: exact; }
  body.paged { overflow: visible; height: auto; }
  body.paged .slide, .slide { display: flex !important; position: relative; left: auto; top: auto;
    transform: none !important; break-after: page; page-break-after: always; }
  .slide:last-child { break-after: auto; page-break-after: auto; }
  .slide .notes { display: none !important; }
}
"""

SCRIPT = """
(function () {
  var slides = Array.prototype.slice.call(document.querySelectorAll(".slide"));
  var current = 0;
  // Shrink long lists until they fit their box; measured while every slide is laid out.
  Array.prototype.forEach.call(document.querySelectorAll(".fit"), function (box) {
    var list = box.querySelector("ul.items");
    if (!list) { return; }
    var size = parseFloat(window.getComputedStyle(list).fontSize);
    while (box.scrollHeight > box.clientHeight + 1 && size > 11) {
      size -= 1;
      list.style.fontSize = size + "px";
    }
  });
  document.body.classList.add("paged");
  function fit() {
    var s = Math.min(window.innerWidth / 1280, window.innerHeight / 720);
    slides.forEach(function (el) {
      el.style.transform = "translate(-50%, -50%) scale(" + s + ")";
    });
  }
  function show(n) {
    current = Math.max(0, Math.min(slides.length - 1, n));
    slides.forEach(function (el, i) { el.classList.toggle("active", i === current); });
    if (history.replaceState) { history.replaceState(null, "", "#" + (current + 1)); }
  }
  function fromHash() {
    var n = parseInt(location.hash.slice(1), 10);
    return isNaN(n) ? 0 : n - 1;
  }
  document.addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) { return; }
    var k = e.key;
    if (k === "ArrowRight" || k === "ArrowDown" || k === "PageDown" || k === " ") {
      show(current + 1);
    } else if (k === "ArrowLeft" || k === "ArrowUp" || k === "PageUp") {
      show(current - 1);
    } else if (k === "Home") { show(0); }
    else if (k === "End") { show(slides.length - 1); }
    else if (k === "n" || k === "N") { document.body.classList.toggle("show-notes"); }
    else { return; }
    e.preventDefault();
  });
  window.addEventListener("hashchange", function () { show(fromHash()); });
  window.addEventListener("resize", fit);
  fit();
  show(fromHash());
})();
"""


def inline_svg(svg: str, prefix: str) -> str:
    """A Graphviz SVG ready to sit in HTML: no prologue or comments, sized by its box, and
    its ids prefixed so that several pictures in one page never share an id."""
    body = _COMMENT.sub("", _PROLOGUE.sub("", svg, count=1))
    for _ in range(2):
        body = _SIZE.sub(r"\1", body, count=1)
    body = _ID.sub(lambda m: f'id="{prefix}{m.group(1)}"', body)
    body = _REF.sub(lambda m: f"{m.group(1)}{prefix}{m.group(2)}", body)
    return body.replace("<svg", '<svg preserveAspectRatio="xMidYMid meet"', 1).strip()


_VIEW_BOX = re.compile(r'(<svg\b[^>]*?\bviewBox=")([-\d.]+) ([-\d.]+) ([\d.]+) ([\d.]+)"')


def crop_svg(svg: str, crop: tuple[float, float, float, float]) -> str:
    """The SVG showing only the part `crop` (fractions left, top, right, bottom) of its box."""

    def window(m: re.Match[str]) -> str:
        x, y, w, h = (float(v) for v in m.group(2, 3, 4, 5))
        left, top, right, bottom = crop
        box = (x + left * w, y + top * h, (right - left) * w, (bottom - top) * h)
        return m.group(1) + " ".join(f"{v:.2f}" for v in box) + '"'

    return _VIEW_BOX.sub(window, svg, count=1)


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _rich(text: str) -> str:
    """Escaped text with its `backtick` spans as code."""
    return _CODE.sub(r"<code>\1</code>", _esc(text))


def _table(table: Table) -> str:
    head = "".join(f"<th>{_esc(h)}</th>" for h in table.header)
    body = "".join(
        "<tr>" + "".join(f'<td title="{_esc(v)}">{_esc(v)}</td>' for v in row) + "</tr>"
        for row in table.rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _items(items: tuple[Item, ...]) -> str:
    out = []
    for item in items:
        head = ""
        if item.lead:
            head = f'<span class="lead">{_esc(item.lead)}</span>'
        elif item.tag:
            head = f'<span class="tag">{_esc(item.tag)}</span>'
        out.append(f'<li class="tone-{item.tone}">{head}{_rich(item.text)}</li>')
    return f'<ul class="items">{"".join(out)}</ul>'


def _slide(s: Slide, number: int, total: int) -> str:
    parts: list[str] = []
    if s.kind == "title":
        parts.append(f"<h1>{_esc(s.title)}</h1>")
    else:
        parts.append(f"<h2>{_esc(s.title)}</h2>")
    if s.subtitle:
        parts.append(f'<p class="sub">{_esc(s.subtitle)}</p>')
    parts.append('<div class="rule"></div>')
    if s.kind == "diagram" and s.picture is not None:
        svg = inline_svg(s.picture.svg.read_text("utf-8"), f"s{number}-")
        if s.crop is not None:
            svg = crop_svg(svg, s.crop)
        parts.append(f'<div class="figure">{svg}</div>')
    elif s.kind == "summary":
        left = f"<h3>{_esc(s.table_heading)}</h3>" if s.table_heading else ""
        if s.table is not None:
            left += _table(s.table)
        elif s.table_empty:
            left += f'<p class="empty">{_esc(s.table_empty)}</p>'
        right = f"<h3>{_esc(s.items_heading)}</h3>" if s.items_heading else ""
        if s.items:
            right += _items(s.items)
        elif s.items_empty:
            right += f'<p class="empty">{_esc(s.items_empty)}</p>'
        if s.has_table_column:
            parts.append(
                f'<div class="columns"><div>{left}</div><div class="fit">{right}</div></div>'
            )
        else:
            parts.append(f'<div class="body fit">{right}</div>')
    elif s.kind == "list":
        parts.append(f'<div class="body fit">{_items(s.items)}</div>')
    if number > 1:
        parts.append(f'<div class="number">{number} / {total}</div>')
    if s.notes:
        parts.append(f'<aside class="notes">{markdown_html(s.notes)}</aside>')
    label = _esc(s.title)
    return (
        f'<section class="slide {s.kind}" id="slide-{number}" aria-label="{label}">'
        + "".join(parts)
        + "</section>"
    )


def _css(theme: Theme) -> str:
    return CSS % {
        "bg": theme.background,
        "fg": theme.text,
        "subtle": theme.subtle_text,
        "accent": theme.accent,
        "panel": theme.panel,
        "error": theme.color("removed"),
        "warning": theme.color("changed"),
        "font": theme.font,
    }


def html_text(deck: Deck) -> str:
    """The deck as the text of one self-contained HTML page."""
    total = len(deck.slides)
    slides = "\n".join(_slide(s, i, total) for i, s in enumerate(deck.slides, start=1))
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="diagramgen">\n'
        f"<title>{_esc(deck.title)}</title>\n<style>{_css(deck.theme)}</style>\n</head>\n"
        f'<body class="theme-{_esc(deck.theme.name)}">\n{slides}\n'
        f"<script>{SCRIPT}</script>\n</body>\n</html>\n"
    )
