"""Response time of a flow: network round trips, service times and M/M/c queueing per hop.

The model, written down so a reader can check it:

- A flow's synchronous part is every step reached from its first component through
  synchronous steps; the rest (behind an `async` step) is reported apart and is not part of
  the response time.
- The time is the wait of the flow's first component (a client, or the component that
  starts it): its own work is not part of it.
- Each other component on it contributes, once: the round trip of the hop that first reaches it
  (same zone, cross zone, cross region, client to edge, or over the internet: see
  `defaults.NETWORK_RTT`), its service time, and its queueing delay.
- Service time is exponential around the component's mean (`latency:`, else the default of
  its kind), as M/M/c assumes. The wait is Erlang C's: with probability C(c, a) a request
  queues, for an exponential time of rate c*mu - lam, where c is the running instances,
  mu the per-instance throughput and lam the peak load, all from the capacity model.
- A component that only some requests reach (behind a cache or CDN that serves the rest)
  counts with that probability.
- The flow's time is the sum of these independent parts; its p50 and p99 are read off the
  distribution of that sum, computed numerically on a grid (exponential convolutions are a
  one-line recursion on it). A component at or over saturation makes the time unbounded.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from diagramgen.analysis.context import Context
from diagramgen.analysis.defaults import NETWORK_RTT, default_latency
from diagramgen.analysis.queueing import Queue
from diagramgen.spec.models import Component, Flow

GRID_POINTS = 4000
_TAIL = math.log(1e4)  # p99.99 of an exponential, in means: how far the grid reaches


@dataclass(frozen=True)
class Hop:
    """One component of a flow, with the hop that reaches it and what it costs."""

    component: str
    source: str | None  # the component calling it; None for the flow's first component
    network: str | None  # the hop's class (a key of NETWORK_RTT); None for the first
    rtt: float  # seconds
    service: float  # mean seconds
    service_basis: str  # "declared" or the default's basis
    reach: float  # share of the flow's requests that reach it
    queue: Queue | None  # None: no per-instance throughput, so no queueing modelled
    instances_note: str = ""  # how the instance count was chosen, when not simply running

    @property
    def saturated(self) -> bool:
        """True when the component cannot carry its peak load."""
        return self.queue is not None and self.queue.saturated

    @property
    def wait_p99(self) -> float:
        """The 99th-percentile queueing delay (0 without a queue model)."""
        return self.queue.wait_percentile(0.99) if self.queue else 0.0

    @property
    def mean_wait(self) -> float:
        """The mean queueing delay."""
        return self.queue.mean_wait if self.queue else 0.0

    @property
    def own_p99(self) -> float:
        """Its p99 alone, when reached: round trip + p99 of service + p99 of the wait."""
        return self.rtt + self.service * math.log(100) + self.wait_p99

    @property
    def mean(self) -> float:
        """Its mean contribution to the flow: reach x (round trip + service + wait)."""
        return self.reach * (self.rtt + self.service + self.mean_wait)


@dataclass(frozen=True)
class FlowLatency:
    """The response time of a flow, and the time its asynchronous part takes after it."""

    hops: tuple[Hop, ...]  # the synchronous part, first reach first
    async_hops: tuple[Hop, ...]  # behind an async step
    p50: float | None  # seconds; None when unbounded
    p99: float | None
    async_p50: float | None
    async_p99: float | None

    @property
    def unbounded_by(self) -> list[str]:
        """The saturated components of the synchronous part (its first component aside)."""
        return [h.component for h in self.hops if h.saturated and h.source is not None]

    @property
    def async_unbounded_by(self) -> list[str]:
        """The saturated components of the asynchronous part."""
        return [h.component for h in self.async_hops if h.saturated]

    def contributors(self, limit: int = 3) -> list[Hop]:
        """The hops with the largest p99 of their own among those most requests reach."""
        ranked = sorted(
            (h for h in self.hops if h.source is not None and h.reach >= 0.01 and h.own_p99 > 0),
            key=lambda h: (-math.inf if h.saturated else -h.own_p99, h.component),
        )
        return ranked[:limit]


# ---------------------------------------------------------------- percentiles of a sum


def _exp(dist: list[float], rate: float, dt: float) -> list[float]:
    """Convolve grid masses with an exponential of `rate`: h[j] = a h[j-1] + (1-a) g[j]."""
    a = math.exp(-rate * dt)
    out = [0.0] * len(dist)
    acc = 0.0
    for j, g in enumerate(dist):
        acc = a * acc + (1 - a) * g
        out[j] = acc
    return out


def _shift(dist: list[float], seconds: float, dt: float) -> list[float]:
    k = round(seconds / dt)
    if k <= 0:
        return dist
    return [0.0] * k + dist[: len(dist) - k] if k < len(dist) else [0.0] * len(dist)


def _mix(p: float, a: list[float], b: list[float]) -> list[float]:
    """(1 - p) a + p b."""
    if p >= 1:
        return b
    return [(1 - p) * x + p * y for x, y in zip(a, b, strict=True)]


def _quantile(dist: list[float], q: float, dt: float) -> float:
    cum = 0.0
    for k, mass in enumerate(dist):
        if cum + mass >= q:
            inside = (q - cum) / mass if mass > 0 else 0.0
            return (k + inside) * dt
        cum += mass
    return len(dist) * dt


def percentiles(hops: Iterable[Hop], qs: tuple[float, ...] = (0.5, 0.99)) -> list[float]:
    """Quantiles of the sum of the hops' times (independent), in seconds."""
    # The flow's first component is the one waiting: its own work is not part of the wait.
    hops = [
        h
        for h in hops
        if h.source is not None and h.reach > 0 and (h.rtt > 0 or h.service > 0 or h.queue)
    ]
    span = sum(
        h.rtt + h.service * _TAIL + (h.queue.wait_percentile(0.9999) if h.queue else 0.0)
        for h in hops
    )
    if span <= 0:
        return [0.0 for _ in qs]
    dt = span / GRID_POINTS
    dist = [0.0] * (GRID_POINTS + 1)
    dist[0] = 1.0
    for h in hops:
        reached = _shift(dist, h.rtt, dt)
        if h.service > 0:
            reached = _exp(reached, 1 / h.service, dt)
        if h.queue is not None and h.queue.lam > 0:
            waiting = h.queue.wait_probability
            if waiting > 0:
                reached = _mix(waiting, reached, _exp(reached, h.queue.drain_rate, dt))
        dist = _mix(h.reach, dist, reached)
    return [_quantile(dist, q, dt) for q in qs]


