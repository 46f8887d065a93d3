"""DG503: no headroom to lose one instance at peak."""

from __future__ import annotations

from collections.abc import Iterator

from diagramgen.analysis.base import Hit, Rule
from diagramgen.analysis.context import Context
from diagramgen.spec.units import human_rate


class NoFailureHeadroom(Rule):
    """A component that carries its peak, but not with one instance down.

    ## What it does
    For components with a capacity figure (see DG501) and at least two running instances
    (`replicas`, or `autoscaling.min`), fires when the peak load fits the running instances
    but not one fewer (N+1 redundancy). Autoscaling ceilings do not count here: the
    instances must be running when one fails. Quotas of managed services are skipped.

    ## Why is this bad?
    Instances fail and get redeployed, and peak hours are when it hurts: the survivors
    take the failed instance's share, go over capacity, and the overload spreads (retries
    make it worse). Sizing for N+1 keeps the peak within what N-1 instances carry.

    ## Example
    ```yaml
    workload: {peak_factor: 2, operations: [{name: read, rate: 1.25B/day}]}
    components:
      - {id: web, kind: client}
      - {id: api, kind: service, replicas: 15}
    flows: [{name: read, steps: [web -> api]}]
    ```

    Use instead:
    ```yaml
      - {id: api, kind: service, replicas: 16}
    ```
    """

    code = "DG503"
    name = "no-failure-headroom"
    severity = "info"
    topic = "capacity"

    def check(self, ctx: Context) -> Iterator[Hit]:
        """One hit per component that fits its peak only with every instance up."""
        for load in ctx.loads.values():
            util = load.utilization
            running = load.running
            if util is None or load.is_quota or load.scope == "shard" or running < 2:
                continue  # single instances are DG101's; quotas do not lose instances
            if util > 1:
                continue  # over at running: DG506 or DG501
            survivors = load.capacity_at(running - 1) or 0.0
            peak = load.peak_per_second
            if peak <= survivors:
                continue
            unit = "nodes" if load.topology is not None else "instances"
            yield Hit(
                load.component,
                f"{ctx.name(load.component)} carries its {human_rate(peak)} peak on {running} "
                f"{unit} ({load.capacity_text()}), but with one down the other "
                f"{running - 1} carry only {human_rate(survivors)}: no N+1 headroom at peak. "
                f"Run {running + 1} {unit}.",
            )
