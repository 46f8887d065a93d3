"""`render -f html`: the interactive page per view, built around the very SVG of the render."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pytest
from typer.testing import CliRunner

import diagramgen
from diagramgen.analysis import analyze
from diagramgen.cli import app
from diagramgen.rendering import design_views
from diagramgen.rendering.interactive import (
    decisions_naming,
    edge_rates,
    inline_svg,
    json_for_html,
    palette,
)
from diagramgen.view.themes import THEMES
from tests.conftest import ROOT, SMALL_SPEC

runner = CliRunner()
URL_SHORTENER = ROOT / "specs" / "url_shortener.yaml"
_DATA = re.compile(r'<script type="application/json" id="dg-data">(.*?)</script>', re.DOTALL)


def page_json(page: str) -> dict:
    """The data block of a page."""
    m = _DATA.search(page)
    assert m is not None
    return json.loads(m.group(1))


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The URL shortener rendered as svg and html."""
    out = tmp_path_factory.mktemp("html")
    diagramgen.render(diagramgen.load(URL_SHORTENER), out, formats=["svg", "html"])
    return out / "url-shortener"


def test_a_page_per_view_and_the_notes(rendered: Path) -> None:
    design = diagramgen.load(URL_SHORTENER)
    views = [v.name for v in design_views(design)]
    assert views == ["overview", "flow-redirect", "flow-shorten", "flow-disable"]
    for name in views:
        page = (rendered / f"{name}.html").read_text("utf-8")
        # One layout: the page holds the SVG file exactly as the render wrote it.
        assert inline_svg((rendered / f"{name}.svg").read_text("utf-8")) in page
        assert len(re.findall(r'<g id="node\d+" class="node">', page)) == len(design.components)
        # The header links every view page and the notes page, which all exist.
        for href in re.findall(r'class="dg-view" href="([^"]+)"', page):
            assert (rendered / href).is_file(), href
    notes = (rendered / "notes.html").read_text("utf-8")
    assert "<h1>URL Shortener</h1>" in notes and "<table>" in notes


def test_html_alone_writes_no_svg(tmp_path: Path) -> None:
    result = runner.invoke(app, ["render", str(URL_SHORTENER), "-o", str(tmp_path), "-f", "html"])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (tmp_path / "url-shortener").iterdir())
    assert names == [
        ".diagramgen.hash",
        "flow-disable.html",
        "flow-redirect.html",
        "flow-shorten.html",
        "notes.html",
        "notes.md",
        "overview.html",
    ]


def test_same_spec_same_bytes(tmp_path: Path) -> None:
    design = diagramgen.loads(SMALL_SPEC)
    a = diagramgen.render(design, tmp_path / "a", formats=["html"])
    b = diagramgen.render(design, tmp_path / "b", formats=["html"])
    assert [f.name for f in a.files] == [f.name for f in b.files]
    for fa, fb in zip(a.files, b.files, strict=True):
        assert fa.read_bytes() == fb.read_bytes(), fa.name


def test_svg_edge_ids_follow_the_view_edges(rendered: Path) -> None:
    """`edgeN` is the view's N-th edge: the page finds each connection by that id."""
    design = diagramgen.load(URL_SHORTENER)
    page = (rendered / "overview.html").read_text("utf-8")
    titles = dict(re.findall(r'<g id="(edge\d+)" class="edge">\n<title>([^<]*)</title>', page))
    data = page_json(page)
    assert len(data["edges"]) == len(design.connections) == len(titles)
    for edge in data["edges"]:
        assert unescape(titles[edge["id"]]) == f"{edge['source']}->{edge['target']}"


def test_the_data_block_carries_the_analysis(rendered: Path) -> None:
    data = page_json((rendered / "overview.html").read_text("utf-8"))
    api = data["nodes"]["api"]
    assert api["kind"] == "service" and api["replicas"] == 16
    # 16 running, autoscaling to 40, each 5k/s (spec): 80k/s running, 200k/s at the ceiling.
    assert api["load"]["capacity"] == "80k/s" and api["load"]["instances"] == 16
    assert api["load"]["capacity_max"] == "200k/s" and api["load"]["max_instances"] == 40
    assert api["load"]["peak"] == "72.9k/s"
    assert api["aria"] == "Redirect API, service, 16 instances"
    db = data["nodes"]["db"]
    assert [f["code"] for f in db["findings"]] == ["DG102"]
    assert db["tech"] == "Cassandra"
    assert data["decisions"][db["decisions"][0]]["title"] == "NoSQL for the URL table"
    edge = next(e for e in data["edges"] if (e["source"], e["target"]) == ("api", "events"))
    assert edge["async"] is True and edge["label"] == "click event"
    redirect = next(f for f in data["flows"] if f["name"] == "redirect")
    assert [s["n"] for s in redirect["steps"]] == list(range(1, 8))
    step3 = redirect["steps"][2]
    assert (step3["from"], step3["to"], step3["label"]) == ("cdn", "lb", "edge miss")
    ids = {e["id"]: (e["source"], e["target"]) for e in data["edges"]}
    assert [ids[i] for i in step3["edges"]] == [("cdn", "lb")]


