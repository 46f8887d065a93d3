"""DG406: a CDN with no way to take stale content off the edge."""

from __future__ import annotations

from collections.abc import Iterator

from diagramgen.analysis.base import Hit, Rule, ask
from diagramgen.analysis.context import Context
from diagramgen.spec.units import human_duration


class CdnInvalidation(Rule):
    """A CDN without an invalidation plan.

    ## What it does
    Finds CDNs that rely on `invalidation: ttl` without declaring a `ttl` (a warning),
    and asks for the plan when a CDN declares no `invalidation` at all.

    ## Why is this bad?
    Whatever the edge has cached it keeps serving until it expires: a fixed bug in a
    script, a corrected price, a deleted image (the legal kind of urgent) stays live for
    up to the TTL, in hundreds of edge locations. Versioned URLs (`app.3f9a.js`) make
    changes instant and keep hit ratios high; purges work but take time to propagate and
    are rate-limited.

    ## Example
    ```yaml
    components:
      - {id: cdn, kind: cdn, ttl: 7d}
    ```

    Use instead:
    ```yaml
      - {id: cdn, kind: cdn, ttl: 7d, invalidation: versioned_urls}
    ```
    """

    code = "DG406"
    name = "cdn-invalidation"
    severity = "warning"
    topic = "performance"

    def check(self, ctx: Context) -> Iterator[Hit]:
        """One hit per CDN without a way to invalidate."""
        for c in ctx.of_kind("cdn"):
            invalidation = getattr(c, "invalidation", None)
            ttl = getattr(c, "ttl", None)
            if invalidation in ("purge", "versioned_urls") or (invalidation == "ttl" and ttl):
                continue
            if ttl:
                stale = "a changed or deleted object stays at the edge for up to " + human_duration(
                    ttl
                )
            else:
                stale = "with no `ttl` either, the CDN's default (often 24h) decides how long"
                stale += " a changed or deleted object stays at the edge"
            if invalidation is None:
                yield ask(
                    c.id,
                    f"`invalidation` (`purge`, `versioned_urls` or `ttl`) on CDN '{c.id}'",
                    f"without a plan, {stale}.",
                )
                continue
            plan = "TTL-only invalidation"
            yield Hit(
                c.id,
                f"{ctx.name(c.id)} has {plan}: {stale}. Use versioned URLs for assets, or "
                "purge on change.",
            )
