"""Graphviz settings by view size, and the fallback when dot cannot lay a graph out."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from bench.generate import design_yaml
from diagramgen.errors import RenderError
from diagramgen.rendering import graphviz, view_to_dot
from diagramgen.rendering.diagrams_adapter import ICON_ROOT
from diagramgen.rendering.dotshape import Shape
from diagramgen.rendering.graphviz import (
    FLAT,
    FULL,
    LARGE,
    LAYOUTS,
    SPANNING,
    STRAIGHT,
    LayoutError,
    apply_layout,
    lay_out,
    layouts_for,
    run_dot,
)
from diagramgen.spec.loader import loads
from diagramgen.view.builders import overview
from diagramgen.view.themes import LIGHT
from tests.conftest import SMALL_SPEC


@pytest.fixture(scope="module")
def small_dot() -> str:
    """The DOT text of the small spec's overview, as the adapter writes it."""
    return view_to_dot(overview(loads(SMALL_SPEC)), LIGHT)


def canon(source: str) -> str:
    """dot's own reading of DOT text (`-Tcanon`): proves it parses."""
    proc = subprocess.run(
        ["dot", "-Tcanon"], input=source, capture_output=True, text=True, check=True, cwd=ICON_ROOT
    )
    return proc.stdout


def test_layouts_by_size() -> None:
    assert layouts_for(10) == LAYOUTS
    assert layouts_for(graphviz.LARGE_VIEW + 1)[0] is LARGE
    assert layouts_for(5000)[-1] is FLAT
    # No edge between groups: routing by groups would change nothing, a spanning tree does.
    untangled = Shape(nodes=10, edges=12, cross=0, virtual=4)
    assert layouts_for(10, untangled) == (FULL, LARGE, STRAIGHT, SPANNING, FLAT)
    assert layouts_for(10, Shape(10, 12, 3, 4)) == LAYOUTS


def test_simplified_layouts_rewrite_the_dot(small_dot: str) -> None:
    assert apply_layout(small_dot, FULL) == small_dot
    large = canon(apply_layout(small_dot, LARGE))
    assert "xlabel=<HTTPS>" in large and "label=<HTTPS>" not in large.replace("xlabel", "")
    assert "splines=polyline" in large
    assert "subgraph cluster_app" in large  # groups kept
    flat = canon(apply_layout(small_dot, FLAT))
    assert "cluster_" not in flat.replace("lhead=cluster_", "").replace("ltail=cluster_", "")
    assert "compound=false" in flat and "splines=line" in flat


# Group ids that are DOT keywords or need quoting must survive every rewrite.
AWKWARD = """
groups: [{id: edge}, {id: node, parent: edge}, {id: graph}, {id: d0-data, parent: graph}]
components:
  - {id: a, kind: service, group: node}
  - {id: b-1, kind: cache, group: d0-data}
  - {id: c, kind: client}
connections: ["c -> a: call", "a -> b-1: get", "c -> graph: all", "edge -> d0-data"]
"""


@pytest.mark.parametrize("layout", LAYOUTS, ids=lambda layout: layout.name)
def test_every_layout_is_valid_dot(layout: graphviz.Layout) -> None:
    source = apply_layout(view_to_dot(overview(loads(AWKWARD)), LIGHT), layout)
    assert canon(source).startswith("digraph")


