"""DG106: a synchronous call to an external system on the request path."""

from __future__ import annotations

from collections.abc import Iterator

from diagramgen import techs
from diagramgen.analysis.base import Hit, Rule
from diagramgen.analysis.context import Context
from diagramgen.spec.units import MONTH, human_duration


class ExternalOnRequestPath(Rule):
    """An external system called synchronously while a client waits.

    ## What it does
    Finds `external` components that a client reaches through synchronous calls only,
    unless every synchronous call into them declares a `timeout` and a `circuit_breaker`
    (a bounded wait and a fallback). When the external declares an `sla`, the message says
    what that caps; it names the calls and the facts that would clear it. A secret store
    (Vault, a cloud secret manager, Key Vault, a KMS) that none of the design's flows
    calls is skipped: applications read secrets at start-up and keep them in memory,
    reloading them on an interval (as Azure App Configuration's Key Vault provider does,
    `SetSecretRefreshInterval`), so requests do not wait on it.

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
    or keep the call synchronous and guard it on the connection:
    `{from: api, to: payments, timeout: 3s, retries: 1, circuit_breaker: "deferred
    authorisation"}`, which the rule credits.
    """

    code = "DG106"
    name = "external-on-request-path"
    severity = "warning"
    topic = "reliability"

    def check(self, ctx: Context) -> Iterator[Hit]:
        """One hit per unguarded external system on the synchronous request path."""
        links = ctx.links
        traced = {t for f in ctx.design.flows for s in f.steps for t in ctx.graph.expand(s.target)}
        for c in ctx.of_kind("external"):
            if not ctx.on_request_path(c.id):
                continue
            if techs.is_secret_store(c.tech) and ctx.design.flows and c.id not in traced:
                # Read at start-up and cached (clients reload secrets on an interval), and
                # no traced request flow calls it: not on the request path.
                continue
            calls = [
                link
                for link in links
                if c.id in ctx.graph.expand(link.target)
                and not ctx.link_async(link)
                and any(ctx.on_request_path(s) for s in ctx.graph.expand(link.source))
            ]
            unguarded = [
                link
                for link in calls
                if ctx.link_fact(link, "timeout") is None
                or not ctx.link_fact(link, "circuit_breaker")
            ]
            if calls and not unguarded:
                continue
            sla = getattr(c, "sla", None)
            if sla is not None:
                down = human_duration(round((1 - sla / 100) * MONTH / 60) * 60)
                cap = f"; its {sla:g}% SLA caps the path at {sla:g}% (~{down} of failures a month)"
            else:
                cap = "; it declares no `sla`, so the path's availability is unknown"
            names = sorted({f"{link.source} -> {link.target}" for link in unguarded})
            missing = sorted(
                {
                    fact
                    for link in unguarded
                    for fact, absent in (
                        ("`timeout`", ctx.link_fact(link, "timeout") is None),
                        ("`circuit_breaker`", not ctx.link_fact(link, "circuit_breaker")),
                    )
                    if absent
                }
            )
            guard = f" ({', '.join(names)} declares no {' or '.join(missing)})" if names else ""
            yield Hit(
                c.id,
                f"{ctx.name(c.id)} is called synchronously on the request path "
                f"{ctx.chain(ctx.sync_client_paths[c.id])}{guard}: its outages and latency "
                f"become yours{cap}. Call it asynchronously, or declare a `timeout` and a "
                "`circuit_breaker` (its fallback) on the call.",
            )
