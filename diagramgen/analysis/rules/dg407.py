"""DG407: edge-cached responses skip work the origin does per request."""

from __future__ import annotations

from collections.abc import Iterator

from diagramgen.analysis.base import Hit, Rule
from diagramgen.analysis.context import MESSAGING_KINDS, Context, cache_hit_ratio
from diagramgen.spec.units import human_rate


class EdgeCacheSkipsOrigin(Rule):
    """A flow cached at a CDN that also records something per request at the origin.

    ## What it does
    For each flow that passes a CDN, looks at the later steps that record something per
    request: asynchronous steps and steps into a queue or stream (events, analytics,
    audit logs). Requests the CDN answers from its cache never get there.

    ## Why is this bad?
    The more the CDN absorbs, the more those records undercount: click counts, rate
    limits, audit trails and billing see only the cache misses. Either count at the edge
    (CDN logs, edge functions), or mark those responses uncacheable and give up the
    offload on purpose.

    ## Example
    ```yaml
    components:
      - {id: client, kind: client}
      - {id: cdn, kind: cdn, ttl: 1h, invalidation: purge}
      - {id: api, kind: service, replicas: 3}
      - {id: clicks, kind: stream, dead_letter: true}
    flows:
      - name: redirect
        steps: ["client -> cdn: GET /{code}", "cdn -> api: miss", "api ~> clicks: click event"]
    ```

    Use instead: count at the edge,
    ```yaml
    connections: ["cdn ~> clicks: edge access logs"]
    ```
    or serve that response with `Cache-Control: private` and size the origin for all of it.
    """

    code = "DG407"
    name = "edge-cache-skips-origin"
    severity = "warning"
    topic = "performance"

    def check(self, ctx: Context) -> Iterator[Hit]:
        """One hit per (flow, recording step) behind a CDN."""
        for flow in ctx.design.flows:
            cdn: str | None = None
            for step in flow.steps:
                targets = ctx.graph.expand(step.target)
                if cdn is None:
                    cdn = next((t for t in targets if ctx.component(t).kind == "cdn"), None)
                    continue
                for target in targets:
                    kind = ctx.component(target).kind
                    if not (step.is_async or kind in MESSAGING_KINDS):
                        continue
                    if self._edge_feeds(ctx, cdn, target):
                        continue
                    ratio = getattr(ctx.component(cdn), "hit_ratio", None)
                    share = (
                        f"; at its declared {cache_hit_ratio(ctx.component(cdn)):.0%} hit ratio "
                        f"that is {self._missed(ctx, flow.name, ratio)}"
                        if ratio
                        else ""
                    )
                    label = f" ({step.label!r})" if step.label else ""
                    yield Hit(
                        target,
                        f"flow `{flow.name}` reaches {step.source} -> {target}{label} only on a "
                        f"miss at {ctx.name(cdn)}: requests the edge serves from its cache are "
                        f"never recorded{share}. Count at the edge (CDN logs) or make this "
                        "response uncacheable.",
                    )

    @staticmethod
    def _edge_feeds(ctx: Context, cdn: str, target: str) -> bool:
        """True when the CDN itself sends to the target (edge logs): nothing is lost."""
        return target in ctx.successors(cdn)

    @staticmethod
    def _missed(ctx: Context, flow_name: str, ratio: float) -> str:
        peak = sum(
            op.peak_per_second
            for op in ctx.estimates.reads
            if any(f.name == flow_name for f in ctx.flows_of.get(op.name, []))
        )
        if not peak:
            return f"{ratio:.0%} of requests unrecorded"
        return f"{human_rate(peak * ratio)} of {human_rate(peak)} unrecorded at peak"
