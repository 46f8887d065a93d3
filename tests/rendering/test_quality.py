"""Layout-quality metrics on hand-made geometries, and the layout search on real views."""

from __future__ import annotations

import pytest

from diagramgen import loads
from diagramgen.rendering import view_geometry
from diagramgen.rendering.geometry import Box, EdgeGeometry, Geometry, Text
from diagramgen.rendering.quality import fit_scale, measure
from diagramgen.rendering.search import best_layout, candidates, flow_order, slide_ratio
from diagramgen.view.builders import overview
from diagramgen.view.themes import get_theme


def _line(i: int, a: tuple[float, float], b: tuple[float, float], **kw: object) -> EdgeGeometry:
    """A straight edge as one cubic segment."""
    p1 = (a[0] + (b[0] - a[0]) / 3, a[1] + (b[1] - a[1]) / 3)
    p2 = (a[0] + 2 * (b[0] - a[0]) / 3, a[1] + 2 * (b[1] - a[1]) / 3)
    return EdgeGeometry(
        index=i,
        source=f"s{i}",
        target=f"t{i}",
        controls=(a, p1, p2, b),
        arrow_end=None,
        arrow_start=None,
        label=None,
        label_box=kw.get("label_box"),  # type: ignore[arg-type]
    )


def _geo(edges: list[EdgeGeometry], texts: list[Text] | None = None, **kw: object) -> Geometry:
    return Geometry(
        width=float(kw.get("width", 400.0)),  # type: ignore[arg-type]
        height=float(kw.get("height", 300.0)),  # type: ignore[arg-type]
        nodes={"n": Box(0, 0, 10, 10)},
        edges=edges,
        texts=texts or [],
        header=kw.get("header"),  # type: ignore[arg-type]
    )


def test_crossing_edges_are_counted_once() -> None:
    q = measure(_geo([_line(0, (50, 50), (250, 250)), _line(1, (50, 250), (250, 50))]))
    assert q.crossings == 1
    assert q.overlap_pt == 0


def test_parallel_edges_apart_neither_cross_nor_overlap() -> None:
    q = measure(_geo([_line(0, (50, 50), (350, 50)), _line(1, (50, 80), (350, 80))]))
    assert (q.crossings, q.overlap_pt) == (0, 0)


def test_edges_on_top_of_each_other_are_measured_in_points() -> None:
    q = measure(_geo([_line(0, (50, 100), (350, 100)), _line(1, (150, 101), (250, 101))]))
    assert 90 <= q.overlap_pt <= 110  # the 100 pt the two share


def test_a_label_nearer_another_edge_is_stray() -> None:
    near_other = Box(100, 62, 40, 10)  # 20 pt from edge 0 (y=50), 6 pt from edge 1 (y=78)
    edges = [
        _line(0, (50, 50), (350, 50), label_box=near_other),
        _line(1, (50, 78), (350, 78)),
    ]
    assert measure(_geo(edges)).stray_labels == 1
    own = Box(100, 53, 40, 10)
    edges[0] = _line(0, (50, 50), (350, 50), label_box=own)
    assert measure(_geo(edges)).stray_labels == 0


def test_a_label_struck_through_by_another_edge_is_stray() -> None:
    label = Box(100, 60, 40, 10)
    edges = [
        _line(0, (50, 50), (350, 50), label_box=label),
        _line(1, (120, 20), (120, 200)),  # runs through the label
    ]
    assert measure(_geo(edges)).stray_labels == 1


def test_text_overlaps_and_slide_fit() -> None:
    texts = [
        Text("a", Box(10, 10, 50, 10), 10, "node:a"),
        Text("b", Box(40, 12, 50, 10), 10, "node:b"),
        Text("c", Box(200, 200, 50, 10), 8, "edge:0"),
    ]
    q = measure(_geo([], texts, width=3840, height=1080, header=Box(0, 0, 100, 108)))
    assert q.text_overlaps == 1
    assert q.min_text_px == pytest.approx(4.0)  # 8 pt at half size
    assert q.header_share == pytest.approx(0.1)
    assert q.aspect == pytest.approx(3840 / 1080)
    assert fit_scale(960, 540) == pytest.approx(2.0)


def test_slide_ratio_stretches_only_off_shape_pictures_and_only_into_the_range() -> None:
    assert slide_ratio(_geo([], width=1600, height=1000)) is None
    wide = slide_ratio(_geo([], width=3000, height=600))
    assert wide is not None and wide == pytest.approx(1 / 2.05)  # just inside 2.1, not 16:9
    tall = slide_ratio(_geo([], width=500, height=1000))
    assert tall is not None and tall == pytest.approx(1 / 1.25)  # just inside 1.2
    spread = slide_ratio(_geo([], width=500, height=1000), 16 / 9)
    assert spread == pytest.approx(9 / 16)


def test_white_space_never_improves_the_score() -> None:
    """The same picture padded to 16:9 scores worse: less of the canvas is drawing."""
    texts = [Text("a", Box(10, 10, 50, 10), 10, "node:a")]
    geo = _geo([], texts, width=1300, height=1000)
    padded = _geo([], texts, width=1780, height=1000)
    assert measure(geo).score < measure(padded).score


