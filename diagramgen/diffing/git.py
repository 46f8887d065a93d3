"""Read spec files as they were at a git revision: `specs/feed.yaml@HEAD~2`, `@v1.0`.

Git runs in the repository that holds the file (found from the file's folder, or its
nearest existing parent for a file deleted since), with the path made relative to the
repository's top level, so `path@rev` works from any working directory.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from diagramgen.errors import GitError
from diagramgen.spec.loader import SPEC_SUFFIXES
from diagramgen.spec.semantic import did_you_mean

GIT_TIMEOUT = 30.0  # seconds; reading one blob takes milliseconds


@dataclass(frozen=True)
class SpecRef:
    """A spec argument: a plain path, or a path at a git revision."""

    path: Path
    rev: str | None = None

    def __str__(self) -> str:
        return f"{self.path}@{self.rev}" if self.rev else str(self.path)


MAX_REV = 256  # longer is no revision git would accept (and long arguments fail to run)


def parse_ref(text: str) -> SpecRef:
    """`specs/a.yaml@HEAD~2` -> path and revision; an existing file named with `@` is a path.

    The split is at the first `@` whose left side exists as a path (else the first `@`),
    since revisions hold `@` themselves: `spec.yaml@HEAD@{0}`, `spec.yaml@@{1}`.
    """
    if "@" not in text or _exists(text):
        return SpecRef(Path(text))
    cuts = [i for i, ch in enumerate(text) if ch == "@" and i > 0]
    cut = next((i for i in cuts if _exists(text[:i])), cuts[0] if cuts else 0)
    path, rev = text[:cut], text[cut + 1 :]
    if len(rev) > MAX_REV:
        raise GitError(f"{text[: cut + 20]}...: a git revision is at most {MAX_REV} characters")
    if not path:
        raise GitError(f"{text}: give a path before '@' (e.g. specs/feed.yaml@HEAD~1)")
    if not rev:
        raise GitError(f"{text}: give a git revision after '@' (e.g. {path}@HEAD)")
    return SpecRef(Path(path), rev)


def _exists(text: str) -> bool:
    try:
        return Path(text).exists()
    except (OSError, ValueError):  # a name too long for the file system, a NUL
        return False


@dataclass(frozen=True)
class Location:
    """Where a path lives in git: the repository's top level and the path relative to it."""

    top: Path
    relpath: str  # POSIX, relative to `top`


def _git(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[bytes]:
    if shutil.which("git") is None:
        raise GitError("git is not installed: it is needed to read path@revision")
    try:
        result = subprocess.run(
            ["git", *args],
            cwd=cwd,
            capture_output=True,
            timeout=GIT_TIMEOUT,
            check=False,
            env={**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"},
        )
    except subprocess.TimeoutExpired:
        raise GitError(f"git {args[0]} timed out after {GIT_TIMEOUT:.0f}s in {cwd}") from None
    except OSError as exc:
        raise GitError(f"cannot run git: {exc.strerror or exc}") from None
    if check and result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {args[0]} failed in {cwd}: {message[-1] if message else 'error'}")
    return result


def locate(path: Path) -> Location:
    """The repository holding `path` (which need not exist any more) and its relative path."""
    absolute = Path(os.path.abspath(path))
    folder = absolute.parent if not absolute.is_dir() else absolute
    tail: list[str] = [] if absolute.is_dir() else [absolute.name]
    while not folder.is_dir():
        tail.insert(0, folder.name)
        if folder.parent == folder:
            break
        folder = folder.parent
    result = _git(folder, "rev-parse", "--show-toplevel", "--show-prefix", check=False)
    if result.returncode != 0:
        raise GitError(f"{path}: not inside a git repository, so it has no revisions to read")
    lines = result.stdout.decode("utf-8", "replace").splitlines()
    top = Path(lines[0])
    prefix = lines[1] if len(lines) > 1 else ""
    relpath = str(PurePosixPath(prefix, *tail)) if (prefix or tail) else ""
    return Location(top, relpath.rstrip("/") if relpath != "." else "")


def verify_rev(top: Path, rev: str) -> str:
    """The commit a revision names; `GitError` for one git does not know."""
    # A leading dash would reach git as an option, not a revision.
    if rev.startswith("-") or "\n" in rev or "\0" in rev:
        raise GitError(f"invalid git revision {rev!r}")
    result = _git(top, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}", check=False)
    if result.returncode != 0:
        raise GitError(f"unknown git revision {rev!r} in {top}")
    return result.stdout.decode().strip()


def list_files(top: Path, commit: str, folder: str) -> list[str]:
    """Paths (relative to `top`) of the spec files directly in `folder` at `commit`."""
    spec = f"{folder}/" if folder else "."
    out = _git(top, "ls-tree", "-z", commit, "--", spec).stdout.decode("utf-8", "replace")
    files = []
    for entry in out.split("\0"):
        if not entry:
            continue
        meta, name = entry.split("\t", 1)
        if meta.split()[1] == "blob" and PurePosixPath(name).suffix in SPEC_SUFFIXES:
            files.append(name)
    return sorted(files)


def object_type(top: Path, commit: str, relpath: str) -> str | None:
    """`blob`, `tree`, ... for a path at a commit; None when it does not exist there."""
    result = _git(top, "cat-file", "-t", f"{commit}:{relpath}", check=False)
    return result.stdout.decode().strip() if result.returncode == 0 else None


def read_blob(top: Path, commit: str, relpath: str) -> bytes:
    """The bytes of a file at a commit, as stored (no filters, no text conversion)."""
    return _git(top, "cat-file", "blob", f"{commit}:{relpath}").stdout


def read_at(ref: SpecRef) -> bytes:
    """The content of `ref.path` at `ref.rev`; `GitError` naming the problem when it cannot."""
    if ref.rev is None:
        raise ValueError("read_at needs a revision")
    where = locate(ref.path)
    try:
        commit = verify_rev(where.top, ref.rev)
    except GitError as exc:
        raise GitError(f"{ref}: {exc}") from None
    kind = object_type(where.top, commit, where.relpath)
    if kind == "blob":
        return read_blob(where.top, commit, where.relpath)
    if kind is not None:
        what = "a folder" if kind == "tree" else f"a {kind}"
        raise GitError(f"{ref}: '{where.relpath}' is {what} at {ref.rev}, not a spec file")
    rel = PurePosixPath(where.relpath)
    parent = "" if str(rel.parent) == "." else str(rel.parent)
    siblings = {PurePosixPath(p).name: p for p in list_files(where.top, commit, parent)}
    hint = did_you_mean(rel.name, siblings)
    if hint:
        hint = f" (did you mean '{siblings[hint.split(chr(39))[1]]}'?)"
    raise GitError(f"{ref}: '{where.relpath}' does not exist at {ref.rev}{hint}")
