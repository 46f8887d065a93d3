"""DG301: more writes than one SQL primary commits."""

from __future__ import annotations

import math
from collections.abc import Iterator

from diagramgen.analysis.base import Hit, Rule
from diagramgen.analysis.context import Context
from diagramgen.analysis.throughput import SQL_PRIMARY_WRITES
from diagramgen.spec.units import human_rate


class SqlWriteCeiling(Rule):
    """An unsharded SQL database whose peak writes exceed what one primary commits.

    ## What it does
    Adds up the peak rate of the write operations whose flows reach an unsharded
    `sql_database` and compares it with what a single primary commits: the component's
    `capacity` when given, else a rule of thumb of 2,000 durable single-row commits per
    second (measure yours with pgbench, https://www.postgresql.org/docs/current/pgbench.html).

    ## Why is this bad?
    Read replicas multiply read capacity, never write capacity: every write goes through
    the one primary and its log flush. Past that ceiling a relational design needs
    sharding (by a key every query carries), or the data belongs in a store built to
    spread writes (a wide-column or key-value NoSQL database).

    ## Example
    ```yaml
    workload:
      operations: [{name: ingest, rate: 500M/day, size: 1KB, retention: 30d}]
    components:
      - {id: api, kind: service, replicas: 8}
      - {id: db, kind: sql_database, tech: postgresql, read_replicas: 4}
    flows: [{name: ingest, steps: [api -> db]}]
    ```

    Use instead:
    ```yaml
      - {id: db, kind: sql_database, tech: postgresql, sharding: {key: device_id, shards: 8}}
    ```
    or `kind: nosql_database, tech: cassandra`.
    """

    code = "DG301"
    name = "sql-write-ceiling"
    severity = "warning"
    topic = "storage"

    def check(self, ctx: Context) -> Iterator[Hit]:
        """One hit per unsharded SQL database past the single-primary write ceiling."""
        for c in ctx.of_kind("sql_database"):
            load = ctx.loads.get(c.id)
            topo = ctx.topology(c)
            if load is None or topo is None or topo.primaries > 1:
                continue  # sharded: DG501 and DG507 weigh each primary
            writes = load.write_peak_per_second
            ceiling = c.capacity if c.capacity is not None else SQL_PRIMARY_WRITES.per_second
            if writes <= ceiling:
                continue
            basis = "its `capacity`" if c.capacity is not None else "rule of thumb"
            shards = math.ceil(writes / ceiling)
            ops = " + ".join(
                f"{s.operation} {human_rate(s.peak_per_second)}"
                for s in sorted(load.shares, key=lambda s: (-s.peak_per_second, s.operation))
                if s.access == "write"
            )
            yield Hit(
                c.id,
                f"{ctx.name(c.id)} takes {human_rate(writes)} writes at peak ({ops}) on one "
                f"primary, above the ~{human_rate(ceiling)} one SQL primary commits ({basis}); "
                "read replicas add no write capacity. Shard it "
                f"(>= {shards} shards at that rate) or move this data to a NoSQL store.",
            )
