"""DG507: one key hotter than its shard carries."""

from __future__ import annotations

import math
from collections.abc import Iterator

from diagramgen.analysis.base import Hit, Rule
from diagramgen.analysis.context import Context
from diagramgen.spec.units import human_rate


class HotKey(Rule):
    """An operation's hottest key takes more than the one shard, primary or node it lives on.

    ## What it does
    For operations with a `hot_key_share` (the share of their peak that hits a single key,
    partition or event), puts that share of each call on the data store, cache or stream
    it reaches and compares the hottest key's rate with its one home: one primary for
    writes (a SQL primary commits ~2k/s, https://www.postgresql.org/docs/current/pgbench.html),
    the copies of one shard that serve reads, one cache node, one stream partition's
    broker (figures as in DG501), or a managed store's partition: DynamoDB's 3,000 reads
    and 1,000 writes per second, throttled apart
    (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/warm-throughput-scenarios.html).
    The hot keys of several operations on one component are taken to be the same key (one
    on-sale event takes its holds and its orders).

    ## Why is this bad?
    Sharding spreads keys, not load on one key: however many shards a store has, every
    call on the hot key lands on the same primary. Averages hide it: a store at 1% of its
    total capacity can have one shard past saturation, and that shard's queue is what the
    hot event's users see.

    ## Example
    ```yaml
    workload:
      peak_factor: 20
      operations: [{name: hold, rate: 10M/day, retention: 30d, size: 1KB, hot_key_share: 1}]
    components:
      - {id: fans, kind: client}
      - {id: db, kind: sql_database, replicas: 64, sharding: {key: event_id, shards: 64}}
    flows: [{name: hold, steps: ["fans -> db: hold seats"]}]
    ```

    Use instead: split the hot key (seat sections as sub-keys, `event_id:section`), admit
    only what one primary takes through a waiting room, or hold seats in memory with the
    database written behind.
    """

    code = "DG507"
    name = "hot-key"
    severity = "warning"
    topic = "capacity"

    def check(self, ctx: Context) -> Iterator[Hit]:
        """One hit per component whose hottest key is over its home's capacity."""
        for load in ctx.loads.values():
            util = load.hot_key_utilization
            hot = load.hottest_key_per_second
            if util is None or hot is None or util <= 1:
                continue
            ops = " + ".join(
                f"{s.operation} {human_rate(s.hottest_key_per_second or 0)}"
                for s in sorted(load.shares, key=lambda s: s.operation)
                if s.hot_key_share is not None
            )
            home = _home(load.kind, load.topology is not None)
            total = load.utilization
            overall = (
                f" while the whole {load.kind.replace('_', ' ')} is at {total:.0%}"
                if (total is not None)
                else ""
            )
            yield Hit(
                load.component,
                f"{ctx.name(load.component)}'s hottest key takes {human_rate(hot)} at peak "
                f"({ops}) against {human_rate(load.hot_key_capacity or 0)} on {home}: "
                f"{util:.0%} of it{overall}. More shards do not help: split the key (e.g. "
                f"by sub-key), admit or batch the calls on it (>= {math.ceil(util)}x fewer), "
                "or serve it from memory.",
            )


def _home(kind: str, sharded: bool) -> str:
    """Where one key lives, in words."""
    if kind == "cache":
        return "one cache node"
    if not sharded and kind == "nosql_database":
        return "one partition"
    if kind in ("stream", "queue"):
        return "one partition's broker"
    if kind == "sql_database":
        return "one primary (and its read replicas for reads)"
    return "one shard's copies" if sharded else "one node"
