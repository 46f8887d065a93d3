"""Text on every slide is at least 12 px when the deck is shown at 1920 x 1080.

Measured on two catalogue designs (a wide one and one with a long description): in the
PowerPoint file from its geometry (text sizes, and each picture's smallest text scaled by
how large the picture is placed), and in the HTML deck as Chromium lays it out.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.util import Emu

from diagramgen.slides.deck import Deck, build_deck, render_pictures
from diagramgen.slides.html import html_text
from diagramgen.slides.pptx import pptx_bytes
from diagramgen.spec.loader import load
from diagramgen.view.themes import get_theme
from tests.authoring.cdp import Browser, chromium_path
from tests.conftest import ROOT

SPECS = ["bike_scooter_sharing", "carpooling"]  # the widest overview; a long description
MIN_PX = 12.0
SCREEN_W, SCREEN_H = 1920, 1080


@pytest.fixture(scope="module", params=SPECS)
def catalogue_deck(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Deck:
    design = load(ROOT / "specs" / f"{request.param}.yaml")
    theme = get_theme("light")
    pictures = render_pictures(design, tmp_path_factory.mktemp(request.param), theme)
    return build_deck([design], [pictures], theme)


def test_pptx_text_and_pictures_are_legible(catalogue_deck: Deck) -> None:
    import io

    prs = Presentation(io.BytesIO(pptx_bytes(catalogue_deck)))
    px_per_emu = SCREEN_W / prs.slide_width
    smallest: list[tuple[float, int, str]] = []
    for number, (slide, s) in enumerate(zip(prs.slides, catalogue_deck.slides, strict=True), 1):
        for shape in slide.shapes:
            if shape.has_text_frame:
                for para in shape.text_frame.paragraphs:
                    for run in para.runs:
                        if run.text.strip() and run.font.size is not None:
                            px = Emu(run.font.size).pt * 12700 * px_per_emu
                            smallest.append((px, number, run.text[:40]))
            if shape.shape_type == 13 and s.picture is not None:  # a picture
                shown = (s.crop[2] - s.crop[0]) if s.crop else 1.0  # the tile's share
                points = s.picture.points[0] * shown  # drawing points across the shape
                px = s.picture.min_text * (shape.width * px_per_emu) / points
                smallest.append((px, number, f"picture {s.title}"))
    assert smallest
    worst = min(smallest)
    assert worst[0] >= MIN_PX - 0.05, f"slide {worst[1]}: {worst[2]!r} is {worst[0]:.1f} px"


def test_pptx_overview_uses_the_full_width(catalogue_deck: Deck) -> None:
    import io

    prs = Presentation(io.BytesIO(pptx_bytes(catalogue_deck)))
    index = next(i for i, s in enumerate(catalogue_deck.slides) if s.kind == "diagram")
    picture = next(sh for sh in prs.slides[index].shapes if sh.shape_type == 13)
    title = next(sh for sh in prs.slides[index].shapes if sh.has_text_frame)
    # Wide pictures fill the width; tall ones fill the height below the one-line title.
    fills_width = picture.width >= 0.9 * prs.slide_width
    fills_height = picture.top + picture.height >= 0.9 * prs.slide_height
    assert fills_width or fills_height
    assert len(title.text_frame.text.splitlines()) == 1


def test_long_description_is_never_cut_mid_word(catalogue_deck: Deck) -> None:
    title = catalogue_deck.slides[0]
    description = " ".join((load_description(catalogue_deck) or "").split())
    if title.subtitle:
        kept = title.subtitle.removesuffix(" …")
        assert description.startswith(kept)
        rest = description[len(kept) :]
        assert rest == "" or not rest[0].isalnum(), "cut inside a word"
    if len(description) > 300:
        about = catalogue_deck.slides[1]
        assert about.title.startswith("About ")
        assert " ".join(i.text for i in about.items) == description


def load_description(deck: Deck) -> str | None:
    for name in SPECS:
        design = load(ROOT / "specs" / f"{name}.yaml")
        if design.display_title == deck.title:
            return design.description
    return None


MEASURE = """
(function () {
  var slide = document.querySelector('.slide.active');
  var found = [];
  var walker = document.createTreeWalker(slide, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    var node = walker.currentNode;
    if (!node.textContent.trim()) { continue; }
    var el = node.parentElement;
    if (el.closest('.notes')) { continue; }
    var range = document.createRange();
    range.selectNodeContents(node);
    var rects = range.getClientRects();
    if (!rects.length || rects[0].width === 0) { continue; }  // not shown
    var size;
    if (el.closest('svg')) {
      var text = el.closest('text') || el;
      var m = text.getScreenCTM();
      size = parseFloat(text.getAttribute('font-size') || getComputedStyle(text).fontSize)
        * Math.sqrt(m.a * m.a + m.b * m.b);
    } else {
      var scale = slide.getBoundingClientRect().width / slide.offsetWidth;
      size = parseFloat(getComputedStyle(el).fontSize) * scale;
    }
    found.push([size, node.textContent.trim().slice(0, 40)]);
  }
  found.sort(function (a, b) { return a[0] - b[0]; });
  return JSON.stringify({count: found.length, smallest: found.slice(0, 3)});
})()
"""


def test_html_text_is_legible_in_chromium(catalogue_deck: Deck, tmp_path: Path) -> None:
    binary = chromium_path()
    if binary is None:
        pytest.skip("chromium is not installed (`make test-deps` installs it)")
    page = tmp_path / "deck.html"
    page.write_text(html_text(catalogue_deck), "utf-8")
    browser = Browser(binary, tmp_path / "profile")
    try:
        browser.open("about:blank")
        browser.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": SCREEN_W, "height": SCREEN_H, "deviceScaleFactor": 1, "mobile": False},
        )
        failures = []
        for number in range(1, len(catalogue_deck.slides) + 1):
            browser.call("Page.navigate", {"url": f"{page.as_uri()}#{number}"})
            deadline = time.monotonic() + 20
            data = None
            while time.monotonic() < deadline:
                raw = browser.evaluate(
                    f"document.querySelector('#slide-{number}.active') ? {MEASURE} : null"
                )
                if raw:
                    data = json.loads(raw)
                    break
                time.sleep(0.1)
            assert data is not None, f"slide {number} never showed"
            assert data["count"] > 0, f"slide {number} shows no text"
            size, text = data["smallest"][0]
            if size < MIN_PX - 0.05:
                failures.append(f"slide {number}: {text!r} at {size:.1f} px")
        assert failures == []
    finally:
        browser.close()
