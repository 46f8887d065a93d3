"""DG402: a write-behind cache can lose acknowledged writes."""

from __future__ import annotations

from collections.abc import Iterator

from diagramgen.analysis.base import Hit, Rule
from diagramgen.analysis.context import Context
from diagramgen.spec.units import human_count


class WriteBehindLoss(Rule):
    """A write-behind cache: writes are acknowledged before they are durable.

    ## What it does
    Finds caches with `strategy: write_behind` and says how exposed they are: how many
    writes per second reach the cache at peak and whether it replicates at all.

    ## Why is this bad?
    The cache acknowledges a write and flushes it to the database later, in batches.
    Writes still waiting in memory when a cache node dies are gone, though the client
    was told they succeeded; with `replication: none` nothing else holds them. Reads
    from the database also lag behind the cache until the flush.

    ## Example
    ```yaml
    components:
      - {id: cache, kind: cache, tech: redis, strategy: write_behind}
      - {id: db, kind: sql_database, replicas: 2}
    ```

    Use instead:
    ```yaml
      - {id: cache, kind: cache, tech: redis, strategy: write_through, ttl: 1h}
    ```
    or keep write-behind for data you can afford to lose (counters, view counts) and
    replicate the cache: `replication: sync`.
    """

    code = "DG402"
    name = "write-behind-data-loss"
    severity = "warning"
    topic = "performance"

    def check(self, ctx: Context) -> Iterator[Hit]:
        """One hit per write-behind cache."""
        for c in ctx.of_kind("cache"):
            if getattr(c, "strategy", None) != "write_behind":
                continue
            load = ctx.loads.get(c.id)
            writes = load.write_peak_per_second if load else 0.0
            exposure = (
                f"; at {human_count(writes)} writes/s at peak, every second of flush delay "
                f"holds ~{human_count(writes)} writes only in memory"
                if writes
                else ""
            )
            replication = getattr(c, "replication", "none")
            copies = (
                "nothing else holds them (`replication: none`)"
                if replication == "none" or c.replicas < 2
                else f"only {replication} replicas hold them"
            )
            yield Hit(
                c.id,
                f"{ctx.name(c.id)} acknowledges writes before the database has them "
                f"(write-behind): writes not yet flushed are lost when a cache node fails, and "
                f"{copies}{exposure}. Use write-through, or keep write-behind for data you "
                "can afford to lose.",
            )
