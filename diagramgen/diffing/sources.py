"""Where the two sides of a diff come from: files, files at a git revision, whole folders."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from diagramgen.diffing.git import (
    SpecRef,
    list_files,
    locate,
    object_type,
    read_at,
    verify_rev,
)
from diagramgen.errors import GitError, Problem, SpecError
from diagramgen.spec.loader import SPEC_SUFFIXES, expand_paths, load, loads
from diagramgen.spec.models import Design


def load_ref(ref: SpecRef) -> Design:
    """Load a spec from the working tree, or from git when the ref has a revision."""
    if ref.rev is None:
        return load(ref.path)
    shown = str(ref)
    data = read_at(ref)
    if ref.path.suffix == ".json":
        # The loader checks JSON syntax by file suffix, which `path@rev` hides from it.
        try:
            json.loads(data)
        except json.JSONDecodeError as exc:
            raise SpecError(
                [Problem(shown, exc.lineno, exc.colno, f"invalid JSON: {exc.msg}")]
            ) from None
        except (UnicodeDecodeError, RecursionError):
            pass  # the loader reports these with its own wording
    # The name defaults to the file stem on both sides, so it never shows as a change.
    return loads(data, path=shown, default_name=ref.path.stem)


@dataclass(frozen=True)
class SpecPair:
    """One spec file compared with its version at a revision; a side is None when missing."""

    path: Path  # as the user would write it
    old: SpecRef | None
    new: SpecRef | None

    @property
    def status(self) -> str:
        """`added`, `deleted` or `modified` (which may still turn out to have no changes)."""
        if self.old is None:
            return "added"
        if self.new is None:
            return "deleted"
        return "modified"


def since_pairs(rev: str, paths: list[Path]) -> list[SpecPair]:
    """Every spec under `paths` now or at `rev`, paired with its other version.

    A folder means the spec files directly in it (as for `render`), at `rev` and now; a
    file may exist on one side only. A path that exists neither now nor at `rev` is an error.
    """
    pairs: dict[Path, SpecPair] = {}
    for given in paths:
        where = locate(given)
        commit = verify_rev(where.top, rev)
        kind = object_type(where.top, commit, where.relpath) if where.relpath else "tree"
        if given.is_dir() or (not given.exists() and kind == "tree"):
            now = expand_paths([given]) if given.is_dir() else []
            then = [
                given / PurePosixPath(rel).name
                for rel in list_files(where.top, commit, where.relpath)
            ]
        elif given.exists() or kind == "blob":
            now = [given] if given.exists() else []
            then = [given] if kind == "blob" else []
        else:
            raise GitError(f"{given}: no such file or folder, now or at {rev}")
        now_set, then_set = set(now), set(then)
        for path in sorted(now_set | then_set):
            if path.suffix not in SPEC_SUFFIXES:
                continue
            pairs[path] = SpecPair(
                path,
                SpecRef(path, rev) if path in then_set else None,
                SpecRef(path) if path in now_set else None,
            )
    return [pairs[p] for p in sorted(pairs)]