# ---------------------------------------------------------------- the flow's hops


def region_of(ctx: Context, component: Component) -> str | None:
    """The component's region, else its nearest group's (`region` on groups, when declared)."""
    model = getattr(ctx, "region_of", None)  # the capacity model's, when it has one
    if model is not None:
        return model(component)
    if component.region:
        return component.region
    group_id = component.group
    seen: set[str] = set()
    while group_id and group_id not in seen:
        seen.add(group_id)
        group = next((g for g in ctx.design.groups if g.id == group_id), None)
        if group is None:
            return None
        region = getattr(group, "region", None)
        if region:
            return str(region)
        group_id = group.parent
    return None


def hop_class(ctx: Context, source: Component, target: Component) -> str:
    """Where a hop's ends live: `edge`, `internet`, `cross_region`, `cross_zone`, `same_zone`."""
    if source.kind == "client":
        return "edge" if target.kind == "cdn" else "internet"
    if "external" in (source.kind, target.kind) or (source.kind == "cdn" and target.kind != "cdn"):
        return "internet"
    a, b = region_of(ctx, source), region_of(ctx, target)
    if a and b and a != b:
        return "cross_region"
    # A single instance lives in one zone; the load of anything replicated or managed is
    # spread over zones, so a call crosses zones (two times in three with three zones).
    single = [ctx.running(c) == 1 and not ctx.is_redundant_by_nature(c) for c in (source, target)]
    return "same_zone" if all(single) else "cross_zone"


