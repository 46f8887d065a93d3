"""DG201: a stateful service scaled out with nowhere to keep sessions."""

from __future__ import annotations

from collections.abc import Iterator

from diagramgen.analysis.base import Hit, Rule
from diagramgen.analysis.context import COMPUTE_KINDS, Context

_STICKY_ALGORITHMS = ("ip_hash", "consistent_hash")


def sticky_balancers(ctx: Context, component_id: str) -> list[str]:
    """The load balancers in front of a component that pin clients to one instance."""
    return [
        caller
        for caller in ctx.callers[component_id]
        if ctx.component(caller).kind == "load_balancer"
        and (
            getattr(ctx.component(caller), "sticky_sessions", False)
            or getattr(ctx.component(caller), "algorithm", None) in _STICKY_ALGORITHMS
        )
    ]


class StatefulScaleOut(Rule):
    """A stateful service on several instances without a session store or sticky routing.

    ## What it does
    Finds services and workers with `stateless: false` that run more than one instance
    (replicas, or an autoscaling maximum above one) while they have no `session_store`
    and no load balancer in front of them pins clients (`sticky_sessions: true`, or the
    `ip_hash` / `consistent_hash` algorithm).

    ## Why is this bad?
    Consecutive requests of one user land on different instances: the session, cart or
    upload in progress kept on the first instance is missing on the next. This is a
    functional bug, not a tradeoff, hence the error severity.

    ## Example
    ```yaml
    components:
      - {id: lb, kind: load_balancer}
      - {id: app, kind: service, replicas: 4, stateless: false}
    connections: [lb -> app]
    ```

    Use instead:
    ```yaml
      - {id: app, kind: service, replicas: 4, stateless: false, session_store: sessions}
      - {id: sessions, kind: cache, tech: redis, replicas: 2, ttl: 30m}
    ```
    """

    code = "DG201"
    name = "stateful-scale-out"
    severity = "error"
    topic = "scalability"

    def check(self, ctx: Context) -> Iterator[Hit]:
        """One hit per stateful, scaled-out service with neither fix."""
        for c in ctx.of_kind(*COMPUTE_KINDS):
            if getattr(c, "stateless", True) or getattr(c, "session_store", None):
                continue
            instances = ctx.instances(c)
            if instances < 2 or sticky_balancers(ctx, c.id):
                continue
            balancers = [
                b for b in ctx.callers[c.id] if ctx.component(b).kind == "load_balancer"
            ]
            front = (
                " behind "
                + ", ".join(
                    f"{b} ({getattr(ctx.component(b), 'algorithm', 'round_robin')})"
                    for b in balancers
                )
                if balancers
                else ""
            )
            yield Hit(
                c.id,
                f"{ctx.name(c.id)} keeps per-user state (`stateless: false`) on up to "
                f"{instances} instances{front} with no `session_store` and no sticky routing: "
                "a user's next request lands on another instance and finds no session. "
                "Move the state to a shared store (`session_store`), or pin users.",
            )
