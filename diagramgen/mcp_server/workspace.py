"""The folder an MCP server serves: confined paths, spec arguments and the specs it holds.

Nothing here imports the MCP SDK, so the rules that keep an assistant inside its folder
are tested without starting a server. Every failure is a `ToolFailure` whose message is
what the assistant reads: the same `path:line:col: message` lines the CLI prints for an
invalid spec, and one plain sentence for anything else.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from diagramgen.errors import DiagramgenError, SpecError

if TYPE_CHECKING:
    from diagramgen.spec.loader import LoadedSpec

TEXT_NAME = "<text>"  # how a spec given as `text` is named in its messages
MAX_SPEC_FILES = 1000  # resources listed; a folder with more is not a spec folder
# Never specs, often huge: walking them would make every resources/list slow.
SKIPPED_DIRS = frozenset({"node_modules", "__pycache__", "site-packages", "venv"})


class ToolFailure(DiagramgenError):
    """A tool call that cannot be done: the message says why and is shown to the assistant."""


class InvalidSpec(ToolFailure):
    """The spec given to a tool is invalid: every problem, as the CLI prints them."""

    def __init__(self, error: SpecError) -> None:
        self.problems = error.problems
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class SpecFile:
    """A spec under the folder: its resource slug and its path relative to the folder."""

    slug: str
    path: str  # POSIX, relative to the root


@dataclass
class Workspace:
    """The folder the server was started in; every path a tool takes must resolve inside it.

    Relative paths are taken from `root`, which is also the process's working folder (the
    command changes into it), so git and the loader see the same files.
    """

    root: Path
    _scratch: Path | None = field(default=None, repr=False)
    # Tools run on worker threads: two renders of drafts must share one scratch folder.
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        self.root = self.root.resolve()

    # Paths

    def resolve(self, given: str, what: str = "path") -> Path:
        """`given` (relative to the root, or absolute) as an absolute path inside the root.

        Symbolic links are followed before the check, so a link that points out of the
        folder is refused like `../secret.yaml`.
        """
        if not given.strip():
            raise ToolFailure(f"`{what}` is empty: give a path under {self.root}")
        if "\0" in given:
            raise ToolFailure(f"`{what}` contains a NUL character")
        candidate = Path(given)
        if not candidate.is_absolute():
            candidate = self.root / candidate
        resolved = candidate.resolve()
        if not resolved.is_relative_to(self.root):
            raise ToolFailure(
                f"{given}: outside the folder the server was started in ({self.root}); "
                "give a path under it"
            )
        return resolved

    def shown(self, path: Path) -> str:
        """A path as messages show it: relative to the root when inside it."""
        try:
            return path.relative_to(self.root).as_posix() or "."
        except ValueError:
            return str(path)

    def spec_file(self, given: str, what: str = "path") -> Path:
        """The spec file `given` names, relative to the root; refused when not a file."""
        path = self.resolve(given, what)
        if path.is_dir():
            raise ToolFailure(f"{self.shown(path)} is a folder: give one spec file")
        if not path.is_file():
            raise ToolFailure(f"no such file: {self.shown(path)}")
        return Path(self.shown(path))

    def scratch(self) -> Path:
        """A private temporary folder for this server (renders of `text` specs)."""
        with self._lock:
            if self._scratch is None:
                self._scratch = Path(tempfile.mkdtemp(prefix="diagramgen-mcp-"))
            return self._scratch

    def close(self) -> None:
        """Remove the private temporary folder (it only holds what this server wrote)."""
        with self._lock:
            if self._scratch is not None:
                shutil.rmtree(self._scratch, ignore_errors=True)
                self._scratch = None

    # Specs

    def load(self, path: str | None, text: str | None) -> LoadedSpec:
        """The spec a tool was given, loaded with its source positions.

        Exactly one of `path` (a spec file under the root) and `text` (the spec itself)
        is given. `text` is parsed in memory and written nowhere; its custom icons are
        read relative to the root. An invalid spec raises `InvalidSpec`, whose message
        is the CLI's `path:line:col: message` lines.
        """
        from diagramgen.spec.loader import load_located, loads_located

        try:
            if choose(path, text) == "path":
                assert path is not None
                return load_located(self.spec_file(path))
            assert text is not None
            return loads_located(text, path=TEXT_NAME, base_dir=self.root)
        except SpecError as exc:
            raise InvalidSpec(exc) from None

    def specs(self) -> list[SpecFile]:
        """The spec files under the root, by path; a slug names only its first file.

        A spec file is a `*.yaml`, `*.yml` or `*.json` whose top level is a mapping with
        `components` (so CI configs and `package.json` are not listed). Hidden folders
        and dependency folders are skipped.
        """
        seen: set[str] = set()
        found = []
        for path in self._candidates():
            slug = spec_slug(path)
            if slug is None or slug in seen:
                continue
            seen.add(slug)
            found.append(SpecFile(slug, self.shown(path)))
        return found

    def find(self, slug: str) -> Path:
        """The spec file of a resource slug; `ToolFailure` when there is none."""
        for spec in self.specs():
            if spec.slug == slug:
                return Path(spec.path)
        raise ToolFailure(f"no spec named {slug!r} under {self.root}")

    def _candidates(self) -> Iterator[Path]:
        from diagramgen.spec.paths import SPEC_SUFFIXES

        count = 0
        for folder, dirs, files in os.walk(self.root):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIPPED_DIRS)
            for name in sorted(files):
                if Path(name).suffix in SPEC_SUFFIXES and not name.startswith("."):
                    path = Path(folder, name)
                    # A link out of the folder is not the folder's spec.
                    if not path.resolve().is_relative_to(self.root):
                        continue
                    count += 1
                    if count > MAX_SPEC_FILES:
                        return
                    yield path


def choose(path: str | None, text: str | None) -> str:
    """Which of the two spec arguments was given (`path` or `text`); both or neither fail."""
    if path is not None and text is not None:
        raise ToolFailure("give either `path` or `text`, not both")
    if path is None and text is None:
        raise ToolFailure(
            "give the spec: `path` (a spec file under the server's folder) or `text` "
            "(the spec's YAML or JSON)"
        )
    return "path" if path is not None else "text"


def spec_slug(path: Path) -> str | None:
    """The slug a spec file renders under (its `name:`, else its stem), or None when the
    file is not a spec (unreadable, not a mapping, or without `components`)."""
    from diagramgen.spec.loader import parse
    from diagramgen.spec.models import slugify

    try:
        data, _ = parse(path.read_bytes(), str(path))
    except (SpecError, OSError):
        return None
    if not isinstance(data, dict) or "components" not in data:
        return None
    name = data.get("name")
    return slugify(name if isinstance(name, str) and name.strip() else path.stem)
