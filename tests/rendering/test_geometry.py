"""The laid-out geometry is the picture's own layout, read from `dot -Tjson`."""

from __future__ import annotations

import re

from diagramgen.rendering import design_views, view_geometry
from diagramgen.rendering.geometry import Box, parse_json
from diagramgen.spec.loader import loads
from diagramgen.view.themes import get_theme
from tests.conftest import SMALL_SPEC


def test_geometry_has_every_node_edge_and_cluster() -> None:
    design = loads(SMALL_SPEC, "small.yaml")
    view = design_views(design)[0]
    geo = view_geometry(view, get_theme("light"))
    assert set(geo.nodes) == {"web", "api", "db", "jobs"}
    assert {(e.source, e.target) for e in geo.edges} == {
        ("web", "api"),
        ("api", "db"),
        ("api", "jobs"),
    }
    assert set(geo.clusters) == {"cluster_app", "cluster_data"}
    assert set(geo.cluster_members["cluster_data"]) == {"db"}
    # Every node lies on the canvas, inside its cluster, and the header sits above the nodes.
    canvas = Box(-1, -1, geo.width + 2, geo.height + 2)  # inches to 4 decimals
    for box in geo.nodes.values():
        assert canvas.contains((box.x, box.y)) and canvas.contains((box.right, box.bottom))
    data = geo.clusters["cluster_data"]
    assert data.contains(geo.nodes["db"].center)
    assert geo.header is not None
    assert geo.header.bottom <= min(b.y for b in geo.nodes.values()) + 1
    # Edge labels were placed, and their text is what the spec says.
    labels = {t.text for t in geo.texts if t.owner.startswith("edge:")}
    assert {"HTTPS", "SQL", "events"} <= labels


def test_geometry_matches_the_svg() -> None:
    """Same DOT, same layout: node centres equal the SVG's (up to Graphviz's rounding)."""
    import subprocess

    from diagramgen.rendering import view_to_dot
    from diagramgen.rendering.diagrams_adapter import ICON_ROOT

    design = loads(SMALL_SPEC, "small.yaml")
    view = design_views(design)[0]
    theme = get_theme("light")
    geo = view_geometry(view, theme)
    svg = subprocess.run(
        ["dot", "-Tsvg"],
        input=view_to_dot(view, theme).encode(),
        cwd=ICON_ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    m = re.search(r'viewBox="[-\d.]+ [-\d.]+ ([\d.]+) ([\d.]+)"', svg)
    assert m is not None
    # The SVG adds the `pad` margin on every side.
    assert abs(float(m.group(1)) - geo.width) < 60
    assert abs(float(m.group(2)) - geo.height) < 60


def test_parse_json_flips_y() -> None:
    data = {
        "bb": "0,0,100,50",
        "objects": [{"_gvid": 0, "name": "a", "pos": "20,40", "width": "0.5", "height": "0.25"}],
        "edges": [],
    }
    geo = parse_json(data)
    assert geo.nodes["a"] == Box(2.0, 1.0, 36.0, 18.0)
