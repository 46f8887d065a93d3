"""The diff stage: two `Design`s in, a `DesignDiff` out (structure, renames, tradeoff delta)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from diagramgen.diffing.compare import find_renames
from diagramgen.diffing.model import (
    Changes,
    ConnectionKey,
    DesignDiff,
    EstimateChange,
    FindingRef,
    SectionDiff,
    TradeoffDelta,
    connection_name,
)
from diagramgen.spec.models import Design

if TYPE_CHECKING:
    from pathlib import Path

    from diagramgen.analysis import Registry

__all__ = [
    "Changes",
    "ConnectionKey",
    "DesignDiff",
    "EstimateChange",
    "FindingRef",
    "SectionDiff",
    "TradeoffDelta",
    "connection_name",
    "diff_designs",
    "diff_since",
    "find_renames",
]


def diff_designs(
    old: Design, new: Design, tradeoffs: bool = True, registry: Registry | None = None
) -> DesignDiff:
    """Compare two designs; with `tradeoffs`, add the findings and estimates delta.

    `registry` chooses the rules the delta runs (default: every rule).
    """
    from diagramgen.diffing.compare import diff

    result = diff(old, new)
    if tradeoffs:
        from diagramgen.diffing.tradeoffs import tradeoff_delta

        result.tradeoffs = tradeoff_delta(old, new, result.renamed, registry)
    return result


def diff_since(rev: str, paths: list[Path]) -> list[tuple[str, str, DesignDiff | None]]:
    """Every spec under `paths` against its version at git revision `rev`.

    One `(path, status, diff)` per spec file, status `added`, `deleted` or `modified`;
    the diff is None for added and deleted files. Specs that fail to load on either side
    are reported together in one `SpecError`.
    """
    from diagramgen.diffing.sources import load_ref, since_pairs
    from diagramgen.errors import SpecError

    entries: list[tuple[str, str, DesignDiff | None]] = []
    problems = []
    for pair in since_pairs(rev, paths):
        if pair.old is None or pair.new is None:
            entries.append((str(pair.path), pair.status, None))
            continue
        try:
            result = diff_designs(load_ref(pair.old), load_ref(pair.new))
        except SpecError as exc:
            problems += exc.problems
            continue
        entries.append((str(pair.path), pair.status, result))
    if problems:
        raise SpecError(problems)
    return entries
