"""The design notes in Markdown, as a reviewer would write them.

Summary, capacity estimates (per operation and per component), tradeoffs grouped by topic
with the findings of the design rules, a findings index, the components, and the design's
own decisions written up ADR-style. Everything comes from `diagramgen.analysis.analyze`
and the design itself; same design, same bytes.
"""

from __future__ import annotations

from collections.abc import Callable

from diagramgen.analysis import Analysis, Finding, analyze
from diagramgen.analysis.context import (
    COMPUTE_KINDS,
    DATABASE_KINDS,
    DEFAULT_CACHE_HIT_RATIO,
    MESSAGING_KINDS,
    Context,
    ratio_text,
)
from diagramgen.analysis.engine import context_of
from diagramgen.analysis.estimates import CACHE_HOT_FRACTION
from diagramgen.spec.models import Component, Design
from diagramgen.spec.units import (
    DAY,
    human_bandwidth,
    human_count,
    human_duration,
    human_rate,
    human_size,
)
from diagramgen.text import md_escape as md_escape  # re-exported: writers import it here
from diagramgen.view.builders import tech_name

TOPIC_TITLES = {
    "scalability": "Scalability",
    "storage": "Storage",
    "reliability": "Reliability",
    "performance": "Performance",
}
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def md_rich(text: str) -> str:
    """Escape text but keep its `code spans` (finding messages quote spec keys that way)."""
    parts = text.split("`")
    if len(parts) % 2 == 0:  # unbalanced: a user label carried a backtick
        return md_escape(text)
    return "".join(
        f"`{part}`" if i % 2 and part else md_escape(part) for i, part in enumerate(parts)
    )


def components_table(design: Design) -> list[str]:
    """The components as a Markdown table."""
    groups = {g.id: g.display for g in design.groups}
    lines = ["| Component | Kind | Tech | Replicas | Group |", "|---|---|---|---|---|"]
    for c in design.components:
        lines.append(
            f"| {md_escape(c.display)} (`{c.id}`) | {c.KIND_LABEL} | "
            f"{md_escape(tech_name(c.tech) or '-')} | {c.replicas} | "
            f"{md_escape(groups.get(c.group or '', '-'))} |"
        )
    return lines


def decisions_section(design: Design) -> list[str]:
    """Each decision as a short ADR: context, decision, alternatives, consequences."""
    lines: list[str] = []
    for i, d in enumerate(design.decisions, start=1):
        lines += [f"### {i}. {md_escape(d.title)}", ""]
        if d.context:
            lines += [f"**Context.** {md_escape(d.context)}", ""]
        lines += [
            f"**Decision.** {md_escape(d.chosen)}"
            + (f", because {md_escape(d.because)}." if d.because else "."),
            "",
        ]
        if d.alternatives:
            lines += [
                "**Alternatives considered.** "
                + ", ".join(md_escape(a) for a in d.alternatives)
                + ".",
                "",
            ]
        if d.consequences:
            items = d.consequences if isinstance(d.consequences, list) else [d.consequences]
            lines += ["**Consequences.**", "", *[f"- {md_escape(c)}" for c in items], ""]
    return lines


# ---------------------------------------------------------------- helpers


def _name(c: Component) -> str:
    """`` `db` (URL table) ``: the id as code, with the label when it says more."""
    if c.label and c.label != c.id:
        return f"`{c.id}` ({md_escape(c.label)})"
    return f"`{c.id}`"


def _code(text: str) -> str:
    """A code span; user text cannot close it early."""
    return "`" + text.replace("`", "'") + "`"


def _tech(c: Component) -> str:
    return md_escape(tech_name(c.tech)) + " " if c.tech else ""


def _finding_line(f: Finding) -> str:
    where = f" `{f.component}`" if f.component else ""
    return f"- **{f.code}** {f.severity}{where}: {md_rich(f.message)}"


def _join(items: list[str]) -> str:
    return ", ".join(items)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


# ---------------------------------------------------------------- summary


