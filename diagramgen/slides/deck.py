"""The deck as plain data: which slides, with which text, pictures, tables and notes.

Every deck format (pptx, html, md) is drawn from the same `Deck`, so they agree on the
slides and their order. Splitting long content over several slides happens here, once:
the writers only have to fit what one slide holds.
"""

from __future__ import annotations

import math
import re
import struct
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from diagramgen.spec.models import Design
from diagramgen.view.model import DiagramView
from diagramgen.view.themes import Theme

if TYPE_CHECKING:
    from diagramgen.analysis.base import Finding

SlideKind = Literal["title", "diagram", "summary", "list"]
Tone = Literal["error", "warning", "info", "plain"]

# What one slide holds; more goes to continuation slides, so nothing falls off.
TABLE_ROWS_PER_SLIDE = 8
# Findings beside the capacity table: about three long ones or six short ones; alone on a
# continuation slide, at full width, about twice as much.
FINDINGS_BESIDE_TABLE = (6, 760)  # at most this many, about this many characters
FINDINGS_FULL_WIDTH = (7, 1300)
DECISIONS_PER_SLIDE = 4
# Longer item texts are cut on the slide; the speaker notes keep the whole text.
MAX_ITEM_CHARS = 240
MAX_DECISION_CHARS = 420
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
# Text on a slide is at least 12 px when the slide is shown 1920 px wide: a share of the
# slide's width, the same for every format (6 pt of a 960 pt PowerPoint slide, 8 px of a
# 1280 px HTML slide).
MIN_TEXT = 12 / 1920
# The picture's box on a diagram slide, below its one-line title, in slide widths.
PICTURE_BOX = (0.95, 0.495)
TILE_OVERLAP = 0.06  # of a tile's size, shared with its neighbour, so no edge is lost
# A description longer than this gets a slide of its own; the title slide keeps its
# first sentences.
TITLE_DESCRIPTION_CHARS = 300


@dataclass(frozen=True)
class Picture:
    """A rendered view: the PNG (pptx), the self-contained SVG (html, md) and its size."""

    png: Path
    svg: Path
    width: int  # PNG pixels
    height: int
    points: tuple[float, float] = (0.0, 0.0)  # the drawing's size in points (0: unknown)
    min_text: float = 0.0  # the smallest font in the drawing, in points (0: unknown)

    @property
    def aspect(self) -> float:
        """Width over height."""
        return self.width / self.height


@dataclass(frozen=True)
class Table:
    """A small table: a header row and body rows of text."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Item:
    """One bullet: an optional bold lead, an optional colored tag, the text."""

    text: str
    lead: str | None = None
    tag: str | None = None
    tone: Tone = "plain"


@dataclass(frozen=True)
class Slide:
    """One slide. Which fields are used depends on `kind`."""

    kind: SlideKind
    title: str
    subtitle: str | None = None
    picture: Picture | None = None
    table_heading: str | None = None
    table: Table | None = None
    table_empty: str | None = None  # shown instead of the table when there is none
    items_heading: str | None = None
    items: tuple[Item, ...] = ()
    items_empty: str | None = None
    notes: str = ""  # Markdown
    # The part of the picture shown, as fractions (left, top, right, bottom): a picture
    # too big for legible text is shown in tiles, one slide each.
    crop: tuple[float, float, float, float] | None = None

    @property
    def has_table_column(self) -> bool:
        """False on a summary slide continuing findings only: the items take the full width."""
        return bool(self.table_heading or self.table or self.table_empty)


@dataclass
class Deck:
    """The slides of a deck and the theme they are drawn in."""

    title: str
    theme: Theme
    slides: list[Slide] = field(default_factory=list)


def clip(text: str, limit: int = MAX_ITEM_CHARS) -> str:
    """`text` on one line, cut at a word boundary with an ellipsis when longer than `limit`."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.·") + "…"


