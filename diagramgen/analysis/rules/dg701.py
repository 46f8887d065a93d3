"""DG701: a flow's computed p99 is over its `latency_budget`."""

from __future__ import annotations

from collections.abc import Iterator

from diagramgen.analysis.base import Hit, Rule
from diagramgen.analysis.context import Context
from diagramgen.analysis.flows import flow_reports
from diagramgen.analysis.latency import Hop
from diagramgen.spec.units import human_ms


def describe(hop: Hop) -> str:
    """`suggest_api 46 ms p99 (service 10 ms mean, network 30 ms, queueing 0.2 ms)`."""
    if hop.saturated and hop.queue is not None:
        return (
            f"`{hop.component}` saturated ({hop.queue.utilization:.0%} of "
            f"{hop.queue.servers} x {hop.queue.mu:g}/s)"
        )
    bits = [f"service {human_ms(hop.service)} mean"]
    if hop.rtt:
        bits.append(f"{(hop.network or '').replace('_', ' ')} round trip {human_ms(hop.rtt)}")
    if hop.wait_p99:
        bits.append(f"queueing {human_ms(hop.wait_p99)} p99")
    reach = f", reached by {hop.reach:.0%}" if hop.reach < 1 else ""
    return f"`{hop.component}` {human_ms(hop.own_p99)} p99 ({', '.join(bits)}{reach})"


class LatencyBudgetExceeded(Rule):
    """A flow whose computed p99 response time is over its declared latency budget.

    ## What it does
    Computes each flow's response time (network round trips by where the ends live, service
    time per component, M/M/c queueing at peak load, see the README's latency model) and
    compares its p99 with the flow's `latency_budget`. The message names the largest
    contributors. A saturated component on the way makes the time unbounded.

    ## Why is this bad?
    A budget the design cannot meet on paper is missed in production, where tails are
    worse. Knowing which hop eats the budget tells you where to cut: a cross-region call,
    a slow store on the request path, a component running too hot.

    ## Example
    ```yaml
    components:
      - {id: user, kind: client}
      - {id: api, kind: service, replicas: 3}
      - {id: db, kind: sql_database, replicas: 2, replication: sync, region: us-east-1}
      - {id: far, kind: sql_database, replicas: 2, replication: sync, region: eu-west-1}
    flows:
      - name: profile
        latency_budget: 50ms
        steps: ["user -> api", "api -> db: read", "db -> far: check"]
    ```

    Use instead:
    ```yaml
    components:
      - {id: user, kind: client}
      - {id: cdn, kind: cdn}
      - {id: api, kind: service, replicas: 3}
      - {id: cache, kind: cache, replicas: 2}
    flows:
      - name: profile
        latency_budget: 100ms
        steps: ["user -> cdn", "cdn -> api: miss", "api -> cache: read"]
    ```
    """

    code = "DG701"
    name = "latency-budget-exceeded"
    severity = "warning"
    topic = "performance"

    def check(self, ctx: Context) -> Iterator[Hit]:
        """One hit per flow over its budget, at the flow's `latency_budget`."""
        for index, report in enumerate(flow_reports(ctx)):
            if report.budget is None or report.budget_met:
                continue
            latency = report.latency
            top = "; ".join(describe(h) for h in latency.contributors())
            if latency.p99 is None:
                text = (
                    f"flow '{report.name}' has no bounded response time: "
                    f"{', '.join(latency.unbounded_by)} cannot carry its peak load, so its "
                    f"queue grows without limit (budget {human_ms(report.budget)})"
                )
            else:
                text = (
                    f"flow '{report.name}' takes {human_ms(latency.p99)} at p99, over its "
                    f"{human_ms(report.budget)} budget"
                )
            yield Hit(None, f"{text}. Largest contributors: {top}.",
                      loc=("flows", index, "latency_budget"))  # fmt: skip