def test_defects_come_before_every_other_measure() -> None:
    stray = measure(_geo([_line(0, (50, 50), (350, 50), label_box=Box(100, 62, 40, 10)),
                          _line(1, (50, 78), (350, 78))]))  # fmt: skip
    assert stray.defects == 1
    on_top = measure(_geo([_line(0, (50, 100), (350, 100)), _line(1, (150, 101), (250, 101))]))
    assert on_top.defects >= 1
    assert measure(_geo([_line(0, (50, 50), (250, 250))])).defects == 0


SPEC = """
title: Search
groups:
  - {id: app, label: App}
components:
  - {id: client, kind: client}
  - {id: c, kind: service, group: app}
  - {id: b, kind: service, group: app}
  - {id: a, kind: service, group: app}
  - {id: db, kind: sql_database}
connections:
  - client -> a
  - client -> b
  - client -> c
  - {from: [a, b, c], to: db}
"""


def test_flow_order_follows_the_connections_from_the_entry() -> None:
    view = overview(loads(SPEC))
    assert flow_order(view) == ["client", "a", "b", "c", "db"]


def test_the_search_is_deterministic_and_fast_skips_it() -> None:
    view = overview(loads(SPEC))
    theme = get_theme("light")
    first = best_layout(view, theme)
    again = best_layout(view, theme)
    assert first.source == again.source and first.scores == again.scores
    assert len(first.scores) >= 3  # every candidate was laid out and scored
    assert first.quality is not None
    assert round(first.quality.score, 1) == min(score for _, score in first.scores)
    fast = best_layout(view, theme, "fast")
    assert fast.candidate.name == "as-written" and fast.quality is None


def test_a_direction_the_spec_chose_is_kept() -> None:
    free = overview(loads(SPEC))
    fixed = overview(loads(SPEC + "direction: LR\n"))
    assert "turned" in [c.name for c in candidates(free)]
    assert "turned" not in [c.name for c in candidates(fixed)]


def test_render_layout_option(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from diagramgen.cli import app

    spec = tmp_path / "s.yaml"
    spec.write_text(SPEC, "utf-8")
    runner = CliRunner()
    for mode in ("fast", "search"):
        result = runner.invoke(
            app, ["render", str(spec), "-o", str(tmp_path / mode), "-f", "dot", "--layout", mode]
        )
        assert result.exit_code == 0, result.output
    fast = (tmp_path / "fast" / "s" / "overview.dot").read_text("utf-8")
    search = (tmp_path / "search" / "s" / "overview.dot").read_text("utf-8")
    assert fast != search  # the search kept another candidate than the view as written
    again = runner.invoke(app, ["render", str(spec), "-o", str(tmp_path / "again"), "-f", "dot"])
    assert again.exit_code == 0
    assert (tmp_path / "again" / "s" / "overview.dot").read_text("utf-8") == search
    bad = runner.invoke(app, ["render", str(spec), "-o", str(tmp_path), "--layout", "best"])
    assert bad.exit_code == 2


def test_an_edge_across_a_group_holding_neither_end_is_counted() -> None:
    across = _line(0, (50, 150), (350, 150))
    around = _line(1, (50, 20), (350, 20))
    geo = Geometry(
        width=400.0,
        height=300.0,
        nodes={"s0": Box(30, 140, 20, 20), "t0": Box(350, 140, 20, 20)},
        clusters={"cluster_g": Box(150, 100, 100, 100)},
        cluster_members={"cluster_g": ("x",)},
        edges=[across, around],
    )
    assert measure(geo).through_groups == 1
    inside = Geometry(**{**geo.__dict__, "cluster_members": {"cluster_g": ("t0",)}})
    assert measure(inside).through_groups == 0  # the group holds the edge's end


GROUP_EDGES = """
title: Edges to groups
groups:
  - {id: edge, label: Edge}
  - {id: app, label: Application}
  - {id: data, label: Data}
  - {id: ops, label: Operations}
components:
  - {id: client, kind: client}
  - {id: cdn, kind: cdn, group: edge}
  - {id: lb, kind: load_balancer, group: edge}
  - {id: api, kind: service, group: app}
  - {id: worker, kind: worker, group: app}
  - {id: auth, kind: service, group: app}
  - {id: db, kind: sql_database, group: data}
  - {id: cache, kind: cache, group: data}
  - {id: search, kind: search_index, group: data}
  - {id: metrics, kind: monitoring, group: ops}
  - {id: logs, kind: object_storage, group: ops}
connections:
  - client -> cdn
  - cdn -> lb
  - lb -> api
  - api -> auth
  - api -> db
  - api -> cache
  - worker -> search
  - {from: ops, to: app, label: scrapes}
  - {from: ops, to: data, label: scrapes}
  - {from: edge, to: logs, label: access logs}
"""


def test_edges_to_groups_are_tried_between_their_nearest_members() -> None:
    from diagramgen.rendering.search import group_ends

    view = overview(loads(GROUP_EDGES))
    theme = get_theme("light")
    choice = best_layout(view, theme)
    names = [name for name, _ in choice.scores]
    assert any(name.endswith("+group-ends") for name in names)
    assert choice.quality is not None and choice.quality.defects == 0
    fast = measure(view_geometry(view, theme, layout="fast"))
    assert choice.quality.through_groups <= fast.through_groups
    no_groups = overview(loads(SPEC))
    first = candidates(no_groups)[0]
    assert group_ends(first, view_geometry(no_groups, theme, layout="fast")) is None
