"""DG110: long-lived connections that all reconnect at once after a node or region is lost."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from diagramgen import techs
from diagramgen.analysis.base import Hit, Rule, ask
from diagramgen.analysis.context import COMPUTE_KINDS, Context
from diagramgen.spec.models import Connection, Flow
from diagramgen.spec.units import human_count, human_duration, human_rate

# Retry and reconnect "with exponential backoff and jitter": randomised waits spread callers
# that failed together (AWS Well-Architected, REL05-BP03 "Control and limit retry calls",
# https://docs.aws.amazon.com/wellarchitected/2023-04-10/framework/rel_mitigate_interaction_failure_limit_retries.html).
BACKOFF_SOURCE = "AWS Well-Architected REL05-BP03"
# A storm the path absorbs within a second needs no plan: clients that notice a dropped
# connection at the same moment and reconnect at once arrive within about that long anyway.
QUIET_WINDOW = 1.0
_HOLDER_KINDS = frozenset({*COMPUTE_KINDS, "api_gateway", "function"})


@dataclass(frozen=True)
class _Storm:
    """One failure, the reconnects it causes, and the component that absorbs them worst."""

    event: str  # "region eu-west-1 is lost"
    lost: float  # connections that reconnect
    tier: list[str]  # the tightest tier of the connection path (siblings share the load)
    capacity: float  # what it carries after the failure, per second
    headroom: float  # capacity left over its steady peak, per second
    peak: float  # its steady peak, per second
    instances: float  # its instances left after the failure

    @property
    def component(self) -> str:
        """The component findings are reported on: the tier's first."""
        return self.tier[0]

    @property
    def window(self) -> float:
        """Seconds the reconnects must be spread over for the headroom to carry them."""
        return self.lost / self.headroom


