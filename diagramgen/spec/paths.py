"""Which files are specs: a light module (no pydantic), so a no-op `render` stays fast."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

SPEC_SUFFIXES = (".yaml", ".yml", ".json")


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given; folders become their `*.yaml`, `*.yml`, `*.json` files, sorted."""
    result: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            result.extend(
                sorted(f for f in p.iterdir() if f.suffix in SPEC_SUFFIXES and f.is_file())
            )
        else:
            result.append(p)
    return result
