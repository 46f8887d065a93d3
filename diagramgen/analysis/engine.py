"""Run the rules over a design: `analyze(design) -> Analysis`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from diagramgen.analysis.availability import RecoveryCheck, recovery_check
from diagramgen.analysis.base import SEVERITIES, Finding
from diagramgen.analysis.context import ComponentLoad, Context
from diagramgen.analysis.cost import CostEstimate, estimate_cost
from diagramgen.analysis.estimates import Estimates, estimate
from diagramgen.analysis.flows import FlowReport, flow_reports
from diagramgen.analysis.registry import Registry, default_registry
from diagramgen.spec.models import Design


@dataclass(frozen=True)
class UnknownIgnore:
    """An `ignore:` entry naming a rule code that does not exist (a typo silences nothing)."""

    component: str | None  # None for the design-level `ignore`
    code: str


@dataclass(frozen=True)
class Analysis:
    """Estimates and findings of one design; pure data, deterministic order."""

    estimates: Estimates
    findings: list[Finding]  # reported, by code, component, message
    suppressed: list[Finding] = field(default_factory=list)  # silenced by `ignore:`
    loads: list[ComponentLoad] = field(default_factory=list)  # spec order
    untraced_operations: list[str] = field(default_factory=list)
    unknown_ignores: list[UnknownIgnore] = field(default_factory=list)
    flows: list[FlowReport] = field(default_factory=list)  # latency and availability, spec order
    cost: CostEstimate | None = None  # storage and egress per month
    recovery: RecoveryCheck | None = None  # None without `disaster_recovery`
    # The lookups the rules used (graph, edges, loads): the notes reuse them, not rebuild.
    context: Context | None = field(default=None, compare=False, repr=False)

    def count(self, severity: str) -> int:
        """How many reported findings have this severity."""
        return sum(1 for f in self.findings if f.severity == severity)

    def to_json(self) -> dict[str, Any]:
        """`{"estimates": {...}, "findings": [...]}` plus loads and suppressed findings."""
        estimates = self.estimates.to_json()
        estimates["components"] = [load.to_json() for load in self.loads]
        estimates["untraced_operations"] = list(self.untraced_operations)
        if self.cost is not None:
            estimates["cost"] = self.cost.to_json()
        return {
            "estimates": estimates,
            "flows": [f.to_json() for f in self.flows],
            "findings": [f.to_json() for f in self.findings],
            "suppressed": [f.to_json() for f in self.suppressed],
            "unknown_ignores": [
                {"component": u.component, "code": u.code} for u in self.unknown_ignores
            ],
            "summary": {
                **{s: self.count(s) for s in SEVERITIES},
                "suppressed": len(self.suppressed),
            },
        }


def context_of(design: Design, analysis: Analysis) -> Context:
    """The rules' `Context` when `analysis` was made of `design`, else a new one.

    A `Context` memoises the graph walks (edges, callers, loads): for 1,000 components the
    notes save 0.02 s by reusing the one the rules filled.
    """
    ctx = analysis.context
    if ctx is not None and ctx.design is design and ctx.estimates is analysis.estimates:
        return ctx
    return Context(design, analysis.estimates)


def analyze(design: Design, registry: Registry | None = None) -> Analysis:
    """Estimate the workload and run every rule; `ignore:` moves findings to `suppressed`.

    A component's `ignore` silences a rule's findings about that component; the design's
    `ignore` silences the rule everywhere.
    """
    registry = registry if registry is not None else default_registry()
    estimates = estimate(design)
    ctx = Context(design, estimates)
    reported: list[Finding] = []
    suppressed: list[Finding] = []
    for rule in registry:
        for hit in rule.check(ctx):
            component = ctx.graph.components.get(hit.component) if hit.component else None
            reason = component.ignore.get(rule.code) if component is not None else None
            if reason is None:
                reason = design.ignore.get(rule.code)
            if reason is not None:
                suppressed.append(rule.finding(hit, suppressed=reason))
            else:
                reported.append(rule.finding(hit))
    unknown = [UnknownIgnore(None, code) for code in sorted(design.ignore) if code not in registry]
    unknown += [
        UnknownIgnore(c.id, code)
        for c in design.components
        for code in sorted(c.ignore)
        if code not in registry
    ]
    return Analysis(
        estimates=estimates,
        findings=sorted(set(reported), key=lambda f: f.sort_key),
        suppressed=sorted(set(suppressed), key=lambda f: f.sort_key),
        loads=list(ctx.loads.values()),
        untraced_operations=ctx.untraced_operations,
        unknown_ignores=unknown,
        flows=flow_reports(ctx),
        cost=estimate_cost(ctx),
        recovery=recovery_check(ctx),
        context=ctx,
    )
