"""DG202: vertical-only scaling on the hot path."""

from __future__ import annotations

from collections.abc import Iterator

from diagramgen.analysis.base import Hit, Rule
from diagramgen.analysis.context import Context
from diagramgen.spec.units import human_rate


class VerticalScalingHotPath(Rule):
    """A component that can only grow by getting a bigger machine, on the request path.

    ## What it does
    Finds components with `scaling: vertical` that a client reaches through synchronous
    calls, and says how much peak load they carry when the workload traces through them.

    ## Why is this bad?
    A vertical ceiling is the largest instance type on offer; getting there means
    downtime or a failover per resize, and one machine is also one failure domain.
    Horizontal scaling grows in small, reversible steps and survives losing an instance.

    ## Example
    ```yaml
    components:
      - {id: web, kind: client}
      - {id: api, kind: service, scaling: vertical}
    connections: [web -> api]
    ```

    Use instead:
    ```yaml
      - {id: api, kind: service, replicas: 3, autoscaling: {min: 3, max: 12}}
    ```
    (make the service stateless first if it is not).
    """

    code = "DG202"
    name = "vertical-scaling-hot-path"
    severity = "warning"
    topic = "scalability"

    def check(self, ctx: Context) -> Iterator[Hit]:
        """One hit per vertically scaled component on the synchronous request path."""
        for c in ctx.components:
            if getattr(c, "scaling", "horizontal") != "vertical" or not ctx.on_request_path(c.id):
                continue
            load = ctx.loads.get(c.id)
            carries = f", carrying {human_rate(load.peak_per_second)} at peak" if load else ""
            yield Hit(
                c.id,
                f"{ctx.name(c.id)} scales only vertically on the request path "
                f"{ctx.chain(ctx.sync_client_paths[c.id])}{carries}: its ceiling is the "
                "largest machine on offer and each resize is a restart. Scale it out behind "
                "a load balancer.",
            )
