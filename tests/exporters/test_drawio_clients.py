"""draw.io exports of the whole catalogue, opened in draw.io's own viewer and measured.

draw.io's viewer (`viewer.min.js`, the script of viewer.diagrams.net) ships in the npm
package `docusaurus-plugin-drawio`; `make test-deps` installs it under `.cache/drawio`
(outside git) and this module installs it there on first use when npm is present.
"""

from __future__ import annotations

import html
import itertools
import json
import shutil
import subprocess
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from diagramgen.exporters import export
from diagramgen.exporters.drawio import ID_PREFIX
from diagramgen.rendering.geometry import Box
from diagramgen.spec.loader import load, loads
from tests.authoring.cdp import Browser, chromium_path
from tests.conftest import ROOT

VIEWER_PACKAGE = "docusaurus-plugin-drawio@0.4.0"
VIEWER_DIR = ROOT / ".cache" / "drawio"
VIEWER_JS = VIEWER_DIR / "node_modules" / "docusaurus-plugin-drawio" / "viewer.min.js"
CATALOGUE = sorted((ROOT / "specs").glob("*.yaml"))
# Ids that broke the old export: draw.io keeps cells in a plain object keyed by id.
JS_NAMES = ["push", "map", "constructor", "toString", "__proto__", "hasOwnProperty", "length"]


