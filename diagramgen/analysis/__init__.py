"""The analysis stage: capacity estimates and coded design rules over a `Design`.

from diagramgen.analysis import analyze
a = analyze(design)
a.estimates.operations[0].peak_per_second
[f"{f.code} {f.message}" for f in a.findings]
"""

from diagramgen.analysis.base import Finding, Hit, Rule, Severity, Topic
from diagramgen.analysis.engine import Analysis, analyze
from diagramgen.analysis.estimates import Estimates, OperationEstimate, estimate
from diagramgen.analysis.registry import Registry, RuleError, default_registry

__all__ = [
    "Analysis",
    "Estimates",
    "Finding",
    "Hit",
    "OperationEstimate",
    "Registry",
    "Rule",
    "RuleError",
    "Severity",
    "Topic",
    "analyze",
    "default_registry",
    "estimate",
]
