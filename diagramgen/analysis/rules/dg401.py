"""DG401: a read-heavy database with no cache in front."""

from __future__ import annotations

from collections.abc import Iterator

from diagramgen.analysis.base import Hit, Rule
from diagramgen.analysis.context import DATABASE_KINDS, Context, ratio_text
from diagramgen.spec.units import human_count, human_rate, human_size

READ_HEAVY_RATIO = 10.0  # reads per write from which a cache usually pays for itself
MIN_READS = 1000.0  # peak reads per second below which a database copes uncached


class ReadHeavyWithoutCache(Rule):
    """A database that serves a read-heavy workload with no cache in front of it.

    ## What it does
    For each database on the request path, takes the peak reads and writes that reach it
    (from the flows named after the workload's operations; without any flows, the
    workload's totals) and fires when reads are at least 10x the writes and 1,000/s or more,
    while no caller of the database also calls a cache and no flow reaching it passes a
    cache first. A SQL database with `read_replicas` is skipped: replicas are its
    declared way to scale reads (the capacity rules check they suffice). The message sizes
    the cache: 20% of a day's reads (the 80/20 rule).

    ## Why is this bad?
    Every read becomes a database round trip: latency is the database's, and read load
    grows with traffic even though most reads ask for the same few hot items. A cache
    absorbs the hot set for a fraction of the cost of more database replicas.

    ## Example
    ```yaml
    workload:
      operations:
        - {name: view, rate: 50M/day, size: 2KB}
        - {name: post, rate: 1M/day, size: 2KB, retention: 1y}
    components:
      - {id: web, kind: client}
      - {id: api, kind: service, replicas: 4}
      - {id: db, kind: sql_database, replicas: 2}
    connections: [web -> api, api -> db]
    ```

    Use instead:
    ```yaml
      - {id: cache, kind: cache, tech: redis, replicas: 2, ttl: 10m, eviction: lru}
    connections: [web -> api, "api -> cache: lookup", "api -> db: on miss"]
    ```
    """

    code = "DG401"
    name = "read-heavy-without-cache"
    severity = "warning"
    topic = "performance"

    def check(self, ctx: Context) -> Iterator[Hit]:
        """One hit per read-heavy database without a cache in front."""
        caches = {c.id for c in ctx.of_kind("cache")}
        for c in ctx.of_kind(*DATABASE_KINDS):
            if not ctx.on_request_path(c.id) or getattr(c, "read_replicas", 0):
                continue  # read replicas are the declared way its reads scale out
            if any(set(ctx.successors(caller)) & caches for caller in ctx.callers[c.id]):
                continue
            reads, writes, hot, names = self._traffic(ctx, c.id, caches)
            if reads < MIN_READS or (writes and reads / writes < READ_HEAVY_RATIO):
                continue
            ratio = f", {ratio_text(reads / writes)} reads to writes" if writes else ""
            size = f"; a cache for 20% of a day's reads needs ~{human_size(hot)}" if hot else ""
            yield Hit(
                c.id,
                f"{ctx.name(c.id)} serves {human_rate(reads)} reads at peak "
                f"({', '.join(names)}{ratio}) with no cache in front: every read is a "
                f"database round trip{size}. Add a cache (cache-aside with a TTL) for the hot "
                f"keys; at {human_count(reads)} reads/s even an 80% hit ratio takes "
                f"{human_rate(reads * 0.8)} off the database.",
            )

    @staticmethod
    def _traffic(
        ctx: Context, component_id: str, caches: set[str]
    ) -> tuple[float, float, float, list[str]]:
        """Peak reads, peak writes, hot-set bytes and read operation names at a database."""
        if not ctx.design.flows:
            reads = [op for op in ctx.estimates.reads]
            return (
                sum(op.peak_per_second for op in reads),
                sum(op.peak_per_second for op in ctx.estimates.writes),
                sum(op.cache_bytes or 0.0 for op in reads),
                [op.name for op in reads],
            )
        load = ctx.loads.get(component_id)
        if load is None:
            return 0.0, 0.0, 0.0, []
        read_ops = []
        for share in load.shares:
            if share.access != "read":
                continue
            steps = {
                cid
                for flow in ctx.flows_of[share.operation]
                for s in flow.steps
                for cid in ctx.graph.expand(s.target)
            }
            if steps & caches:
                continue  # this read goes through a cache first
            read_ops.append(share)
        hot = 0.0
        for share in read_ops:
            op = ctx.estimates.operation(share.operation)
            hot += (op.cache_bytes or 0.0) if op else 0.0
        return (
            sum(s.peak_per_second for s in read_ops),
            load.write_peak_per_second,
            hot,
            [s.operation for s in read_ops],
        )
