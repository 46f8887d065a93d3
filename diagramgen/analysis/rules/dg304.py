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
    Adds up the storage of the retained operations (`rate x size x retention`) whose
    flows write to a database or search index (without flows: to the design's only data
    store) and divides it over what splits the data: `sharding.shards` (each shard's
    replicas hold a copy of it), else the replicas of a sharded store taken as its nodes,
    else one node (every replica of an unsharded store holds everything). It compares the
    result with a rule of thumb per kind: 2 TB per SQL or NoSQL node (a rebuild at
    ~200 MB/s already takes hours; DataStax capacity planning,
    https://docs.datastax.com/en/luna-cassandra/planning/capacity-planning.html) and 50 GB
    per search shard
    (https://www.elastic.co/guide/en/elasticsearch/reference/current/size-your-shards.html).
    Replication copies come on top, so the per-node figure is a lower bound.

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
      - {id: db, kind: sql_database, replicas: 2, sharding: {key: user_id, shards: 16}}
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
            if not ops:
                continue
            limit = NODE_STORAGE[c.kind]
            sharding = getattr(c, "sharding", None)
            if c.kind == "search_index":
                nodes = getattr(c, "shards", None) or 1
                unit = "primary shard"
            elif sharding is not None:
                nodes = sharding.shards or c.replicas
                unit = "shard" if sharding.shards else "node"
            else:
                nodes = 1
                unit = "node"
            per_node = stored / nodes
            if per_node <= limit.per_second:
                continue
            needed = math.ceil(stored / limit.per_second)
            what = ", ".join(
                f"{op.name}: {human_size(op.storage_bytes or 0)} over "
                f"{human_duration(op.retention_seconds or 0)}"
                for op in ops
            )
            if c.kind != "search_index" and sharding is None:
                split = (
                    f"unsharded, so each of its {c.replicas} replicas holds all of it"
                    if c.replicas > 1
                    else "on a single unsharded node"
                )
            else:
                split = f"split over {nodes} {unit}s, ~{human_size(per_node)} each"
            yield Hit(
                c.id,
                f"{ctx.name(c.id)} accumulates {human_size(stored)} ({what}), {split}: beyond "
                f"the ~{human_size(limit.per_second)} per {unit} rule of thumb. Plan >= "
                f"{needed} {unit}s before replication, a shorter retention, or tiering cold "
                "data to object storage.",
            )
