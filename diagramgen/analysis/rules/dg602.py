"""DG602: a public entry point with no rate limit and no WAF in front."""

from __future__ import annotations

from collections.abc import Iterator

from diagramgen import techs
from diagramgen.analysis.base import Hit, Rule
from diagramgen.analysis.context import Context

# Technologies that filter or throttle requests at the edge.
_SHIELDS = frozenset(
    {"waf_aws", "cloud_armor", "application_gateway", "front_door", "cloudflare", "akamai",
     "fastly", "api_gateway_aws", "apigee", "api_management", "kong", "gcp_api_gateway"}
)  # fmt: skip
_ENTRY_KINDS = frozenset({"load_balancer", "api_gateway", "service", "function", "cdn"})


class PublicEntryUnprotected(Rule):
    """A component in the `public` zone that clients reach with nothing throttling them.

    ## What it does
    Finds components of a group with `zone: public` that a client calls directly, and
    checks that something on the way throttles or filters requests: an API gateway with
    a `rate_limit` at it or right next to it (a CDN forwarding to a limited gateway), or
    a WAF / edge service (`tech` such as `AWS WAF`, `Cloud Armor`, `Application Gateway`,
    `Front Door`, `Cloudflare`) at or next to it. Designs that
    declare no zones are not judged.

    ## Why is this bad?
    Whatever the internet can reach, it will hammer: credential stuffing, scrapers, a
    client stuck in a retry loop, a layer-7 flood. Without a limit per client, one of
    them exhausts the capacity that every other user shares, and injection attempts
    reach the application unfiltered (OWASP API4:2023, unrestricted resource consumption).

    ## Example
    ```yaml
    groups: [{id: edge, zone: public}]
    components:
      - {id: web, kind: client}
      - {id: lb, kind: load_balancer, group: edge, replicas: 2}
    connections: [web -> lb]
    ```

    Use instead:
    ```yaml
      - {id: gw, kind: api_gateway, group: edge, rate_limit: 100/s}
    connections: [web -> gw, gw -> lb]
    ```
    """

    code = "DG602"
    name = "public-entry-unprotected"
    severity = "warning"
    topic = "security"

    def check(self, ctx: Context) -> Iterator[Hit]:
        """One hit per unprotected public entry point."""
        clients = [c.id for c in ctx.of_kind("client")]
        entries = sorted(
            {t for cl in clients for t in ctx.successors(cl)},
            key=lambda t: [c.id for c in ctx.components].index(t),
        )
        for eid in entries:
            c = ctx.component(eid)
            if c.kind not in _ENTRY_KINDS or ctx.zone_of(c) != "public":
                continue
            if self._shielded(ctx, eid):
                continue
            what = (
                "an API gateway without `rate_limit`"
                if c.kind == "api_gateway"
                else f"a public {c.KIND_LABEL}"
            )
            yield Hit(
                eid,
                f"{ctx.name(eid)} is {what} that clients reach with no rate limit and no WAF "
                "in front: one abusive client or a retry storm takes the capacity every user "
                "shares. Put a WAF or an API gateway with a `rate_limit` in front of it.",
            )

    @staticmethod
    def _shielded(ctx: Context, eid: str) -> bool:
        c = ctx.component(eid)
        if getattr(c, "rate_limit", None) is not None:
            return True
        if techs.canonical(c.tech) in _SHIELDS:
            return True
        # A WAF drawn as its own component next to the entry point, or a rate-limited
        # gateway right behind it (a CDN forwarding its misses to the gateway).
        return any(
            techs.canonical(ctx.component(n).tech) in _SHIELDS
            or getattr(ctx.component(n), "rate_limit", None) is not None
            for n in (*ctx.callers[eid], *ctx.successors(eid))
        )
