"""The tradeoff delta: findings that appeared or were resolved, and how the estimates moved."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from diagramgen.diffing.model import EstimateChange, FindingRef, TradeoffDelta
from diagramgen.spec.models import Design

if TYPE_CHECKING:
    from diagramgen.analysis import Analysis, Registry


def _refs(findings: Iterable[Any], renamed: Mapping[str, str]) -> list[FindingRef]:
    # A silenced finding (`ignore:` on the component) no longer counts against the design.
    return [
        FindingRef(
            code=f.code,
            name=f.name,
            severity=f.severity,
            component=renamed.get(f.component, f.component) if f.component else None,
            message=f.message,
        )
        for f in findings
        if getattr(f, "suppressed", None) is None
    ]


def _sort_key(f: FindingRef) -> tuple[str, str, str]:
    return (f.code, f.component or "", f.message)


def finding_delta(
    old: Iterable[Any], new: Iterable[Any], renamed: Mapping[str, str]
) -> tuple[list[FindingRef], list[FindingRef]]:
    """(appeared, resolved): findings matched by code and component, renames applied.

    When one code flags the same component (or the design as a whole) more than once,
    those findings are matched by message, and the rest pair up as unchanged.
    """
    before: dict[tuple[str, str | None], list[FindingRef]] = defaultdict(list)
    after: dict[tuple[str, str | None], list[FindingRef]] = defaultdict(list)
    for f in _refs(old, renamed):
        before[(f.code, f.component)].append(f)
    for f in _refs(new, {}):
        after[(f.code, f.component)].append(f)
    appeared: list[FindingRef] = []
    resolved: list[FindingRef] = []
    for key in before.keys() | after.keys():
        olds, news = before.get(key, []), after.get(key, [])
        if len(olds) > 1 or len(news) > 1:
            messages = {f.message for f in olds} & {f.message for f in news}
            olds = sorted((f for f in olds if f.message not in messages), key=_sort_key)
            news = sorted((f for f in news if f.message not in messages), key=_sort_key)
            common = min(len(olds), len(news))
            olds, news = olds[common:], news[common:]
        elif olds and news:
            continue
        resolved += olds
        appeared += news
    return sorted(appeared, key=_sort_key), sorted(resolved, key=_sort_key)


def estimate_delta(old: Analysis, new: Analysis) -> list[EstimateChange]:
    """Operations whose peak rate, bandwidth or storage estimate changed, by name."""
    before = {op.name: op for op in old.estimates.operations}
    after = {op.name: op for op in new.estimates.operations}
    out = []
    for name in sorted(before.keys() | after.keys()):
        a, b = before.get(name), after.get(name)
        change = EstimateChange(
            operation=name,
            old_peak_per_second=a.peak_per_second if a else None,
            new_peak_per_second=b.peak_per_second if b else None,
            old_storage_bytes=a.storage_bytes if a else None,
            new_storage_bytes=b.storage_bytes if b else None,
            old_bandwidth_bytes_per_second=a.bandwidth_bytes_per_second if a else None,
            new_bandwidth_bytes_per_second=b.bandwidth_bytes_per_second if b else None,
        )
        if (
            change.old_peak_per_second != change.new_peak_per_second
            or change.old_storage_bytes != change.new_storage_bytes
            or change.old_bandwidth_bytes_per_second != change.new_bandwidth_bytes_per_second
        ):
            out.append(change)
    return out


def tradeoff_delta(
    old: Design, new: Design, renamed: Mapping[str, str], registry: Registry | None = None
) -> TradeoffDelta:
    """Analyze both designs (with `registry`'s rules) and compare findings and estimates."""
    from diagramgen.analysis import analyze

    before, after = analyze(old, registry), analyze(new, registry)
    appeared, resolved = finding_delta(before.findings, after.findings, renamed)
    return TradeoffDelta(
        appeared=appeared,
        resolved=resolved,
        estimates=estimate_delta(before, after),
        old_storage_bytes=sum(op.storage_bytes or 0.0 for op in before.estimates.operations),
        new_storage_bytes=sum(op.storage_bytes or 0.0 for op in after.estimates.operations),
    )
