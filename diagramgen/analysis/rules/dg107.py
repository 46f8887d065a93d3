"""DG107: a database without backups."""

from __future__ import annotations

from collections.abc import Iterator

from diagramgen import techs
from diagramgen.analysis.base import Hit, Rule, ask
from diagramgen.analysis.context import DATABASE_KINDS, Context
from diagramgen.spec.units import human_duration, human_size

# Managed databases that take automated point-in-time backups unless they are switched off:
# RDS and Aurora keep them 1 day by default when created through the API, 7 from the
# console (docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.html);
# Redshift takes automated incremental snapshots
# (docs.aws.amazon.com/redshift/latest/mgmt/working-with-snapshots.html).
AUTOMATED_BACKUPS = {
    "rds": "RDS automated backups",
    "aurora": "Aurora continuous backups",
    "redshift": "Redshift automated snapshots",
}


class NoBackups(Rule):
    """A database with no point-in-time backups.

    ## What it does
    Finds SQL and NoSQL databases with `backups: false` (a warning), and asks for the
    fact when `backups` is not declared, except on managed services that take automated
    backups by default (RDS, Aurora, Redshift). When the workload says how much data it
    accumulates, the message says how much is at stake.

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
        """One hit per database without backups (a request when the spec does not say)."""
        for c in ctx.of_kind(*DATABASE_KINDS):
            backups = getattr(c, "backups", None)
            if backups:
                continue
            auto = AUTOMATED_BACKUPS.get(techs.canonical(c.tech) or "")
            if backups is None and auto is not None:
                continue  # the managed service takes them unless someone turned them off
            stored, ops = ctx.stored_bytes(c.id)
            stake = ""
            if ops:
                what = ", ".join(
                    f"{op.name}, kept {human_duration(op.retention_seconds or 0)}" for op in ops
                )
                stake = f" It will hold ~{human_size(stored)} ({what})."
            if backups is None:
                yield ask(
                    c.id,
                    f"`backups` on database '{c.id}'",
                    "replicas copy a bad migration or a mistaken delete within seconds, and "
                    f"only a point-in-time backup undoes it.{stake}",
                )
                continue
            yield Hit(
                c.id,
                f"{ctx.name(c.id)} has no backups (`backups: false`): replicas copy a bad "
                "migration or a mistaken delete within seconds, and only a point-in-time "
                f"backup undoes it.{stake} Set `backups: true`.",
            )
