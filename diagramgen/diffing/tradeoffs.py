"""The tradeoff delta: findings that appeared or were resolved, and how the estimates moved."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from diagramgen.diffing.model import (
    CostChange,
    EstimateChange,
    FindingRef,
    FlowChange,
    TradeoffDelta,
)
from diagramgen.spec.models import Design
from diagramgen.spec.units import human_money, human_ms, human_percent

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


def latency_text(seconds: float | None) -> str:
    """`38 ms`, or `unbounded` for a flow through a saturated component."""
    return "unbounded" if seconds is None else human_ms(seconds)


def flow_delta(old: Analysis, new: Analysis) -> list[FlowChange]:
    """Flows whose p99 or availability moved by as much as the notes show, by flow name."""
    before = {f.name: f for f in old.flows}
    after = {f.name: f for f in new.flows}
    out = []
    for name in sorted(before.keys() | after.keys()):
        a, b = before.get(name), after.get(name)
        change = FlowChange(
            flow=name,
            old_p99_s=a.latency.p99 if a else None,
            new_p99_s=b.latency.p99 if b else None,
            old_availability=a.availability.availability if a else None,
            new_availability=b.availability.availability if b else None,
            old_exists=a is not None,
            new_exists=b is not None,
        )
        if a is None or b is None:
            out.append(change)
            continue
        moved = latency_text(change.old_p99_s) != latency_text(change.new_p99_s) or human_percent(
            change.old_availability or 0
        ) != human_percent(change.new_availability or 0)
        if moved:
            out.append(change)
    return out


def cost_delta(old: Analysis, new: Analysis) -> CostChange | None:
    """The monthly storage and egress cost before and after, when either moved."""
    if old.cost is None or new.cost is None:
        return None
    cur = new.cost.prices.currency
    change = CostChange(
        currency=cur,
        old_storage=old.cost.storage_per_month,
        new_storage=new.cost.storage_per_month,
        old_egress=old.cost.egress_per_month,
        new_egress=new.cost.egress_per_month,
        old_retention_s=old.cost.longest_retention,
        new_retention_s=new.cost.longest_retention,
        old_unpriced_bytes=sum(old.cost.unattributed.values()),
        new_unpriced_bytes=sum(new.cost.unattributed.values()),
    )
    same = human_money(change.old_storage, cur) == human_money(change.new_storage, cur) and (
        human_money(change.old_egress, cur) == human_money(change.new_egress, cur)
    )
    return None if same else change


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
        flows=flow_delta(before, after),
        cost=cost_delta(before, after),
    )
