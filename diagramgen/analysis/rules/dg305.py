"""DG305: reads from replicas that lag behind writes."""

from __future__ import annotations

from collections.abc import Iterator

from diagramgen.analysis.base import Hit, Rule
from diagramgen.analysis.context import Context


class StaleReplicaReads(Rule):
    """Reads served by asynchronous replicas: a user may not see their own write.

    ## What it does
    Finds SQL databases with `read_replicas` that replicate asynchronously (`async`, or
    `none` given, which is how read replicas work by default in PostgreSQL and MySQL),
    and NoSQL databases with `consistency: eventual` and more than one replica.

    ## Why is this bad?
    Replication lag is usually milliseconds and occasionally seconds (a long
    transaction, a replica catching up). A read right after a write can miss it: the
    user saves a profile and sees the old one. Paths that need read-your-writes should
    read the primary (or pin the session to it for a short while after a write).

    ## Example
    ```yaml
    components:
      - {id: db, kind: sql_database, tech: postgresql, read_replicas: 3}
    ```

    Use instead: read the primary right after a write, for example
    ```yaml
    flows:
      - name: update profile
        steps: ["api -> db: write to primary", "api -> db: read back from primary"]
    ```
    and record the choice: `ignore: {DG305: "profile reads go to the primary"}`.
    """

    code = "DG305"
    name = "stale-replica-reads"
    severity = "info"
    topic = "storage"

    def check(self, ctx: Context) -> Iterator[Hit]:
        """One hit per database that serves reads from lagging replicas."""

        def after(cid: str) -> str:
            # Only the writes whose flows reach this store; all of them when nothing is traced.
            touching = [op.name for op in ctx.operations_through(cid, "write")]
            if not touching and not ctx.design.flows:
                touching = [op.name for op in ctx.estimates.writes]
            return f" (after {', '.join(touching)})" if touching else ""

        for c in ctx.of_kind("sql_database"):
            readers = getattr(c, "read_replicas", 0)
            if readers and getattr(c, "replication", "none") in ("none", "async"):
                yield Hit(
                    c.id,
                    f"{ctx.name(c.id)} serves reads from {readers} asynchronous read "
                    f"replica{'s' if readers != 1 else ''}: a read right after a write"
                    f"{after(c.id)} can miss it while the replica lags. Read the primary "
                    "where a user must see their own write.",
                )
        for c in ctx.of_kind("nosql_database"):
            if getattr(c, "consistency", None) == "eventual" and c.replicas > 1:
                yield Hit(
                    c.id,
                    f"{ctx.name(c.id)} reads with eventual consistency across {c.replicas} "
                    f"replicas: a read right after a write{after(c.id)} can hit a replica that has "
                    "not seen it yet. Read at quorum where a user must see their own write.",
                )
