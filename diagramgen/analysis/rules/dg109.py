"""DG109: the load that reaches the backend when the cache or CDN in front of it is empty."""

from __future__ import annotations

from collections.abc import Iterator

from diagramgen.analysis.base import Hit, Rule, ask
from diagramgen.analysis.context import STORE_KINDS, Context, cache_hit_ratio
from diagramgen.spec.models import Component
from diagramgen.spec.units import human_rate

# A whole CDN can stop serving: on 8 June 2021 a configuration change made 85% of Fastly's
# network return errors, and it took 49 minutes to bring 95% of it back (Fastly, "Summary of
# June 8 outage", https://www.fastly.com/blog/summary-of-june-8-outage). Whatever the edge
# normally serves itself then goes to the origin, or nowhere.
CDN_OUTAGE_SOURCE = "Fastly's 8 June 2021 outage: 85% of its network returned errors for ~49 min"


class ColdCacheStampede(Rule):
    """A cache or CDN whose misses, all at once, are more than the backend behind it carries.

    ## What it does
    For each cache and CDN that a traced operation reaches, takes the peak traffic that
    arrives at it and compares it with the capacity of the components right behind it
    (their declared `capacity`, else the rule of thumb, times their instances). It fires
    when that backend carries the misses at the declared hit ratio but not the whole
    peak: a cache restarted or failed over empty sends all of it through. For a cache, the
    backends are the stores after it in the flows through it.

    A CDN's backends are its `origin` (else what it calls next) and what the read flows
    through it reach synchronously after it. When the CDN fails, is bypassed (a
    configuration error routing around it) or, with `invalidation: purge`, is purged, the
    reads it serves itself (its declared `hit_ratio` times the peak reads through it) reach
    them on top of their own peak (the capacity model's figure, which counts only the
    misses; further on, the same factor is undone on the shares that came through the
    CDN). It fires when a backend carries its peak but not that sum. A second CDN in front
    of the same origin takes the load when one fails, so then only a purge counts; a load
    balancer or gateway on the way that sheds above a `max_rate` caps what reaches the
    components after it. A CDN without a declared `hit_ratio` is estimated as serving no
    reads itself, so its backends are already sized for all of them (DG501 checks that);
    an origin without a capacity figure is asked for one. Failure-mode traffic, not
    steady state.

    ## Why is this bad?
    A cache that absorbs 90% of the reads lets the database be sized for 10% of them.
    The day the cache node fails over to a cold replica, or the CDN is purged, the whole
    read load arrives at once: the database saturates, requests time out, clients retry
    and the cache never gets the chance to warm (a thundering herd). Whole CDNs fail too:
    on 8 June 2021 85% of Fastly's network returned errors for about 49 minutes.

    ## Example
    ```yaml
    workload: {operations: [{name: read, rate: 50k/s, access: read}]}
    components:
      - {id: api, kind: service, replicas: 40}
      - {id: cache, kind: cache, tech: redis, replicas: 2, hit_ratio: 0.95, ttl: 1h}
      - {id: db, kind: sql_database, replicas: 2, read_replicas: 2}
    flows: [{name: read, steps: ["api -> cache: get", "api -> db: read on miss"]}]
    ```

    Use instead: size the backend for the cold start, or keep it from arriving at once:
    ```yaml
      - {id: db, kind: sql_database, replicas: 2, read_replicas: 40}
    ```
    (or warm the replica before failover, coalesce misses per key, and shed load). For a
    CDN, size the origin for the reads the edge serves, put a second CDN in front of it, or
    shed what it cannot carry before it reaches it:
    ```yaml
      - {id: cdn_b, kind: cdn, hit_ratio: 0.9, origin: web}
      - {id: lb, kind: load_balancer, max_rate: 8k/s}
    ```
    """

    code = "DG109"
    name = "cold-cache-stampede"
    severity = "warning"
    topic = "reliability"

    def check(self, ctx: Context) -> Iterator[Hit]:
        """One hit per (cache or CDN, backend) the cold-start load would saturate."""
        for c in ctx.of_kind("cache"):
            load = ctx.loads.get(c.id)
            if load is None or not load.read_peak_per_second:
                continue
            arriving = load.read_peak_per_second
            behind = self._backends(ctx, c.id)
            for backend in behind:
                b = ctx.loads.get(backend)
                cap = b.capacity_per_second if b is not None else None
                if not cap or cap >= arriving:
                    continue
                ratio = cache_hit_ratio(c)
                warm = arriving * (1 - ratio)
                if warm > cap:
                    continue  # saturated even when warm: the capacity rules say so
                yield Hit(
                    c.id,
                    f"when {ctx.name(c.id)} restarts or fails over empty, all "
                    f"{human_rate(arriving)} of peak reads "
                    f"reach {ctx.name(backend)}, which carries {b.capacity_text() if b else ''}"
                    f" ({arriving / cap:.1f}x over); warm, it sees only "
                    f"{human_rate(warm)} at the {ratio:.0%} hit ratio. Size {backend} for the "
                    "cold start, or warm the cache before failover and coalesce misses.",
                )
        for c in ctx.of_kind("cdn"):
            yield from self._cdn_bypass(ctx, c)

    def _cdn_bypass(self, ctx: Context, cdn: Component) -> Iterator[Hit]:
        """The reads a CDN serves itself, landing on its origin when it fails, is bypassed
        or is purged."""
        load = ctx.loads.get(cdn.id)
        if load is None or not load.read_peak_per_second:
            return
        purged = getattr(cdn, "invalidation", None) == "purge"
        backends = self._backends(ctx, cdn.id)
        # A second CDN in front of the same origin takes the reads when this one fails.
        second = [
            o.id
            for o in ctx.of_kind("cdn")
            if o.id != cdn.id and set(self._backends(ctx, o.id)) & set(backends)
        ]
        if second and not purged:
            return
        if second:
            event = "is purged"
        else:
            event = "fails, is bypassed or is purged" if purged else "fails or is bypassed"
        arriving = load.read_peak_per_second
        ratio = cache_hit_ratio(cdn)
        served = arriving * ratio  # what the edge answers itself, and the origin never sees
        if not served:
            return  # estimated as serving nothing: the origin already takes every read
        derived = (
            f"{human_rate(served)} of peak reads it serves itself "
            f"({human_rate(arriving)} x its {ratio:.0%} hit ratio)"
        )
        behind = self._behind(ctx, cdn.id)
        full: dict[str, float] = {}  # each component's load with the edge gone
        for cid in [*backends, *(b for b in behind if b not in backends)]:
            if (b := ctx.loads.get(cid)) is not None:
                # The capacity model counts only the misses past the edge: undo its factor on
                # the reads that came through the CDN (calls per read, caches further on, kept).
                ops = behind.get(cid, set())
                from_cdn = sum(s.peak_per_second for s in b.shares if s.operation in ops)
                extra = from_cdn * ratio / (1 - ratio) if from_cdn and ratio < 1 else served
                full[cid] = b.peak_per_second + extra
        # Load shedding (`max_rate`) on the way caps what goes on past it.
        shed: dict[str, tuple[str, float]] = {}
        for cid in full:
            limit = getattr(ctx.component(cid), "max_rate", None)
            if limit is None or full[cid] <= limit:
                continue
            for after in self._behind(ctx, cid):
                scale = limit / full[cid]
                if after in full and scale < shed.get(after, ("", 1.0))[1]:
                    shed[after] = (cid, scale)
        for backend, load_full in full.items():
            b = ctx.loads[backend]
            cap = b.capacity_per_second
            if cap is None:
                if backend in backends:  # the origin; further on, other rules ask for figures
                    yield ask(
                        backend,
                        f"`capacity` on {ctx.name(backend)}",
                        f"when {ctx.name(cdn.id)} {event}, the {derived} reach it on top of "
                        f"its {human_rate(b.peak_per_second)} peak, and without a figure nobody "
                        f"can tell whether it carries them ({CDN_OUTAGE_SOURCE}).",
                    )
                continue
            limiter, scale = shed.get(backend, ("", 1.0))
            arrives = load_full * scale
            if arrives <= cap or b.peak_per_second > cap:
                continue  # sized for the full load, shed before it, or saturated anyway
            via = "" if backend in backends else ", through the origin,"
            capped = f" (shed to {scale:.0%} at {limiter}'s `max_rate`)" if limiter else ""
            yield Hit(
                cdn.id,
                f"when {ctx.name(cdn.id)} {event}, the {derived} bring "
                f"{human_rate(load_full - b.peak_per_second)} more to {ctx.name(backend)}{via} "
                f"on top of its {human_rate(b.peak_per_second)} peak: {human_rate(arrives)}"
                f"{capped} against {b.capacity_text()} ({arrives / cap:.1f}x over). Size "
                f"{backend} for the full read load, put a second CDN in front of the origin, "
                "or shed the excess before it (`max_rate` on a load balancer or gateway); "
                f"whole CDNs do fail ({CDN_OUTAGE_SOURCE}).",
            )

    @staticmethod
    def _behind(ctx: Context, cdn_id: str) -> dict[str, set[str]]:
        """The components a CDN's misses (or a limiter's admitted calls) reach in the read
        flows through it, each with the read operations that reach it that way (the flow's
        synchronous steps from it on, as the capacity model applies the hit ratio)."""
        out: dict[str, set[str]] = {}
        for op in ctx.estimates.operations:
            if not op.is_read:
                continue
            for flow in ctx.flows_of.get(op.name, []):
                reached = {cdn_id}
                for step in flow.steps:
                    if step.is_async or not reached & set(ctx.graph.expand(step.source)):
                        continue
                    for target in ctx.graph.expand(step.target):
                        reached.add(target)
                        if target != cdn_id:
                            out.setdefault(target, set()).add(op.name)
        return out

    @staticmethod
    def _backends(ctx: Context, cache_id: str) -> list[str]:
        """What serves the misses: a CDN's origin (or next hop), else the stores that come
        after the cache in the flows through it."""
        c = ctx.component(cache_id)
        if c.kind == "cdn":
            origin = getattr(c, "origin", None)
            if origin:
                return ctx.graph.expand(origin)
            return [t for t in ctx.successors(cache_id) if t in ctx.loads]
        out: list[str] = []
        for flows in ctx.flows_of.values():
            for flow in flows:
                ends = [e for step in flow.steps for e in ctx.graph.expand(step.target)]
                if cache_id not in ends:
                    continue
                for t in ends[ends.index(cache_id) + 1 :]:
                    if ctx.component(t).kind in STORE_KINDS and t not in out and t in ctx.loads:
                        out.append(t)
        return sorted(out)
