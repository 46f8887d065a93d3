"""The Latency, Availability and Cost sections of the notes, from the finished analysis.

Each number in a table carries a footnote with the arithmetic behind it.
"""

from __future__ import annotations

from diagramgen.analysis import Analysis
from diagramgen.analysis.cost import GB
from diagramgen.analysis.defaults import STRATEGY_RTO
from diagramgen.analysis.latency import Hop
from diagramgen.rendering.notes import md_escape
from diagramgen.spec.units import (
    human_downtime,
    human_duration,
    human_money,
    human_ms,
    human_percent,
    human_size,
)


def _ms(value: float | None) -> str:
    return "unbounded" if value is None else human_ms(value)


def _hop_text(h: Hop) -> str:
    parts = []
    if h.source is not None:
        where = (h.network or "").replace("_", " ")
        parts.append(f"`{h.source}` → `{h.component}` {where} round trip {human_ms(h.rtt)}")
    else:
        return ""  # the flow's first component waits: its own work is not in the time
    basis = "declared" if h.service_basis == "declared" else "default"
    parts.append(f"service {human_ms(h.service)} mean ({basis})")
    if h.queue is not None:
        q = h.queue
        if q.saturated:
            parts.append(
                f"**saturated**: {q.lam:,.0f}/s offered to {q.servers} x {q.mu:,.0f}/s "
                f"({q.utilization:.0%})"
            )
        else:
            servers = h.instances_note or f"{q.servers} running"
            wait = f", p99 wait {human_ms(h.wait_p99)}" if h.wait_p99 else ""
            parts.append(
                f"queueing C({q.servers}, {q.lam / q.mu:.3g}) = {q.wait_probability:.3g} at "
                f"{q.utilization:.0%} of {servers} x {q.mu:,.0f}/s{wait}"
            )
    if h.reach < 1:
        parts.append(f"reached by {h.reach:.0%} of requests")
    return ", ".join(parts)


def latency_section(analysis: Analysis) -> list[str]:
    """Per flow: p50 and p99 of its synchronous part, its budget, its async part apart."""
    if not analysis.flows:
        return []
    lines = [
        "## Latency",
        "",
        "Response time of each flow's synchronous steps at peak load: the round trip of each "
        "hop by where its ends live, each component's mean service time (exponential, as "
        "M/M/c assumes) and its queueing delay from Erlang C on its running instances. "
        "Percentiles are those of the sum of these independent times, computed numerically; "
        "asynchronous steps are left out of the response time and shown apart.",
        "",
        "| Flow | p50 | p99 | Budget | Largest contributor | Async part (p99) |",
        "|---|---|---|---|---|---|",
    ]
    notes: list[str] = []
    for i, report in enumerate(analysis.flows, start=1):
        lat = report.latency
        label = f"[^lat{i}]"
        budget = "-"
        if report.budget is not None:
            status = "met" if report.budget_met else "**over**"
            budget = f"{human_ms(report.budget)} ({status})"
        top = lat.contributors(1)
        if lat.unbounded_by:
            contributor = ", ".join(f"`{c}` saturated" for c in lat.unbounded_by)
        else:
            contributor = f"`{top[0].component}` {human_ms(top[0].own_p99)}" if top else "-"
        asynchronous = "-"
        if lat.async_hops:
            asynchronous = _ms(lat.async_p99) + f" ({len(lat.async_hops)} after the hand-off)"
        lines.append(
            f"| {md_escape(report.name)} | {_ms(lat.p50)}{label} | {_ms(lat.p99)} | {budget} | "
            f"{contributor} | {asynchronous} |"
        )
        hops = "; ".join(t for t in map(_hop_text, lat.hops) if t) or "no synchronous step"
        note = f"{label}: {md_escape(report.name)}: {hops}."
        if lat.async_hops:
            note += (
                " Asynchronous, after the hand-off: "
                + "; ".join(_hop_text(h) for h in lat.async_hops)
                + "."
            )
        notes.append(note)
    return [*lines, "", *notes, ""]


