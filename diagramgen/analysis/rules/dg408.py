"""DG408: a cache or CDN TTL longer than the staleness an operation promises."""

from __future__ import annotations

from collections.abc import Iterator

from diagramgen.analysis.base import Hit, Rule
from diagramgen.analysis.context import Context
from diagramgen.spec.units import human_duration


class StalenessBeyondPromise(Rule):
    """A read path whose cache keeps entries longer than the operation's `max_staleness`.

    ## What it does
    For each workload operation with `max_staleness`, looks at the caches and CDNs on
    its flows. It fires when one keeps entries longer (its `ttl`) than the promise and
    no write flow passes through it to invalidate or update the entry: after a change,
    reads return the old value until the TTL runs out.

    ## Why is this bad?
    The promise ("a disabled link stops redirecting within the hour", "a price change
    shows within 5 minutes") is written in a decision or a contract; the TTL, set
    elsewhere for hit ratio, silently breaks it. Nothing fails: users just see old data
    for longer than anyone agreed to.

    ## Example
    ```yaml
    workload:
      operations: [{name: redirect, rate: 1k/s, access: read, max_staleness: 1h}]
    components:
      - {id: cdn, kind: cdn, ttl: 24h, invalidation: ttl}
      - {id: api, kind: service, replicas: 2}
    flows: [{name: redirect, steps: [cdn -> api]}]
    ```

    Use instead: a TTL within the promise, or a write flow that purges the entry:
    ```yaml
      - {id: cdn, kind: cdn, ttl: 30m, invalidation: ttl}
    ```
    """

    code = "DG408"
    name = "staleness-beyond-promise"
    severity = "warning"
    topic = "performance"

    def check(self, ctx: Context) -> Iterator[Hit]:
        """One hit per (operation, cache) whose TTL exceeds the operation's promise."""
        workload = ctx.design.workload
        for op in workload.operations if workload is not None else []:
            promise = op.max_staleness
            if promise is None:
                continue
            on_path: list[str] = []
            for flow in ctx.flows_of.get(op.name, []):
                for step in flow.steps:
                    for cid in (*ctx.graph.expand(step.source), *ctx.graph.expand(step.target)):
                        kind = ctx.component(cid).kind
                        if kind in ("cache", "cdn") and cid not in on_path:
                            on_path.append(cid)
            for cid in on_path:
                c = ctx.component(cid)
                ttl = getattr(c, "ttl", None)
                if ttl is None or ttl <= promise:
                    continue
                if ctx.operations_through(cid, "write"):
                    continue  # a write flow reaches it: it is updated or invalidated on change
                if getattr(c, "invalidation", None) == "purge" and ctx.callers.get(cid):
                    purgers = [
                        s for s in ctx.callers[cid] if ctx.component(s).kind not in ("client",)
                    ]
                    if purgers:
                        continue  # something other than clients calls it: the purge path
                yield Hit(
                    cid,
                    f"operation `{op.name}` promises data at most {human_duration(promise)} old "
                    f"(`max_staleness`), but {ctx.name(cid)} on its read path keeps entries for "
                    f"{human_duration(ttl)} and no write flow invalidates them: after a change, "
                    f"reads return the old value for up to {human_duration(ttl)}. Lower the "
                    "`ttl`, or purge the entry in the write flow.",
                )
