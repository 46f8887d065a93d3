"""DG102: asynchronous replication means a failover can lose acknowledged writes."""

from __future__ import annotations

from collections.abc import Iterator

from diagramgen.analysis.base import Hit, Rule
from diagramgen.analysis.context import DATABASE_KINDS, Context
from diagramgen.spec.units import human_count


class AsyncReplicationRpo(Rule):
    """A database that replicates asynchronously: a non-zero recovery point objective.

    ## What it does
    Finds databases with `replication: async` and more than one copy (`replicas` above
    one, or read replicas). The message puts a number on the risk from the peak write
    rate that reaches the database.

    ## Why is this bad?
    The primary acknowledges a write before any replica has it. When the primary dies,
    the replica promoted in its place lacks the writes still in flight: the RPO is the
    replication lag, not zero. Across regions that lag is hundreds of milliseconds or more.

    ## Example
    ```yaml
    components:
      - {id: db, kind: sql_database, replicas: 2, replication: async}
    ```

    Use instead:
    ```yaml
      - {id: db, kind: sql_database, replicas: 3, replication: semi_sync}
    ```
    or accept the loss and say so in a decision; `ignore: {DG102: "RPO of seconds accepted"}`.
    """

    code = "DG102"
    name = "async-replication-rpo"
    severity = "info"
    topic = "reliability"

    def check(self, ctx: Context) -> Iterator[Hit]:
        """One hit per asynchronously replicated database with more than one copy."""
        for c in ctx.of_kind(*DATABASE_KINDS):
            copies = ctx.copies(c)
            if getattr(c, "replication", "none") != "async" or copies < 2:
                continue
            consistency = getattr(c, "consistency", None)
            if consistency == "strong":
                continue
            load = ctx.loads.get(c.id)
            writes = load.write_peak_per_second if load else 0.0
            n = human_count(writes)
            at_risk = (
                f"; at the peak of {n} writes/s, every second of lag is ~{n} acknowledged writes"
                if writes
                else ""
            )
            where = " across regions" if getattr(c, "multi_region", False) else ""
            others = f"{copies - 1} other cop{'y' if copies == 2 else 'ies'}"
            if consistency == "tunable":
                yield Hit(
                    c.id,
                    f"{ctx.name(c.id)} replicates asynchronously{where} to {others} with "
                    "tunable consistency: a write acknowledged by fewer replicas than a quorum "
                    "is lost if those replicas fail before the rest catch up (RPO > 0 below "
                    f"QUORUM){at_risk}. Write at QUORUM where losing a write matters.",
                )
                continue
            yield Hit(
                c.id,
                f"{ctx.name(c.id)} replicates asynchronously{where} to {others}: a failover "
                f"loses the writes not yet replicated (RPO > 0){at_risk}.",
            )
