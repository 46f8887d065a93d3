"""DG506: more peak load than the running instances carry."""

from __future__ import annotations

from collections.abc import Iterator

from diagramgen.analysis.base import Hit, Rule
from diagramgen.analysis.context import Context
from diagramgen.spec.units import human_rate

# A peak this many times the average is a spike (an on-sale, a push notification), not a
# daily curve that autoscaling follows.
SPIKE_PEAK_FACTOR = 5.0
_WARMUP = "https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-default-instance-warmup.html"


class BelowPeakWhenRunning(Rule):
    """A component whose running instances cannot carry the peak: it relies on autoscaling.

    ## What it does
    Compares the peak load (see DG501) with what the instances running before any
    autoscaling carry: `replicas`, or `autoscaling.min` when larger. Fires when the peak
    is above it but within `autoscaling.max` (above the maximum is DG501), and names both
    figures and the instances the peak needs. With a `peak_factor` of 5 or more the peak is
    a spike, and the message says that autoscaling lags it: a new instance counts only after
    it has booted and warmed up (EC2 Auto Scaling's instance warm-up,
    https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-default-instance-warmup.html).

    ## Why is this bad?
    Utilisation against the autoscaling ceiling looks comfortable while the instances
    that are actually up are past saturation when the peak arrives. Scaling out takes
    minutes (a metric period or two, then boot and warm-up), and during them requests
    queue and time out; a steep spike can be over before the new instances serve.

    ## Example
    ```yaml
    workload: {peak_factor: 3, operations: [{name: get, rate: 2B/day}]}
    components:
      - {id: web, kind: client}
      - {id: api, kind: service, replicas: 6, capacity: 5k/s, autoscaling: {min: 6, max: 40}}
    flows: [{name: get, steps: [web -> api]}]
    ```

    Use instead:
    ```yaml
      - {id: api, kind: service, replicas: 15, capacity: 5k/s, autoscaling: {min: 15, max: 40}}
    ```
    or scale on a schedule ahead of the known peak.
    """

    code = "DG506"
    name = "below-peak-when-running"
    severity = "warning"
    topic = "capacity"

    def check(self, ctx: Context) -> Iterator[Hit]:
        """One hit per component over capacity at running instances but not at the maximum."""
        pf = ctx.estimates.peak_factor
        for load in ctx.loads.values():
            util, util_max = load.utilization, load.utilization_max
            if util is None or util_max is None or util <= 1 or util_max > 1:
                continue
            needed = load.needed_instances()
            if needed is None:
                continue
            running_cap = load.capacity_per_second or 0.0
            lag = ""
            if pf >= SPIKE_PEAK_FACTOR:
                lag = (
                    f" The peak is {pf:g}x the average: a spike that steep arrives faster than "
                    "autoscaling adds instances (each counts only after boot and warm-up), so "
                    f"run >= {needed} before it (`autoscaling.min`, or a schedule)."
                )
            else:
                lag = (
                    " Autoscaling takes minutes to add them (a metric period, then boot and "
                    f"warm-up); run >= {needed} at peak hours if it must not queue."
                )
            yield Hit(
                load.component,
                f"{ctx.name(load.component)} takes {human_rate(load.peak_per_second)} at peak "
                f"but its {load.running} running instances carry {human_rate(running_cap)} "
                f"({load.capacity_text()}): {util:.0%} of running capacity, "
                f"{util_max:.0%} at the maximum of {load.maximum}. It must scale out to "
                f">= {needed} instances to carry the peak.{lag}",
            )
