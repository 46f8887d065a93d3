"""DG403: a cache filled on reads serves stale data after writes."""

from __future__ import annotations

from collections.abc import Iterator

from diagramgen.analysis.base import Hit, Rule
from diagramgen.analysis.context import Context
from diagramgen.spec.units import human_duration


class CacheStaleness(Rule):
    """A cache-aside or read-through cache: how stale can it be, and who invalidates it?

    ## What it does
    Finds caches with `strategy: cache_aside` or `read_through` that no write operation's
    flow touches (to delete or update the key), and says how long an entry can outlive a
    change (its `ttl`, or forever without one). Silent when every read operation through
    the cache states the staleness it accepts (`max_staleness`): DG408 then holds the TTL
    against that promise.

    ## Why is this bad?
    The cache is filled from the database on a miss and kept until it expires. A write to
    the database leaves the cached copy untouched unless the writer deletes the key, so
    readers see the old value for up to a TTL; there is also a race where a slow reader
    refills the cache with a value just overwritten. Harmless for data that never changes
    once written; a bug for balances, permissions or stock levels.

    ## Example
    ```yaml
    components:
      - {id: cache, kind: cache, tech: redis, strategy: cache_aside, ttl: 24h}
    ```

    Use instead: a short TTL for data that changes, and writers that delete the key,
    ```yaml
      - {id: cache, kind: cache, tech: redis, strategy: cache_aside, ttl: 5m}
    flows:
      - {name: update, steps: ["api -> db: update", "api -> cache: delete key"]}
    ```
    """

    code = "DG403"
    name = "cache-staleness"
    severity = "info"
    topic = "performance"

    def check(self, ctx: Context) -> Iterator[Hit]:
        """One hit per read-filled cache that no write invalidates and no promise covers."""
        for c in ctx.of_kind("cache"):
            strategy = getattr(c, "strategy", "cache_aside")
            if strategy not in ("cache_aside", "read_through"):
                continue
            if ctx.operations_through(c.id, "write"):
                continue  # a write flow reaches it: writers delete or update the key
            reads = ctx.operations_through(c.id, "read")
            if reads and all(ctx.operation_spec(op.name, "max_staleness") for op in reads):
                continue  # the reads state the staleness they accept; DG408 holds the TTL to it
            ttl = getattr(c, "ttl", None)
            bound = (
                f"for up to its TTL of {human_duration(ttl)}" if ttl else "indefinitely (no TTL)"
            )
            writers = [op.name for op in ctx.estimates.writes if op.name in ctx.flows_of]
            if writers:
                invalidation = "no traced write flow touches it to invalidate"
            else:
                invalidation = "no write flow is traced through it"
            yield Hit(
                c.id,
                f"{ctx.name(c.id)} is filled on reads ({strategy.replace('_', '-')}): after a "
                f"change in the database it serves the old value {bound}, and {invalidation}. "
                "Fine for data that never changes once written; otherwise delete the key on "
                "write and keep the TTL short, or state the staleness the reads accept "
                "(`max_staleness`).",
            )
