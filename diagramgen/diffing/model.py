"""The result of comparing two designs: plain data, matched by id, sorted for stable output."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from diagramgen.spec.models import Design

K = TypeVar("K")

# attribute -> (old value, new value); nested attributes are dotted (`autoscaling.max`).
# Values are JSON-ready (what `model_dump(mode="json")` gives); a missing one is None.
Changes = dict[str, tuple[Any, Any]]

# A connection is keyed by its ends; two connections with the same ends (allowed when their
# labels differ) are keyed by their ends and label, so every key names exactly one connection.
ConnectionKey = tuple[str, ...]


def connection_name(key: ConnectionKey) -> str:
    """`("api", "db")` -> `api -> db`; with a label: `api -> db: reads`."""
    text = f"{key[0]} -> {key[1]}"
    return f"{text}: {key[2]}" if len(key) > 2 else text


@dataclass
class SectionDiff(Generic[K]):
    """Added, removed and changed items of one section (components, groups, ...)."""

    added: list[K] = field(default_factory=list)
    removed: list[K] = field(default_factory=list)
    changed: dict[K, Changes] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)


@dataclass(frozen=True)
class FindingRef:
    """A finding as the diff reports it (the analysis' `Finding`, renames applied)."""

    code: str
    name: str
    severity: str
    component: str | None
    message: str


@dataclass(frozen=True)
class EstimateChange:
    """How one operation's capacity estimate moved; None where the operation does not exist."""

    operation: str
    old_peak_per_second: float | None
    new_peak_per_second: float | None
    old_storage_bytes: float | None
    new_storage_bytes: float | None
    old_bandwidth_bytes_per_second: float | None = None
    new_bandwidth_bytes_per_second: float | None = None


@dataclass(frozen=True)
class FlowChange:
    """How one flow's computed latency or availability moved; None where it is absent/unbounded."""

    flow: str
    old_p99_s: float | None
    new_p99_s: float | None
    old_availability: float | None
    new_availability: float | None
    old_exists: bool = True
    new_exists: bool = True


@dataclass(frozen=True)
class CostChange:
    """How the monthly storage and egress cost moved (currency per month)."""

    currency: str
    old_storage: float
    new_storage: float
    old_egress: float
    new_egress: float
    old_retention_s: float | None  # the storage cost is the cost after this
    new_retention_s: float | None
    old_unpriced_bytes: float = 0.0  # retained data that reaches no store
    new_unpriced_bytes: float = 0.0


@dataclass
class TradeoffDelta:
    """What the change does to the tradeoffs: findings that appeared or were resolved, estimates."""

    appeared: list[FindingRef] = field(default_factory=list)
    resolved: list[FindingRef] = field(default_factory=list)
    estimates: list[EstimateChange] = field(default_factory=list)
    old_storage_bytes: float = 0.0  # total over every operation
    new_storage_bytes: float = 0.0
    flows: list[FlowChange] = field(default_factory=list)  # latency or availability moved
    cost: CostChange | None = None  # None when neither storage nor egress cost moved

    def __bool__(self) -> bool:
        return bool(self.appeared or self.resolved or self.estimates or self.flows or self.cost)


@dataclass
class DesignDiff:
    """Everything that changed from `old` to `new`, every item matched by its id."""

    old: Design = field(repr=False)
    new: Design = field(repr=False)
    design: Changes = field(default_factory=dict)  # name, title, description, notes, peak factor
    components: SectionDiff[str] = field(default_factory=SectionDiff)
    renamed: dict[str, str] = field(default_factory=dict)  # old component id -> new id
    groups: SectionDiff[str] = field(default_factory=SectionDiff)
    connections: SectionDiff[ConnectionKey] = field(default_factory=SectionDiff)
    flows: SectionDiff[str] = field(default_factory=SectionDiff)
    decisions: SectionDiff[str] = field(default_factory=SectionDiff)
    operations: SectionDiff[str] = field(default_factory=SectionDiff)
    tradeoffs: TradeoffDelta | None = None  # None when the analysis is not available

    @property
    def has_changes(self) -> bool:
        """True when the two designs differ in anything (a rename counts)."""
        return bool(
            self.design
            or self.components
            or self.renamed
            or self.groups
            or self.connections
            or self.flows
            or self.decisions
            or self.operations
        )

    def new_id(self, old_id: str) -> str:
        """The id an old component has in the new design (itself unless renamed)."""
        return self.renamed.get(old_id, old_id)
