"""Well-known public architecture examples recreated as specs, rendered, styles asserted.

The specs in tests/examples/ follow the classic mingrammer/diagrams examples: clustered
web services, event processing, a Kubernetes stateful set, and the on-premises web
service with colored edges. Their DOT is golden; SVG is checked for the drawn styles.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from diagramgen.rendering import RenderOptions, render_design, view_to_dot
from diagramgen.spec.loader import load, loads
from diagramgen.view.builders import overview
from diagramgen.view.themes import DARK, LIGHT
from tests.conftest import check_golden

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SPECS = sorted(EXAMPLES.glob("*.yaml"))


def _edge(dot: str, src: str, dst: str) -> str:
    """The attribute list of the edge `src -> dst` in DOT text."""
    m = re.search(rf"^\s*{re.escape(src)} -> {re.escape(dst)} \[(.*)\]$", dot, re.M)
    assert m, f"no edge {src} -> {dst}"
    return m.group(1)


def _cluster(dot: str, cluster_id: str) -> str:
    m = re.search(rf"subgraph cluster_{cluster_id} {{\n\s*graph \[(.*)\]", dot)
    assert m, f"no cluster {cluster_id}"
    return m.group(1)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("examples")
    result = {}
    for spec in SPECS:
        design = load(spec)
        result[spec.stem] = render_design(
            design, out, RenderOptions(formats=["svg", "dot"])
        ).directory
    return result


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.stem)
def test_example_dot_is_golden(rendered: dict[str, Path], spec: Path) -> None:
    folder = rendered[spec.stem]
    for dot in sorted(folder.glob("*.dot")):
        check_golden(f"expressiveness/{spec.stem}/{dot.name}", dot.read_text("utf-8"))


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.stem)
def test_example_svg_is_self_contained(rendered: dict[str, Path], spec: Path) -> None:
    for svg in rendered[spec.stem].glob("*.svg"):
        text = svg.read_text("utf-8")
        hrefs = re.findall(r'xlink:href="([^"]*)"', text)
        assert hrefs and all(h.startswith("data:image/png;base64,") for h in hrefs)
        assert "/tmp" not in text and ".cache" not in text and "site-packages" not in text


def test_onprem_colored_edges(rendered: dict[str, Path]) -> None:
    folder = rendered["onprem_colored"]
    dot = (folder / "overview.dot").read_text()
    grafana = _edge(dot, "monitoring", "metrics")
    assert 'color="#b22222"' in grafana and "style=dashed" in grafana  # firebrick
    replica = _edge(dot, "session", "session_replica")
    assert 'color="#a52a2a"' in replica and "dir=none" in replica and "style=dashed" in replica
    assert "style=dotted" in _edge(dot, "users", "users_replica")
    bold = _edge(dot, "stream", "analytics")
    assert 'color="#000000"' in bold and "style=bold" in bold
    for n in (1, 2, 3):
        ingress = _edge(dot, "ingress", f"grpc{n}")
        assert 'color="#006400"' in ingress and "dir=both" in ingress and "gRPC" in ingress
        assert 'color="#ff8c00"' in _edge(dot, f"grpc{n}", "logging")
    sessions = _cluster(dot, "sessions_ha")
    assert 'pencolor="#a52a2a"' in sessions and 'style="rounded,filled,dashed"' in sessions
    assert 'style="rounded,filled,dotted"' in _cluster(dot, "database_ha")

    svg = (folder / "overview.svg").read_text()
    assert 'stroke="#b22222"' in svg and 'stroke="#006400"' in svg
    assert 'stroke-dasharray="5,2"' in svg and 'stroke-dasharray="1,5"' in svg
    assert 'stroke-width="2"' in svg  # bold
    for meaning in ("dashboards", "requests and responses", "logs", "bulk stream"):
        assert f">\xa0{meaning}\xa0" in svg


def test_clustered_web_services_fanout(rendered: dict[str, Path]) -> None:
    dot = (rendered["clustered_web_services"] / "overview.dot").read_text()
    for n in (1, 2, 3):
        _edge(dot, "lb", f"web{n}")
        assert "SQL" in _edge(dot, f"web{n}", "userdb")
        _edge(dot, f"web{n}", "memcached")
    replication = _edge(dot, "userdb", "userdb_ro")
    assert "dir=none" in replication and "style=dotted" in replication
    assert "headport=main" in replication  # the note never takes an edge
    assert "read-only replica" in dot
    assert 'pencolor="#4682b4"' in _cluster(dot, "db_cluster")


def test_event_processing_groups_and_legend(rendered: dict[str, Path]) -> None:
    folder = rendered["event_processing"]
    dot = (folder / "overview.dot").read_text()
    processing = _cluster(dot, "processing")
    assert 'pencolor="#ff8c00"' in processing
    fill = re.search(r'fillcolor="(#[0-9A-F]{6})"', processing)
    assert fill and fill.group(1) not in LIGHT.cluster_fills  # tinted with its color
    for n in (1, 2, 3):
        queue = _edge(dot, "queue", f"proc{n}")
        assert "style=dashed" in queue and 'color="#ff8c00"' in queue
        for end in ("store", "dw"):
            assert "style=bold" in _edge(dot, f"proc{n}", end)
    svg = (folder / "overview.svg").read_text()
    assert "serverless processing" in svg and "bulk writes" in svg


def test_stateful_set_direction_icons_and_stack(rendered: dict[str, Path]) -> None:
    folder = rendered["stateful_set"]
    dot = (folder / "overview.dot").read_text()
    assert "rankdir=TB" in dot
    assert re.search(r"\{rank=same; (pv sc|sc pv)\}", dot)  # the LR group in a TB design
    custom = set(re.findall(r'IMG SRC="(custom/[0-9a-f]{20}\.png)"', dot))
    assert len(custom) == 3  # pvc.svg (rasterized), pv.png, storage-class.svg
    assert re.search(r'IMG SRC="derived/stack[0-9a-f]{6}/resources/k8s/compute/pod\.png"', dot)
    assert "dir=back" in _edge(dot, "pv", "pvc0")
    flow = (folder / "flow-mount.dot").read_text()
    assert re.search(r'IMG SRC="derived/faded/custom/[0-9a-f]{20}\.png"', flow)
    assert re.search(r'IMG SRC="derived/faded-stack[0-9a-f]{6}/', flow)  # muted and replicated


def test_legend_false_and_meanings() -> None:
    spec = (EXAMPLES / "onprem_colored.yaml").read_text()
    hidden = loads(spec.split("legend:")[0] + "legend: false\n")
    assert "Legend" not in view_to_dot(overview(hidden), LIGHT)
    plain = loads(spec.split("legend:")[0])
    labels = [e.label for e in overview(plain).legend]
    # Colors without a stated meaning are not listed; the default line meanings are.
    assert labels == ["synchronous call", "both directions", "link without a direction"]


def test_dark_theme_renders_the_examples(tmp_path: Path) -> None:
    design = load(EXAMPLES / "stateful_set.yaml")
    dot = view_to_dot(overview(design), DARK)
    assert f'bgcolor="{DARK.background}"' in dot and "derived/stack" in dot


def test_png_with_custom_svg_icons(tmp_path: Path) -> None:
    result = render_design(load(EXAMPLES / "stateful_set.yaml"), tmp_path, RenderOptions(
        formats=["png"], views=["overview"]))  # fmt: skip
    png = result.directory / "overview.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_notes_and_legend_meanings_render_literally(tmp_path: Path) -> None:
    import html
    import json

    nasty = '\\N <b>x</b> "q" ] [label=y'
    spec = {
        "name": "nasty",
        "components": [
            {"id": "a", "kind": "service", "note": nasty},
            {"id": "b", "kind": "cache"},
        ],
        "connections": [{"from": "a", "to": "b", "color": "teal", "line": "dotted"}],
        "legend": {"colors": {"teal": nasty}, "lines": {"dotted": nasty}},
    }
    result = render_design(loads(json.dumps(spec), path="n.json"), tmp_path, RenderOptions(
        formats=["svg"]))  # fmt: skip
    svg = (result.directory / "overview.svg").read_text()
    texts = [html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]
    assert sum(nasty in t for t in texts) == 3  # the note and two legend lines
    assert "<b>x" not in svg