def _queue(ctx: Context, component: Component) -> tuple[Queue | None, str]:
    load = ctx.loads.get(component.id)
    if load is None or load.per_instance is None or load.peak_per_second <= 0:
        return None, ""
    running = getattr(load, "running", None) or ctx.running(component)
    queue = Queue(running, load.per_instance, load.peak_per_second)
    autoscaling = getattr(component, "autoscaling", None)
    if queue.saturated and autoscaling is not None and autoscaling.max > component.replicas:
        # The design plans to scale out at peak: queue on what autoscaling can run.
        ceiling = ctx.instances(component)
        scaled = Queue(ceiling, load.per_instance, load.peak_per_second)
        return scaled, f"{ceiling} instances (autoscaling.max, as {running} running saturate)"
    return queue, ""


def _is_async(ctx: Context, source: str, target: str, declared: bool) -> bool:
    """A step is async when it says so, or when every connection between its ends is."""
    if declared:
        return True
    links = [
        c
        for c in ctx.design.connections
        if target in ctx.graph.expand(c.target) and source in ctx.graph.expand(c.source)
    ]
    return bool(links) and all(c.is_async for c in links)


def _reach(ctx: Context, flow: Flow) -> dict[str, float]:
    """Share of the flow's requests reaching each component (cache and CDN hits upstream)."""
    for op in ctx.estimates.operations:
        if op.is_read and flow in ctx.flows_of.get(op.name, []):
            return ctx.flow_fractions(op, flow)
    return {}


def flow_latency(ctx: Context, flow: Flow) -> FlowLatency:
    """The latency model of one flow (see the module docstring)."""
    reach = _reach(ctx, flow)
    first = ctx.graph.expand(flow.steps[0].source)
    sync: set[str] = set(first)
    order: list[tuple[str, str | None, bool]] = [(cid, None, False) for cid in first]
    placed: set[str] = set(first)
    for step in flow.steps:
        calls = getattr(step, "calls", None)
        for source in ctx.graph.expand(step.source):
            for target in ctx.graph.expand(step.target):
                if target in placed or target == source:
                    continue
                is_async = _is_async(ctx, source, target, step.is_async) or source not in sync
                if not is_async:
                    sync.add(target)
                placed.add(target)
                order.append((target, source, is_async))
                if calls is not None and calls < 1:
                    reach[target] = reach.get(target, 1.0) * float(calls)
    hops: list[Hop] = []
    async_hops: list[Hop] = []
    for cid, source, is_async in order:
        component = ctx.component(cid)
        network, rtt = None, 0.0
        if source is not None:
            network = hop_class(ctx, ctx.component(source), component)
            rtt = NETWORK_RTT[network].value
        if component.latency is not None:
            service, basis = component.latency, "declared"
        else:
            figure = default_latency(component)
            service, basis = figure.value, figure.basis
        queue, note = _queue(ctx, component)
        hop = Hop(
            component=cid,
            source=source,
            network=network,
            rtt=rtt,
            service=service,
            service_basis=basis,
            reach=min(1.0, reach.get(cid, 1.0)) if not is_async else 1.0,
            queue=queue,
            instances_note=note,
        )
        (async_hops if is_async else hops).append(hop)
    p50 = p99 = a50 = a99 = None
    if not any(h.saturated and h.source is not None for h in hops):
        p50, p99 = percentiles(hops)
    if async_hops and not any(h.saturated for h in async_hops):
        a50, a99 = percentiles(async_hops)
    return FlowLatency(tuple(hops), tuple(async_hops), p50, p99, a50, a99)
