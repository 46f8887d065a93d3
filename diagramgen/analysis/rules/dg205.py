"""DG205: sticky sessions and what they cost."""

from __future__ import annotations

from collections.abc import Iterator

from diagramgen.analysis.base import Hit, Rule
from diagramgen.analysis.context import Context
from diagramgen.analysis.rules.dg201 import sticky_balancers


class StickySessions(Rule):
    """A load balancer that pins each client to one instance of a scaled-out service.

    ## What it does
    Finds services and workers with more than one instance behind a load balancer with
    `sticky_sessions: true` or the `ip_hash` / `consistent_hash` algorithm, unless the
    service keeps its sessions in a `session_store`.

    ## Why is this bad?
    Stickiness makes a stateful service work, at a price: load spreads by client, not by
    request (a large NAT or a heavy user pins to one instance), new instances from
    autoscaling only receive new clients, and an instance that dies takes its users'
    sessions with it. A shared session store keeps the service stateless instead.

    ## Example
    ```yaml
    components:
      - {id: lb, kind: load_balancer, sticky_sessions: true}
      - {id: app, kind: service, replicas: 4, stateless: false}
    connections: [lb -> app]
    ```

    Use instead:
    ```yaml
      - {id: lb, kind: load_balancer, algorithm: least_connections}
      - {id: app, kind: service, replicas: 4, session_store: sessions}
      - {id: sessions, kind: cache, tech: redis, replicas: 2}
    ```
    """

    code = "DG205"
    name = "sticky-sessions"
    severity = "info"
    topic = "scalability"

    def check(self, ctx: Context) -> Iterator[Hit]:
        """One hit per scaled-out component behind a sticky balancer."""
        for c in ctx.of_kind("service", "worker"):
            if getattr(c, "session_store", None) or ctx.instances(c) < 2:
                continue
            for lb in sticky_balancers(ctx, c.id):
                how = (
                    "sticky sessions"
                    if getattr(ctx.component(lb), "sticky_sessions", False)
                    else f"{ctx.component(lb).algorithm} routing"
                )
                yield Hit(
                    c.id,
                    f"{ctx.name(lb)} pins each client to one of {ctx.name(c.id)}'s "
                    f"{ctx.instances(c)} instances ({how}): load spreads by client rather than "
                    "by request, scaled-out instances only get new clients, and an instance "
                    "failure drops its users' sessions.",
                )
