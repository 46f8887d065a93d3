"""What every rule shares: findings, severities, topics, and the `Rule` base class.

A rule is a small class in its own module under `diagramgen/analysis/rules/`, named by its
code (`dg101.py` holds `DG101`), in the manner of ruff and sqlfluff. Its docstring is its
documentation and must carry the sections `## What it does`, `## Why is this bad?`,
`## Example` and `Use instead:`; the registry refuses a rule without them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Literal

if TYPE_CHECKING:
    from diagramgen.analysis.context import Context

Severity = Literal["error", "warning", "info"]
Topic = Literal[
    "reliability", "scalability", "storage", "performance", "capacity", "security", "observability"
]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
TOPICS: tuple[Topic, ...] = (
    "reliability", "scalability", "storage", "performance", "capacity", "security", "observability"
)  # fmt: skip
DOC_SECTIONS = ("## What it does", "## Why is this bad?", "## Example", "Use instead:")
CODE_RE = re.compile(r"^DG[1-9]\d{2}$")
NAME_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Finding:
    """One risk or tradeoff a rule found in a design."""

    code: str
    name: str
    severity: Severity
    topic: Topic
    component: str | None  # None for a finding about the design as a whole
    message: str
    suppressed: str | None = None  # the `ignore:` reason when the component silenced the rule
    loc: tuple[str | int, ...] | None = None  # where in the spec, when not the component
    undeclared: bool = False  # asks for a fact the spec does not state, rather than a risk

    @property
    def sort_key(self) -> tuple[str, str, str]:
        """Code, then component, then message: a stable order independent of rule internals."""
        return (self.code, self.component or "", self.message)

    def to_json(self) -> dict[str, Any]:
        """Plain data for `notes --format json`."""
        data: dict[str, Any] = {
            "code": self.code,
            "name": self.name,
            "severity": self.severity,
            "topic": self.topic,
            "component": self.component,
            "message": self.message,
        }
        if self.undeclared:
            data["undeclared"] = True
        if self.suppressed is not None:
            data["reason"] = self.suppressed
        return data


@dataclass(frozen=True)
class Hit:
    """What a rule reports: the component it is about and a specific message.

    A rule that cannot see a fact does not assert its absence: it reports `ask(...)`, an
    info hit that names the fact to declare. Warnings are for risks the spec shows.
    """

    component: str | None
    message: str
    loc: tuple[str | int, ...] | None = None  # a spec path such as ("flows", 2, "operations")
    undeclared: bool = False  # an `ask`: reported as info whatever the rule's severity


def ask(component: str | None, fact: str, why: str) -> Hit:
    """An info hit asking for a fact: `declare eviction on cache 'x': <why>`."""
    return Hit(component, f"declare {fact}: {why}", undeclared=True)


class Rule:
    """Base class of the design rules; subclasses set the class attributes and `check`."""

    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity]
    topic: ClassVar[Topic]

    def check(self, ctx: Context) -> Iterable[Hit]:
        """Yield one `Hit` per problem found in the design."""
        raise NotImplementedError

    @classmethod
    def summary(cls) -> str:
        """The first line of the docstring."""
        return (cls.__doc__ or "").strip().splitlines()[0].strip()

    @classmethod
    def doc_section(cls, heading: str) -> str:
        """The text of one docstring section (`## Why is this bad?`), dedented and stripped."""
        import inspect

        doc = inspect.cleandoc(cls.__doc__ or "")
        start = doc.find(heading)
        if start < 0:
            return ""
        start += len(heading)
        ends = [doc.find(h, start) for h in DOC_SECTIONS if doc.find(h, start) >= 0]
        return doc[start : min(ends) if ends else len(doc)].strip()

    def finding(self, hit: Hit, suppressed: str | None = None) -> Finding:
        """A `Finding` carrying this rule's code, name, severity and topic."""
        return Finding(
            code=self.code,
            name=self.name,
            severity="info" if hit.undeclared else self.severity,
            topic=self.topic,
            component=hit.component,
            message=hit.message,
            suppressed=suppressed,
            loc=hit.loc,
            undeclared=hit.undeclared,
        )
