"""The incremental render cache: unchanged specs do no work; any change renders again."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from diagramgen.rendering import RenderOptions, cache
from diagramgen.rendering.cache import STAMP, Stamp
from diagramgen.rendering.parallel import render_specs
from tests.conftest import ROOT

SVG = RenderOptions(formats=["svg"])
ICONS = ROOT / "tests" / "examples" / "icons"


def statuses(folder: Path, out: Path, options: RenderOptions = SVG, **kw: object) -> list[str]:
    """Render every spec in `folder`; the outcome of each, in order."""
    files = sorted(folder.glob("*.yaml"))
    return [o.status for o in render_specs(files, out, options, jobs=1, **kw)]  # type: ignore[arg-type]


def snapshot(out: Path) -> dict[str, int]:
    """Every output file with its modification time (ns)."""
    return {str(p.relative_to(out)): p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}


def test_second_render_does_no_work(specs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert statuses(specs, out) == ["rendered"] * 3
    before = snapshot(out)
    assert statuses(specs, out) == ["unchanged"] * 3
    assert snapshot(out) == before


def test_every_change_renders_again(specs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    statuses(specs, out)
    spec = specs / "g10.yaml"
    spec.write_text(spec.read_text("utf-8") + "# a comment is a change too\n", "utf-8")
    assert statuses(specs, out) == ["rendered", "unchanged", "unchanged"]
    (out / "generated-12" / "overview.svg").unlink()  # an output file gone
    assert statuses(specs, out) == ["unchanged", "rendered", "unchanged"]  # g10, g12, g8
    assert (out / "generated-12" / "overview.svg").is_file()
    assert statuses(specs, out, RenderOptions(formats=["svg", "dot"])) == ["rendered"] * 3
    assert statuses(specs, out, RenderOptions(formats=["dot", "svg"])) == ["unchanged"] * 3
    assert (
        statuses(specs, out, RenderOptions(formats=["svg", "dot"], timeout=9)) == ["unchanged"] * 3
    )  # the timeout changes nothing in the files
    assert (
        statuses(specs, out, RenderOptions(formats=["svg", "dot"]), force=True) == ["rendered"] * 3
    )


def test_new_tool_version_renders_again(
    specs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    statuses(specs, out)
    monkeypatch.setattr(cache, "tool_fingerprint", lambda: "a newer diagramgen")
    assert statuses(specs, out) == ["rendered"] * 3


def test_changed_icon_renders_again(tmp_path: Path) -> None:
    folder = tmp_path / "specs"
    (folder / "icons").mkdir(parents=True)
    shutil.copy(ICONS / "pvc.svg", folder / "icons" / "disk.svg")
    (folder / "a.yaml").write_text(
        "components: [{id: d, kind: object_storage, icon: icons/disk.svg}]\n", "utf-8"
    )
    out = tmp_path / "out"
    assert statuses(folder, out) == ["rendered"]
    assert "dep " in (out / "a" / STAMP).read_text("utf-8")
    assert statuses(folder, out) == ["unchanged"]
    shutil.copy(ICONS / "storage-class.svg", folder / "icons" / "disk.svg")
    assert statuses(folder, out) == ["rendered"]


def test_partial_render_drops_the_key(specs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    statuses(specs, out)
    assert (
        statuses(specs, out, RenderOptions(formats=["svg"], views=["overview"])) == ["rendered"] * 3
    )
    # Still marked as ours (so the next render may replace it), but never up to date.
    stamp = (out / "generated-10" / STAMP).read_text("utf-8")
    assert stamp.startswith("diagramgen render cache") and Stamp.parse(stamp) is None
    assert statuses(specs, out) == ["rendered"] * 3


def test_stamp_is_deterministic_and_holds_no_paths(specs: Path, tmp_path: Path) -> None:
    other = tmp_path / "elsewhere" / "copy"
    shutil.copytree(specs, other)
    statuses(specs, tmp_path / "a")
    statuses(other, tmp_path / "b")
    a = (tmp_path / "a" / "generated-10" / STAMP).read_text("utf-8")
    assert a == (tmp_path / "b" / "generated-10" / STAMP).read_text("utf-8")
    assert str(tmp_path) not in a
    # No path anywhere; the gallery line is the design's own text (its description may
    # mention `bench/generate.py`), the same wherever the spec lives.
    assert not [line for line in a.splitlines() if "/" in line and not line.startswith("gallery ")]
    assert Stamp.parse(a) is not None and Stamp.parse(a).text() == a  # type: ignore[union-attr]
    assert Stamp.parse("not a stamp\n") is None


def test_failed_render_keeps_the_old_stamp_and_files(specs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    statuses(specs, out)
    before = snapshot(out)
    broken = specs / "g10.yaml"
    broken.write_text("components: [{id: a, kind: servce}]\n", "utf-8")
    assert statuses(specs, out) == ["failed", "unchanged", "unchanged"]
    assert snapshot(out) == before
