"""Fit text into a box: measure it in the deck font, wrap it, shrink it, cut it if need be.

PowerPoint does not lay text out for us when the file is written, so the pptx writer
chooses font sizes here: the largest size at which the text fits its box, and at the
smallest size whatever still does not fit is cut with an ellipsis. Text is measured with
the DejaVu Sans metrics (the set-up installs the font); without the font file, a
conservative average glyph width stands in.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

FONT_DIRS = (
    "/usr/share/fonts/truetype/dejavu",  # Debian, Ubuntu
    "/usr/share/fonts/TTF",  # Arch
    "/usr/share/fonts/dejavu",  # Fedora
    "/usr/local/share/fonts",
    "/Library/Fonts",
    str(Path.home() / "Library/Fonts"),
    str(Path.home() / ".local/share/fonts"),
)
FONT_FILES = {False: "DejaVuSans.ttf", True: "DejaVuSans-Bold.ttf"}
FALLBACK_EM = {False: 0.62, True: 0.68}  # wider than DejaVu's average glyph, so never short
LINE_SPACING = 1.22  # line height over font size; DejaVu's ascent + descent is 1.164
SLACK = 0.94  # measured width is kept this far below the box: viewers differ a little
MEASURE_SIZE = 100  # points: measure once at a large size and scale


@lru_cache(maxsize=2)
def _font(bold: bool) -> Any:
    from PIL import ImageFont

    for folder in FONT_DIRS:
        path = Path(folder) / FONT_FILES[bold]
        if path.is_file():
            return ImageFont.truetype(str(path), MEASURE_SIZE)
    return None


@lru_cache(maxsize=4096)
def _unit_width(text: str, bold: bool) -> float:
    font = _font(bold)
    if font is None:
        return len(text) * FALLBACK_EM[bold]
    return float(font.getlength(text)) / MEASURE_SIZE


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The width of one line of `text` at `size` points, in points."""
    return _unit_width(text, bold) * size


def wrap(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """Greedy word wrap into lines at most `width` points wide; long words are split."""
    lines: list[str] = []
    for part in text.split("\n"):
        line = ""
        for word in part.split():
            candidate = f"{line} {word}" if line else word
            if text_width(candidate, size, bold) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            while text_width(word, size, bold) > width and len(word) > 1:
                cut = _longest_prefix(word, width, size, bold)
                lines.append(word[:cut])
                word = word[cut:]
            line = word
        lines.append(line)
    return lines


def _longest_prefix(word: str, width: float, size: float, bold: bool) -> int:
    cut = 1
    while cut < len(word) and text_width(word[: cut + 1], size, bold) <= width:
        cut += 1
    return cut


def ellipsize(line: str, width: float, size: float, bold: bool = False) -> str:
    """`line` with an ellipsis, shortened until it fits `width`."""
    text = line.rstrip()
    while text and text_width(text + "…", size, bold) > width:
        text = text[:-1].rstrip()
    return text + "…"


@dataclass(frozen=True)
class Fitted:
    """Text fitted into a box: the font size and each paragraph's lines."""

    size: float
    paragraphs: tuple[tuple[str, ...], ...]
    cut: bool  # True when some text did not fit even at the smallest size

    @property
    def text(self) -> str:
        """The paragraphs, their lines joined by spaces (for viewers that wrap themselves)."""
        return "\n".join(" ".join(p) for p in self.paragraphs)

    def height(self, gap: float = 0.0) -> float:
        """The height the fitted text takes, in points."""
        lines = sum(len(p) for p in self.paragraphs)
        return lines * self.size * LINE_SPACING + gap * self.size * max(0, len(self.paragraphs) - 1)


def fit(
    paragraphs: list[str] | str,
    width: float,
    height: float,
    max_size: float,
    min_size: float,
    bold: bool = False,
    gap: float = 0.0,
    max_lines: int | None = None,
) -> Fitted:
    """The largest size in whole points from `max_size` down to `min_size` at which the
    paragraphs fit `width` x `height` points (`gap`: space between paragraphs, in lines);
    at `min_size`, lines that do not fit are dropped and the last kept one ellipsized."""
    paras = [paragraphs] if isinstance(paragraphs, str) else list(paragraphs)
    usable = width * SLACK
    size = float(max_size)
    while True:
        wrapped = [wrap(p, usable, size, bold) for p in paras]
        fitted = Fitted(size, tuple(tuple(lines) for lines in wrapped), cut=False)
        total = sum(len(lines) for lines in wrapped)
        if fitted.height(gap) <= height and (max_lines is None or total <= max_lines):
            return fitted
        if size - 1 < min_size:
            return _cut(wrapped, usable, height, size, bold, gap, max_lines)
        size -= 1


def _cut(
    wrapped: list[list[str]],
    width: float,
    height: float,
    size: float,
    bold: bool,
    gap: float,
    max_lines: int | None,
) -> Fitted:
    kept: list[tuple[str, ...]] = []
    used = 0.0
    budget = max_lines if max_lines is not None else 10**6
    for lines in wrapped:
        before = used + (gap * size if kept else 0.0)
        room = min(int((height - before) // (size * LINE_SPACING)), budget)
        if room <= 0:
            if kept:  # whole paragraphs are left out: say so on the last line shown
                *head, last = kept[-1]
                kept[-1] = (*head, ellipsize(last, width, size, bold))
            break
        if len(lines) > room:
            last = ellipsize(lines[room - 1], width, size, bold)
            kept.append((*lines[: room - 1], last))
            break
        kept.append(tuple(lines))
        used = before + len(lines) * size * LINE_SPACING
        budget -= len(lines)
    if not kept:
        kept.append((ellipsize(wrapped[0][0] if wrapped and wrapped[0] else "", width, size),))
    return Fitted(size, tuple(kept), cut=True)