def availability_section(analysis: Analysis) -> list[str]:
    """Per flow: series availability, downtime a year and a month, SLO, weakest link; DR."""
    if not analysis.flows and analysis.recovery is None:
        return []
    lines = ["## Availability", ""]
    notes: list[str] = []
    if analysis.flows:
        lines += [
            "Each flow is up when every component on its synchronous path is: their "
            "availabilities multiply (series); a component's instances back each other up "
            "(parallel, 1 - (1 - a)^n, capped at what zones give); managed services count "
            "with their published SLA.",
            "",
            "| Flow | Availability | Down a year | Down a month | SLO | Weakest link |",
            "|---|---|---|---|---|---|",
        ]
        for i, report in enumerate(analysis.flows, start=1):
            av = report.availability
            label = f"[^av{i}]"
            slo = "-"
            if report.slo is not None:
                slo = f"{human_percent(report.slo)} ({'met' if report.slo_met else '**unmet**'})"
            weakest = av.weakest
            weak = (
                f"`{weakest.component}` {human_percent(weakest.availability)}" if weakest else "-"
            )
            lines.append(
                f"| {md_escape(report.name)} | {human_percent(av.availability)}{label} | "
                f"{human_downtime(av.downtime_per_year_s)} | "
                f"{human_downtime(av.downtime_per_month_s)} | {slo} | {weak} |"
            )
            product = " x ".join(
                f"`{p.component}` {human_percent(p.availability)} ({md_escape(p.basis)})"
                for p in av.parts
            )
            notes.append(
                f"{label}: {md_escape(report.name)}: {product or 'no dependency'} = "
                f"{human_percent(av.availability)}; downtime (1 - A) x 365 d = "
                f"{human_downtime(av.downtime_per_year_s)} a year, x 30 d = "
                f"{human_downtime(av.downtime_per_month_s)} a month."
            )
        lines.append("")
    rec = analysis.recovery
    if rec is not None:
        strategy = rec.strategy.replace("_", " ")
        bits = [
            f"{STRATEGY_RTO[rec.strategy].basis} (at least {human_duration(rec.achievable_rto)})"
        ]
        if rec.rto is not None:
            bits.append(
                f"declared RTO {human_duration(rec.rto)}: {'met' if rec.rto_met else '**unmet**'}"
            )
        if rec.rpo is not None:
            if rec.achievable_rpo is None:
                bits.append(
                    f"declared RPO {human_duration(rec.rpo)}: not checked, as "
                    + ", ".join(f"`{c}`" for c in rec.undeclared)
                    + " declare neither `backups` nor replication"
                )
            else:
                basis = f" ({rec.rpo_basis})" if rec.rpo_basis else " (no database to lose)"
                bits.append(
                    f"declared RPO {human_duration(rec.rpo)} against "
                    f"{human_duration(rec.achievable_rpo)} at worst{basis}: "
                    f"{'met' if rec.rpo_met else '**unmet**'}"
                )
        lines += [f"**Disaster recovery ({strategy}).** " + "; ".join(bits) + ".", ""]
    return [*lines, *notes, ""] if notes else lines


def cost_section(analysis: Analysis) -> list[str]:
    """Storage per store at the end of its retention, egress per exit, and the totals."""
    cost = analysis.cost
    if cost is None or not (cost.stores or cost.egress or cost.unattributed):
        return []
    cur = cost.prices.currency
    money = lambda v: human_money(v, cur)  # noqa: E731
    lines = [
        "## Cost",
        "",
        f"What grows, a month, at list prices of {cost.prices.as_of} ({cur}, first tier"
        + (
            "; overridden by `prices`: " + ", ".join(cost.prices.overridden)
            if cost.prices.overridden
            else ""
        )
        + "). Instances, requests and traffic inside the cloud are not counted.",
        "",
    ]
    notes: list[str] = []
    if cost.stores:
        lines += [
            "| Store | Class | Stored (when full) | Copies | Storage a month |",
            "|---|---|---|---|---|",
        ]
        for i, s in enumerate(cost.stores, start=1):
            label = f"[^cost{i}]"
            kept = f" after {human_duration(s.retention_seconds)}" if s.retention_seconds else ""
            lines.append(
                f"| `{s.component}` | {s.storage_class} | {human_size(s.stored_bytes)}{kept} | "
                f"{s.copies} | {money(s.storage_per_month)}{label} |"
            )
            notes.append(
                f"{label}: `{s.component}`: {s.stored_bytes / GB:,.0f} GB x {s.copies} "
                f"cop{'y' if s.copies == 1 else 'ies'} x {money(s.price_per_gb_month)} per "
                f"GB-month = {money(s.storage_per_month)} (from "
                + ", ".join(md_escape(o) for o in s.operations)
                + ")."
            )
        lines.append("")
    if cost.egress:
        lines += ["| Leaves through | Bytes a month | Egress a month |", "|---|---|---|"]
        for i, e in enumerate(cost.egress, start=len(cost.stores) + 1):
            label = f"[^cost{i}]"
            lines.append(
                f"| `{e.component}` ({e.through}) | {human_size(e.bytes_per_month)} | "
                f"{money(e.egress_per_month)}{label} |"
            )
            notes.append(
                f"{label}: `{e.component}`: "
                + ", ".join(md_escape(o) for o in e.operations)
                + f" at the average rate x response size x 30 d = "
                f"{e.bytes_per_month / GB:,.0f} GB x {money(e.price_per_gb)} per GB = "
                f"{money(e.egress_per_month)}."
            )
        lines.append("")
    if cost.unattributed:
        items = ", ".join(
            f"{md_escape(name)} {human_size(size)}" for name, size in cost.unattributed.items()
        )
        lines += [
            f"Not priced, as no flow takes it to a store: {items}. Trace the operation with "
            "a flow that reaches its store.",
            "",
        ]
    after = (
        f" (storage after {human_duration(cost.longest_retention)})"
        if cost.longest_retention
        else ""
    )
    lines += [
        f"**Total:** {money(cost.storage_per_month)} storage + {money(cost.egress_per_month)} "
        f"egress = {money(cost.storage_per_month + cost.egress_per_month)} a month{after}.",
        "",
    ]
    return [*lines, *notes, ""]
