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