def summary_section(design: Design, analysis: Analysis) -> list[str]:
    """What the design is, what it carries, and how the review came out."""
    est = analysis.estimates
    lines = ["## Summary", ""]
    counts = [
        _plural(len(design.components), "component"),
        _plural(len(design.groups), "group"),
        _plural(len(design.connections), "connection"),
        _plural(len(design.flows), "flow"),
        _plural(len(design.decisions), "decision"),
    ]
    lines.append(f"- **Shape:** {_join(counts)}.")
    if est.operations:
        ratio = est.read_write_ratio
        mix = (
            f"; reads outnumber writes {ratio_text(ratio)}"
            if ratio is not None and ratio >= 1
            else (f"; writes outnumber reads {ratio_text(1 / ratio)}" if ratio else "")
        )
        lines.append(
            f"- **Workload:** {human_rate(est.avg_per_second)} on average, "
            f"{human_rate(est.peak_per_second)} at peak (peak factor {est.peak_factor:g}){mix}."
        )
        if est.streams:
            names = ", ".join(md_escape(op.name) for op in est.streams)
            lines.append(
                f"- **Streams:** {names} (heartbeats and held polls) load the components they "
                "reach but count neither as reads nor as writes."
            )
        if est.storage_bytes:
            churn = [
                op
                for op in est.operations
                if op.storage_bytes and (op.retention_seconds or 0) < DAY
            ]
            kept = est.storage_bytes - sum(op.storage_bytes or 0.0 for op in churn)
            text = (
                f"- **Data:** grows {human_size(est.growth_per_day)} a day (data kept a day or "
                f"more), {human_size(kept)} once the retention periods fill, before replication"
            )
            if churn:
                short = ", ".join(
                    f"{md_escape(op.name)} ~{human_size(op.storage_bytes or 0)} held for "
                    f"{human_duration(op.retention_seconds or 0)}"
                    for op in churn
                )
                text += f"; short-lived state on top: {short}"
            lines.append(text + ". A month is 30 days, a year 365.")
    else:
        lines.append("- **Workload:** none given, so no capacity estimates (add `workload:`).")
    sev = [f"{analysis.count(s)} {s}{'s' if analysis.count(s) != 1 and s != 'info' else ''}"
           for s in ("error", "warning", "info")]  # fmt: skip
    suppressed = f", {len(analysis.suppressed)} suppressed" if analysis.suppressed else ""
    lines.append(f"- **Review:** {_join(sev)}{suppressed}.")
    pressing: dict[str, list[str]] = {}
    for f in analysis.findings:
        if f.severity in ("error", "warning"):
            pressing.setdefault(f.component or "(design)", []).append(f.code)
    if pressing:
        items = [
            (f"`{k}`" if k != "(design)" else "the design as a whole")
            + f" ({', '.join(sorted(set(v)))})"
            for k, v in sorted(pressing.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        ]
        lines.append(f"- **Needs attention:** {_join(items)}.")
    return [*lines, ""]


# ---------------------------------------------------------------- capacity


def capacity_section(analysis: Analysis, ctx: Context) -> list[str]:
    """Per-operation estimates, their arithmetic, the cache size, and the load per component."""
    est = analysis.estimates
    if not est.operations:
        return []
    pf = f"{est.peak_factor:g}"
    lines = [
        "## Capacity estimates",
        "",
        f"| Operation | Access | Average | Peak (x{pf}) | Bandwidth | Peak bandwidth | Storage |",
        "|---|---|---|---|---|---|---|",
    ]
    for op in est.operations:
        storage = (
            f"{human_size(op.storage_bytes)} ({human_duration(op.retention_seconds or 0)})"
            if op.storage_bytes is not None
            else "-"
        )
        bw = human_bandwidth(op.bandwidth_bytes_per_second) if op.size_bytes else "-"
        pbw = human_bandwidth(op.peak_bandwidth_bytes_per_second or 0) if op.size_bytes else "-"
        lines.append(
            f"| {md_escape(op.name)} | {op.access} | {human_rate(op.avg_per_second)} | "
            f"{human_rate(op.peak_per_second)} | {bw} | {pbw} | {storage} |"
        )
    lines.append(
        f"| **Total** | | {human_rate(est.avg_per_second)} | {human_rate(est.peak_per_second)} "
        f"| {human_bandwidth(est.bandwidth_bytes_per_second)} | "
        f"{human_bandwidth(est.peak_bandwidth_bytes_per_second)} | "
        f"{human_size(est.storage_bytes) if est.storage_bytes else '-'} |"
    )
    lines += ["", "How the figures come about:", ""]
    for op in est.operations:
        steps = [
            f"{human_count(op.per_day)}/day = {human_rate(op.avg_per_second)}",
            f"x {pf} = {human_rate(op.peak_per_second)} at peak",
        ]
        if op.size_bytes is not None:
            steps.append(
                f"x {human_size(op.size_bytes)} = "
                f"{human_bandwidth(op.bandwidth_bytes_per_second or 0)} on average"
            )
        if op.storage_bytes is not None:
            steps.append(
                f"x {human_duration(op.retention_seconds or 0)} kept = "
                f"{human_size(op.storage_bytes)} stored"
            )
        lines.append(f"- {md_escape(op.name)}: " + "; ".join(steps) + ".")
    reads = [op for op in est.reads if op.cache_bytes]
    if reads:
        parts = [
            f"{md_escape(op.name)} {human_count(op.per_day)}/day x "
            f"{human_size(op.size_bytes or 0)} x {CACHE_HOT_FRACTION:.0%} = "
            f"{human_size(op.cache_bytes or 0)}"
            for op in reads
        ]
        lines += [
            "",
            f"**Cache size.** Keeping {CACHE_HOT_FRACTION:.0%} of a day's reads in memory (the "
            "80/20 rule; an upper bound, as it counts every read as distinct): "
            + "; ".join(parts)
            + (f"; {human_size(est.cache_bytes)} in all." if len(reads) > 1 else "."),
        ]
    lines += [*load_table(analysis, ctx), ""]
    findings = [f for f in analysis.findings if f.topic == "capacity"]
    if findings:
        lines += ["**Capacity findings:**", "", *[_finding_line(f) for f in findings], ""]
    return lines


def _pct(util: float | None) -> str:
    """`36%`, `<1%`, `243% **over**`, or `-`."""
    if util is None:
        return "-"
    if util == float("inf"):
        return "nothing left **over**"
    text = "<1%" if util < 0.01 else f"{util:.0%}"
    return text + (" **over**" if util > 1 else "")


def load_table(analysis: Analysis, ctx: Context) -> list[str]:
    """The peak load on each component against what it carries, running and at the most."""
    lines: list[str] = []
    if analysis.loads:
        region = ctx.largest_region
        head = "| Component | Peak load | Capacity running | Utilization | At maximum |"
        rule = "|---|---|---|---|---|"
        if region is not None:
            head += f" {md_escape(region)} lost |"
            rule += "---|"
        lines += [
            "",
            "### Load per component",
            "",
            "Each operation's peak enters its flows where they start; every step runs `calls` "
            "times per request its caller handles (default 1). A CDN passes on only its misses "
            "(its own asynchronous logs carry every request), a cache only its misses to the "
            "stores behind it. Capacity running is at `replicas` (or `autoscaling.min`); at "
            "maximum, at `autoscaling.max`.",
            "",
            head,
            rule,
        ]
        for load in analysis.loads:
            c = ctx.component(load.component)
            if c.kind == "client":
                continue  # where the load comes from, not where it lands
            cap = load.capacity_per_second
            if cap is None or load.per_instance is None:
                cap_text, util_text, max_text = "-", "-", "-"
            else:
                cap_text = load.capacity_text() + (" (spec)" if c.capacity is not None else "")
                util_text = _pct(load.utilization)
                max_text = (
                    _pct(load.utilization_max)
                    + (f" ({load.maximum} instances)" if load.maximum != load.running else "")
                    if load.maximum != load.running
                    else "same"
                )
            row = (
                f"| {_name(c)} | {human_rate(load.peak_per_second)} "
                f"({md_escape(load.breakdown())}) | {md_escape(cap_text)} | {util_text} | "
                f"{max_text} |"
            )
            if region is not None:
                loss = load.region_loss
                row += f" {_pct(loss.utilization) if loss else '-'} |"
            lines.append(row)
        lines += ["", *per_node_facts(ctx), *assumptions(ctx)]
    if analysis.untraced_operations:
        names = ", ".join(md_escape(n) for n in analysis.untraced_operations)
        lines += [
            "",
            f"Not traced to components (no flow carries them): {names}. List them in a "
            "flow's `operations` to have their load checked.",
        ]
    return lines


def per_node_facts(ctx: Context) -> list[str]:
    """Storage per node, hottest keys and bytes per instance: where averages hide the limit."""
    out: list[str] = []
    for load in ctx.loads.values():
        c = ctx.component(load.component)
        topo = load.topology
        if load.storage_bytes is not None and topo is not None and c.kind != "search_index":
            out.append(
                f"- {_name(c)} keeps {human_size(load.storage_bytes)} before replication; x "
                f"{topo.copies:g} copies / {topo.nodes} nodes = "
                f"{human_size(load.storage_per_node_bytes or 0)} per node."
            )
        hot = load.hottest_key_per_second
        if hot is not None and load.hot_key_capacity is not None:
            out.append(
                f"- {_name(c)}: hottest key {human_rate(hot)} at peak against "
                f"{human_rate(load.hot_key_capacity)} on its one home "
                f"({_pct(load.hot_key_utilization)})."
            )
        link = load.network_bytes_per_second
        if link and load.peak_bytes_per_second and load.running:
            each = load.peak_bytes_per_second / load.running
            if each >= 0.5 * link:
                down = (
                    f", {_pct(load.peak_bytes_per_second / (load.running - 1) / link)} with one "
                    "down"
                    if load.running > 1
                    else ""
                )
                out.append(
                    f"- {_name(c)} moves {human_bandwidth(each)} per instance at peak: "
                    f"{_pct(each / link)} of its {human_bandwidth(link)} network{down}."
                )
    return [*out, ""] if out else []


def assumptions(ctx: Context) -> list[str]:
    """The hit ratios, stores, quotas and capacity figures the load table relies on."""
    out = []
    for c in ctx.of_kind("cdn", "cache"):
        if c.id not in ctx.loads:
            continue
        declared = getattr(c, "hit_ratio", None)
        if declared is not None:
            out.append(f"{_name(c)} serves {declared:.0%} of reads itself (declared)")
        elif c.kind == "cache":
            out.append(
                f"{_name(c)} is assumed to serve {DEFAULT_CACHE_HIT_RATIO:.0%} of reads "
                "(declare `hit_ratio`)"
            )
        else:
            out.append(f"{_name(c)} is assumed to serve no reads itself (declare `hit_ratio`)")
    for op_name, store in ctx.ambiguous_stores.items():
        out.append(
            f"{md_escape(op_name)} is assumed to keep its whole size in `{store}`, the first "
            "of the stores its flows write, or the only store (declare `stored_in`)"
        )
    for load in ctx.loads.values():
        if load.is_quota:
            out.append(
                f"`{load.component}`'s figure is a quota per {load.scope}: replicas do not "
                "multiply it"
            )
        topo = load.topology
        if topo is not None and topo.implied:
            out.append(
                f"`{load.component}` counts {topo.nodes} nodes, what its shards and read "
                "replicas need (`replicas` says fewer)"
            )
    text = (
        "Capacities are per-unit rules of thumb for the kind and tech (sources in the DG501 "
        "rule documentation), unless the spec sets `capacity`; a data store carries reads on "
        "the nodes that serve them and writes on its primaries. Units: a month is 30 days, a "
        "year 365; sizes are decimal (1 KB = 1,000 B)."
    )
    if out:
        text += " Assumed: " + "; ".join(out) + "."
    return [text]


# ---------------------------------------------------------------- tradeoffs


def scalability_facts(ctx: Context) -> list[str]:
    """How the design grows: instances, autoscaling, state, sharding, partitions."""
    facts = []
    out, up, stateful = [], [], []
    for c in ctx.of_kind(*COMPUTE_KINDS, "function"):
        auto = getattr(c, "autoscaling", None)
        if getattr(c, "scaling", "horizontal") == "vertical":
            up.append(_name(c))
        elif auto is not None:
            out.append(f"{_name(c)} {auto.min}-{auto.max} instances on {md_escape(auto.metric)}")
        elif c.replicas > 1:
            out.append(f"{_name(c)} x{c.replicas}")
        if not getattr(c, "stateless", True):
            store = getattr(c, "session_store", None)
            stateful.append(_name(c) + (f" (sessions in `{store}`)" if store else ""))
    if out:
        facts.append(f"Scales out: {_join(out)}.")
    if up:
        facts.append(f"Scales up only (one bigger machine): {_join(up)}.")
    if stateful:
        facts.append(f"Keeps per-user state: {_join(stateful)}.")
    for c in ctx.of_kind("load_balancer"):
        sticky = ", sticky sessions" if getattr(c, "sticky_sessions", False) else ""
        facts.append(
            f"{_name(c)} spreads requests by {getattr(c, 'algorithm', 'round_robin')} "
            f"({getattr(c, 'layer', 'L7')}{sticky})."
        )
    for c in ctx.components:
        sharding = getattr(c, "sharding", None)
        if sharding is not None:
            n = f" into {sharding.shards} shards" if sharding.shards else ""
            facts.append(
                f"{_name(c)} is partitioned on {_code(sharding.key)} "
                f"({sharding.strategy}){n}: data and load grow by adding nodes, and every "
                f"query must carry {_code(sharding.key)} to stay on one shard."
            )
    for c in ctx.of_kind(*MESSAGING_KINDS):
        partitions = getattr(c, "partitions", None)
        if partitions:
            facts.append(
                f"{_name(c)} has {partitions} partitions: at most {partitions} consumers of "
                "one group work in parallel."
            )
    return facts


def storage_facts(ctx: Context) -> list[str]:
    """What holds the data, how it replicates, and how much accumulates."""
    facts = []
    for c in ctx.of_kind(*DATABASE_KINDS):
        bits = [f"{_tech(c)}{c.KIND_LABEL}".strip()]
        model = getattr(c, "model", None)
        if model:
            bits.append(model.replace("_", "-"))
        topo = ctx.topology(c)
        if topo is not None and not ctx.is_managed(c):
            bits.append(
                f"{_plural(topo.nodes, 'node')}, {topo.copies:g} "
                f"cop{'y' if topo.copies == 1 else 'ies'} of each item, "
                f"{topo.primaries:g} primar{'y' if topo.primaries == 1 else 'ies'}"
            )
        readers = getattr(c, "read_replicas", 0)
        if readers:
            bits.append(f"{readers} read replicas per primary")
        replication = getattr(c, "replication", "none")
        if replication != "none":
            bits.append(f"{replication.replace('_', '-')} replication")
        consistency = getattr(c, "consistency", None)
        if consistency:
            bits.append(f"{consistency} consistency")
        if getattr(c, "multi_region", False):
            bits.append("multi-region")
        backups = getattr(c, "backups", None)
        bits.append({True: "backups", False: "no backups"}.get(backups, "backups not declared"))
        stored, ops = ctx.stored_bytes(c.id)
        holds = ""
        if ops:
            per_node = ctx.stored_per_node(c)
            holds = (
                f"; accumulates {human_size(stored)} ({_join([md_escape(o.name) for o in ops])})"
                + (f", {human_size(per_node)} per node" if per_node is not None else "")
            )
        facts.append(f"{_name(c)}: {_join(bits)}{holds}.")
    for c in ctx.of_kind("object_storage", "search_index"):
        bits = [f"{_tech(c)}{c.KIND_LABEL}".strip()]
        if c.kind == "object_storage":
            bits.append(f"{getattr(c, 'storage_class', 'standard')} class")
            lifecycle = getattr(c, "lifecycle", None)
            if lifecycle:
                bits.append(f"objects expire after {human_duration(lifecycle)}")
        elif getattr(c, "shards", None):
            bits.append(f"{c.shards} shards")
        stored, ops = ctx.stored_bytes(c.id)
        holds = f"; accumulates {human_size(stored)}" if ops else ""
        facts.append(f"{_name(c)}: {_join(bits)}{holds}.")
    return facts


def reliability_facts(ctx: Context) -> list[str]:
    """Redundancy on the request path, replication, messaging guarantees, DR, externals."""
    facts = []
    on_path = [
        c
        for c in ctx.components
        if ctx.on_request_path(c.id) and c.kind not in ("client", "external")
    ]
    if on_path:
        by_nature = [f"`{c.id}`" for c in on_path if ctx.is_redundant_by_nature(c)]
        others = [c for c in on_path if not ctx.is_redundant_by_nature(c)]
        redundant = [
            f"`{c.id}` x{ctx.running(c)}"
            + (f" (up to {ctx.instances(c)})" if ctx.instances(c) > ctx.running(c) else "")
            for c in others
            if ctx.instances(c) > 1
        ]
        single = [f"`{c.id}`" for c in others if ctx.instances(c) == 1]
        text = f"Request path: {_join(redundant) or 'no replicated components'}"
        if by_nature:
            text += f"; distributed or managed: {_join(by_nature)}"
        text += f"; single instances: {_join(single)}." if single else "; no single instances."
        facts.append(text)
    for c in ctx.of_kind(*MESSAGING_KINDS):
        dl = getattr(c, "dead_letter", None)
        dead = (
            "a built-in dead-letter queue"
            if dl is True
            else (f"dead letters to `{dl}`" if dl else "no dead-letter path")
        )
        retention = getattr(c, "retention", None)
        keep = f", keeps messages {human_duration(retention)}" if retention else ""
        facts.append(
            f"{_name(c)} delivers {getattr(c, 'delivery', 'at_least_once').replace('_', '-')} "
            f"with {dead}{keep}"
            + (
                ": consumers must be idempotent."
                if getattr(c, "delivery", "") == "at_least_once"
                else "."
            )
        )
    dr = ctx.design.disaster_recovery
    if dr is not None:
        bits = [dr.strategy.replace("_", " ")]
        if dr.regions:
            bits.append("into " + ", ".join(md_escape(r) for r in dr.regions))
        if dr.rpo is not None:
            bits.append(f"RPO {human_duration(dr.rpo)}")
        if dr.rto is not None:
            bits.append(f"RTO {human_duration(dr.rto)}")
        facts.append(f"Disaster recovery: {_join(bits)}.")
    else:
        regions = sorted({c.region for c in ctx.components if c.region})
        where = ", ".join(md_escape(r) for r in regions) if regions else "no region declared"
        facts.append(f"Disaster recovery: not declared ({where}).")
    for c in ctx.of_kind("external"):
        sla = getattr(c, "sla", None)
        facts.append(
            f"{_name(c)} is outside this design"
            + (f", with a {sla:g}% SLA." if sla is not None else ", with no stated SLA.")
        )
    return facts


def performance_facts(ctx: Context) -> list[str]:
    """Caches, the CDN, and the work moved off the request path."""
    facts = []
    est = ctx.estimates
    for c in ctx.of_kind("cache"):
        bits = [f"{_tech(c)}cache".strip(), getattr(c, "strategy", "cache_aside").replace("_", "-")]
        ttl = getattr(c, "ttl", None)
        bits.append(f"TTL {human_duration(ttl)}" if ttl else "no TTL")
        eviction = getattr(c, "eviction", None)
        if eviction and eviction != "none":
            bits.append(f"{eviction.upper()} eviction")
        else:
            bits.append("no eviction" if eviction else "no eviction policy")
        size = getattr(c, "size", None)
        if size:
            bits.append(f"{human_size(size)}")
        hot = sum(op.cache_bytes or 0.0 for op in ctx.operations_through(c.id, "read"))
        sized = f"; hot set of its reads ~{human_size(hot)}" if hot else ""
        facts.append(f"{_name(c)}: {_join(bits)}{sized}.")
    for c in ctx.of_kind("cdn"):
        ttl = getattr(c, "ttl", None)
        inval = getattr(c, "invalidation", None)
        facts.append(
            f"{_name(c)}: edge TTL {human_duration(ttl) if ttl else 'not set'}, invalidation "
            f"{(inval or 'not set').replace('_', ' ')}."
        )
    async_edges = [
        f"`{e.source}` ~> `{e.target}`" + (f" ({md_escape(e.label)})" if e.label else "")
        for e in ctx.design.connections
        if e.is_async
    ]
    if async_edges:
        facts.append(
            f"Off the request path (asynchronous): {_join(async_edges)}: callers do not wait, "
            "at the price of eventual completion."
        )
    ratio = est.read_write_ratio
    if ratio is not None and ratio >= 10:
        facts.append(
            f"Read-heavy ({ratio_text(ratio)}): caching and read replicas pay off more than "
            "write throughput."
        )
    elif ratio is not None and ratio <= 1:
        facts.append(
            f"Write-heavy ({ratio_text(1 / ratio)} writes to reads): write throughput and "
            "storage growth dominate."
        )
    return facts


FACTS: dict[str, Callable[[Context], list[str]]] = {
    "scalability": scalability_facts,
    "storage": storage_facts,
    "reliability": reliability_facts,
    "performance": performance_facts,
}


def tradeoffs_section(analysis: Analysis, ctx: Context) -> list[str]:
    """Per topic: what the design chose, then what the rules found."""
    lines = ["## Tradeoffs", ""]
    for topic, title in TOPIC_TITLES.items():
        facts = FACTS[topic](ctx)
        findings = [f for f in analysis.findings if f.topic == topic]
        if not facts and not findings:
            continue
        lines += [f"### {title}", ""]
        lines += [f"- {fact}" for fact in facts]
        if facts:
            lines.append("")
        if findings:
            ordered = sorted(findings, key=lambda f: (SEVERITY_ORDER[f.severity], f.sort_key))
            lines += [*[_finding_line(f) for f in ordered], ""]
    return lines


def findings_index(analysis: Analysis) -> list[str]:
    """Every finding by code (one row each), then what was silenced and why."""
    lines = ["## Findings", ""]
    if not analysis.findings:
        lines += ["No findings.", ""]
    else:
        lines += ["| Code | Severity | Topic | Component | Rule |", "|---|---|---|---|---|"]
        for f in analysis.findings:
            comp = f"`{f.component}`" if f.component else "(design)"
            lines.append(f"| {f.code} | {f.severity} | {f.topic} | {comp} | {f.name} |")
        lines.append("")
    if analysis.suppressed:
        lines += ["Suppressed with `ignore`:", ""]
        for f in analysis.suppressed:
            comp = f" `{f.component}`" if f.component else ""
            lines.append(f"- **{f.code}**{comp}: {md_escape(f.suppressed or '')}")
        lines.append("")
    for u in analysis.unknown_ignores:
        where = f"`{u.component}`" if u.component else "the design"
        lines += [f"- `ignore` on {where} names an unknown rule {md_escape(u.code)}.", ""]
    return lines


def render_notes(design: Design, analysis: Analysis | None = None) -> str:
    """The notes Markdown for a design; same design, same bytes."""
    analysis = analysis or analyze(design)
    ctx = context_of(design, analysis)
    lines = [f"# {md_escape(design.display_title)}", ""]
    if design.description:
        lines += [md_escape(design.description), ""]
    lines += summary_section(design, analysis)
    lines += capacity_section(analysis, ctx)
    # Imported here: the section module reuses this module's escaping helpers.
    from diagramgen.rendering.notes_targets import (
        availability_section,
        cost_section,
        latency_section,
    )

    lines += latency_section(analysis)
    lines += availability_section(analysis)
    lines += cost_section(analysis)
    lines += tradeoffs_section(analysis, ctx)
    lines += findings_index(analysis)
    lines += ["## Components", "", *components_table(design), ""]
    if design.decisions:
        lines += ["## Decisions", "", *decisions_section(design)]
    if design.notes:
        notes = design.notes if isinstance(design.notes, list) else [design.notes]
        lines += ["## Notes", "", *[f"- {md_escape(n)}" for n in notes], ""]
    return "\n".join(lines).rstrip("\n") + "\n"