def test_edge_rate_is_the_traced_share_of_each_operation() -> None:
    design = diagramgen.load(URL_SHORTENER)
    rates = edge_rates(design, analyze(design))
    ops = {op.name: op.peak_per_second for op in analyze(design).estimates.operations}
    # Reads reach the table after the CDN (hit ratio 0.8) and the cache (0.8) missed;
    # every shorten and every disable writes it.
    expected = ops["redirect"] * 0.2 * 0.2 + ops["shorten"] + ops["disable"]
    assert rates[("api", "db")]["rate"] == pytest.approx(expected)
    assert rates[("api", "db")]["rate_basis"].startswith("redirect 13.9k/s + shorten 3.47k/s")
    assert ("idgen", "coordinator") not in rates  # no flow crosses it: no rate claimed


def test_decisions_name_components_by_id_label_or_tech() -> None:
    design = diagramgen.load(URL_SHORTENER)
    titles = [d.title for d in design.decisions]
    db = design.component("db")
    assert [titles[i] for i in decisions_naming(design, db)] == ["NoSQL for the URL table"]
    assert decisions_naming(design, design.component("warehouse")) == []


def test_spec_text_cannot_break_out_of_the_page(tmp_path: Path) -> None:
    evil = "</script><script>alert(1)</script>"
    spec = SMALL_SPEC.replace("label: Browser", f"label: '{evil}'").replace(
        "description: Three components in two groups.", f"description: '{evil} & <b>'"
    )
    result = diagramgen.render(diagramgen.loads(spec), tmp_path, formats=["html"])
    for page in result.files:
        if page.suffix == ".html":
            text = page.read_text("utf-8")
            assert "<script>alert(1)" not in text, page.name
            assert text.count("<script") == text.count("</script>")
    data = page_json((tmp_path / "small" / "overview.html").read_text("utf-8"))
    assert data["nodes"]["web"]["label"] == evil  # intact once parsed
    assert "\\u003c/script" in json_for_html({"x": evil})


def test_the_page_can_fetch_nothing(rendered: Path) -> None:
    page = (rendered / "overview.html").read_text("utf-8")
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert csp is not None
    policy = dict(p.strip().split(" ", 1) for p in csp.group(1).split(";"))
    assert policy["default-src"] == "'none'" and policy["img-src"] == "data:"
    assert policy["script-src"].startswith("'sha256-")
    assert not re.search(r'(?:src|href)="(?:https?:)?//', page)


def _luminance(hex_colour: str) -> float:
    rgb = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    """The WCAG 2 contrast ratio of two `#rrggbb` colours."""
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("theme", sorted(THEMES))
def test_text_colours_meet_wcag_aa_in_both_themes(theme: str) -> None:
    colours = palette(THEMES[theme])
    for text in ("fg", "muted", "accent", "error", "warning", "info"):
        for ground in ("bg", "panel"):
            ratio = contrast(colours[text], colours[ground])
            assert ratio >= 4.5, f"{theme}: {text} on {ground} is {ratio:.2f}:1"


def test_dark_theme_page(tmp_path: Path) -> None:
    design = diagramgen.loads(SMALL_SPEC)
    diagramgen.render(design, tmp_path, formats=["html"], theme="dark")
    page = (tmp_path / "small" / "overview.html").read_text("utf-8")
    assert 'data-theme="dark"' in page and "--bg:#0F172A" in page


def test_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["render", str(URL_SHORTENER), "-o", str(tmp_path), "-f", "htm"])
    assert result.exit_code == 2
    assert "html" in result.output


def test_percent_never_rounds_a_real_load_to_zero() -> None:
    from diagramgen.rendering.interactive import percent

    assert percent(0.365) == "36.5%"
    assert percent(2.0) == "200%"
    assert percent(0.000136) == "<0.1%"
    assert percent(0.0) == "0%"


def test_a_partial_render_links_only_the_pages_it_wrote(tmp_path: Path) -> None:
    design = diagramgen.load(URL_SHORTENER)
    diagramgen.render(design, tmp_path, formats=["html"], views=["overview"])
    page = (tmp_path / "url-shortener" / "overview.html").read_text("utf-8")
    assert re.findall(r'class="dg-view" href="([^"]+)"', page) == ["overview.html", "notes.html"]
    flows = page_json(page)["flows"]
    assert [(f["name"], f["slug"], f["view"]) for f in flows] == [
        ("redirect", "redirect", None),
        ("shorten", "shorten", None),
        ("disable", "disable", None),
    ]
