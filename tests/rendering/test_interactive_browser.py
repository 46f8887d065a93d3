"""The interactive page in real headless Chromium, driven through the DevTools protocol.

Hover, click, keyboard and links are sent as real input events; every test also checks
that the page logged no error and requested nothing but itself and its data URIs.
Screenshots of each state are written next to the page (`tmp_path`) for a human to look
at. Skipped only where Chromium is not installed (Debian: `apt-get install chromium`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import diagramgen
from tests.authoring.cdp import Browser, chromium_path
from tests.authoring.preview_helpers import wait_for
from tests.conftest import ROOT

CHROMIUM = chromium_path()
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")
SPEC = ROOT / "specs" / "url_shortener.yaml"
WIDTH, HEIGHT = 1400, 860


class Page:
    """One browser tab on the rendered pages, with helpers for the viewer's parts."""

    def __init__(self, browser: Browser, folder: Path, shots: Path, root: Path) -> None:
        self.browser = browser
        self.folder = folder
        self.shots = shots
        self.root = root  # what the page may load: its folder, or the whole site

    def open(self, name: str, fragment: str = "") -> None:
        """Load `folder/name` afresh (a new document even when only the hash differs)."""
        b = self.browser
        b.call("Page.navigate", {"url": "about:blank"})
        wait_for(lambda: b.evaluate("location.href") == "about:blank", what="about:blank")
        url = (self.folder / name).as_uri() + fragment
        b.events.clear()
        b.call("Page.navigate", {"url": url})
        ready = "document.documentElement.classList.contains('dg-ready')"
        loaded = f"location.href === {url!r} && {ready}"
        wait_for(lambda: b.evaluate(loaded), what=f"{name} to load")

    def js(self, expression: str) -> Any:
        return self.browser.evaluate(expression)

    def centre(self, selector: str) -> tuple[float, float]:
        """The screen centre of an element."""
        x, y = self.js(
            f"(function(){{var r=document.querySelector({selector!r}).getBoundingClientRect();"
            "return [r.left + r.width / 2, r.top + r.height / 2];})()"
        )
        return x, y

    def edge_middle(self, edge_id: str) -> tuple[float, float]:
        """A point halfway along an edge's line, on screen."""
        x, y = self.js(
            f"(function(){{var p=document.querySelector('#{edge_id} > path');"
            "var q=p.getPointAtLength(p.getTotalLength()/2);"
            "var s=q.matrixTransform(p.getScreenCTM()); return [s.x, s.y];})()"
        )
        return x, y

    def text(self, element_id: str) -> str:
        return self.js(f"document.getElementById({element_id!r}).innerText") or ""

    def opacity(self, component: str) -> float:
        return float(
            self.js(f"getComputedStyle(document.querySelector('g[data-id={component}]')).opacity")
        )

    def edge_id(self, source: str, target: str) -> str:
        return self.js(
            "JSON.parse(document.getElementById('dg-data').textContent).edges"
            f".find(e => e.source === {source!r} && e.target === {target!r}).id"
        )

    def shot(self, name: str) -> None:
        self.browser.screenshot(self.shots / f"{name}.png", WIDTH, HEIGHT)

    def assert_clean(self) -> None:
        """No console errors or exceptions; no request but the page (or site) and data URIs."""
        assert self.browser.problems() == []
        page = self.root.as_uri()
        foreign = [
            u for u in self.browser.requests() if not u.startswith((page, "data:", "about:"))
        ]
        assert foreign == []


@pytest.fixture(scope="module", params=["render", "site"])
def page(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[Page]:
    """The pages of `render -f html` (self-contained) and of the site (shared assets)."""
    assert CHROMIUM is not None
    out = tmp_path_factory.mktemp("pages")
    root = out / "url-shortener"
    if request.param == "render":
        diagramgen.render(diagramgen.load(SPEC), out, formats=["html"])
    else:
        root = out / "site"
        diagramgen.site(SPEC, root)
    browser = Browser(CHROMIUM, out / "profile")
    try:
        browser.open("about:blank")
        browser.watch()
        browser.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": False},
        )
        folder = root / "url-shortener" if request.param == "site" else root
        yield Page(browser, folder, out, root)
    finally:
        browser.close()


