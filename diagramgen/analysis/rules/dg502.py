"""DG502: a cache smaller than its hot set."""

from __future__ import annotations

from collections.abc import Iterator

from diagramgen.analysis.base import Hit, Rule, ask
from diagramgen.analysis.context import Context
from diagramgen.analysis.estimates import CACHE_HOT_FRACTION
from diagramgen.spec.units import human_size


class CacheSmallerThanHotSet(Rule):
    """A cache whose declared `size` cannot hold the hot set of the reads it serves.

    ## What it does
    Estimates the hot set of each read operation whose flow passes the cache: 20% of a
    day's reads times their size (the 80/20 rule; an upper bound, as it counts every read
    as distinct), at most the operation's `key_space` times its size, and compares the
    sum with the cache's `size`: a warning when every operation declares its `key_space`
    (the hot set is then bounded by real items), a request for `key_space` otherwise
    (counting every response as a distinct entry is only an upper bound).

    ## Why is this bad?
    A cache that cannot hold the hot set evicts entries that are about to be read again:
    the hit ratio collapses, and the database behind it takes the misses it was sized
    not to take.

    ## Example
    ```yaml
    workload: {operations: [{name: view, rate: 1B/day, size: 1KB}]}
    components:
      - {id: api, kind: service, replicas: 4}
      - {id: cache, kind: cache, tech: redis, size: 16GB, ttl: 1h, eviction: lru}
    flows: [{name: view, steps: ["api -> cache: get"]}]
    ```

    Use instead:
    ```yaml
      - {id: cache, kind: cache, tech: redis, size: 256GB, replicas: 3}
    ```
    (200 GB is 20% of a day's 1 TB of reads), or cache a smaller, hotter subset.
    """

    code = "DG502"
    name = "cache-smaller-than-hot-set"
    severity = "warning"
    topic = "capacity"

    def check(self, ctx: Context) -> Iterator[Hit]:
        """One hit per sized cache smaller than its hot set; one ask per missing fact."""
        # Operations without `key_space`, and the caches that need it: one question each,
        # however many caches the operation's reads pass.
        asks: dict[tuple[str, ...], list[tuple[str, str, float, float]]] = {}
        for c in ctx.of_kind("cache"):
            size = getattr(c, "size", None)
            if size is None:
                continue
            ops = [op for op in ctx.operations_through(c.id, "read") if op.cache_bytes]
            hot = sum(op.cache_bytes or 0.0 for op in ops)
            if hot <= size:
                continue
            what = " + ".join(f"{op.name} {human_size(op.cache_bytes or 0)}" for op in ops)
            unbounded = [op.name for op in ops if ctx.operation_spec(op.name, "key_space") is None]
            if unbounded:
                asks.setdefault(tuple(unbounded), []).append((c.id, what, hot, size))
                continue
            yield Hit(
                c.id,
                f"{ctx.name(c.id)} holds {human_size(size)} but the hot set of its reads is "
                f"~{human_size(hot)} ({what}; {CACHE_HOT_FRACTION:.0%} of a day's reads): it "
                "evicts entries about to be read again and the hit ratio falls. Size it to the "
                "hot set, cache a smaller, hotter subset, or declare the operations' "
                "`key_space` when fewer distinct items are read.",
            )
        for names, caches in asks.items():
            # Without `key_space` the hot set counts every read as a distinct entry: an
            # upper bound that a few popular keys read again and again never reach.
            against = " and ".join(
                f"~{human_size(hot)}{f' ({what})' if ' + ' in what else ''} against "
                f"{ctx.name(cid)}'s {human_size(size)}"
                for cid, what, hot, size in caches
            )
            yield ask(
                caches[0][0],
                "`key_space` (distinct items read) on operation "
                + ", ".join(f"'{n}'" for n in names),
                f"read as all distinct, the hot set would need {against}; the number of "
                "distinct items decides whether it fits.",
            )
