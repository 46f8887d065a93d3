"""DG103: synchronous replication puts a replica round trip into every write."""

from __future__ import annotations

from collections.abc import Iterator

from diagramgen.analysis.base import Hit, Rule
from diagramgen.analysis.context import DATABASE_KINDS, Context
from diagramgen.analysis.rules.dg102 import MIN_WRITES_PER_SECOND
from diagramgen.spec.units import human_rate


class SyncReplicationLatency(Rule):
    """A database or cache that replicates synchronously: slower writes, stalls on failure.

    ## What it does
    Finds databases with `replication: sync` or `semi_sync`, and caches with
    `replication: sync`, whose synchronous copies cost more than a round trip in a zone:
    copies across regions (`multi_region`: 50-150 ms on every write), or a single
    synchronous replica (`sync` with two copies), whose failure stalls every write. Silent
    for semi-synchronous replication within a region, which falls back to asynchronous
    after a timeout (MySQL's `rpl_semi_sync_source_timeout`, 10 s by default), and for
    three or more synchronous copies within a region, where a quorum (PostgreSQL's
    `synchronous_standby_names = ANY 1 (...)`) keeps committing with one replica down;
    silent too when the traced writes are below one a second.

    ## Why is this bad?
    It is a tradeoff, not a bug: no acknowledged write is lost (RPO 0), but every write
    waits for a replica's acknowledgement. That adds a network round trip per commit,
    about 0.5 ms within a zone, 1-2 ms across zones and 50-150 ms across regions, and a
    slow or failed replica stalls writes until it is taken out of the synchronous set.

    ## Example
    ```yaml
    components:
      - {id: db, kind: sql_database, replicas: 3, replication: sync, multi_region: true}
    ```

    Use instead:
    ```yaml
      - {id: db, kind: sql_database, replicas: 3, replication: semi_sync}
    ```
    (keep synchronous copies in the same region, replicate to other regions
    asynchronously), or record the choice: `ignore: {DG103: "RPO 0 required for payments"}`.
    """

    code = "DG103"
    name = "sync-replication-latency"
    severity = "info"
    topic = "reliability"

    def check(self, ctx: Context) -> Iterator[Hit]:
        """One hit per synchronously replicated store with more than one copy."""
        for c in ctx.of_kind(*DATABASE_KINDS, "cache"):
            mode = getattr(c, "replication", "none")
            copies = ctx.copies(c)
            if mode not in ("sync", "semi_sync") or copies < 2:
                continue
            if getattr(c, "multi_region", False):
                rtt = "a cross-region round trip (50-150 ms)"
            elif mode == "sync" and copies == 2:
                rtt = "a round trip to a replica (~0.5 ms in a zone, 1-2 ms across zones)"
            else:
                continue  # ~1 ms in the region, and no single replica to stall on
            who = "one replica" if mode == "semi_sync" else "its replicas"
            load = ctx.loads.get(c.id)
            writes = load.write_peak_per_second if load else 0.0
            if load is not None and writes < MIN_WRITES_PER_SECOND:
                continue
            rate = (
                f" to every write ({human_rate(writes)} at peak)" if writes else " to every write"
            )
            stall = (
                "and with one synchronous replica, every write stalls while it is slow or down"
                if mode == "sync" and copies == 2
                else "and writes wait while the synchronous replicas are slow"
            )
            yield Hit(
                c.id,
                f"{ctx.name(c.id)} waits for {who} to acknowledge every write "
                f"({mode.replace('_', '-')} replication): adds {rtt}{rate}, {stall}.",
            )
