"""The preview page in headless Chromium: the SVG is in the DOM and a save updates it live.

Skipped only where Chromium is not installed (Debian: `apt-get install chromium`).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.authoring.cdp import Browser, chromium_path
from tests.authoring.preview_helpers import running_preview, spec_text, wait_for

CHROMIUM = chromium_path()
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")


def test_dump_dom_shows_the_rendered_svg(tmp_path: Path) -> None:
    assert CHROMIUM is not None
    spec = tmp_path / "live.yaml"
    spec.write_text(spec_text("Seen by Chromium"), "utf-8")
    with running_preview([spec], tmp_path / "out") as (server, _watcher):
        dom = subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
             "--disable-background-networking", f"--user-data-dir={tmp_path / 'profile'}",
             "--dump-dom", server.url],
            capture_output=True, text=True, timeout=60, check=True,
        ).stdout  # fmt: skip
    assert '<figure class="diagram" id="diagram" data-view="overview"><svg' in dom
    assert "Seen by Chromium" in dom


def test_a_save_updates_the_open_page_without_a_reload(tmp_path: Path) -> None:
    assert CHROMIUM is not None
    spec = tmp_path / "live.yaml"
    spec.write_text(spec_text("Before the save"), "utf-8")
    with running_preview([spec], tmp_path / "out") as (server, _watcher):
        browser = Browser(CHROMIUM, tmp_path / "profile")
        try:
            browser.open(server.url)
            wait_for(
                lambda: browser.evaluate("document.getElementById('live').textContent") == "live",
                what="the page to connect to /events",
            )
            svg_text = "document.querySelector('#diagram svg').textContent"
            assert "Before the save" in browser.evaluate(svg_text)
            browser.evaluate("window.sameDocument = true")  # gone if the page reloads

            spec.write_text(spec_text("After the save"), "utf-8")
            wait_for(lambda: "After the save" in browser.evaluate(svg_text), what="live update")
            assert browser.evaluate("window.sameDocument") is True

            spec.write_text(spec_text("Broken").replace("kind: client", "kind: clinet"), "utf-8")
            problems = "(document.querySelector('section.problems') || {}).textContent || ''"
            text = wait_for(lambda: browser.evaluate(problems), what="the problems")
            assert "live.yaml:4:" in text and "clinet" in text
            assert "After the save" in browser.evaluate(svg_text)  # the last good picture
            assert browser.evaluate("window.sameDocument") is True
        finally:
            browser.close()
