"""DG404: a cache with no TTL and no eviction."""

from __future__ import annotations

from collections.abc import Iterator

from diagramgen.analysis.base import Hit, Rule
from diagramgen.analysis.context import Context
from diagramgen.spec.units import human_duration, human_size


class CacheWithoutExpiry(Rule):
    """A cache where nothing ever leaves: no TTL and no eviction policy.

    ## What it does
    Finds caches with neither a `ttl` nor an `eviction` policy, and caches whose
    eviction is explicitly `none`. The message adds the expected hot set when the
    workload gives one.

    ## Why is this bad?
    Memory fills with every key ever read. With no eviction, a full Redis rejects new
    writes (its default `noeviction` policy) and the application starts failing; with no
    TTL, an entry is never refreshed, so it is stale for as long as it lives.

    ## Example
    ```yaml
    components:
      - {id: cache, kind: cache, tech: redis}
    ```

    Use instead:
    ```yaml
      - {id: cache, kind: cache, tech: redis, ttl: 1h, eviction: lru, size: 32GB}
    ```
    """

    code = "DG404"
    name = "cache-without-expiry"
    severity = "warning"
    topic = "performance"

    def check(self, ctx: Context) -> Iterator[Hit]:
        """One hit per cache that never lets anything go."""
        for c in ctx.of_kind("cache"):
            ttl = getattr(c, "ttl", None)
            eviction = getattr(c, "eviction", None)
            if eviction not in (None, "none") or (ttl is not None and eviction is None):
                continue
            reads = ctx.operations_through(c.id, "read")
            hot = sum(op.cache_bytes or 0.0 for op in reads)
            size = getattr(c, "size", None)
            fill = f"; the hot set alone is ~{human_size(hot)} a day" if hot else ""
            mem = f" its {human_size(size)}" if size else " memory"
            if ttl is None:
                what = "no TTL and no eviction policy"
                then = "keys are never refreshed and never leave"
            else:
                what = f"`eviction: none` (TTL {human_duration(ttl)})"
                then = "keys leave only when they expire"
            yield Hit(
                c.id,
                f"{ctx.name(c.id)} has {what}: {then}, so it fills{mem} and then rejects "
                f"writes (Redis's noeviction behaviour){fill}. Set `eviction: lru` and a `ttl`.",
            )
