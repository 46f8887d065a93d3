"""Where the per-user cache lives, and when a cache folder is trusted."""

from __future__ import annotations

from pathlib import Path

import pytest

from diagramgen.cachedir import cache_base, private


def test_cache_folder_follows_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.delenv("DIAGRAMGEN_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_base() == tmp_path / "xdg" / "diagramgen"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")  # invalid by the XDG spec: ignored
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_base() == tmp_path / "home" / ".cache" / "diagramgen"
    monkeypatch.setenv("DIAGRAMGEN_CACHE_DIR", str(tmp_path / "mine"))
    assert cache_base() == tmp_path / "mine"


def test_only_a_folder_nobody_else_can_write_is_private(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    assert private(folder)
    assert not private(folder, strict=True)  # others may read it
    folder.chmod(0o775)
    assert not private(folder)
    (tmp_path / "f").write_text("x")
    assert not private(tmp_path / "f")  # a file is not a folder
    assert private(tmp_path / "f", folder=False)
    (tmp_path / "link").symlink_to(folder)
    assert not private(tmp_path / "link")  # nor is a link to one
