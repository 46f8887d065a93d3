"""Exporters: golden files, structural checks of Mermaid and draw.io, D2 compiled by D2."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

import diagramgen
from diagramgen.cli import app
from diagramgen.exporters import EXPORTERS, FORMATS, export
from diagramgen.exporters.common import node_lines
from diagramgen.spec.loader import loads
from diagramgen.spec.models import Design
from diagramgen.view.builders import views
from diagramgen.view.model import DiagramView
from tests.conftest import SMALL_SPEC, check_golden
from tests.exporters.conftest import EXPORT_SPEC, NASTY, compile_d2, nasty_spec

SUFFIX = {name: e.suffix for name, e in EXPORTERS.items()}


def shop() -> Design:
    return loads(EXPORT_SPEC, path="shop.yaml")


def nasty() -> Design:
    return loads(nasty_spec(), path="nasty.json")


def all_views() -> list[tuple[str, DiagramView]]:
    """Every view of the test specs, named for test ids."""
    out = []
    for design in (shop(), nasty(), loads(SMALL_SPEC)):
        out += [(f"{design.slug}-{v.name}", v) for v in views(design)]
    return out


# ---------------------------------------------------------------- goldens


def golden_text(fmt: str, text: str) -> str:
    """The text compared with a golden file: for draw.io, with the layout blanked.

    Positions and routes are Graphviz's (tested against the geometry elsewhere) and icons
    are embedded PNGs, so the golden file keeps the structure, labels and styles only.
    """
    if fmt != "drawio":
        return text
    text = re.sub(r"image=data:([\w/+.-]+),[A-Za-z0-9+/=]+", r"image=data:\1,…", text)
    text = re.sub(r'\b(x|y|width|height)="-?[\d.]+"', r'\1="#"', text)
    return re.sub(r"(\s*<mxPoint x=\"#\" y=\"#\" />)+", r"\n<mxPoint …/>", text)


@pytest.mark.parametrize("fmt", FORMATS)
def test_golden_overview(fmt: str) -> None:
    check_golden(f"export/shop{SUFFIX[fmt]}", golden_text(fmt, export(shop(), fmt)))


@pytest.mark.parametrize("fmt", ["mermaid", "d2", "drawio"])
def test_golden_flow_and_custom_views(fmt: str) -> None:
    flow = export(shop(), fmt, "flow-checkout")
    check_golden(f"export/shop-flow-checkout{SUFFIX[fmt]}", golden_text(fmt, flow))
    custom = export(shop(), fmt, "data-tier")
    check_golden(f"export/shop-data-tier{SUFFIX[fmt]}", golden_text(fmt, custom))


@pytest.mark.parametrize("fmt", FORMATS)
def test_golden_nasty_labels(fmt: str) -> None:
    check_golden(f"export/nasty{SUFFIX[fmt]}", golden_text(fmt, export(nasty(), fmt)))


@pytest.mark.parametrize("fmt", FORMATS)
def test_exports_are_deterministic(fmt: str) -> None:
    assert export(shop(), fmt) == export(shop(), fmt)


def test_unknown_format_and_view_are_value_errors() -> None:
    with pytest.raises(ValueError, match="unknown export format 'png'"):
        export(shop(), "png")
    with pytest.raises(ValueError, match=r"no view 'nope' in shop \(views are overview"):
        export(shop(), "d2", "nope")
    with pytest.raises(ValueError, match="did you mean 'data-tier'"):
        export(shop(), "d2", "data tiers")
    with pytest.raises(ValueError, match="takes no view"):
        export(shop(), "json", "overview")


@pytest.mark.parametrize("name", ["data-tier", "data tier", "Data Tier", "DATA-TIER"])
def test_view_by_name_as_written_or_slug(name: str) -> None:
    assert export(shop(), "mermaid", name) == export(shop(), "mermaid", "data-tier")


def test_flow_view_by_flow_name() -> None:
    assert export(shop(), "d2", "checkout") == export(shop(), "d2", "flow-checkout")


def test_public_api() -> None:
    assert diagramgen.export(shop(), "mermaid").startswith('---\ntitle: "Shop"\n---\n')


# ---------------------------------------------------------------- Mermaid, parsed


_EDGE = re.compile(
    r"^(?P<src>\w+) (?P<arrow><?(?:-->|-\.->|==>|---|-\.-|===))"
    r'(?:\|"(?P<label>[^"]*)"\|)? (?P<dst>\w+)$'
)
_NODE = re.compile(r'^(?P<id>\w+)(?P<open>\(\[|\(\(|\{\{|\[\[|\[\(|\[/|\(|>|\[)"(?P<text>[^"]*)"')
_SUBGRAPH = re.compile(r'^subgraph (?P<id>\w+)\["(?P<text>[^"]*)"\]$')


def parse_mermaid(text: str) -> dict[str, object]:
    """A small structural parser of the flowchart subset the exporter writes."""
    lines = text.splitlines()
    assert lines[0] == "---" and lines[2] == "---" and lines[1].startswith("title: ")
    assert re.fullmatch(r"flowchart (LR|TB)", lines[3])
    declared: dict[str, str] = {}
    subgraphs: list[str] = []
    edges: list[tuple[str, str, str, str | None]] = []
    depth = 0
    for raw in lines[4:]:
        line = raw.strip()
        if m := _SUBGRAPH.match(line):
            assert m["id"] not in declared, f"{m['id']} declared twice"
            declared[m["id"]] = m["text"]
            subgraphs.append(m["id"])
            depth += 1
        elif line == "end":
            depth -= 1
            assert depth >= 0, "`end` without a subgraph"
        elif m := _EDGE.match(line):
            edges.append((m["src"], m["arrow"], m["dst"], m["label"]))
        elif m := _NODE.match(line):
            assert m["id"] not in declared, f"{m['id']} declared twice"
            declared[m["id"]] = m["text"]
        elif line.startswith(("classDef ", "class ", "style ", "linkStyle ", "direction ")):
            if line.startswith("linkStyle "):
                indexes = line.split()[1].split(",")
                assert all(0 <= int(i) < len(edges) for i in indexes), line
            if line.startswith(("style ", "class ")):
                targets = line.split()[1].split(",")
                assert all(t in declared for t in targets), line
        else:
            pytest.fail(f"unexpected Mermaid line: {raw!r}")
    assert depth == 0, "unbalanced subgraph/end"
    for src, _, dst, _ in edges:
        assert src in declared and dst in declared, (src, dst)
    return {"declared": declared, "subgraphs": subgraphs, "edges": edges}


def mermaid_text(escaped: str) -> str:
    """What Mermaid shows for a label the exporter wrote."""
    text = escaped.replace("<br/><small>", "\n").replace("</small>", "").replace("<br/>", "\n")
    assert "<" not in text and ">" not in text and '"' not in text
    return re.sub(r"#(\d+);", lambda m: chr(int(m[1])), text)


@pytest.mark.parametrize(("name", "view"), all_views(), ids=[n for n, _ in all_views()])
def test_mermaid_is_well_formed(name: str, view: DiagramView) -> None:
    from diagramgen.exporters.mermaid import to_mermaid

    parsed = parse_mermaid(to_mermaid(view))
    assert len(parsed["edges"]) == len(view.edges)  # type: ignore[arg-type]
    assert len(parsed["subgraphs"]) == len(view.clusters)  # type: ignore[arg-type]
    assert len(parsed["declared"]) == len(view.nodes) + len(view.clusters)  # type: ignore[arg-type]


def test_mermaid_labels_survive_escaping() -> None:
    parsed = parse_mermaid(export(nasty(), "mermaid"))
    shown = {mermaid_text(t) for t in parsed["declared"].values()}  # type: ignore[attr-defined]
    labels = {mermaid_text(e[3]) for e in parsed["edges"]}  # type: ignore[attr-defined]
    for label in NASTY:
        assert label in shown and label in labels, label
    # `end` is a Mermaid keyword: the group with that id got another id.
    assert "end" not in parsed["declared"] and "end_" in parsed["declared"]  # type: ignore[operator]


def test_mermaid_async_edges_are_dashed() -> None:
    edges = parse_mermaid(export(shop(), "mermaid"))["edges"]
    arrows = {(s, d): a for s, a, d, _ in edges}  # type: ignore[attr-defined]
    assert arrows[("api", "events")] == "-.->"
    assert arrows[("web", "cdn")] == "-->"
    assert arrows[("db", "cache")] == "<-.->"  # dotted, both ways
    assert arrows[("mon", "app")] == "---"  # no direction, to a group


# ---------------------------------------------------------------- draw.io, parsed


def parse_drawio(text: str) -> dict[str, ET.Element]:
    """Parse the file and check the graph: ids, parents, edge ends, geometry."""
    root = ET.fromstring(text)
    assert root.tag == "mxfile"
    cells = root.findall("./diagram/mxGraphModel/root/mxCell")
    by_id: dict[str, ET.Element] = {}
    for cell in cells:
        assert cell.get("id") not in by_id, f"duplicate id {cell.get('id')}"
        by_id[cell.attrib["id"]] = cell
    assert by_id["0"].get("parent") is None and by_id["1"].get("parent") == "0"
    for cell in cells[2:]:
        parent = by_id.get(cell.attrib["parent"])
        assert parent is not None, f"{cell.get('id')}: no parent {cell.get('parent')}"
        if cell.get("vertex") == "1":
            geometry = cell.find("mxGeometry")
            assert geometry is not None and geometry.get("as") == "geometry"
            if parent.get("id") != "1":
                assert "container=1" in parent.attrib["style"]
                _inside(geometry, parent.find("mxGeometry"))  # type: ignore[arg-type]
        else:
            assert cell.get("edge") == "1"
            assert cell.get("source") in by_id and cell.get("target") in by_id
    _no_overlaps(cells)
    return by_id


def _box(g: ET.Element) -> tuple[float, float, float, float]:
    return (float(g.get("x", 0)), float(g.get("y", 0)), float(g.attrib["width"]),
            float(g.attrib["height"]))  # fmt: skip


def _inside(child: ET.Element, parent: ET.Element) -> None:
    x, y, w, h = _box(child)
    _, _, pw, ph = _box(parent)
    assert x >= 0 and y >= 0 and x + w <= pw and y + h <= ph, "child outside its container"


def _no_overlaps(cells: list[ET.Element]) -> None:
    siblings: dict[str, list[tuple[float, float, float, float]]] = {}
    for cell in cells:
        if cell.get("vertex") == "1" and cell.get("id") not in ("dg-title", "dg-legend"):
            siblings.setdefault(cell.attrib["parent"], []).append(_box(cell.find("mxGeometry")))  # type: ignore[arg-type]
    for boxes in siblings.values():
        for i, (x, y, w, h) in enumerate(boxes):
            for x2, y2, w2, h2 in boxes[i + 1 :]:
                assert x + w <= x2 or x2 + w2 <= x or y + h <= y2 or y2 + h2 <= y, "overlap"


@pytest.mark.parametrize(("name", "view"), all_views(), ids=[n for n, _ in all_views()])
def test_drawio_is_well_formed(name: str, view: DiagramView) -> None:
    from diagramgen.exporters.drawio import to_drawio

    cells = parse_drawio(to_drawio(view))
    edges = [c for c in cells.values() if c.get("edge") == "1"]
    assert len(edges) == len(view.edges)
    vertices = [c for c in cells.values() if c.get("vertex") == "1"]
    extra = 1 + (1 if view.legend else 0) + sum(1 for n in view.nodes if n.note)
    assert len(vertices) == len(view.nodes) + len(view.clusters) + extra  # title, legend, notes
    assert all(i in ("0", "1") or i.startswith("dg-") for i in cells)


def test_drawio_groups_contain_their_members_and_icons_follow_techs() -> None:
    cells = parse_drawio(export(shop(), "drawio"))
    assert cells["dg-db"].get("parent") == "dg-data"
    assert cells["dg-data"].get("parent") == "dg-app"
    assert cells["dg-web"].get("parent") == "1"
    # No draw.io library has these: the picture's own icon is embedded.
    assert "shape=image;" in cells["dg-db"].attrib["style"]
    assert "image=data:image/png," in cells["dg-lb"].attrib["style"]
    edge = next(
        c for c in cells.values() if c.get("source") == "dg-api" and c.get("target") == "dg-data"
    )
    assert edge.get("value") == "reads [SQL]"
    async_edge = next(c for c in cells.values() if c.get("target") == "dg-events")
    assert "dashed=1" in async_edge.attrib["style"]
    # Group styles: colour and line of the spec.
    assert "strokeColor=#4682b4" in cells["dg-app"].attrib["style"]
    assert "dashed=1" in cells["dg-app"].attrib["style"]
    assert "fillColor=#" in cells["dg-data"].attrib["style"]


def test_drawio_uses_library_shapes_for_cloud_and_kubernetes_techs() -> None:
    spec = """\
