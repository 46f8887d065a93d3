"""DG206: one request fans out into many synchronous calls."""

from __future__ import annotations

from collections.abc import Iterator

from diagramgen.analysis.base import Hit, Rule
from diagramgen.analysis.context import Context
from diagramgen.spec.units import human_rate

# Five parallel calls at 99.9% each leave 99.5% of requests unhurt, and the request is as
# slow as the slowest of five: the tail of one callee becomes the median of the caller
# (Dean and Barroso, "The Tail at Scale", CACM 2013).
MAX_FAN_OUT = 5


class FanOutCost(Rule):
    """A component that makes many synchronous calls to serve one request of a flow.

    ## What it does
    For each flow, counts the distinct components each caller calls synchronously
    (a step's own `async` or its connection's). It fires when one caller waits on
    5 or more callees for one request, and puts the calls per second at peak on it
    when the flow carries a workload operation.

    ## Why is this bad?
    The request is as slow as the slowest callee and fails when any one fails: with five
    callees the 99th percentile of each becomes roughly the 95th of the whole, and the
    availabilities multiply. Every request also multiplies into that many calls, which
    the callees must be sized for ("The Tail at Scale", Dean and Barroso, 2013).

    ## Example
    ```yaml
    components:
      - {id: web, kind: client}
      - {id: front, kind: service, replicas: 3}
      - {id: catalog, kind: service, replicas: 2}
      - {id: price, kind: service, replicas: 2}
      - {id: stock, kind: service, replicas: 2}
      - {id: reviews, kind: service, replicas: 2}
      - {id: ads, kind: service, replicas: 2}
    flows:
      - name: product page
        steps: [web -> front, front -> catalog, front -> price, front -> stock,
                front -> reviews, front -> ads]
    ```

    Use instead: aggregate behind one call, make the optional parts asynchronous or
    cached, and give each call a `timeout`:
    ```yaml
    connections: ["front ~> reviews", "front ~> ads"]
    ```
    """

    code = "DG206"
    name = "fan-out-cost"
    severity = "warning"
    topic = "performance"

    def check(self, ctx: Context) -> Iterator[Hit]:
        """One hit per (flow, caller) waiting on too many callees."""
        seen: set[tuple[str, tuple[str, ...]]] = set()
        for flow in ctx.design.flows:
            callees: dict[str, list[str]] = {}
            for step in flow.steps:
                if ctx.link_async(step):
                    continue
                for source in ctx.graph.expand(step.source):
                    for target in ctx.graph.expand(step.target):
                        if target != source and target not in callees.setdefault(source, []):
                            callees[source].append(target)
            for source, targets in callees.items():
                if len(targets) < MAX_FAN_OUT or (source, tuple(targets)) in seen:
                    continue
                seen.add((source, tuple(targets)))
                peak = sum(
                    op.peak_per_second
                    for op in ctx.estimates.operations
                    if flow in ctx.flows_of.get(op.name, [])
                )
                rate = (
                    f"; at {human_rate(peak)} peak that is {human_rate(peak * len(targets))} calls"
                    if peak
                    else ""
                )
                unguarded = [
                    s.target
                    for s in flow.steps
                    if s.source == source
                    and ctx.link_fact(s, "timeout") is None
                    and not ctx.link_async(s)
                ]
                guard = (
                    f"; no `timeout` on the calls to {', '.join(unguarded)}" if unguarded else ""
                )
                yield Hit(
                    source,
                    f"flow `{flow.name}`: {ctx.name(source)} waits on {len(targets)} "
                    f"synchronous calls per request ({', '.join(targets)}){rate}: the request "
                    "is as slow as the slowest and fails when any fails"
                    f"{guard}. Aggregate, cache, or make the optional calls asynchronous.",
                )
