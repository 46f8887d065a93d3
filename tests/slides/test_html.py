"""The HTML deck: self-contained, pages with the keys, prints a slide per page; in Chromium."""

from __future__ import annotations

import re
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from diagramgen.slides.deck import Deck
from diagramgen.slides.html import html_text, inline_svg
from tests.authoring.cdp import Browser, chromium_path

CHROMIUM = chromium_path()
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (`make test-deps` installs it)"
)
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]


@pytest.fixture(scope="module")
def page(deck: Deck) -> str:
    """The HTML of the deck of both designs."""
    return html_text(deck)


@pytest.fixture(scope="module")
def deck_file(tmp_path_factory: pytest.TempPathFactory, page: str) -> Path:
    """The light deck on disk."""
    path = tmp_path_factory.mktemp("html") / "deck.html"
    path.write_text(page, "utf-8")
    return path


@pytest.fixture(scope="module")
def dark_file(tmp_path_factory: pytest.TempPathFactory, dark_deck: tuple[Deck, Path]) -> Path:
    """The dark deck of the small design on disk."""
    path = tmp_path_factory.mktemp("dark-html") / "deck.html"
    path.write_text(html_text(dark_deck[0]), "utf-8")
    return path


def chromium(profile: Path, *args: str) -> None:
    assert CHROMIUM is not None
    subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
        check=True,
        capture_output=True,
        timeout=90,
    )


def test_self_contained(page: str, deck: Deck) -> None:
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "<link" not in page and "@import" not in page and "url(http" not in page
    assert "<img" not in page  # pictures are inline SVG, icons data URIs inside them
    diagrams = sum(1 for s in deck.slides if s.kind == "diagram")
    assert page.count("<svg") == diagrams
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), "pictures in one page must not share element ids"
    assert page.count('<section class="slide') == len(deck.slides)


def test_prints_one_slide_per_page_and_pages_with_keys(page: str) -> None:
    print_css = page[page.index("@media print") :]
    assert "break-after: page" in print_css and "@page { size: 1280px 720px" in page
    for key in ("ArrowRight", "ArrowLeft", "PageDown", "Home", "End"):
        assert f'"{key}"' in page


def test_user_text_is_escaped(tmp_path: Path, deck: Deck) -> None:
    from dataclasses import replace

    evil = replace(deck, title="<script>alert(1)</script>")
    evil.slides = [replace(s, title="</section><b>x") for s in deck.slides]
    text = html_text(evil)
    assert "<script>alert" not in text and "</section><b>" not in text
    assert "&lt;/section&gt;&lt;b&gt;x" in text


def test_inline_svg_is_sized_by_its_box_and_prefixed() -> None:
    svg = (
        '<?xml version="1.0"?>\n<!DOCTYPE svg>\n<!-- c -->\n'
        '<svg width="100pt" height="50pt" viewBox="0 0 100 50"><g id="graph0">'
        '<use href="#graph0"/><path fill="url(#graph0)"/></g></svg>'
    )
    out = inline_svg(svg, "s2-")
    assert out.startswith("<svg") and "width=" not in out and "height=" not in out
    assert 'id="s2-graph0"' in out and 'href="#s2-graph0"' in out and "url(#s2-graph0)" in out
    assert 'viewBox="0 0 100 50"' in out


@needs_chromium
def test_screenshot_shows_the_diagram(tmp_path: Path, dark_file: Path) -> None:
    shot = tmp_path / "slide2.png"
    chromium(
        tmp_path / "profile",
        f"--screenshot={shot}",
        "--window-size=1600,900",
        f"{dark_file.as_uri()}#2",
    )
    image = Image.open(shot).convert("RGB")
    assert image.size == (1600, 900)
    background = (15, 23, 42)
    assert image.getpixel((3, 3)) == background  # the dark theme, edge to edge
    middle = image.crop((400, 250, 1200, 750))
    colors = middle.getcolors(maxcolors=800 * 500)
    assert colors is not None
    drawn = sum(n for n, c in colors if c != background)
    assert drawn > 0.05 * 800 * 500, "no diagram in the middle of the slide"
    assert len(colors) > 50, "icons and text should bring many colors"
    # The title slide has nothing in the middle: the check above can fail.
    title_shot = tmp_path / "slide1.png"
    chromium(
        tmp_path / "profile",
        f"--screenshot={title_shot}",
        "--window-size=1600,900",
        f"{dark_file.as_uri()}#1",
    )
    low = Image.open(title_shot).convert("RGB").crop((400, 600, 1200, 880))
    assert all(c == background for _, c in low.getcolors(maxcolors=800 * 280) or [])


@needs_chromium
def test_prints_one_page_per_slide(tmp_path: Path, deck_file: Path, deck: Deck) -> None:
    pdf = tmp_path / "deck.pdf"
    chromium(
        tmp_path / "profile", "--no-pdf-header-footer", f"--print-to-pdf={pdf}", deck_file.as_uri()
    )
    pages = re.findall(rb"/Type\s*/Page\b(?!s)", pdf.read_bytes())
    assert len(pages) == len(deck.slides)


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Browser]:
    assert CHROMIUM is not None
    b = Browser(CHROMIUM, tmp_path / "profile")
    try:
        yield b
    finally:
        b.close()


@needs_chromium
def test_keys_page_and_long_content_fits(browser: Browser, deck_file: Path, deck: Deck) -> None:
    browser.open(deck_file.as_uri())
    deadline = time.monotonic() + 20
    ready = "document.body && document.body.classList.contains('paged')"
    while browser.evaluate(ready) is not True:
        assert time.monotonic() < deadline, "the deck script did not run"
        time.sleep(0.05)

    def active() -> str:
        return str(browser.evaluate("document.querySelector('.slide.active').id"))

    def press(key: str, code: int) -> None:
        for kind in ("keyDown", "keyUp"):
            browser.call(
                "Input.dispatchKeyEvent",
                {"type": kind, "key": key, "code": key, "windowsVirtualKeyCode": code},
            )

    assert active() == "slide-1"
    press("ArrowRight", 39)
    assert active() == "slide-2"
    assert browser.evaluate("location.hash") == "#2"
    press("ArrowLeft", 37)
    press("ArrowLeft", 37)
    assert active() == "slide-1"
    press("End", 35)
    assert active() == f"slide-{len(deck.slides)}"
    # Every slide laid out at once (as in print): nothing overflows its box or the slide.
    overflow = browser.evaluate(
        """(() => {
        document.body.classList.remove('paged');
        const bad = [];
        document.querySelectorAll('.slide').forEach(s => {
          const r = s.getBoundingClientRect();
          s.querySelectorAll('h1, h2, .sub, svg, table, li, .empty').forEach(e => {
            const b = e.getBoundingClientRect();
            if (b.bottom > r.bottom + 1 || b.right > r.right + 1) bad.push(s.id + ' ' + e.tagName);
          });
          s.querySelectorAll('.fit').forEach(f => {
            if (f.scrollHeight > f.clientHeight + 1) bad.push(s.id + ' fit');
          });
        });
        document.body.classList.add('paged');
        return bad;
        })()"""
    )
    assert overflow == []