def png_size(path: Path) -> tuple[int, int]:
    """Width and height of a PNG, from its header."""
    with path.open("rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path} is not a PNG")
    width, height = struct.unpack(">II", head[16:24])
    return width, height


def slide_view(view: DiagramView) -> DiagramView:
    """The view as drawn on a slide: the slide carries the title and subtitle, not the picture."""
    return replace(view, title="", subtitle=None)


def picture_theme(theme: Theme) -> Theme:
    """The theme pictures are drawn in for slides: larger text, the same colours.

    A slide shows a whole design at once, so the picture is scaled down; larger labels
    keep them legible at that scale (the icons keep their size).
    """
    return replace(theme, label_size=16, caption_size=14, edge_label_size=14)


_VIEWBOX = re.compile(r'<svg\b[^>]*?\bviewBox="[-\d.]+ [-\d.]+ ([\d.]+) ([\d.]+)"')


def render_pictures(
    design: Design, folder: Path, theme: Theme, timeout: float = 120.0
) -> dict[str, Picture]:
    """Render every view of `design` for slides into `folder`: view name -> picture."""
    from diagramgen.rendering import render_view
    from diagramgen.view.builders import views

    folder.mkdir(parents=True, exist_ok=True)
    drawn = picture_theme(theme)
    smallest = float(min(drawn.label_size, drawn.caption_size, drawn.edge_label_size))
    pictures: dict[str, Picture] = {}
    for view in views(design):
        render_view(slide_view(view), folder, ("svg", "png"), drawn, timeout)
        png, svg = folder / f"{view.name}.png", folder / f"{view.name}.svg"
        width, height = png_size(png)
        m = _VIEWBOX.search(svg.read_text("utf-8"))
        points = (float(m.group(1)), float(m.group(2))) if m else (0.0, 0.0)
        pictures[view.name] = Picture(png, svg, width, height, points, smallest)
    return pictures


def tiles(picture: Picture) -> list[tuple[float, float, float, float] | None]:
    """The parts of a picture to show one per slide so that its text stays legible.

    The picture's smallest text must be at least `MIN_TEXT` of the slide's width; when the
    whole picture scaled into `PICTURE_BOX` would make it smaller, the picture is cut into
    columns and rows (overlapping a little). `[None]`: the whole picture fits.
    """
    (w, h), smallest = picture.points, picture.min_text
    if not (w and h and smallest):
        return [None]
    scale = MIN_TEXT / smallest  # slide widths per point, at the least

    def count(size: float, room: float) -> int:
        if size * scale <= room:
            return 1
        return math.ceil(size * scale * (1 + TILE_OVERLAP) / room)  # tiles overlap a little

    cols, rows = count(w, PICTURE_BOX[0]), count(h, PICTURE_BOX[1])
    if cols == rows == 1:
        return [None]

    def spans(n: int) -> list[tuple[float, float]]:
        if n == 1:
            return [(0.0, 1.0)]
        size = min(1.0, (1 + TILE_OVERLAP) / n)
        step = (1 - size) / (n - 1)
        return [(round(i * step, 4), round(i * step + size, 4)) for i in range(n)]

    return [(x0, y0, x1, y1) for y0, y1 in spans(rows) for x0, x1 in spans(cols)]


def split_description(text: str, limit: int = TITLE_DESCRIPTION_CHARS) -> tuple[str, bool]:
    """The part of a description for the title slide, and whether the rest needs a slide.

    Whole sentences only, never a word cut: up to `limit` characters of sentences, or the
    first sentence when even that is longer.
    """
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat, False
    sentences = re.split(r"(?<=[.!?;:])\s+", flat)
    kept = sentences[0]
    for sentence in sentences[1:]:
        if len(kept) + 1 + len(sentence) > limit:
            break
        kept += " " + sentence
    # A clause cut at `;` or `:` says that more follows (on the description's own slide).
    return (kept[:-1] + " …" if kept[-1] in ";:," else kept), True