def test_hover_shows_kind_tech_load_and_findings(page: Page) -> None:
    page.open("overview.html")
    page.shot("0-page")
    page.browser.mouse("mouseMoved", *page.centre("g[data-id=api]"))
    tip = wait_for(lambda: page.text("dg-tip"), what="the tooltip")
    assert tip.splitlines() == [
        "Redirect API",
        "service",
        "16 instances (up to 40)",
        "peak 72.9k/s of 80k/s capacity (91.1% utilisation); at the autoscaling ceiling 200k/s"
        " (36.5%)",
    ]
    page.shot("1-hover-component")
    page.browser.mouse("mouseMoved", *page.centre("g[data-id=db]"))
    wait_for(lambda: "URL table" in page.text("dg-tip"), what="the db tooltip")
    tip = page.text("dg-tip")
    assert "NoSQL database · Cassandra" in tip and "DG102 async-replication-rpo" in tip
    page.browser.mouse("mouseMoved", *page.edge_middle(page.edge_id("api", "cache")))
    wait_for(lambda: "lookup" in page.text("dg-tip"), what="the edge tooltip")
    tip = page.text("dg-tip")
    assert tip.splitlines() == [
        "Redirect API → URL cache",
        "lookup",
        "synchronous call",
        "peak 69.4k/s (redirect 69.4k/s + disable 20.8/min)",
    ]
    page.shot("2-hover-edge")
    page.browser.mouse("mouseMoved", 5, HEIGHT - 5)
    wait_for(lambda: page.js("document.getElementById('dg-tip').hidden"), what="the tooltip to go")
    page.assert_clean()


def test_click_focuses_a_component_and_escape_clears(page: Page) -> None:
    page.open("overview.html")
    page.browser.mouse("click", *page.centre("g[data-id=api]"))
    wait_for(lambda: page.opacity("client") < 0.3, what="the others to fade")
    assert page.opacity("api") == 1.0
    assert page.opacity("lb") == 1.0 and page.opacity("cache") == 1.0  # neighbours stay
    assert page.opacity("coordinator") < 0.3  # two hops away
    panel = page.text("dg-panel-body")
    assert panel.startswith("Redirect API\n")
    assert "16 x 5k/s = 80k/s (capacity in the spec)" in panel
    assert "utilisation at peak: 91.1%" in panel
    assert "Pre-allocated id ranges instead of hashing the URL" in panel  # a decision naming it
    assert "URL table: read on miss / write, 17.4k/s" in panel  # a connection with its rate
    assert page.js("location.hash") == "#focus=api"
    page.browser.mouse("mouseMoved", 5, HEIGHT - 5)
    page.shot("3-focus")
    page.browser.key("Escape")
    wait_for(lambda: page.opacity("client") == 1.0, what="the focus to clear")
    assert page.text("dg-panel-body").startswith("URL Shortener\n")
    assert page.js("location.hash") == ""
    page.assert_clean()


def test_arrow_keys_walk_a_flow_step_by_step(page: Page) -> None:
    page.open("overview.html")
    page.js("var s = document.getElementById('dg-flow'); s.value = 'redirect';"
            "s.dispatchEvent(new Event('change')); document.activeElement.blur();")  # fmt: skip
    active = "[...document.querySelectorAll('g.edge.dg-active')].map(g => g.id)"
    expected = [
        ("client", "cdn", "Step 1 of 7: Browser / mobile → CDN: GET /{code}"),
        ("cdn", "events", "Step 2 of 7: CDN → Click events: access log (async)"),
        ("cdn", "lb", "Step 3 of 7: CDN → Load balancer: edge miss"),
        ("lb", "api", "Step 4 of 7: Load balancer → Redirect API: least connections"),
    ]
    for n, (source, target, line) in enumerate(expected, start=1):
        if n > 1:
            page.browser.key("ArrowRight")
        wait_for(lambda line=line: page.text("dg-step") == line, what=line)
        assert page.js(active) == [page.edge_id(source, target)]
        assert page.js("location.hash") == f"#flow=redirect&step={n}"
    # Earlier steps stay marked, components off the flow so far are faded.
    assert page.js("document.querySelectorAll('g.edge.dg-done').length") == 3
    wait_for(lambda: page.opacity("api") == 1.0, what="the newly reached component to show")
    assert page.opacity("db") < 0.3
    page.shot("4-walkthrough")
    page.browser.key("ArrowLeft")
    wait_for(lambda: page.js("location.hash") == "#flow=redirect&step=3", what="a step back")
    page.browser.key("End")
    wait_for(lambda: page.text("dg-step").startswith("Step 7 of 7"), what="the last step")
    assert page.js("document.getElementById('dg-next').disabled") is True
    # Another view opens on the same step.
    assert page.js("document.querySelector('a.dg-view[data-base=\"flow-redirect.html\"]').href")\
        .endswith("flow-redirect.html#flow=redirect&step=7")  # fmt: skip
    page.browser.key("Escape")
    wait_for(lambda: page.text("dg-step") == "", what="the walkthrough to stop")
    assert page.js("document.getElementById('dg-flow').value") == ""
    page.assert_clean()