class ReconnectStorm(Rule):
    """Long-lived connections that reconnect at once when a node or region fails.

    ## What it does
    For each operation that holds connections open (`access: stream`: websockets,
    heartbeats, held polls), takes the `connections` it declares and the path its flow
    takes synchronously from the client (load balancer, gateway ...); instances of one
    thing that the same callers reach (gateways drawn once per region) form one tier. For
    the loss of one instance of each self-run tier, and of the largest region when
    `disaster_recovery` keeps several serving, it counts the connections that go down (an
    even share per instance or region) and compares them with the headroom of every tier
    after the failure: its capacity at the surviving instances (the capacity model's
    figure) minus its whole steady peak, which the survivors now carry. A reconnect is
    counted as one call per component, the least a TLS handshake and re-authentication
    cost. The headroom gives the window the reconnects must be spread over; the `backoff`
    on the client's first hop (jittered, so reconnects spread over it) must be at least
    that long. Without a declared `backoff` it asks for one; without `connections` it asks
    for them. Cold caches after a failover and CDN purges are DG109's.

    ## Why is this bad?
    A gateway holding a million websockets dies and a million clients reconnect in the
    same second: TLS handshakes, token checks and session lookups at many times the
    steady rate. The survivors saturate, drop connections, and those clients reconnect
    too; the storm feeds itself. Randomised exponential backoff spreads the reconnects so
    the survivors can absorb them (AWS Well-Architected REL05-BP03).

    ## Example
    ```yaml
    workload:
      operations: [{name: heartbeat, rate: 20k/s, access: stream, connections: 2M}]
    components:
      - {id: phone, kind: client}
      - {id: gateways, kind: service, replicas: 4, capacity: 50k/s}
    connections: [{from: phone, to: gateways, label: websocket, backoff: 1s}]
    flows: [{name: heartbeat, steps: ["phone -> gateways: ping"]}]
    ```
    One gateway down drops 500k connections; the other three have 110k/s to spare.

    Use instead: spread reconnects with jittered backoff over a window the survivors carry:
    ```yaml
    connections: [{from: phone, to: gateways, label: websocket, backoff: 30s}]
    ```
    (or admit reconnects at a fixed rate, or keep spare instances for them).
    """

    code = "DG110"
    name = "reconnect-storm"
    severity = "warning"
    topic = "reliability"

    def check(self, ctx: Context) -> Iterator[Hit]:
        """One hit per connection-holding operation whose reconnects outrun the headroom."""
        for op in ctx.estimates.operations:
            held = ctx.operation_spec(op.name, "connections")
            if held is None and not op.is_stream:
                continue
            flows = ctx.flows_of.get(op.name, [])
            path, first = self._connect_path(ctx, flows)
            if not path or first is None:
                continue
            holder = next((c for c in path if ctx.component(c).kind in _HOLDER_KINDS), path[-1])
            if held is None:
                yield ask(
                    holder,
                    f"`connections` on operation '{op.name}'",
                    f"its clients hold connections open to {ctx.name(holder)}, and how many "
                    "decides whether the survivors of a failure can take their reconnects",
                )
                continue
            storm = self._worst(ctx, path, holder, float(held))
            if storm is None or storm.window <= QUIET_WINDOW:
                continue
            hop = f"{first.source} -> {first.target}"
            backoff = ctx.link_fact(first, "backoff")
            what = (
                f"when {storm.event}, the {human_count(storm.lost)} `{op.name}` connections it "
                f"held (of {human_count(held)}, an even share) reconnect; "
                f"{' and '.join(ctx.name(c) for c in storm.tier)} then "
                f"carr{'y' if len(storm.tier) > 1 else 'ies'} "
                f"{human_rate(storm.capacity)} on {storm.instances:g} instances, "
                f"{human_rate(storm.headroom)} above "
                f"{'their' if len(storm.tier) > 1 else 'its'} {human_rate(storm.peak)} peak"
            )
            need = f"at least {human_duration(storm.window)}"
            if backoff is None:
                yield ask(
                    storm.component,
                    f"`backoff` on {hop}",
                    f"{what}, so the reconnects fit only when spread over {need} (one call "
                    f"each, the least a handshake costs; jittered backoff, {BACKOFF_SOURCE}).",
                )
            elif backoff < storm.window:
                rate = storm.lost / backoff
                yield Hit(
                    storm.component,
                    f"{what}; spread over the {human_duration(backoff)} `backoff` on {hop} they "
                    f"arrive at ~{human_rate(rate)}, {rate / storm.headroom:.1f}x that headroom "
                    "(one call each, the least a handshake costs): the survivors saturate and "
                    f"drop more connections. Spread reconnects over {need} with jittered "
                    f"backoff ({BACKOFF_SOURCE}), admit them at a fixed rate, or size "
                    f"{' and '.join(storm.tier)} for them.",
                )

    @staticmethod
    def _connect_path(ctx: Context, flows: list[Flow]) -> tuple[list[str], Connection | None]:
        """What a connection passes through: the flows' synchronous steps from the client on,
        and the first of those steps (where a client's `backoff` is declared)."""
        path: list[str] = []
        first: Connection | None = None
        for flow in flows:
            start = set(ctx.graph.expand(flow.steps[0].source))
            reached = set(start)
            for step in flow.steps:
                if ctx.link_async(step) or not reached & set(ctx.graph.expand(step.source)):
                    continue
                first = first or step
                for target in ctx.graph.expand(step.target):
                    reached.add(target)
                    if target not in path and target not in start:
                        path.append(target)
        return path, first

    @staticmethod
    def _tiers(ctx: Context, path: list[str]) -> list[list[str]]:
        """The path's components grouped into tiers: instances of one thing called by the
        same callers (`gw_us`, `gw_eu` behind the phones) share the reconnects between them;
        components in series (a gateway, then an auth service) each take all of them."""
        tiers: dict[tuple[frozenset[str], str, str | None], list[str]] = {}
        for cid in path:
            c = ctx.component(cid)
            callers = frozenset(ctx.callers.get(cid, []))
            tiers.setdefault((callers, c.kind, techs.canonical(c.tech)), []).append(cid)
        return list(tiers.values())

    def _worst(self, ctx: Context, path: list[str], holder: str, held: float) -> _Storm | None:
        """The failure whose reconnects need the longest spread, and where they pinch."""
        tiers = self._tiers(ctx, path)
        # (event, connections lost, surviving instances of the components that lose some)
        events: list[tuple[str, float, dict[str, float]]] = []
        for tier in tiers:
            members = [ctx.component(c) for c in tier]
            n = sum(ctx.running(c) for c in members)
            if any(ctx.is_redundant_by_nature(c) for c in members) or n < 2:
                continue  # managed, or one instance (DG101's finding)
            largest = max(members, key=lambda c: ctx.running(c))
            what = f"one of the {n} {' and '.join(tier)} instances fails"
            events.append((what, held / n, {largest.id: ctx.running(largest) - 1.0}))
        region = ctx.largest_region
        if region is not None:
            # The share of the connections the region held: that of the instances that hold
            # them (sibling gateways pinned to regions, or one set spread evenly).
            holders = [ctx.component(c) for c in path if ctx.component(c).kind in _HOLDER_KINDS]
            holders = holders or [ctx.component(holder)]
            share = sum(ctx.instances_in(h, region) for h in holders) / max(
                1, sum(ctx.running(h) for h in holders)
            )
            survivors = {
                cid: load.region_loss.survivors
                for cid in path
                if (load := ctx.loads.get(cid)) is not None and load.region_loss is not None
            }
            events.append((f"region {region} is lost", held * share, survivors))
        worst: _Storm | None = None
        for event, lost, survivors in events:
            for tier in tiers:
                loads = [load for c in tier if (load := ctx.loads.get(c)) is not None]
                if not loads or lost <= 0:
                    continue
                caps = [
                    ld.capacity_at(survivors.get(ld.component, float(ld.running))) for ld in loads
                ]
                if all(cap is None for cap in caps):
                    continue
                capacity = sum(cap or 0.0 for cap in caps)
                peak = sum(ld.peak_per_second for ld in loads)
                if capacity <= peak:
                    continue  # saturated anyway: the capacity rules say so
                left = sum(survivors.get(ld.component, float(ld.running)) for ld in loads)
                storm = _Storm(event, lost, tier, capacity, capacity - peak, peak, left)
                if worst is None or storm.window > worst.window:
                    worst = storm
        return worst