def deck_title(designs: Sequence[Design], title: str | None = None) -> str:
    """The given title, else the design's title, else a generic one for several designs."""
    if title:
        return title
    return designs[0].display_title if len(designs) == 1 else "System designs"


def build_deck(
    designs: Sequence[Design],
    pictures: Sequence[dict[str, Picture]],
    theme: Theme,
    title: str | None = None,
) -> Deck:
    """The deck of `designs`, each with its rendered `pictures` (from `render_pictures`)."""
    from diagramgen.rendering.notes import render_notes
    from diagramgen.view.builders import views

    deck = Deck(deck_title(designs, title), theme)
    about: Design | None = None
    if len(designs) > 1:
        subtitle = f"{len(designs)} designs: " + " · ".join(d.display_title for d in designs)
    elif title and title != designs[0].display_title:
        subtitle = designs[0].display_title
    else:
        subtitle = designs[0].description
        if subtitle:
            subtitle, more = split_description(subtitle)
            about = designs[0] if more else None
    deck.slides.append(Slide("title", deck.title, subtitle or None, notes=""))
    if about is not None and about.description:
        deck.slides.append(description_slide(about))
    for design, pics in zip(designs, pictures, strict=True):
        notes = render_notes(design)
        for view in views(design):
            if view.name not in pics:
                continue
            head = "" if view.name == "overview" else _flow_notes(design, view.name)
            if view.subtitle and view.name != "overview":
                head = f"{view.subtitle}\n\n{head}"
            parts = tiles(pics[view.name])
            for n, crop in enumerate(parts, start=1):
                suffix = f" ({n}/{len(parts)})" if len(parts) > 1 else ""
                deck.slides.append(
                    Slide(
                        "diagram",
                        view.title + suffix,
                        None,  # one line of title above the picture, the full width below
                        picture=pics[view.name],
                        notes=head + notes,
                        crop=crop,
                    )
                )
        deck.slides += summary_slides(design, notes)
        deck.slides += decision_slides(design, notes)
    return deck


def description_slide(design: Design) -> Slide:
    """The whole description of a design, one paragraph per item, wrapped, never cut."""
    paragraphs = [p.strip() for p in (design.description or "").split("\n\n") if p.strip()]
    return Slide(
        "list",
        f"About {design.display_title}",
        items=tuple(Item(" ".join(p.split())) for p in paragraphs),
        notes=design.description or "",
    )


def _flow_notes(design: Design, view_name: str) -> str:
    """The steps of the flow drawn by `view_name`, numbered, ahead of the design's notes."""
    from diagramgen.rendering.notes import md_escape
    from diagramgen.view.builders import flow_view_name

    for flow in design.flows:
        if flow_view_name(flow.name) != view_name:
            continue
        lines = [f"## Flow: {md_escape(flow.name)}", ""]
        if flow.description:
            lines += [md_escape(flow.description), ""]
        for n, step in enumerate(flow.steps, start=1):
            label = f": {md_escape(step.label)}" if step.label else ""
            lines.append(f"{n}. {md_escape(step.source)} → {md_escape(step.target)}{label}")
        return "\n".join(lines) + "\n\n"
    return ""


