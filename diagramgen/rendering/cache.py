"""The incremental render cache: skip a spec whose output is already up to date.

A render stamps its output folder with `.diagramgen.hash`, written into the staging folder
and swapped in with the pictures, so the stamp and the files it describes appear together.
The stamp holds a key over everything that shapes the output, namely the spec file's
bytes and default name, the render options, the tool (diagramgen's own files, the
`diagrams` and Graphviz versions), plus the hashes of the files the spec pulls in (custom
icons) and the names of the files written. A later render with the same key, whose files
are all still there and whose icons are unchanged, does no work.

Deciding "unchanged" reads the spec bytes and a few stamps, and never parses the spec:
`OutputIndex` finds the folder by key, so the spec's slug is not needed up front. Stamps
hold no paths of this machine, no times, nothing random: same input, same bytes.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from diagramgen.rendering import RenderOptions
    from diagramgen.spec.models import Design

from diagramgen.atomic import MARK as STAMP  # the stamp is also our "we made this" marker

VERSION = 1  # of the stamp format and key recipe
HEADER = f"diagramgen render cache {VERSION}\n"  # a keyless stamp: ours, never up to date
# Options that change how long a render may take, never what it writes.
_NOT_OUTPUT = frozenset({"timeout"})


@dataclass(frozen=True)
class Stamp:
    """The content of one `.diagramgen.hash`."""

    key: str
    files: tuple[str, ...]  # names of the files written, sorted
    deps: tuple[tuple[str, str], ...] = ()  # (path relative to the spec's folder, sha256)
    gallery: str = ""  # the design's gallery row data (JSON, one line): no parse for the page

    def text(self) -> str:
        """The stamp file's text (deterministic)."""
        lines = [f"diagramgen render cache {VERSION}", f"key {self.key}"]
        lines += [f"dep {digest} {rel}" for rel, digest in self.deps]
        lines += [f"file {name}" for name in self.files]
        if self.gallery:
            lines.append(f"gallery {self.gallery}")
        return "\n".join(lines) + "\n"

    @classmethod
    def parse(cls, text: str) -> Stamp | None:
        """A stamp from its text; None when it is not one we wrote."""
        lines = text.splitlines()
        if not lines or lines[0] != f"diagramgen render cache {VERSION}":
            return None
        key, files, deps, gallery = "", [], [], ""
        for line in lines[1:]:
            tag, _, rest = line.partition(" ")
            if tag == "key":
                key = rest
            elif tag == "file":
                files.append(rest)
            elif tag == "dep":
                digest, _, rel = rest.partition(" ")
                deps.append((rel, digest))
            elif tag == "gallery":
                gallery = rest
        return cls(key, tuple(files), tuple(deps), gallery) if key else None


def read_stamp(folder: Path) -> Stamp | None:
    """The stamp of an output folder; None when there is none we wrote."""
    try:
        return Stamp.parse(Path(folder, STAMP).read_text("utf-8"))
    except (OSError, UnicodeDecodeError):
        return None


