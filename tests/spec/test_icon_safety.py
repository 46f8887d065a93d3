"""Custom icons: bounded at load by decoded size, read once, from a private cache."""

from __future__ import annotations

import io
import os
import struct
import tempfile
import time
import zlib
from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from diagramgen.cli import app
from diagramgen.errors import RenderError, SpecError
from diagramgen.rendering import RenderOptions, icon_files, render_design
from diagramgen.spec.loader import load


def _png(width: int, height: int) -> bytes:
    """A tiny PNG file declaring `width` x `height` pixels (a decompression bomb's header)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    idat = zlib.compress(b"\0" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def _spec(folder: Path, icon: str, replicas: int = 1) -> Path:
    spec = folder / "icons.yaml"
    spec.write_text(
        f"components:\n  - {{id: a, kind: service, icon: {icon}, replicas: {replicas}}}\n"
        "  - {id: b, kind: service}\nconnections: [a -> b]\nflows: [{name: f, steps: [a -> b]}]\n",
        "utf-8",
    )
    return spec


def _validate(spec: Path) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["validate", str(spec)])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.output


@pytest.mark.parametrize("side", [13000, 30000])
def test_png_bombs_are_refused_at_validate(tmp_path: Path, side: int) -> None:
    (tmp_path / "bomb.png").write_bytes(_png(side, side))
    start = time.monotonic()
    code, output = _validate(_spec(tmp_path, "bomb.png", replicas=3))
    assert code == 1 and f"is {side} x {side} pixels" in output
    assert time.monotonic() - start < 10


def test_svg_declaring_a_huge_size_is_refused_at_validate(tmp_path: Path) -> None:
    (tmp_path / "big.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="32000" height="32000"/>', "utf-8"
    )
    code, output = _validate(_spec(tmp_path, "big.svg"))
    assert code == 1 and "is 32000 x 32000 pixels" in output


@pytest.mark.parametrize(
    "svg",
    [
        '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<svg xmlns="http://www.w3.org/2000/svg">&x;</svg>',
        '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
        '<svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>',
    ],
    ids=["xxe", "entities"],
)
def test_validate_refuses_what_render_would_refuse(tmp_path: Path, svg: str) -> None:
    (tmp_path / "evil.svg").write_text(svg, "utf-8")
    code, output = _validate(_spec(tmp_path, "evil.svg"))
    assert code == 1 and "DTD or entities" in output


def test_a_big_but_allowed_svg_is_drawn_at_the_target_size_quickly(tmp_path: Path) -> None:
    (tmp_path / "wide.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="8000" height="2000">'
        '<rect width="8000" height="2000" fill="#336699"/></svg>',
        "utf-8",
    )
    start = time.monotonic()
    png = icon_files._rasterize((tmp_path / "wide.svg").read_bytes(), tmp_path / "wide.svg")
    assert time.monotonic() - start < 10
    with Image.open(io.BytesIO(png)) as image:
        assert image.size == (icon_files.RASTER_SIZE, icon_files.RASTER_SIZE // 4)


def test_an_icon_swapped_after_loading_is_never_drawn(tmp_path: Path) -> None:
    folder = tmp_path / "specs"
    folder.mkdir()
    buffer = io.BytesIO()
    Image.new("RGBA", (32, 32), (255, 0, 0, 255)).save(buffer, "PNG")
    (folder / "logo.png").write_bytes(buffer.getvalue())
    design = load(_spec(folder, "logo.png"))
    secret = tmp_path / "secret.png"  # outside the spec's folder
    buffer = io.BytesIO()
    Image.new("RGBA", (32, 32), (0, 0, 255, 255)).save(buffer, "PNG")
    secret.write_bytes(buffer.getvalue())
    (folder / "logo.png").unlink()
    (folder / "logo.png").symlink_to(secret)
    with pytest.raises(RenderError, match="symbolic links"):  # a link is not followed
        render_design(design, tmp_path / "out", RenderOptions(formats=["svg"]))
    (folder / "logo.png").unlink()
    (folder / "logo.png").write_bytes(secret.read_bytes())  # other bytes, same name
    with pytest.raises(RenderError, match="changed since the spec was checked"):
        render_design(design, tmp_path / "out", RenderOptions(formats=["svg"]))
    (folder / "logo.png").unlink()
    (folder / "logo.png").symlink_to(secret)
    with pytest.raises(SpecError, match="outside the spec's folder"):
        load(folder / "icons.yaml")


def test_icon_cache_never_trusts_a_planted_shared_folder(tmp_path: Path, monkeypatch) -> None:
    blocked = tmp_path / "home-cache"
    blocked.write_text("a file where the per-user cache should be")
    monkeypatch.setattr(icon_files, "cache_base", lambda: blocked / "diagramgen")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    planted = tmp_path / f"diagramgen-{os.getuid()}"
    planted.mkdir(mode=0o777)
    planted.chmod(0o777)  # another user made it, world-writable
    root = icon_files.prepare_root(tmp_path / "resources", "test")
    assert not root.is_relative_to(planted)
    assert root.stat().st_mode & 0o022 == 0 and root.stat().st_uid == os.getuid()
    planted.chmod(0o700)  # a private one of ours is used
    assert icon_files.prepare_root(tmp_path / "resources", "test").is_relative_to(planted)
