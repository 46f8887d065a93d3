"""DG504: more bytes per instance than its network carries."""

from __future__ import annotations

import math
from collections.abc import Iterator

from diagramgen.analysis.base import Hit, Rule
from diagramgen.analysis.context import Context
from diagramgen.analysis.throughput import NIC_BYTES_PER_SECOND
from diagramgen.spec.units import human_bandwidth

_NOT_INSTANCES = frozenset({"client", "external", "cdn", "dns", "object_storage", "function"})


class NetworkSaturation(Rule):
    """A component whose instances move more bytes at peak than a 10 GbE link carries.

    ## What it does
    Multiplies each traced operation's peak rate by its `size` (after cache and CDN hits)
    and divides the bytes per second a component moves by its instances (autoscaling at
    its maximum). Fires above 1.25 GB/s per instance, a 10 Gbit/s network interface.
    Clients, CDNs, DNS, object storage, functions, external and managed services are
    skipped: they are not bound to one interface.

    ## Why is this bad?
    Past the interface's line rate, packets queue and drop whatever the CPU has left:
    media uploads and downloads saturate the network long before they saturate requests
    per second, so request-based capacity figures miss it.

    ## Example
    ```yaml
    workload: {operations: [{name: upload, rate: 2M/hour, size: 5MB}]}
    components:
      - {id: app, kind: client}
      - {id: api, kind: service, replicas: 2}
    flows: [{name: upload, steps: ["app -> api: PUT video"]}]
    ```

    Use instead: upload straight to object storage with pre-signed URLs,
    ```yaml
    flows: [{name: upload, steps: ["app -> api: get upload URL", "app -> media: PUT video"]}]
    ```
    """

    code = "DG504"
    name = "network-saturation"
    severity = "warning"
    topic = "capacity"

    def check(self, ctx: Context) -> Iterator[Hit]:
        """One hit per component above line rate per instance."""
        for load in ctx.loads.values():
            c = ctx.component(load.component)
            if c.kind in _NOT_INSTANCES or ctx.is_managed(c) or not load.peak_bytes_per_second:
                continue
            per_instance = load.peak_bytes_per_second / load.instances
            if per_instance <= NIC_BYTES_PER_SECOND:
                continue
            needed = math.ceil(load.peak_bytes_per_second / NIC_BYTES_PER_SECOND)
            where = (
                f"each of its {load.instances} instances"
                if load.instances > 1
                else "its single instance"
            )
            yield Hit(
                c.id,
                f"{ctx.name(c.id)} moves {human_bandwidth(load.peak_bytes_per_second)} at peak, "
                f"{human_bandwidth(per_instance)} on {where}: beyond a 10 GbE link's "
                f"{human_bandwidth(NIC_BYTES_PER_SECOND)}. Spread it over >= {needed} "
                "instances, or send the bytes around it (pre-signed URLs to object storage, "
                "a CDN).",
            )