def sha256_file(path: Path) -> str:
    """The hex sha256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


@lru_cache(maxsize=1)
def tool_fingerprint() -> str:
    """What of the tool shapes the output: our own files and the diagrams/Graphviz versions.

    Every file of the installed `diagramgen` package is hashed, so a development checkout
    re-renders after any code change even though the version number stays the same.
    """
    import diagramgen

    digest = hashlib.sha256()
    digest.update(diagramgen.__version__.encode())
    package = Path(diagramgen.__file__).resolve().parent
    for path in sorted(package.rglob("*")):
        if "__pycache__" in path.parts or not path.is_file() or path.suffix == ".pyc":
            continue
        digest.update(path.relative_to(package).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    digest.update(f"\0diagrams {_dist_version('diagrams')}\0graphviz {_dot_version()}".encode())
    return digest.hexdigest()


def _dist_version(name: str) -> str:
    """An installed distribution's version, from its `dist-info` folder name.

    Not `importlib.metadata`: importing it costs more than the whole no-op render.
    """
    import importlib.util

    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return "none"
    site = Path(next(iter(spec.submodule_search_locations))).parent
    found = sorted(site.glob(f"{name}-*.dist-info"))
    return found[-1].name.removeprefix(f"{name}-").removesuffix(".dist-info") if found else "?"


def _dot_version() -> str:
    from diagramgen.errors import RenderError
    from diagramgen.rendering.graphviz import dot_binary

    try:
        proc = subprocess.run(
            [dot_binary(), "-V"], capture_output=True, timeout=30, check=False, text=True
        )
    except (RenderError, OSError, subprocess.TimeoutExpired):
        return "none"  # the render itself reports a missing or broken Graphviz
    return proc.stderr.strip() or proc.stdout.strip()


def options_key(options: RenderOptions) -> dict[str, Any]:
    """The render options that shape the output, as plain sorted data."""
    data = {
        f.name: getattr(options, f.name)
        for f in dataclasses.fields(options)
        if f.name not in _NOT_OUTPUT
    }
    data["formats"] = sorted(set(data.get("formats") or ()))
    if data.get("views") is not None:
        data["views"] = sorted(data["views"])
    return data


def render_key(spec: bytes, default_name: str, options: RenderOptions) -> str:
    """The cache key of rendering a spec file's bytes with these options and this tool."""
    recipe = json.dumps(
        {
            "cache": VERSION,
            "tool": tool_fingerprint(),
            "options": options_key(options),
            "default_name": default_name,
            "spec": hashlib.sha256(spec).hexdigest(),
        },
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(recipe.encode()).hexdigest()


def dependencies(design: Design) -> list[tuple[str, Path]]:
    """Files the design pulls in (custom icons): as written in the spec, and resolved."""
    found: dict[str, Path] = {}
    for c in design.components:
        path = getattr(c, "icon_file", None)
        if path is not None and getattr(c, "icon", None):
            found[str(c.icon)] = Path(path)
    return sorted(found.items())


def make_stamp(key: str, design: Design, files: Iterable[Path]) -> Stamp:
    """The stamp for a render of `design` that wrote `files`."""
    from diagramgen.rendering.gallery import design_summary

    deps = tuple((rel, sha256_file(path)) for rel, path in dependencies(design) if path.is_file())
    names = tuple(sorted({Path(f).name for f in files}))
    return Stamp(key, names, deps, design_summary(design).to_json())


def write_stamp(folder: Path, stamp: Stamp) -> None:
    """Write the stamp into a (staging) output folder."""
    (folder / STAMP).write_text(stamp.text(), "utf-8")


class OutputIndex:
    """The stamps found in an output root, by key."""

    def __init__(self, root: Path, stamps: dict[str, tuple[Path, Stamp]]) -> None:
        self.root = root
        self._by_key = stamps

    @classmethod
    def scan(cls, root: str | Path) -> OutputIndex:
        """Read every `root/<slug>/.diagramgen.hash` (hidden staging folders skipped)."""
        root = Path(root)
        stamps: dict[str, tuple[Path, Stamp]] = {}
        try:
            entries = sorted(os.scandir(root), key=lambda e: e.name)
        except OSError:
            return cls(root, stamps)
        for entry in entries:
            if entry.name.startswith(".") or not entry.is_dir():
                continue
            stamp = read_stamp(Path(entry.path))
            if stamp is not None:
                stamps.setdefault(stamp.key, (Path(entry.path), stamp))
        return cls(root, stamps)

    def lookup(self, key: str, spec_dir: Path) -> Path | None:
        """The folder holding an up-to-date render for `key`, or None."""
        found = self._by_key.get(key)
        if found is None:
            return None
        folder, stamp = found
        if not all((folder / name).is_file() for name in stamp.files):
            return None
        for rel, digest in stamp.deps:
            path = spec_dir / rel
            if not path.is_file() or sha256_file(path) != digest:
                return None
        return folder
