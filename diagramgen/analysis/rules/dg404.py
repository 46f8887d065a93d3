"""DG404: a cache with no TTL and no eviction."""

from __future__ import annotations

from collections.abc import Iterator

from diagramgen import techs
from diagramgen.analysis.base import Hit, Rule, ask
from diagramgen.analysis.context import Context
from diagramgen.spec.units import human_duration, human_size

# What a full cache does without eviction, by family. Redis: `noeviction` returns an error
# to commands that would use more memory (redis.io/docs/latest/develop/reference/eviction/);
# memcached evicts LRU unless started with `-M`, which returns errors instead (`memcached -h`).
_FAMILY = {
    "redis": "redis", "elasticache": "redis", "memorystore": "redis", "memorydb": "redis",
    "azure_cache_redis": "redis", "memcached": "memcached",
}  # fmt: skip
_WHEN_FULL = {
    "redis": "rejects writes with an out-of-memory error (Redis's `noeviction`)",
    "memcached": "fails every store with an out-of-memory error (memcached's `-M`)",
}


class CacheWithoutExpiry(Rule):
    """A cache where nothing ever leaves: no TTL and no eviction policy.

    ## What it does
    Finds caches whose eviction is explicitly `none` (a warning, unless a `ttl` bounds
    every entry's life and a `size` is declared: DG502 then judges the fit), and asks for the fact
    when a cache declares neither a `ttl` nor an `eviction` policy (memcached excepted: it
    evicts least recently used items by default). The message says what a full cache of
    that technology does, and adds the expected hot set when the workload gives one.

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
        """One hit per cache that never lets anything go (a request when undeclared)."""
        for c in ctx.of_kind("cache"):
            ttl = getattr(c, "ttl", None)
            eviction = getattr(c, "eviction", None)
            if eviction not in (None, "none") or (ttl is not None and eviction is None):
                continue
            tech = techs.canonical(c.tech) or ""
            family = _FAMILY.get(tech)
            if eviction is None and family == "memcached":
                continue  # memcached evicts least recently used items unless started with -M
            reads = ctx.operations_through(c.id, "read")
            hot = sum(op.cache_bytes or 0.0 for op in reads)
            size = getattr(c, "size", None)
            if eviction == "none" and ttl is not None and size is not None:
                continue  # memory sized and every entry expires: whether it fits is DG502's
            fill = f"; the hot set alone is ~{human_size(hot)} a day" if hot else ""
            mem = f" its {human_size(size)}" if size else " memory"
            full = _WHEN_FULL.get(family or "", "rejects new entries")
            if eviction is None:
                default = (
                    " Redis's default `maxmemory-policy` is `noeviction`, so"
                    if family == "redis"
                    else ""
                )
                yield ask(
                    c.id,
                    f"`eviction` (or a `ttl`) on cache '{c.id}'",
                    f"with neither, nothing ever leaves it.{default} once it fills{mem} it "
                    f"{full}{fill}.",
                )
                continue
            if ttl is None:
                what = "`eviction: none` and no TTL"
                then = "keys are never refreshed and never leave"
            else:
                what = f"`eviction: none` (TTL {human_duration(ttl)})"
                then = "keys leave only when they expire"
            yield Hit(
                c.id,
                f"{ctx.name(c.id)} has {what}: {then}, so it fills{mem} and then {full}"
                f"{fill}. Set `eviction: lru` and a `ttl`.",
            )
