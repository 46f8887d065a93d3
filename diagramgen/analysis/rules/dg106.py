"""DG106: a synchronous call to an external system on the request path."""

from __future__ import annotations

from collections.abc import Iterator

from diagramgen.analysis.base import Hit, Rule
from diagramgen.analysis.context import Context
from diagramgen.spec.units import MONTH, human_duration


class ExternalOnRequestPath(Rule):
    """An external system called synchronously while a client waits.

    ## What it does
    Finds `external` components that a client reaches through synchronous calls only.
    When the external declares an `sla`, the message says what that caps.

    ## Why is this bad?
    Its outages, slow responses and rate limits become yours: the request path can be
    no more available than the product of its dependencies. A 99.9% partner allows
    about 43 minutes of failed requests a month before anything of yours breaks.

    ## Example
    ```yaml
    components:
      - {id: web, kind: client}
      - {id: api, kind: service, replicas: 3}
      - {id: payments, kind: external, sla: 99.9}
    connections: [web -> api, api -> payments]
    ```

    Use instead:
    ```yaml
    connections:
      - web -> api
      - api ~> payments: charge (retried from a queue, result by webhook)
    ```
    or keep the call synchronous with a timeout, retries and a circuit breaker, and say
    so: `ignore: {DG106: "card authorisation must be synchronous"}`.
    """

    code = "DG106"
    name = "external-on-request-path"
    severity = "warning"
    topic = "reliability"

    def check(self, ctx: Context) -> Iterator[Hit]:
        """One hit per external system on the synchronous request path."""
        for c in ctx.of_kind("external"):
            if not ctx.on_request_path(c.id):
                continue
            sla = getattr(c, "sla", None)
            if sla is not None:
                down = human_duration(round((1 - sla / 100) * MONTH / 60) * 60)
                cap = f"; its {sla:g}% SLA caps the path at {sla:g}% (~{down} of failures a month)"
            else:
                cap = "; it declares no `sla`, so the path's availability is unknown"
            yield Hit(
                c.id,
                f"{ctx.name(c.id)} is called synchronously on the request path "
                f"{ctx.chain(ctx.sync_client_paths[c.id])}: its outages and latency become "
                f"yours{cap}. Call it asynchronously, or guard it with timeouts and a circuit "
                "breaker.",
            )
