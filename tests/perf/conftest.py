"""Helpers for the performance tests: folders of small generated specs."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.generate import design_yaml


def spec_folder(tmp_path: Path, sizes: tuple[int, ...] = (8, 10, 12)) -> Path:
    """A folder of generated specs, one per size, named `g<size>.yaml`."""
    folder = tmp_path / "specs"
    folder.mkdir()
    for n in sizes:
        (folder / f"g{n}.yaml").write_text(design_yaml(n), "utf-8")
    return folder


@pytest.fixture
def specs(tmp_path: Path) -> Path:
    """Three small generated specs."""
    return spec_folder(tmp_path)