name: cloud
components:
  - {id: table, kind: nosql_database, tech: dynamodb}
  - {id: bucket, kind: object_storage, tech: gcs}
  - {id: pods, kind: service, tech: Kubernetes Deployment}
  - {id: plain, kind: service}
connections: [table -> bucket, pods -> table, plain -> pods]
"""
    cells = parse_drawio(export(loads(spec, path="cloud.yaml"), "drawio"))
    assert "resIcon=mxgraph.aws4.dynamodb;" in cells["dg-table"].attrib["style"]
    assert "shape=mxgraph.gcp2.hexIcon;prIcon=cloud_storage;" in cells["dg-bucket"].attrib["style"]
    assert "shape=mxgraph.kubernetes.icon;prIcon=deploy;" in cells["dg-pods"].attrib["style"]
    assert "shape=image;" in cells["dg-plain"].attrib["style"]


def test_drawio_takes_positions_and_routes_from_the_picture_layout() -> None:
    from diagramgen.rendering import view_geometry
    from diagramgen.view.themes import LIGHT

    design = shop()
    view = views(design)[0]
    geo = view_geometry(view, LIGHT)
    cells = parse_drawio(export(design, "drawio"))
    # A top-level component's icon sits inside its laid-out box, centred on it.
    g = cells["dg-web"].find("mxGeometry")
    assert g is not None
    x, y, w, _h = _box(g)
    box = geo.nodes["web"]
    assert box.x - 1 <= x and x + w <= box.right + 1 and box.y - 1 <= y
    assert abs(x + w / 2 - box.center[0]) < 2
    # A container is the laid-out cluster box.
    assert _box(cells["dg-edge"].find("mxGeometry")) == pytest.approx(  # type: ignore[arg-type]
        (geo.clusters["cluster_edge"].x, geo.clusters["cluster_edge"].y,
         geo.clusters["cluster_edge"].w, geo.clusters["cluster_edge"].h), abs=0.1
    )  # fmt: skip
    # Edges run through waypoints sampled from the Graphviz spline.
    edge = next(c for c in cells.values() if c.get("source") == "dg-web")
    points = [(float(p.attrib["x"]), float(p.attrib["y"])) for p in edge.iter("mxPoint")
              if p.get("as") != "offset"]  # fmt: skip
    spline = geo.edges[0].polyline()
    assert len(points) >= 2
    for p in points:
        assert min(abs(p[0] - q[0]) + abs(p[1] - q[1]) for q in spline) < 6


def test_drawio_labels_survive_escaping() -> None:
    cells = parse_drawio(export(nasty(), "drawio"))
    # Values are HTML (`html=1`): unescaping that HTML gives back the label.
    shown = {html.unescape(c.get("value", "").replace("<br>", "\n")) for c in cells.values()}
    for label in NASTY:
        assert label in shown, label


# ---------------------------------------------------------------- D2, compiled by D2


def test_d2_compiles_with_d2(d2_modules: Path, tmp_path: Path) -> None:
    """Every view of every test spec compiles, and D2 reads back every label literally.

    One Node run compiles them all (starting D2's WebAssembly takes seconds); a broken file
    goes last, to show that the harness does report D2's errors.
    """
    from diagramgen.exporters.d2 import to_d2

    cases = all_views()
    files = []
    for name, view in cases:
        files.append(tmp_path / f"{name}.d2")
        files[-1].write_text(to_d2(view), "utf-8")
    bad = tmp_path / "bad.d2"
    bad.write_text('a -> {\n"unterminated\n', "utf-8")
    *results, bad_result = compile_d2(d2_modules, [*files, bad])
    assert not bad_result["ok"] and bad_result["errors"]
    for (name, view), result in zip(cases, results, strict=True):
        assert result["ok"], f"{name}: {result.get('errors')}"
        shapes = result["shapes"]
        labels = {s["label"] for s in shapes}  # type: ignore[attr-defined]
        assert len(shapes) == len(view.nodes) + len(view.clusters) + 1, name  # type: ignore[arg-type]
        assert view.title in labels
        for node in view.nodes:
            expected = "\n".join(node_lines(node) + ([node.caption] if node.caption else []))
            assert expected in labels, (name, expected)
        for cluster in view.clusters:
            assert cluster.label in labels, (name, cluster.label)
        connections = result["connections"]
        assert len(connections) == len(view.edges)  # type: ignore[arg-type]
        drawn = sorted(c["label"] for c in connections)  # type: ignore[attr-defined]
        assert drawn == sorted(e.label or "" for e in view.edges), name
        dashed = sum(1 for c in connections if c["dash"])  # type: ignore[attr-defined]
        assert dashed == sum(1 for e in view.edges if e.line in ("dashed", "dotted")), name


# ---------------------------------------------------------------- CLI


def test_cli_export_to_stdout_and_file(tmp_path: Path) -> None:
    spec = tmp_path / "shop.yaml"
    spec.write_text(EXPORT_SPEC, "utf-8")
    runner = CliRunner()
    result = runner.invoke(app, ["export", str(spec), "--to", "mermaid"])
    assert result.exit_code == 0 and result.stdout == export(shop(), "mermaid")
    # One warning line per kind of loss, on stderr only.
    warnings = result.stderr.splitlines()
    assert warnings == [f"warning: {loss.line('mermaid')}" for loss in result.stdout and
                        export(shop(), "mermaid").losses]  # fmt: skip
    assert any("legend (1) is left out" in w for w in warnings)
    out = tmp_path / "shop.drawio"
    result = runner.invoke(app, ["export", str(spec), "--to", "drawio", "-o", str(out)])
    assert result.exit_code == 0 and result.stdout == "" and result.stderr == ""
    assert out.read_text("utf-8") == export(shop(), "drawio")
    result = runner.invoke(app, ["export", str(spec), "--to", "d2", "--view", "flow-checkout"])
    assert result.exit_code == 0 and result.stdout == export(shop(), "d2", "flow-checkout")
    result = runner.invoke(app, ["export", str(spec), "--to", "d2", "--view", "data tier"])
    assert result.exit_code == 0 and result.stdout == export(shop(), "d2", "data-tier")


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--to", "png"], 2, "error: unknown format 'png': choose from mermaid, d2, drawio, json"),
        (["--to", "d2", "--view", "nope"], 2, "error: no view 'nope' in shop"),
        (["--to", "d2", "--view", "data-teir"], 2, "did you mean 'data-tier'?"),
        (["--to", "json", "--view", "overview"], 2, "takes no view"),
    ],
)
def test_cli_export_usage_errors(tmp_path: Path, args: list[str], code: int, message: str) -> None:
    spec = tmp_path / "shop.yaml"
    spec.write_text(EXPORT_SPEC, "utf-8")
    result = CliRunner().invoke(app, ["export", str(spec), *args])
    assert result.exit_code == code and message in result.output
    assert "Traceback" not in result.output


def test_cli_export_invalid_spec_and_missing_file(tmp_path: Path) -> None:
    spec = tmp_path / "bad.yaml"
    spec.write_text("components:\n  - {id: a, kind: servce}\n", "utf-8")
    result = CliRunner().invoke(app, ["export", str(spec), "--to", "json"])
    assert result.exit_code == 1
    assert f"{spec}:2:19: unknown component kind 'servce'" in result.output
    result = CliRunner().invoke(app, ["export", str(tmp_path / "nope.yaml"), "--to", "json"])
    assert result.exit_code == 2 and "no such file" in result.output


def test_cli_export_unwritable_output(tmp_path: Path) -> None:
    spec = tmp_path / "shop.yaml"
    spec.write_text(EXPORT_SPEC, "utf-8")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    args = ["export", str(spec), "--to", "d2", "-o", str(blocker / "out.d2")]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1 and "error: cannot write" in result.output
