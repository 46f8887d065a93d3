"""DG104: one region and no disaster-recovery story."""

from __future__ import annotations

from collections.abc import Iterator

from diagramgen.analysis.base import Hit, Rule
from diagramgen.analysis.context import DATABASE_KINDS, Context

_STATEFUL = (*DATABASE_KINDS, "object_storage", "queue", "stream", "search_index")


class SingleRegionNoDr(Rule):
    """The whole design runs in one region and says nothing about disaster recovery.

    ## What it does
    Fires once per design when the components name at most one `region`, no database is
    `multi_region`, and the design has no `disaster_recovery` section. The message lists
    the stateful components whose data would be unavailable, and which have backups.

    ## Why is this bad?
    Zones fail independently, regions rarely, but they do: a regional outage of the
    cloud provider, a fire, a botched network change. Without a second region, or at least
    backups restorable elsewhere with a known RTO and RPO, the system is down for as long
    as the region is, and data without off-region copies may be gone.

    ## Example
    ```yaml
    components:
      - {id: api, kind: service, replicas: 3, region: eu-west-1}
      - {id: db, kind: sql_database, replicas: 2, region: eu-west-1}
    ```

    Use instead:
    ```yaml
    disaster_recovery:
      strategy: warm_standby
      regions: [eu-central-1]
      rpo: 5m
      rto: 1h
    ```
    """

    code = "DG104"
    name = "single-region-no-dr"
    severity = "warning"
    topic = "reliability"

    def check(self, ctx: Context) -> Iterator[Hit]:
        """One design-level hit when nothing survives the loss of the region."""
        design = ctx.design
        if not design.components or design.disaster_recovery is not None:
            return
        regions = sorted({c.region for c in design.components if c.region})
        if len(regions) > 1 or any(getattr(c, "multi_region", False) for c in design.components):
            return
        where = f"one region ({regions[0]})" if regions else "one region (none declares `region`)"
        stateful = ctx.of_kind(*_STATEFUL)
        if stateful:
            with_backups = [c.id for c in stateful if getattr(c, "backups", False)]
            data = f"; the data in {', '.join(c.id for c in stateful)} has no copy elsewhere" + (
                f" (backups only for {', '.join(with_backups)})" if with_backups else ""
            )
        else:
            data = ""
        yield Hit(
            None,
            f"all {len(design.components)} components run in {where} and the design has no "
            f"`disaster_recovery`: a region outage takes the whole system down{data}. "
            "Declare a strategy with its RPO and RTO, or replicate across regions.",
        )
