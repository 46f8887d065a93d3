"""DG104: one region and no disaster-recovery story."""

from __future__ import annotations

import re
from collections.abc import Iterator

from diagramgen.analysis.base import Hit, Rule, ask
from diagramgen.analysis.context import DATABASE_KINDS, Context

_STATEFUL = (*DATABASE_KINDS, "object_storage", "queue", "stream", "search_index")
# Cloud region names in group ids and labels (`us-east-1`, `europe-west1`, `Region B`): a
# design drawn with one box per region says it spans regions even without `region:`.
_REGION_NAME = re.compile(
    r"\b(?:(?:us|eu|ap|sa|ca|me|af|il|mx)-(?:gov-)?[a-z]+-\d|"
    r"(?:us|europe|asia|australia|northamerica|southamerica|me|africa)-[a-z]+\d+|"
    r"(?:east|west|north|south|central)(?:us|europe|asia)\d?|region [a-z0-9]+)\b",
    re.IGNORECASE,
)


class SingleRegionNoDr(Rule):
    """The whole design runs in one region and says nothing about disaster recovery.

    ## What it does
    Fires once per design when the components (or their groups) declare exactly one
    `region`, no database is `multi_region`, and the design has no `disaster_recovery`
    section. The message lists the stateful components whose data would be unavailable,
    and which have backups. When nothing declares a region, and no group is named after
    one (`us-east-1`, `Region B`), it asks for the fact (info) instead.

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
        if any(getattr(c, "multi_region", False) for c in design.components):
            return
        declared = sorted({r for c in design.components if (r := ctx.region_of(c))})
        named = sorted(
            {
                m.group(0).lower()
                for g in design.groups
                for text in (g.id.replace("_", "-"), g.label or "")
                if (m := _REGION_NAME.search(text))
            }
        )
        if len(declared) > 1 or len(set(declared) | set(named)) > 1:
            return
        stateful = ctx.of_kind(*_STATEFUL)
        if not declared:
            yield ask(
                None,
                "`region` on the groups or components, or a `disaster_recovery` section",
                f"none of the {len(design.components)} components says where it runs, so "
                "whether a region outage takes the whole system down is unknown"
                + (f" (stateful: {', '.join(c.id for c in stateful)})" if stateful else "")
                + ".",
            )
            return
        if stateful:
            with_backups = [c.id for c in stateful if getattr(c, "backups", False)]
            data = f"; the data in {', '.join(c.id for c in stateful)} has no copy elsewhere" + (
                f" (backups only for {', '.join(with_backups)})" if with_backups else ""
            )
        else:
            data = ""
        yield Hit(
            None,
            f"all {len(design.components)} components run in one region ({declared[0]}) and "
            f"the design has no `disaster_recovery`: a region outage takes the whole system "
            f"down{data}. Declare a strategy with its RPO and RTO, or replicate across regions.",
        )