def test_layout_failure_falls_back_to_the_next_layout(
    small_dot: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tried: list[str] = []
    real = graphviz.run_dot

    def failing_twice(source: str, outputs: dict[str, Path], **kw: object) -> None:
        tried.append(source)
        if len(tried) <= 2:
            raise LayoutError("Graphviz failed (exit 1): Error: trouble in init_rank")
        real(source, outputs, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(graphviz, "run_dot", failing_twice)
    svg = tmp_path / "x.svg"
    used = lay_out(small_dot, 4, {"svg": svg}, cwd=ICON_ROOT, timeout=60)
    assert used == apply_layout(small_dot, LAYOUTS[2]) == tried[-1]
    assert svg.read_text("utf-8").startswith("<?xml")


def test_every_layout_failing_is_one_clear_error(
    small_dot: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def always(source: str, outputs: dict[str, Path], **kw: object) -> None:
        raise LayoutError("Graphviz failed (exit 1): Error: trouble in init_rank")

    monkeypatch.setattr(graphviz, "run_dot", always)
    with pytest.raises(RenderError, match=r"even simplified \(full: .*flat: .*smaller views"):
        lay_out(small_dot, 4, {"svg": tmp_path / "x.svg"}, cwd=ICON_ROOT, timeout=60)


def test_timeouts_fall_back_within_the_budget_and_other_errors_do_not_retry(
    small_dot: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[float] = []
    clock = [1000.0]

    def timing_out(source: str, outputs: dict[str, Path], cwd: Path, timeout: float) -> None:
        calls.append(timeout)
        clock[0] += timeout
        raise RenderError(f"Graphviz did not finish within {timeout:g}s: split the design")

    monkeypatch.setattr(graphviz, "run_dot", timing_out)
    monkeypatch.setattr(graphviz.time, "monotonic", lambda: clock[0])
    # Each layout before the routed one gets half the time left, then the next is tried,
    # all within the one timeout: a view a simpler layout can draw never just times out.
    with pytest.raises(RenderError, match=r"even simplified \(full: no result within 30s"):
        lay_out(small_dot, 10, {"svg": tmp_path / "x.svg"}, cwd=ICON_ROOT, timeout=60)
    assert calls == [30, 15, 7.5, 7.5]
    calls.clear()
    with pytest.raises(RenderError, match=r"even simplified \(full: no result within 32s"):
        lay_out(small_dot, 300, {"svg": tmp_path / "x.svg"}, cwd=ICON_ROOT, timeout=64)
    assert calls == [32, 16, 8, 8]
    calls.clear()
    with pytest.raises(RenderError, match="Graphviz failed"):
        monkeypatch.setattr(graphviz, "run_dot", lambda *a, **k: _raise("Graphviz failed (x)"))
        lay_out(small_dot, 300, {"svg": tmp_path / "x.svg"}, cwd=ICON_ROOT, timeout=64)


def _raise(message: str) -> None:
    raise RenderError(message)


def fake_dot(tmp_path: Path, body: str) -> str:
    """An executable standing in for `dot`."""
    script = tmp_path / "dot"
    script.write_text(f"#!/bin/sh\ncat >/dev/null\n{body}\n", "utf-8")
    script.chmod(0o755)
    return str(script)


@pytest.mark.parametrize(
    ("body", "error", "match"),
    [
        ('echo "Error: trouble in init_rank" >&2; exit 1', LayoutError, "init_rank"),
        ("kill -ABRT $$", LayoutError, "crashed"),
        ('echo "Error: <stdin>: syntax error in line 4" >&2; exit 1', RenderError, "syntax"),
    ],
)
def test_run_dot_tells_layout_failures_from_other_errors(
    body: str, error: type[Exception], match: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(graphviz, "dot_binary", lambda: fake_dot(tmp_path, body))
    with pytest.raises(error, match=match) as info:
        run_dot("digraph { a }", {"svg": tmp_path / "x.svg"}, cwd=tmp_path, timeout=10)
    assert (type(info.value) is LayoutError) == (error is LayoutError)


def test_run_dot_timeout_says_what_to_try(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(graphviz, "dot_binary", lambda: fake_dot(tmp_path, "sleep 5"))
    with pytest.raises(RenderError, match=r"within 0.3s: split the design .* raise --timeout"):
        run_dot("digraph { a }", {"svg": tmp_path / "x.svg"}, cwd=tmp_path, timeout=0.3)


def test_thousand_components_render_with_a_simplified_layout(tmp_path: Path) -> None:
    view = overview(loads(design_yaml(1000)))
    svg = tmp_path / "overview.svg"
    used = lay_out(view_to_dot(view, LIGHT), len(view.nodes), {"svg": svg}, ICON_ROOT, 120)
    assert "xlabel=" in used and svg.stat().st_size > 100_000
