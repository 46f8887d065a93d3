"""DG107: a database without backups."""

from __future__ import annotations

from collections.abc import Iterator

from diagramgen.analysis.base import Hit, Rule
from diagramgen.analysis.context import DATABASE_KINDS, Context
from diagramgen.spec.units import human_duration, human_size


class NoBackups(Rule):
    """A database with no point-in-time backups.

    ## What it does
    Finds SQL and NoSQL databases without `backups: true`, managed ones included. When
    the workload says how much data it accumulates, the message says how much is at stake.

    ## Why is this bad?
    Replication protects against losing a machine, not against losing data: a bad
    migration, a buggy deploy or a mistaken `DELETE` reaches every replica within
    seconds. Only a backup (ideally point-in-time) can restore the data as it was.

    ## Example
    ```yaml
    components:
      - {id: db, kind: sql_database, replicas: 3, replication: sync}
    ```

    Use instead:
    ```yaml
      - {id: db, kind: sql_database, replicas: 3, replication: sync, backups: true}
    ```
    """

    code = "DG107"
    name = "no-backups"
    severity = "warning"
    topic = "reliability"

    def check(self, ctx: Context) -> Iterator[Hit]:
        """One hit per database without backups."""
        for c in ctx.of_kind(*DATABASE_KINDS):
            if getattr(c, "backups", False):
                continue
            stored, ops = ctx.stored_bytes(c.id)
            stake = ""
            if ops:
                what = ", ".join(
                    f"{op.name}, kept {human_duration(op.retention_seconds or 0)}" for op in ops
                )
                stake = f" It will hold ~{human_size(stored)} ({what})."
            yield Hit(
                c.id,
                f"{ctx.name(c.id)} has no backups: replicas copy a bad migration or a mistaken "
                f"delete within seconds, and only a point-in-time backup undoes it.{stake} "
                "Set `backups: true`.",
            )
