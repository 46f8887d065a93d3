"""The diff diagram: the union of both versions, colored by change, written atomically."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from diagramgen.diffing import diff_designs
from diagramgen.diffing.output import write_diff_diagram
from diagramgen.errors import RenderError
from diagramgen.rendering import view_to_dot
from diagramgen.spec.loader import loads
from diagramgen.view.diff import diff_view, merge_order
from diagramgen.view.themes import LIGHT
from tests.diffing.conftest import NEW_SPEC, OLD_SPEC

GREEN, RED, AMBER, MUTED = (LIGHT.emphasis[e] for e in ("added", "removed", "changed", "muted"))


def sample_view():  # type: ignore[no-untyped-def]
    return diff_view(diff_designs(loads(OLD_SPEC), loads(NEW_SPEC)), "old.yaml", "new.yaml")


def test_nodes_carry_their_change() -> None:
    nodes = {n.id: n for n in sample_view().nodes}
    assert nodes["search"].emphasis == "added"
    assert nodes["legacy"].emphasis == "removed"
    assert nodes["legacy"].cluster == "app"  # where it was
    assert (nodes["db"].emphasis, nodes["db"].caption) == ("changed", "replicas 1 → 3")
    assert (nodes["api"].emphasis, nodes["api"].caption) == ("changed", "group app → data")
    assert nodes["api"].cluster == "data"
    assert nodes["session_cache"].emphasis == "changed"
    assert nodes["session_cache"].caption == "renamed from cache"
    assert nodes["web"].emphasis == nodes["lb"].emphasis == "muted"


def test_removed_things_keep_their_place_in_the_order() -> None:
    view = sample_view()
    assert [n.id for n in view.nodes] == [
        "web", "lb", "api", "legacy", "db", "session_cache", "search",
    ]  # fmt: skip
    assert merge_order(["a", "c"], ["x", "a", "b", "c", "y"], {"x", "b", "y"}) == [
        "x", "a", "b", "c", "y",
    ]  # fmt: skip


def test_edges_carry_their_change() -> None:
    edges = {(e.source, e.target): e for e in sample_view().edges}
    assert edges[("api", "search")].emphasis == "added"
    removed = edges[("api", "legacy")]
    assert (removed.emphasis, removed.line, removed.label) == ("removed", "dashed", "invoice")
    changed = edges[("api", "db")]
    assert (changed.emphasis, changed.label) == ("changed", "orders → orders and refunds")
    assert edges[("api", "session_cache")].emphasis == "muted"  # the rename is not noise
    assert edges[("web", "lb")].emphasis == "muted"
    assert len(sample_view().edges) == 6


def test_legend_and_title() -> None:
    view = sample_view()
    assert view.name == "diff"
    assert [e.emphasis for e in view.legend] == ["added", "removed", "changed", "muted"]
    assert view.legend[1].line == "dashed"
    assert view.subtitle == "old.yaml → new.yaml: 2 added, 2 removed, 4 changed"


def test_dot_colors_and_styles() -> None:
    dot = view_to_dot(sample_view(), LIGHT)
    assert re.search(rf'BORDER="2" COLOR="{GREEN}" STYLE="ROUNDED"', dot)
    assert f'BORDER="2" COLOR="{RED}" STYLE="ROUNDED,DASHED"' in dot
    assert f'COLOR="{AMBER}">replicas 1 → 3</FONT>' in dot
    removed_edge = next(line for line in dot.splitlines() if "api -> legacy" in line)
    assert f'color="{RED}"' in removed_edge and "style=dashed" in removed_edge
    added_edge = next(line for line in dot.splitlines() if "api -> search" in line)
    assert f'color="{GREEN}"' in added_edge
    muted_edge = next(line for line in dot.splitlines() if "web -> lb" in line)
    assert f'color="{MUTED}"' in muted_edge


def test_removed_group_and_an_id_reused_by_the_new_design() -> None:
    old = """\
groups: [{id: legacy, label: Legacy}]
components:
  - {id: api, kind: service}
  - {id: data, kind: sql_database, group: legacy}
connections: [api -> data]
"""
    new = """\
groups: [{id: data, label: Data}]
components:
  - {id: api, kind: service}
  - {id: db, kind: nosql_database, group: data}
connections: [api -> db]
"""
    view = diff_view(diff_designs(loads(old), loads(new), tradeoffs=False))
    clusters = {c.id: c for c in view.clusters}
    assert clusters["legacy"].emphasis == "removed" and clusters["data"].emphasis == "added"
    nodes = {n.id: n for n in view.nodes}
    assert nodes["data~old"].cluster == "legacy" and nodes["data~old"].emphasis == "removed"
    removed = [e for e in view.edges if e.emphasis == "removed"]
    assert [(e.source, e.target) for e in removed] == [("api", "data~old")]
    assert 'style="rounded,filled,dashed"' in view_to_dot(view, LIGHT)


def test_write_is_deterministic_and_leaves_no_temp_files(tmp_path: Path) -> None:
    result = diff_designs(loads(OLD_SPEC), loads(NEW_SPEC))
    first = write_diff_diagram(result, tmp_path / "a", ["svg", "png", "dot"])
    second = write_diff_diagram(result, tmp_path / "b", ["svg"])
    assert [p.name for p in first] == ["diff.svg", "diff.png", "diff.dot"]
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == [
        "diff.dot",
        "diff.png",
        "diff.svg",
    ]
    assert (tmp_path / "a" / "diff.svg").read_bytes() == second[0].read_bytes()
    assert (tmp_path / "a" / "diff.png").read_bytes().startswith(b"\x89PNG")


def test_failed_render_leaves_the_folder_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "diff.svg").write_text("previous", "utf-8")

    def broken(*args: object, **kwargs: object) -> None:
        raise RenderError("dot crashed")

    monkeypatch.setattr("diagramgen.rendering.graphviz.run_dot", broken)
    result = diff_designs(loads(OLD_SPEC), loads(NEW_SPEC), tradeoffs=False)
    with pytest.raises(RenderError):
        write_diff_diagram(result, tmp_path, ["svg", "png"])
    assert [p.name for p in tmp_path.iterdir()] == ["diff.svg"]
    assert (tmp_path / "diff.svg").read_text("utf-8") == "previous"
