"""DG201: a stateful service scaled out with nowhere to keep sessions."""

from __future__ import annotations

from collections.abc import Iterator

from diagramgen.analysis.base import Hit, Rule
from diagramgen.analysis.context import Context

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
    Finds services with `stateless: false` that a client reaches through synchronous
    calls and that run more than one instance (replicas, or an autoscaling maximum above
    one) while they have no `session_store` and no load balancer in front of them pins
    clients (`sticky_sessions: true`, or the `ip_hash` / `consistent_hash` algorithm).
    Workers are skipped: no user sends them consecutive requests.

    ## Why is this bad?
    Consecutive requests of one user land on different instances: the session, cart or
    upload in progress kept on the first instance is missing on the next: a functional
    bug, not a tradeoff. (A service that holds shared data rather than per-user state,
    such as an in-memory index, is not what `stateless: false` means; ignore the rule
    there with that reason.)

    ## Example
    ```yaml
    components:
      - {id: web, kind: client}
      - {id: lb, kind: load_balancer, replicas: 2}
      - {id: app, kind: service, replicas: 4, stateless: false}
    connections: [web -> lb, lb -> app]
    ```

    Use instead:
    ```yaml
      - {id: app, kind: service, replicas: 4, stateless: false, session_store: sessions}
      - {id: sessions, kind: cache, tech: redis, replicas: 2, ttl: 30m}
    ```
    """

    code = "DG201"
    name = "stateful-scale-out"
    severity = "warning"
    topic = "scalability"

    def check(self, ctx: Context) -> Iterator[Hit]:
        """One hit per stateful, scaled-out service with neither fix."""
        for c in ctx.of_kind("service"):
            if getattr(c, "stateless", True) or getattr(c, "session_store", None):
                continue
            if not ctx.on_request_path(c.id):
                continue
            instances = ctx.instances(c)
            if instances < 2 or sticky_balancers(ctx, c.id):
                continue
            balancers = [b for b in ctx.callers[c.id] if ctx.component(b).kind == "load_balancer"]
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
