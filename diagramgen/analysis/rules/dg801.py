"""DG801: flows promise latency or availability targets that nothing in the design measures."""

from __future__ import annotations

from collections.abc import Iterator

from diagramgen import techs
from diagramgen.analysis.base import Hit, Rule
from diagramgen.analysis.context import Context
from diagramgen.spec.units import human_duration, human_percent

# An SLO is a target value for a service level measured by an indicator (latency, error
# rate ...): without the measurement there is nothing to hold the target against (Google,
# "Site Reliability Engineering", 2016, ch. 4 "Service Level Objectives",
# https://landing.google.com/sre/book/chapters/service-level-objectives.html).
SRE_BOOK = "Google SRE book, ch. 4"


class UnmeasuredTargets(Rule):
    """Flows with a `latency_budget` or an `slo` in a design with nothing that measures them.

    ## What it does
    When flows declare targets (`latency_budget`, `slo`) and no component of the design
    collects metrics, logs or traces (a `monitoring` component, or a `tech` the alias table
    knows as one: Prometheus, CloudWatch, Datadog, Azure Monitor, a log shipper such as
    Fluentd), it asks, once per design, for the component that measures them. It asserts
    nothing about a design that states no targets: drawing monitoring is a choice there.

    ## Why is this bad?
    A latency budget or an SLO is a target for a measured indicator: p99 latency and the
    share of failed requests, per flow. With nothing collecting them, nobody learns that
    the target is missed until users say so, and there is no error budget to spend or
    protect (Google SRE book, ch. 4, "Service Level Objectives").

    ## Example
    ```yaml
    components:
      - {id: web, kind: client}
      - {id: api, kind: service, replicas: 3}
    flows: [{name: search, latency_budget: 100ms, slo: 99.9%, steps: [web -> api]}]
    ```

    Use instead:
    ```yaml
      - {id: metrics, kind: monitoring, tech: prometheus}
    connections: ["api ~> metrics: latency and error histograms"]
    ```
    """

    code = "DG801"
    name = "unmeasured-targets"
    severity = "info"
    topic = "observability"

    def check(self, ctx: Context) -> Iterator[Hit]:
        """One ask per design whose flows state targets and that draws no monitoring."""
        targets: list[tuple[int, str, str]] = []  # (flow index, field, "`x` within 100ms")
        for index, flow in enumerate(ctx.design.flows):
            if flow.latency_budget is not None:
                budget = human_duration(flow.latency_budget)
                targets.append((index, "latency_budget", f"`{flow.name}` within {budget}"))
            if flow.slo is not None:
                slo = human_percent(flow.slo)
                targets.append((index, "slo", f"`{flow.name}` {slo} available"))
        if not targets or any(self._measures(c.kind, c.tech) for c in ctx.components):
            return
        index, field, _ = targets[0]
        listed = ", ".join(text for _, _, text in targets[:3])
        more = f" and {len(targets) - 3} more" if len(targets) > 3 else ""
        yield Hit(
            None,
            "declare the component that measures the flows' targets (a `monitoring` "
            f"component their services report to): the flows promise {listed}{more}, and "
            "nothing in the design collects the latencies and errors that show whether they "
            f"are met. An SLO is a target for a measured indicator ({SRE_BOOK}).",
            loc=("flows", index, field),
            undeclared=True,
        )

    @staticmethod
    def _measures(kind: str, tech: str | None) -> bool:
        """True for a component that collects telemetry: monitoring, or a log shipper."""
        if kind == "monitoring" or techs.is_log_shipper(tech):
            return True
        known = techs.lookup(tech)
        return known is not None and known.kind == "monitoring"
