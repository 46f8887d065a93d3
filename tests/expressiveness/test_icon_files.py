"""Derived icons: faded and stacked copies are deterministic, cached and see-through."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

from diagramgen.rendering import icon_files
from diagramgen.rendering.diagrams_adapter import ICON_ROOT, SITE_ROOT, node_image
from diagramgen.view.model import ViewNode
from diagramgen.view.themes import LIGHT

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _root(tmp_path: Path, name: str) -> Path:
    root = tmp_path / name
    root.mkdir()
    icon_files._link(root / "resources", SITE_ROOT / "resources")
    return root


def test_derived_icons_are_deterministic(tmp_path: Path) -> None:
    rel = "resources/onprem/database/postgresql.png"
    outs = []
    for name in ("a", "b"):
        root = _root(tmp_path, name)
        made = icon_files.derived_icon(root, rel, faded=True, stack="#9AA5B1")
        outs.append((root / made).read_bytes())
    assert outs[0] == outs[1]


def test_faded_icon_is_grey_and_see_through(tmp_path: Path) -> None:
    root = _root(tmp_path, "r")
    rel = icon_files.derived_icon(root, "resources/onprem/inmemory/redis.png", faded=True)
    with Image.open(root / rel) as image:
        rgba = image.convert("RGBA")
    raw = rgba.tobytes()
    pixels = [raw[i : i + 4] for i in range(0, len(raw), 4)]
    assert max(p[3] for p in pixels) <= round(255 * icon_files.FADE_ALPHA)
    assert all(p[0] == p[1] == p[2] for p in pixels if p[3])


def test_stacked_icon_is_larger_and_cached(tmp_path: Path) -> None:
    root = _root(tmp_path, "r")
    rel = icon_files.derived_icon(root, "resources/onprem/compute/server.png", stack="#9AA5B1")
    with Image.open(root / "resources/onprem/compute/server.png") as base:
        w, h = base.size
    with Image.open(root / rel) as stacked:
        assert stacked.size[0] > w and stacked.size[1] > h
    mtime = (root / rel).stat().st_mtime_ns
    assert (
        icon_files.derived_icon(root, "resources/onprem/compute/server.png", stack="#9AA5B1") == rel
    )
    assert (root / rel).stat().st_mtime_ns == mtime


def test_custom_svg_is_rasterized_by_content(tmp_path: Path) -> None:
    root = _root(tmp_path, "r")
    rel = icon_files.custom_icon(root, EXAMPLES / "icons" / "pvc.svg")
    copy = tmp_path / "renamed.svg"
    copy.write_bytes((EXAMPLES / "icons" / "pvc.svg").read_bytes())
    assert icon_files.custom_icon(root, copy) == rel
    with Image.open(io.BytesIO((root / rel).read_bytes())) as image:
        assert max(image.size) == icon_files.RASTER_SIZE and image.mode == "RGBA"


def test_svg_never_fetches(tmp_path: Path) -> None:
    evil = tmp_path / "evil.svg"
    evil.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'width="10" height="10"><image xlink:href="http://192.0.2.1/x.png" width="10" '
        'height="10"/><rect width="10" height="10" fill="red"/></svg>'
    )
    root = _root(tmp_path, "r")
    rel = icon_files.custom_icon(root, evil)  # would hang or fail if it tried the network
    assert (root / rel).is_file()


def test_node_image_picks_custom_faded_and_stacked() -> None:
    node = ViewNode(id="a", label="a", kind="service", replicas=3, emphasis="muted",
                    icon=str(EXAMPLES / "icons" / "pv.png"))  # fmt: skip
    rel = node_image(node, LIGHT)
    assert rel.startswith("derived/faded-stack") and "/custom/" in rel
    assert (ICON_ROOT / rel).is_file()


def test_a_cleaned_cache_is_rebuilt(tmp_path: Path) -> None:
    root = tmp_path / "root"
    icon_files.ensure_root(root, SITE_ROOT / "resources")
    assert (root / "resources" / "onprem").is_dir()
    (root / "resources").unlink()
    icon_files.ensure_root(root, SITE_ROOT / "resources")
    assert (root / "resources" / "onprem").is_dir()
