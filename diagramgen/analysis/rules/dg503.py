"""DG503: no headroom to lose one instance at peak."""

from __future__ import annotations

from collections.abc import Iterator

from diagramgen.analysis.base import Hit, Rule
from diagramgen.analysis.context import Context
from diagramgen.spec.units import human_rate


class NoFailureHeadroom(Rule):
    """A component that carries its peak, but not with one instance down.

    ## What it does
    For components with a capacity figure (see DG501) and at least two instances, fires
    when the peak load fits the instances they have but not one fewer (N+1 redundancy).
    Autoscaling ceilings do not count here: the instances must be running when one fails.

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
            if load.per_instance is None:
                continue
            c = ctx.component(load.component)
            running = ctx.running(c)
            peak = load.peak_per_second
            if running < 2 or peak > load.per_instance * running:
                continue  # single instances are DG101's; saturation is DG501's
            survivors = load.per_instance * (running - 1)
            if peak <= survivors:
                continue
            yield Hit(
                c.id,
                f"{ctx.name(c.id)} carries its {human_rate(peak)} peak on {running} instances "
                f"at {human_rate(load.per_instance)} each, but with one down the other "
                f"{running - 1} carry only {human_rate(survivors)}: no N+1 headroom at peak. "
                f"Run {running + 1} instances.",
            )
