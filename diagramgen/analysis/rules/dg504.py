"""DG504: more bytes per instance than its network carries."""

from __future__ import annotations

import math
from collections.abc import Iterator

from diagramgen.analysis.base import Hit, Rule
from diagramgen.analysis.context import Context
from diagramgen.spec.units import human_bandwidth


class NetworkSaturation(Rule):
    """A component whose instances move more bytes at peak than their network carries.

    ## What it does
    Adds up the bytes of the flow steps reaching a component at peak (each step's calls
    times its `bytes`, default the operation's `size`, after cache and CDN hits) and divides
    them by its running instances, and by one fewer: an instance fails at peak too. Fires
    when that exceeds one instance's network: `network:` when given, else 10 Gbit/s
    (1.25 GB/s, the "up to 10 Gbps" of common cloud instances, inbound and outbound each,
    https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-instance-network-bandwidth.html).
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
        """One hit per component above its instances' line rate, or at it with one down."""
        for load in ctx.loads.values():
            link = load.network_bytes_per_second
            moved = load.peak_bytes_per_second
            if link is None or not moved:
                continue
            running = load.running
            per_instance = moved / running
            one_down = moved / (running - 1) if running > 1 else None
            worst = one_down if one_down is not None else per_instance
            if worst <= link:
                continue
            needed = math.ceil(moved / link) + 1
            where = (
                f"each of its {running} running instances" if running > 1 else "its single instance"
            )
            down = (
                f" ({one_down / link:.0%} of it with one instance down)"
                if one_down is not None
                else ""
            )
            yield Hit(
                load.component,
                f"{ctx.name(load.component)} moves {human_bandwidth(moved)} at peak, "
                f"{human_bandwidth(per_instance)} on {where}: {per_instance / link:.0%} of its "
                f"{human_bandwidth(link)} network{down}. Spread it over >= {needed} instances "
                "(one spare), set a measured `network`, or send the bytes around it (pre-signed "
                "URLs to object storage, a CDN).",
            )