def drawio_viewer() -> Path:
    """draw.io's viewer script; installed with npm on first use, else the test is skipped."""
    if VIEWER_JS.exists():
        return VIEWER_JS
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip("npm is not installed: cannot fetch draw.io's viewer (`make test-deps`)")
    VIEWER_DIR.mkdir(parents=True, exist_ok=True)
    run = subprocess.run(
        [npm, "install", "--prefix", str(VIEWER_DIR), "--no-audit", "--no-fund", VIEWER_PACKAGE],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if run.returncode != 0 or not VIEWER_JS.exists():
        pytest.skip(f"could not install {VIEWER_PACKAGE} with npm: {run.stderr.strip()[-300:]}")
    return VIEWER_JS


PAGE = """<!doctype html><html><head><meta charset="utf-8">
<script>
window.__errors = [];
window.addEventListener('error', function (e) {{ window.__errors.push(String(e.message)); }});
// Offline: draw.io's stencil libraries (aws4, gcp2, kubernetes) are fetched from these
// folders, which hold nothing; the viewer then draws those cells with its fallback shape.
window.SHAPES_PATH = 'shapes'; window.STENCIL_PATH = 'stencils';
</script></head><body>
<div id="diagram" data-mxgraph="{config}"></div>
<script src="{viewer}"></script>
<script>
try {{
  GraphViewer.createViewerForElement(document.getElementById('diagram'), function (viewer) {{
    var graph = viewer.graph, model = graph.getModel(), cells = [];
    for (var id in model.cells) {{
      var cell = model.cells[id];
      cells.push({{id: cell.id, parent: cell.parent ? cell.parent.id : null,
                   vertex: !!cell.vertex, edge: !!cell.edge,
                   source: cell.source ? cell.source.id : null,
                   target: cell.target ? cell.target.id : null,
                   drawn: graph.view.getState(cell) != null}});
    }}
    window.__result = {{cells: cells,
                       svg: document.querySelectorAll('#diagram svg').length,
                       labels: document.querySelector('#diagram').innerText}};
  }});
}} catch (e) {{ window.__errors.push('createViewerForElement: ' + e); }}
</script></body></html>"""


def open_in_viewer(browser: Browser, folder: Path, name: str, xml: str) -> dict[str, object]:
    """Open one draw.io file in the viewer; the viewer's model, or the errors it raised."""
    config = json.dumps({"xml": xml, "toolbar": None, "nav": False, "lightbox": False})
    page = folder / f"{name}.html"
    page.write_text(PAGE.format(config=html.escape(config), viewer=VIEWER_JS.as_uri()), "utf-8")
    browser.open(page.as_uri())
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        state = browser.evaluate(
            "JSON.stringify({errors: window.__errors || null, result: window.__result || null})"
        )
        data = json.loads(state) if state else {"errors": None, "result": None}
        if data["errors"] or data["result"]:
            return data
        time.sleep(0.2)
    return {"errors": ["the viewer did not finish within 30 s"], "result": None}


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Browser:
    binary = chromium_path()
    if binary is None:
        pytest.skip("chromium is not installed (`make test-deps` installs it)")
    drawio_viewer()
    b = Browser(binary, tmp_path_factory.mktemp("chromium-profile"))
    yield b  # type: ignore[misc]
    b.close()


def check_opened(data: dict[str, object], xml: str) -> None:
    assert data["errors"] == [], data["errors"]
    result = data["result"]
    assert isinstance(result, dict)
    assert result["svg"] >= 1
    expected = {c.get("id") for c in ET.fromstring(xml).iter("mxCell")}
    cells = {c["id"]: c for c in result["cells"]}
    assert set(cells) == expected, "the viewer's model lost or invented cells"
    for element in ET.fromstring(xml).iter("mxCell"):
        cell = cells[element.get("id")]
        assert cell["parent"] == element.get("parent")
        if element.get("edge"):
            assert (cell["source"], cell["target"]) == (
                element.get("source"),
                element.get("target"),
            )
        if element.get("parent"):
            assert cell["drawn"], f"{cell['id']} was not drawn"


@pytest.mark.parametrize("spec", CATALOGUE, ids=[p.stem for p in CATALOGUE])
def test_catalogue_opens_in_drawio_viewer(spec: Path, browser: Browser, tmp_path: Path) -> None:
    xml = export(load(spec), "drawio")
    data = open_in_viewer(browser, tmp_path, spec.stem, xml)
    check_opened(data, xml)
    result = data["result"]
    assert isinstance(result, dict)
    for element in ET.fromstring(xml).iter("mxCell"):
        if element.get("vertex") and element.get("id", "").startswith(ID_PREFIX):
            assert element.get("id", "") in {c["id"] for c in result["cells"]}


def test_javascript_names_as_ids_open(browser: Browser, tmp_path: Path) -> None:
    spec = {
        "name": "js",
        "groups": [{"id": "valueOf", "label": "valueOf"}],
        "components": [
            {"id": name, "kind": "service", "group": "valueOf" if i % 2 else None}
            for i, name in enumerate(JS_NAMES)
        ],
        "connections": [{"from": a, "to": b} for a, b in itertools.pairwise(JS_NAMES)],
    }
    for component in spec["components"]:
        if component["group"] is None:
            del component["group"]
    xml = export(loads(json.dumps(spec), path="js.json"), "drawio")
    ids = [c.get("id") for c in ET.fromstring(xml).iter("mxCell")]
    assert all(i in ("0", "1") or i.startswith(ID_PREFIX) for i in ids)
    check_opened(open_in_viewer(browser, tmp_path, "js", xml), xml)


# ---------------------------------------------------------------- geometry of the files


def absolute_boxes(root: ET.Element) -> tuple[dict[str, Box], dict[str, ET.Element]]:
    """Every vertex's box in page coordinates (children are relative to their container)."""
    cells = {c.get("id", ""): c for c in root.iter("mxCell")}
    boxes: dict[str, Box] = {}

    def box(cell_id: str) -> Box:
        if cell_id not in boxes:
            cell = cells[cell_id]
            g = cell.find("mxGeometry")
            assert g is not None
            x, y = float(g.get("x", 0)), float(g.get("y", 0))
            parent = cell.get("parent")
            if parent and parent in cells and cells[parent].get("vertex"):
                p = box(parent)
                x, y = x + p.x, y + p.y
            boxes[cell_id] = Box(x, y, float(g.get("width", 0)), float(g.get("height", 0)))
        return boxes[cell_id]

    for cell_id, cell in cells.items():
        if cell.get("vertex"):
            box(cell_id)
    return boxes, cells


def _crosses(a: tuple[float, float], b: tuple[float, float], box: Box) -> bool:
    """True when the segment a-b passes through the box (Liang-Barsky clipping)."""
    t0, t1 = 0.0, 1.0
    dx, dy = b[0] - a[0], b[1] - a[1]
    for p, q in (
        (-dx, a[0] - box.x),
        (dx, box.right - a[0]),
        (-dy, a[1] - box.y),
        (dy, box.bottom - a[1]),
    ):
        if p == 0:
            if q < 0:
                return False
        else:
            r = q / p
            if p < 0:
                t0 = max(t0, r)
            else:
                t1 = min(t1, r)
            if t0 > t1:
                return False
    return True


def edges_through_nodes(xml: str, margin: float = 3.0) -> list[str]:
    """Edges whose drawn route passes through a component (icon or note) other than its ends."""
    root = ET.fromstring(xml)
    boxes, cells = absolute_boxes(root)
    components = {
        i: b
        for i, b in boxes.items()
        if i.startswith(ID_PREFIX)
        and "container=1" not in cells[i].get("style", "")
        and i not in (f"{ID_PREFIX}title", f"{ID_PREFIX}legend")
    }
    found = []
    for cell in cells.values():
        if not cell.get("edge"):
            continue
        ends = {cell.get("source"), cell.get("target")}
        ends |= {f"{e}.note" for e in ends}
        points = [
            (float(p.get("x", 0)), float(p.get("y", 0)))
            for p in cell.iter("mxPoint")
            if p.get("as") != "offset"
        ]
        for node_id, b in components.items():
            if node_id in ends:
                continue
            shrunk = Box(b.x + margin, b.y + margin, b.w - 2 * margin, b.h - 2 * margin)
            if any(_crosses(p, q, shrunk) for p, q in itertools.pairwise(points)):
                found.append(
                    f"{cell.get('id')} ({cell.get('source')} -> {cell.get('target')})"
                    f" crosses {node_id}"
                )
    return found


def test_no_edge_crosses_an_unrelated_node_in_the_catalogue() -> None:
    crossings = {}
    for spec in CATALOGUE:
        found = edges_through_nodes(export(load(spec), "drawio"))
        if found:
            crossings[spec.stem] = found
    assert crossings == {}


def test_crossing_measure_sees_a_crossing() -> None:
    """The measure is not blind: an edge forced straight through a node is caught."""
    xml = export(load(CATALOGUE[0]), "drawio")
    root = ET.fromstring(xml)
    boxes, cells = absolute_boxes(root)
    vertices = [i for i in boxes if i.startswith(ID_PREFIX) and i.count("-") == 1][:3]
    edge = next(c for c in cells.values() if c.get("edge"))
    edge.set("source", vertices[0])
    edge.set("target", vertices[1])
    geometry = edge.find("mxGeometry")
    assert geometry is not None
    for child in list(geometry):
        geometry.remove(child)
    array = ET.SubElement(geometry, "Array", **{"as": "points"})
    third = boxes[vertices[2]]
    for x, y in ((third.x - 5, third.center[1]), (third.right + 5, third.center[1])):
        ET.SubElement(array, "mxPoint", x=str(x), y=str(y))
    assert edges_through_nodes(ET.tostring(root, encoding="unicode"))
