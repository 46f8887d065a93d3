"""DG109: the load that reaches the backend when the cache in front of it is empty."""

from __future__ import annotations

from collections.abc import Iterator

from diagramgen.analysis.base import Hit, Rule
from diagramgen.analysis.context import STORE_KINDS, Context, cache_hit_ratio
from diagramgen.spec.units import human_rate


class ColdCacheStampede(Rule):
    """A cache or CDN whose misses, all at once, are more than the backend behind it carries.

    ## What it does
    For each cache and CDN that a traced operation reaches, takes the peak traffic that
    arrives at it and compares it with the capacity of the components right behind it
    (their declared `capacity`, else the rule of thumb, times their instances). It fires
    when that backend carries the misses at the declared hit ratio but not the whole
    peak: a cache restarted or failed over empty, or a purge of a CDN whose
    `invalidation` is `purge`, sends all of it through. For a cache, the backends are the
    stores after it in the flows through it. Failure-mode traffic, not steady state.

    ## Why is this bad?
    A cache that absorbs 90% of the reads lets the database be sized for 10% of them.
    The day the cache node fails over to a cold replica, or the CDN is purged, the whole
    read load arrives at once: the database saturates, requests time out, clients retry
    and the cache never gets the chance to warm (a thundering herd).

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
    (or warm the replica before failover, coalesce misses per key, and shed load).
    """

    code = "DG109"
    name = "cold-cache-stampede"
    severity = "warning"
    topic = "reliability"

    def check(self, ctx: Context) -> Iterator[Hit]:
        """One hit per (cache or CDN, backend) the cold-start load would saturate."""
        for c in ctx.of_kind("cache", "cdn"):
            if c.kind == "cdn" and getattr(c, "invalidation", None) != "purge":
                continue  # without purges, edge entries expire staggered, not all at once
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
                event = "is purged" if c.kind == "cdn" else "restarts or fails over empty"
                yield Hit(
                    c.id,
                    f"when {ctx.name(c.id)} {event}, all {human_rate(arriving)} of peak reads "
                    f"reach {ctx.name(backend)}, which carries {b.capacity_text() if b else ''}"
                    f" ({arriving / cap:.1f}x over); warm, it sees only "
                    f"{human_rate(warm)} at the {ratio:.0%} hit ratio. Size {backend} for the "
                    "cold start, or warm the cache before failover and coalesce misses.",
                )

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
