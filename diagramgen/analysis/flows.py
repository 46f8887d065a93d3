"""Per flow: computed latency and availability against the flow's budget and SLO.

`flow_reports(ctx)` is what the notes, the JSON, the diff and the target rules (DG701,
DG702) read; it is computed once per `Context`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

from diagramgen.analysis.availability import FlowAvailability, flow_availability
from diagramgen.analysis.context import Context
from diagramgen.analysis.latency import FlowLatency, Hop, flow_latency

_CACHE: WeakKeyDictionary[Context, list[FlowReport]] = WeakKeyDictionary()


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else seconds * 1000


def _step_json(h: Hop, is_async: bool) -> dict[str, Any]:
    return {
        "component": h.component,
        "from": h.source,
        "network": h.network,
        "network_rtt_ms": h.rtt * 1000,
        "service_ms": h.service * 1000,
        "wait_p99_ms": None if h.saturated else _ms(h.wait_p99),
        "utilization": h.queue.utilization if h.queue else None,
        "reach": h.reach,
        "async": is_async,
    }


@dataclass(frozen=True)
class FlowReport:
    """One flow's response time and availability, with its declared targets."""

    name: str
    latency: FlowLatency
    availability: FlowAvailability
    budget: float | None  # seconds
    slo: float | None  # fraction

    @property
    def budget_met(self) -> bool | None:
        """None without a budget; an unbounded flow misses any budget."""
        if self.budget is None:
            return None
        return self.latency.p99 is not None and self.latency.p99 <= self.budget

    @property
    def slo_met(self) -> bool | None:
        """None without an SLO."""
        if self.slo is None:
            return None
        # Compared at the precision SLOs are written in, so 99.9% meets a 99.9% SLO.
        return round(self.availability.availability, 9) >= round(self.slo, 9)

    def to_json(self) -> dict[str, Any]:
        """One entry of the top-level `flows` list of `notes --format json`."""
        lat, av = self.latency, self.availability
        weakest = av.weakest
        return {
            "name": self.name,
            "latency_p50_ms": _ms(lat.p50),
            "latency_p99_ms": _ms(lat.p99),
            "availability": av.availability,
            "downtime_per_year_s": av.downtime_per_year_s,
            "downtime_per_month_s": av.downtime_per_month_s,
            "budget_ms": _ms(self.budget),
            "slo": self.slo,
            "budget_met": self.budget_met,
            "slo_met": self.slo_met,
            "unbounded_by": lat.unbounded_by,
            "weakest_link": weakest.component if weakest else None,
            "async_latency_p50_ms": _ms(lat.async_p50),
            "async_latency_p99_ms": _ms(lat.async_p99),
            "steps": [_step_json(h, False) for h in lat.hops]
            + [_step_json(h, True) for h in lat.async_hops],
            "availability_parts": [
                {"component": p.component, "availability": p.availability, "basis": p.basis}
                for p in av.parts
            ],
        }


def flow_reports(ctx: Context) -> list[FlowReport]:
    """Every flow of the design, in spec order."""
    cached = _CACHE.get(ctx)
    if cached is not None:
        return cached
    out = []
    for flow in ctx.design.flows:
        latency = flow_latency(ctx, flow)
        out.append(
            FlowReport(
                name=flow.name,
                latency=latency,
                availability=flow_availability(ctx, [h.component for h in latency.hops]),
                budget=flow.latency_budget,
                slo=flow.slo,
            )
        )
    _CACHE[ctx] = out
    return out
