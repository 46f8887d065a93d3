"""DG304: more data than one node should hold."""

from __future__ import annotations

import math
from collections.abc import Iterator

from diagramgen.analysis.base import Hit, Rule
from diagramgen.analysis.context import Context
from diagramgen.analysis.throughput import NODE_STORAGE
from diagramgen.spec.units import human_duration, human_size


class StorageBeyondOneNode(Rule):
    """A data store that accumulates more data per node than one node should hold.

    ## What it does
    Adds up what the retained operations keep in a database or search index (`rate x
    bytes x retention`, the bytes from the operation's `stored_in`, else its `size` in the
    first store its flow writes) and computes what one node holds: stored x
    `replication_factor` / `replicas` (every node of every shard; the replication factor
    defaults to replicas / shards). It compares that with a rule of thumb per kind: 2 TB
    per SQL or NoSQL node (a rebuild at ~200 MB/s already takes hours; DataStax capacity
    planning, https://docs.datastax.com/en/luna-cassandra/planning/capacity-planning.html)
    and, for a search index, 50 GB per primary shard
    (https://www.elastic.co/guide/en/elasticsearch/reference/current/size-your-shards.html).

    ## Why is this bad?
    Past that size a node takes hours to rebuild, back up or restore, compaction and
    vacuum need disk headroom that is not there, and an unsharded database simply runs
    out of disk. The data must be split over more nodes, expire sooner, or move to
    cheaper storage as it cools.

    ## Example
    ```yaml
    workload:
      operations: [{name: upload, rate: 10M/day, size: 2KB, retention: 3y}]
    components:
      - {id: db, kind: sql_database, replicas: 2}
    ```

    Use instead:
    ```yaml
      - {id: db, kind: sql_database, replicas: 32, sharding: {key: user_id, shards: 16}}
    ```
    or a shorter `retention`, or cold data moved to object storage.
    """

    code = "DG304"
    name = "storage-beyond-one-node"
    severity = "warning"
    topic = "storage"

    def check(self, ctx: Context) -> Iterator[Hit]:
        """One hit per store whose per-node data exceeds the rule of thumb."""
        for c in ctx.of_kind(*NODE_STORAGE):
            stored, ops = ctx.stored_bytes(c.id)
            topo = ctx.topology(c)
            if not ops or topo is None:
                continue
            limit = NODE_STORAGE[c.kind].per_second
            what = ", ".join(
                f"{op.name}: {human_size(ctx.storage[c.id][op.name])} over "
                f"{human_duration(op.retention_seconds or 0)}"
                for op in ops
            )
            if c.kind == "search_index":
                shards = int(topo.primaries)
                per_shard = stored / shards
                if per_shard <= limit:
                    continue
                yield Hit(
                    c.id,
                    f"{ctx.name(c.id)} accumulates {human_size(stored)} ({what}) in "
                    f"{shards} primary shard{'s' if shards != 1 else ''}, "
                    f"~{human_size(per_shard)} each: beyond the ~{human_size(limit)} per "
                    f"shard rule of thumb. Plan >= {math.ceil(stored / limit)} primary shards, "
                    "a shorter retention, or rolling indices over time.",
                )
                continue
            per_node = stored * topo.copies / topo.nodes
            if per_node <= limit:
                continue
            copies = _copies_text(topo.copies)
            needed = math.ceil(stored * topo.copies / limit)
            yield Hit(
                c.id,
                f"{ctx.name(c.id)} accumulates {human_size(stored)} ({what}); with {copies} "
                f"on {topo.nodes} node{'s' if topo.nodes != 1 else ''} that is "
                f"{human_size(stored)} x {topo.copies:g} / {topo.nodes} = "
                f"{human_size(per_node)} per node: beyond the ~{human_size(limit)} per node "
                f"rule of thumb. Plan >= {needed} nodes at that replication factor, a shorter "
                "retention, or tiering cold data to object storage.",
            )


def _copies_text(copies: float) -> str:
    """`3 copies (RF 3)`, `1 copy`."""
    if copies == 1:
        return "1 copy of each item"
    return f"{copies:g} copies of each item"