@pytest.mark.parametrize("view", ["overview", "flow-redirect"])
def test_a_flow_link_opens_that_step(page: Page, view: str) -> None:
    page.open(f"{view}.html", "#flow=redirect&step=3")
    wait_for(lambda: page.text("dg-step").startswith("Step 3 of 7"), what="step 3")
    assert page.text("dg-step") == "Step 3 of 7: CDN → Load balancer: edge miss"
    assert page.js("document.getElementById('dg-flow').value") == "redirect"
    assert page.js("[...document.querySelectorAll('g.edge.dg-active')].map(g => g.id)") == [
        page.edge_id("cdn", "lb")
    ]
    current = "document.querySelector('.dg-steps [aria-current=step]').innerText"
    assert page.js(current) == "CDN → Load balancer: edge miss"
    assert page.js("document.querySelectorAll('.dg-steps li')[2].getAttribute('aria-current')")\
        == "step"  # fmt: skip
    page.shot(f"5-link-{view}")
    page.assert_clean()


def test_tab_reaches_every_component_with_its_name(page: Page) -> None:
    page.open("overview.html")
    design = diagramgen.load(SPEC)
    seen: dict[str, str] = {}
    for _ in range(len(design.components) + 20):
        page.browser.key("Tab")
        focused = page.js(
            "(function(){var e=document.activeElement;"
            "return e && e.dataset.id ? [e.dataset.id, e.getAttribute('aria-label')] : null;})()"
        )
        if focused:
            seen[focused[0]] = focused[1]
    assert sorted(seen) == sorted(c.id for c in design.components)
    assert seen["db"] == "URL table, NoSQL database, Cassandra, 144 instances, 1 finding"
    # Enter on the focused component focuses it, as a click does.
    page.js("document.querySelector('g[data-id=cache]').focus()")
    page.browser.key("Enter")
    wait_for(lambda: page.text("dg-panel-body").startswith("URL cache\n"), what="the panel")
    page.shot("6-keyboard-focus")
    page.assert_clean()


def test_zoom_and_fit(page: Page) -> None:
    page.open("overview.html")
    width = "document.querySelector('#dg-canvas svg').viewBox.baseVal.width"
    home = page.js(width)
    page.js("document.activeElement.blur()")
    page.browser.key("+", code="Equal")
    wait_for(lambda: page.js(width) < home, what="a zoom in")
    page.browser.key("0", code="Digit0")
    wait_for(lambda: page.js(width) == home, what="fit to screen")
    x, y = page.centre("#dg-canvas")
    page.browser.call("Input.dispatchMouseEvent", {
        "type": "mouseWheel", "x": x, "y": y, "deltaX": 0, "deltaY": -300})  # fmt: skip
    wait_for(lambda: page.js(width) < home, what="a wheel zoom")
    page.assert_clean()


def test_notes_page_with_aligned_tables_logs_nothing(page: Page) -> None:
    from diagramgen.rendering.interactive import notes_page, page_links
    from diagramgen.view.themes import get_theme

    design = diagramgen.load(SPEC)
    text = "# Notes\n\n| op | rate |\n|---|---:|\n| redirect | 347k/s |\n"
    links = page_links(design, [], notes=True)
    (page.folder / "aligned.html").write_text(
        notes_page(design, text, get_theme("light"), links), "utf-8"
    )
    page.browser.events.clear()
    page.browser.call("Page.navigate", {"url": (page.folder / "aligned.html").as_uri()})
    wait_for(lambda: page.js("document.readyState") == "complete", what="the notes page")
    align = "getComputedStyle(document.querySelector('td:nth-child(2)')).textAlign"
    assert page.js(align) == "right"
    page.assert_clean()


def test_icons_script_and_style_load(page: Page) -> None:
    page.open("flow-redirect.html")
    images = "[...document.querySelectorAll('#dg-canvas svg image')]"
    hrefs = page.js(f"{images}.map(i => i.getAttribute('xlink:href') || i.getAttribute('href'))")
    assert hrefs and all(h for h in hrefs)
    # The style applied (the panel is laid out beside the canvas) and the script ran.
    assert page.js("getComputedStyle(document.getElementById('dg-panel')).display") != "inline"
    assert page.js("document.documentElement.classList.contains('dg-ready')")
    if page.root != page.folder:  # the site: every icon is a shared file that loaded
        loaded = [u for u in page.browser.requests() if "/_assets/icons/" in u]
        assert {u.rsplit("/", 1)[1] for u in loaded} == {h.rsplit("/", 1)[1] for h in hrefs}
    page.shot("7-icons")
    page.assert_clean()