def summary_slides(design: Design, notes: str = "") -> list[Slide]:
    """Capacity estimates and findings, split over as many slides as they need."""
    from diagramgen.analysis import analyze
    from diagramgen.spec.units import human_bandwidth, human_rate, human_size

    analysis = analyze(design)
    estimates = analysis.estimates
    rows = [
        (
            op.name,
            human_rate(op.avg_per_second),
            human_rate(op.peak_per_second),
            human_bandwidth(op.bandwidth_bytes_per_second)
            if op.bandwidth_bytes_per_second is not None
            else "–",
            human_size(op.storage_bytes) if op.storage_bytes is not None else "–",
        )
        for op in estimates.operations
    ]
    findings = sorted(
        (f for f in analysis.findings if f.suppressed is None),
        key=lambda f: (SEVERITY_ORDER.get(f.severity, 9), f.code, f.component or "", f.message),
    )
    items = [_finding_item(f) for f in findings]
    notes = _findings_notes(findings) + notes
    table_pages = max(1, math.ceil(len(rows) / TABLE_ROWS_PER_SLIDE))
    item_pages = paginate(
        items, lambda page: FINDINGS_BESIDE_TABLE if page < table_pages else FINDINGS_FULL_WIDTH
    )
    pages = max(table_pages, len(item_pages))
    header = ("Operation", "Average", "Peak", "Bandwidth", "Storage")
    table_heading = f"Capacity (peak = {estimates.peak_factor:g}× average)" if rows else "Capacity"
    no_workload = "No workload in the spec: add workload operations for capacity estimates."
    slides = []
    for page in range(pages):
        chunk = rows[page * TABLE_ROWS_PER_SLIDE : (page + 1) * TABLE_ROWS_PER_SLIDE]
        found = item_pages[page] if page < len(item_pages) else []
        suffix = f" ({page + 1}/{pages})" if pages > 1 else ""
        slides.append(
            Slide(
                "summary",
                f"{design.display_title}: capacity and findings{suffix}",
                table_heading=table_heading if chunk or page == 0 else None,
                table=Table(header, tuple(chunk)) if chunk else None,
                table_empty=None if chunk or rows else no_workload,
                items_heading=f"Findings ({len(items)})" if found or page == 0 else None,
                items=tuple(found),
                items_empty=None if found or items else "No findings: every rule passed.",
                notes=notes,
            )
        )
    return slides


def paginate(items: Sequence[Item], room: Callable[[int], tuple[int, int]]) -> list[list[Item]]:
    """Items in slide-sized pages; `room(page)` gives a page's most items and characters."""
    pages: list[list[Item]] = []
    size = 0
    for item in items:
        length = len(item.text) + len(item.tag or item.lead or "")
        full = True
        if pages:
            most, chars = room(len(pages) - 1)
            full = len(pages[-1]) >= most or size + length > chars
        if full:
            pages.append([])
            size = 0
        pages[-1].append(item)
        size += length
    return pages


def _findings_notes(findings: list[Finding]) -> str:
    """Every finding in full, for the speaker: the slide may have cut the long ones."""
    from diagramgen.rendering.notes import md_escape

    if not findings:
        return ""
    lines = ["## Findings", ""]
    for f in findings:
        where = f" ({md_escape(f.component)})" if f.component else ""
        lines.append(f"- {f.code} {f.severity}{where}: {f.message}")
    return "\n".join(lines) + "\n\n"


def _finding_item(f: Finding) -> Item:
    tone: Tone = f.severity if f.severity in ("error", "warning", "info") else "plain"
    where = f" {f.component}" if f.component else ""
    return Item(clip(f.message), tag=f"{f.code}{where}", tone=tone)


def decision_slides(design: Design, notes: str = "") -> list[Slide]:
    """The decisions taken, a few per slide: title, choice, reason, consequences."""
    items = []
    for d in design.decisions:
        text = d.chosen + (f", because {d.because}" if d.because else "")
        if d.consequences:
            cons = d.consequences if isinstance(d.consequences, list) else [d.consequences]
            text += ". Trade-off: " + "; ".join(cons)
        items.append(Item(clip(text, MAX_DECISION_CHARS), lead=clip(d.title, 90)))
    pages = math.ceil(len(items) / DECISIONS_PER_SLIDE)
    return [
        Slide(
            "list",
            f"{design.display_title}: decisions" + (f" ({p + 1}/{pages})" if pages > 1 else ""),
            items=tuple(items[p * DECISIONS_PER_SLIDE : (p + 1) * DECISIONS_PER_SLIDE]),
            notes=notes,
        )
        for p in range(pages)
    ]
