"""Parallel renders: same bytes as one by one, outcomes in input order, failures isolated."""

from __future__ import annotations

import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import diagramgen.rendering as rendering
from diagramgen.errors import RenderError, SpecError
from diagramgen.rendering import RenderOptions, render_design
from diagramgen.rendering.parallel import default_jobs, gather, render_specs
from diagramgen.spec.loader import loads
from tests.conftest import SMALL_SPEC

OPTIONS = RenderOptions(formats=["svg", "dot"])


def files_of(out: Path) -> dict[str, bytes]:
    """Every file under `out`, by relative path."""
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_jobs_do_not_change_the_bytes(specs: Path, tmp_path: Path) -> None:
    paths = sorted(specs.glob("*.yaml"))
    one = [o.status for o in render_specs(paths, tmp_path / "one", OPTIONS, jobs=1)]
    many = [o.status for o in render_specs(paths, tmp_path / "many", OPTIONS, jobs=3)]
    assert one == many == ["rendered"] * 3
    assert files_of(tmp_path / "one") == files_of(tmp_path / "many")


def test_outcomes_come_in_input_order_and_failures_stay_alone(specs: Path, tmp_path: Path) -> None:
    bad = specs / "g9-bad.yaml"
    bad.write_text("components: [{id: a, kind: service, replicas: 0}]\n", "utf-8")
    paths = [specs / "g12.yaml", bad, specs / "g8.yaml", specs / "g10.yaml"]
    outcomes = list(render_specs(paths, tmp_path / "out", OPTIONS, jobs=2))
    assert [o.path for o in outcomes] == paths
    assert [o.status for o in outcomes] == ["rendered", "failed", "rendered", "rendered"]
    assert isinstance(outcomes[1].error, SpecError)
    assert outcomes[0].directory == tmp_path / "out" / "generated-12"


def test_specs_sharing_a_slug_are_refused_after_the_first(tmp_path: Path) -> None:
    folder = tmp_path / "specs"
    folder.mkdir()
    for i in range(4):
        (folder / f"s{i}.yaml").write_text(
            f"name: same\ntitle: Spec {i}\ncomponents: [{{id: a{i}, kind: service}}]\n", "utf-8"
        )
    paths = sorted(folder.glob("*.yaml"))
    for jobs, out in ((1, "one"), (4, "many")):
        outcomes = list(render_specs(paths, tmp_path / out, OPTIONS, jobs=jobs))
        assert [o.status for o in outcomes] == ["rendered", "failed", "failed", "failed"]
        assert "same output folder same/ as" in str(outcomes[1].error)
    assert "Spec 0" in (tmp_path / "many" / "same" / "notes.md").read_text("utf-8")
    assert files_of(tmp_path / "one") == files_of(tmp_path / "many")


def test_failing_view_leaves_the_output_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    design = loads(SMALL_SPEC)
    first = render_design(design, tmp_path, OPTIONS)
    before = files_of(tmp_path)
    real = rendering.render_view

    def flaky(view, *args, **kwargs):  # type: ignore[no-untyped-def]
        if view.name == "flow-read":
            raise RenderError("Graphviz failed (exit 1): boom")
        return real(view, *args, **kwargs)

    monkeypatch.setattr(rendering, "render_view", flaky)
    with ThreadPoolExecutor(2) as pool, pytest.raises(RenderError, match="boom"):
        render_design(design, tmp_path, RenderOptions(formats=["svg"]), executor=pool)
    assert files_of(tmp_path) == before
    assert [p.name for p in tmp_path.iterdir()] == [first.directory.name]  # no staging left


def test_gather_waits_for_all_and_raises_the_earliest_failure() -> None:
    finished: list[int] = []
    lock = threading.Lock()

    def work(i: int) -> int:
        time.sleep(0.05 if i == 0 else 0)
        with lock:
            finished.append(i)
        if i in (0, 2):
            raise ValueError(f"item {i}")
        return i * 10

    with ThreadPoolExecutor(4) as pool:
        assert gather(pool, lambda i: i * 10, [1, 2, 3]) == [10, 20, 30]
        with pytest.raises(ValueError, match="item 0"):
            gather(pool, work, [0, 1, 2, 3])
    assert sorted(finished) == [0, 1, 2, 3]
    assert gather(None, lambda i: -i, [1, 2]) == [-1, -2]


def test_default_jobs_is_the_usable_core_count() -> None:
    assert default_jobs() == len(os.sched_getaffinity(0))


def test_jobs_bounds_the_graphviz_processes(
    specs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import diagramgen.rendering.graphviz as graphviz

    running, peak, lock = [0], [0], threading.Lock()
    real = graphviz.subprocess.run

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        try:
            time.sleep(0.1)  # long enough for the other threads to try their luck
            return real(*args, **kwargs)
        finally:
            with lock:
                running[0] -= 1

    monkeypatch.setattr(graphviz.subprocess, "run", counting)
    paths = sorted(specs.glob("*.yaml"))
    list(render_specs(paths, tmp_path / "one", OPTIONS, jobs=1))
    assert peak == [1]
    peak[0] = 0
    list(render_specs(paths, tmp_path / "two", OPTIONS, jobs=2))
    assert peak == [2]
