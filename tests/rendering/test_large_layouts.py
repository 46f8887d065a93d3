"""Big and tangled views: a real layout of every component and edge, the note, same bytes."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from bench.generate import cross_group_data, design_data, to_yaml
from diagramgen.cli import app
from diagramgen.rendering import RenderOptions, render_design, view_to_dot
from diagramgen.rendering.dotshape import shape, split_cross, split_spanning
from diagramgen.rendering.graphviz import FLAT, FULL, ROUTED, SPANNING, TANGLED, layouts_for
from diagramgen.spec.loader import loads
from diagramgen.view.builders import overview
from diagramgen.view.themes import LIGHT

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def tangled() -> dict[str, Any]:
    """160 services in 8 groups, each calling 3 services of other groups."""
    return cross_group_data(160, groups=8, calls=3)


def drawn(svg: Path) -> tuple[Counter[str], Counter[str]]:
    """The node and edge titles of a Graphviz SVG (`a->b` for an edge)."""
    root = ET.parse(svg).getroot()
    found: dict[str, Counter[str]] = {"node": Counter(), "edge": Counter()}
    for g in root.iter(f"{SVG}g"):
        kind = g.get("class")
        title = g.find(f"{SVG}title")
        if kind in found and title is not None and title.text:
            found[kind][title.text] += 1
    return found["node"], found["edge"]


def test_shape_counts_what_dot_will_see(tangled: dict[str, Any]) -> None:
    source = view_to_dot(overview(loads(to_yaml(tangled))), LIGHT)
    measured = shape(source)
    edges, between = len(tangled["connections"]), shape_cross(tangled)
    assert (measured.nodes, measured.edges, measured.cross) == (160, edges, between)
    assert measured.virtual > TANGLED
    inner, cross = split_cross(source)
    assert len(cross) == between and inner.count(" -> ") == edges - between
    assert layouts_for(160, measured) == (ROUTED, SPANNING, FLAT)


@pytest.fixture(scope="module")
def tangled_flat(tangled: dict[str, Any]) -> dict[str, Any]:
    """The same services and calls with no groups: nothing to route by but the edges."""
    return {
        **{k: v for k, v in tangled.items() if k != "groups"},
        "components": [{k: v for k, v in c.items() if k != "group"} for c in tangled["components"]],
    }


def test_spanning_split_keeps_a_forest_and_defers_the_rest(tangled_flat: dict[str, Any]) -> None:
    source = view_to_dot(overview(loads(to_yaml(tangled_flat))), LIGHT)
    measured = shape(source)
    assert measured.cross == 0 and measured.virtual > TANGLED
    assert layouts_for(160, measured) == (SPANNING, FLAT)
    inner, rest = split_spanning(source)
    assert inner.count(" -> ") == 159  # the calls connect all 160 services: one tree
    assert len(rest) == len(tangled_flat["connections"]) - 159
    assert shape(inner).virtual < 160  # laid out alone, the tree spans almost no ranks
    # The edges left out keep their order and their attributes.
    edges = [line for line in source.splitlines(keepends=True) if " -> " in line]
    assert rest == [line for line in edges if line not in inner]


def test_tangled_design_without_groups_is_drawn_whole(
    tangled_flat: dict[str, Any], tmp_path: Path
) -> None:
    design = loads(to_yaml(tangled_flat))
    options = RenderOptions(formats=["svg", "dot"], notes=False, timeout=60)
    a = render_design(design, tmp_path / "a", options)
    nodes, edges = drawn(a.directory / "overview.svg")
    assert nodes == Counter(c["id"] for c in tangled_flat["components"])
    assert edges == Counter(f"{c['from']}->{c['to']}" for c in tangled_flat["connections"])
    assert a.simplified["overview"] == (
        f"160 nodes, {len(tangled_flat['connections'])} edges: drawn with a spanning tree of "
        "its edges laid out, the other edges drawn straight over it"
    )
    assert "layout=nop2" in (a.directory / "overview.dot").read_text("utf-8")
    b = render_design(design, tmp_path / "b", options)
    for name in ("overview.svg", "overview.dot"):
        assert (a.directory / name).read_bytes() == (b.directory / name).read_bytes(), name


def test_a_tidy_design_keeps_the_usual_plan() -> None:
    source = view_to_dot(overview(loads(to_yaml(design_data(100)))), LIGHT)
    measured = shape(source)
    assert measured.virtual < TANGLED  # edges between tiers span a rank or two
    assert layouts_for(measured.nodes, measured)[0] is FULL


def test_tangled_design_is_drawn_whole_with_a_note(tangled: dict[str, Any], tmp_path: Path) -> None:
    design = loads(to_yaml(tangled))
    options = RenderOptions(formats=["svg", "dot", "png"], notes=False, timeout=60)
    a = render_design(design, tmp_path / "a", options)
    nodes, edges = drawn(a.directory / "overview.svg")
    assert nodes == Counter(c["id"] for c in tangled["components"])
    assert edges == Counter(f"{c['from']}->{c['to']}" for c in tangled["connections"])
    svg = (a.directory / "overview.svg").read_text("utf-8")
    assert svg.count('class="cluster"') == 8
    assert "edges between groups drawn straight" in a.simplified["overview"]
    assert a.simplified["overview"].startswith("160 nodes")
    # The DOT carries the positions: whatever draws it again draws the same picture.
    assert "layout=nop2" in (a.directory / "overview.dot").read_text("utf-8")
    b = render_design(design, tmp_path / "b", options)
    for name in ("overview.svg", "overview.dot", "overview.png"):
        assert (a.directory / name).read_bytes() == (b.directory / name).read_bytes(), name


def test_render_prints_the_note(tangled: dict[str, Any], tmp_path: Path) -> None:
    spec = tmp_path / "tangled.yaml"
    spec.write_text(to_yaml(tangled), "utf-8")
    result = CliRunner().invoke(
        app, ["render", str(spec), "-o", str(tmp_path / "out"), "-f", "svg", "--layout", "fast"]
    )
    assert result.exit_code == 0, result.output
    notes = [line for line in result.output.splitlines() if ": note: " in line]
    assert notes == [
        f"{spec}: note: overview: 160 nodes, {len(tangled['connections'])} edges "
        f"({shape_cross(tangled)} between groups): drawn with groups laid out on their own, "
        "edges between groups drawn straight over them"
    ]


def shape_cross(data: dict[str, Any]) -> int:
    """Edges of a `cross_group_data` design (8 groups) between groups."""
    return sum(1 for c in data["connections"] if int(c["from"][1:]) % 8 != int(c["to"][1:]) % 8)
