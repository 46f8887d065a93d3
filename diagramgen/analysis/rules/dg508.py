"""DG508: not enough capacity left with a region lost."""

from __future__ import annotations

import math
from collections.abc import Iterator

from diagramgen.analysis.base import Hit, Rule
from diagramgen.analysis.context import Context
from diagramgen.spec.units import human_rate


class RegionLossOverload(Rule):
    """A multi-region design whose survivors cannot carry the peak with its largest region lost.

    ## What it does
    For designs whose `disaster_recovery` is `active_active` or `warm_standby` with two or
    more regions (the regions of groups and components, which members inherit, plus the
    disaster-recovery `regions`), takes away the region holding the most running
    instances and recomputes each component's utilisation on what is left. A component
    with a `region` lives only there; one without is taken to be spread evenly over the
    regions. A per-account-and-Region quota counts once per serving region. Fires when the
    survivors are over capacity at peak.

    ## Why is this bad?
    Active-active is sold as "a region can fail", but each region is usually sized for its
    own share: when one goes, its traffic lands on the others at the worst moment, they
    saturate, and the outage spreads. A warm standby scaled down to save money cannot take
    the peak the moment it is promoted.

    ## Example
    ```yaml
    workload: {operations: [{name: get, rate: 1B/day}]}
    groups:
      - {id: us, region: us-east-1}
      - {id: eu, region: eu-west-1}
    components:
      - {id: web, kind: client}
      - {id: api_us, kind: service, group: us, replicas: 12}
      - {id: api_eu, kind: service, group: eu, replicas: 4}
    flows: [{name: get, steps: [web -> api_us]}]
    disaster_recovery: {strategy: active_active, regions: [us-east-1, eu-west-1]}
    ```

    Use instead: size every region for the peak the others hand it (N+1 regions), or shed
    load deliberately (degrade features) when a region is lost.
    """

    code = "DG508"
    name = "region-loss-overload"
    severity = "warning"
    topic = "capacity"

    def check(self, ctx: Context) -> Iterator[Hit]:
        """One hit per component over capacity with the largest region lost."""
        for load in ctx.loads.values():
            loss = load.region_loss
            if loss is None or loss.utilization is None or loss.utilization <= 1:
                continue
            regions = len(ctx.regions)
            if loss.survivors <= 0:
                yield Hit(
                    load.component,
                    f"{ctx.name(load.component)} runs only in {loss.region}: with that region "
                    f"lost nothing in the design carries its {human_rate(load.peak_per_second)} "
                    f"peak. The other region{'s' if regions > 2 else ''} must run "
                    f">= {load.needed_instances() or load.running} instances of it.",
                )
                continue
            survivors = loss.survivors
            needed = math.ceil(survivors * loss.utilization - 1e-9)
            count = f"{survivors:g}" if survivors != int(survivors) else str(int(survivors))
            yield Hit(
                load.component,
                f"{ctx.name(load.component)} with {loss.region} lost (the largest of {regions} "
                f"regions): its {count} surviving instances take the "
                f"{human_rate(load.peak_per_second)} peak at {loss.utilization:.0%} of what "
                f"they carry. Run >= {needed} outside any one region, or shed load on "
                "region loss.",
            )
