"""DG702: a flow's computed availability is below its `slo`."""

from __future__ import annotations

from collections.abc import Iterator

from diagramgen.analysis.base import Hit, Rule
from diagramgen.analysis.context import Context
from diagramgen.analysis.flows import flow_reports
from diagramgen.spec.units import YEAR, human_downtime, human_percent


class SloUnmet(Rule):
    """A flow whose synchronous dependencies, in series, are less available than its SLO.

    ## What it does
    Multiplies the availability of every component on the flow's synchronous path (its
    `availability`, a managed service's published SLA, or its running instances in
    parallel, see the README's availability model) and compares the product with the
    flow's `slo`. The message names the weakest links and the downtime a year implied.

    ## Why is this bad?
    Availability multiplies down: three dependencies at 99.9% give 99.7%, 26 hours of
    downtime a year. An SLO above what the dependencies allow is broken by design, however
    good the operations.

    ## Example
    ```yaml
    components:
      - {id: api, kind: service}
      - {id: db, kind: sql_database}
    flows:
      - {name: checkout, slo: 99.95%, steps: ["api -> db"]}
    ```

    Use instead:
    ```yaml
    components:
      - {id: api, kind: service, replicas: 3}
      - {id: db, kind: sql_database, replicas: 2, replication: sync}
    flows:
      - {name: checkout, slo: 99.9%, steps: ["api -> db"]}
    ```
    """

    code = "DG702"
    name = "slo-unmet"
    severity = "warning"
    topic = "reliability"

    def check(self, ctx: Context) -> Iterator[Hit]:
        """One hit per flow below its SLO, at the flow's `slo`."""
        for index, report in enumerate(flow_reports(ctx)):
            if report.slo is None or report.slo_met:
                continue
            av = report.availability
            weakest = "; ".join(
                f"`{p.component}` {human_percent(p.availability)} ({p.basis})"
                for p in av.contributors()
            )
            allowed = human_downtime((1 - report.slo) * YEAR)
            yield Hit(
                None,
                f"flow '{report.name}' is {human_percent(av.availability)} available "
                f"(its {len(av.parts)} synchronous dependencies in series), below its "
                f"{human_percent(report.slo)} SLO: about "
                f"{human_downtime(av.downtime_per_year_s)} down a year against "
                f"{allowed} allowed. Weakest links: {weakest}.",
                loc=("flows", index, "slo"),
            )
