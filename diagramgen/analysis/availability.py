"""Availability of a flow: its synchronous dependencies in series, instances in parallel.

    series:    A = a1 x a2 x ... x an          (every dependency must be up)
    parallel:  a = 1 - (1 - a_instance)^n       (one of n instances is enough)
    downtime:  (1 - A) x 365 days a year, (1 - A) x 30 days a month

A component's availability is, in order: its `availability:`; an external system's `sla:`;
its managed service's published SLA (by `tech`); its kind's default (`defaults`); else its
running instances in parallel, each an EC2 instance (99.5%), capped at what spreading
across zones can give (99.99%, the EC2 Region-Level SLA; 99.95% for a database, whose
writes wait for a failover: the RDS Multi-AZ SLA). Failures are taken as independent,
which is why the cap matters: a zone or a bad deploy takes several instances at once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from diagramgen.analysis.context import DATABASE_KINDS, Context
from diagramgen.analysis.cost import copies
from diagramgen.analysis.defaults import (
    ASYNC_REPLICATION_RPO,
    BACKUP_RPO,
    DB_FAILOVER,
    EC2_INSTANCE,
    EC2_REGION,
    KIND_AVAILABILITY,
    STRATEGY_RTO,
    TECH_AVAILABILITY,
    tech_key,
)
from diagramgen.spec.models import Component
from diagramgen.spec.units import MONTH, YEAR, human_duration, human_percent


@dataclass(frozen=True)
class ComponentAvailability:
    """How available one component is, and how that was derived."""

    component: str
    availability: float
    basis: str
    source: str | None


def series(values: list[float]) -> float:
    """Availability of dependencies that must all be up: the product."""
    return math.prod(values)


def parallel(availability: float, n: int) -> float:
    """Availability of n independent copies of which one is enough: 1 - (1 - a)^n."""
    return 1 - (1 - availability) ** n


def downtime_per_year(availability: float) -> float:
    """Seconds down a year: (1 - A) x 365 days."""
    return (1 - availability) * YEAR


def downtime_per_month(availability: float) -> float:
    """Seconds down a 30-day month."""
    return (1 - availability) * MONTH


def component_availability(ctx: Context, c: Component) -> ComponentAvailability:
    """The availability of one component (see the module docstring for the order)."""
    if c.availability is not None:
        return ComponentAvailability(c.id, c.availability, "declared", None)
    sla = getattr(c, "sla", None)
    if sla is not None:
        return ComponentAvailability(c.id, sla / 100, "its declared `sla`", None)
    tech = TECH_AVAILABILITY.get(tech_key(c))
    if tech is not None:
        return ComponentAvailability(c.id, tech.value, tech.basis, tech.source)
    kind = KIND_AVAILABILITY.get(c.kind)
    if kind is not None:
        return ComponentAvailability(c.id, kind.value, kind.basis, kind.source)
    autoscaling = getattr(c, "autoscaling", None)
    n = max(c.replicas, autoscaling.min if autoscaling else 1)
    if c.kind in DATABASE_KINDS:
        n = copies(ctx, c)  # the copies of one shard back each other up
    one = EC2_INSTANCE.value
    if n == 1:
        return ComponentAvailability(c.id, one, "one instance: " + EC2_INSTANCE.basis,
                                     EC2_INSTANCE.source)  # fmt: skip
    cap = EC2_REGION
    if c.kind in DATABASE_KINDS:
        if getattr(c, "replication", "none") == "none":
            return ComponentAvailability(
                c.id,
                one,
                f"{n} replicas but `replication: none`, so no failover target: one instance",
                EC2_INSTANCE.source,
            )
        cap = DB_FAILOVER
    value = min(parallel(one, n), cap.value)
    return ComponentAvailability(
        c.id,
        value,
        f"{n} instances in parallel: 1 - (1 - {human_percent(one)})^{n}, at most "
        f"{human_percent(cap.value)}, {cap.basis}",
        cap.source,
    )


@dataclass(frozen=True)
class FlowAvailability:
    """The availability of a flow's synchronous part."""

    parts: tuple[ComponentAvailability, ...]  # clients left out
    availability: float

    @property
    def downtime_per_year_s(self) -> float:
        """Seconds down a year."""
        return downtime_per_year(self.availability)

    @property
    def downtime_per_month_s(self) -> float:
        """Seconds down a month."""
        return downtime_per_month(self.availability)

    @property
    def weakest(self) -> ComponentAvailability | None:
        """The least available dependency."""
        return min(self.parts, key=lambda p: (p.availability, p.component), default=None)

    def contributors(self, limit: int = 3) -> list[ComponentAvailability]:
        """The dependencies losing the most availability, worst first."""
        ranked = sorted(
            (p for p in self.parts if p.availability < 1),
            key=lambda p: (p.availability, p.component),
        )
        return ranked[:limit]


def flow_availability(ctx: Context, components: list[str]) -> FlowAvailability:
    """Series availability of the components a flow's synchronous part depends on."""
    parts = tuple(
        component_availability(ctx, ctx.component(cid))
        for cid in components
        if ctx.component(cid).kind != "client"
    )
    return FlowAvailability(parts, series([p.availability for p in parts]))


# ---------------------------------------------------------------- disaster recovery


@dataclass(frozen=True)
class RecoveryCheck:
    """The declared RPO/RTO against what the strategy and the data stores can give."""

    strategy: str
    rto: float | None
    rpo: float | None
    achievable_rto: float  # the strategy's typical lower bound, seconds
    achievable_rpo: float | None  # None: a store has neither replication nor backups
    rpo_basis: str
    undeclared: tuple[str, ...]  # stores whose replication facts are missing

    @property
    def rto_met(self) -> bool | None:
        """None without a declared RTO."""
        return None if self.rto is None else self.rto >= self.achievable_rto

    @property
    def rpo_met(self) -> bool | None:
        """None without a declared RPO or when the facts are missing."""
        if self.rpo is None or self.achievable_rpo is None:
            return None
        return self.rpo >= self.achievable_rpo


def recovery_check(ctx: Context) -> RecoveryCheck | None:
    """Compare the disaster-recovery section with replication and failover; None without one."""
    dr = ctx.design.disaster_recovery
    if dr is None:
        return None
    worst = 0.0
    reasons: list[str] = []
    undeclared: list[str] = []
    for c in ctx.of_kind(*DATABASE_KINDS):
        replication = getattr(c, "replication", "none")
        if dr.strategy != "backup_restore":
            # Pilot light, warm standby and active-active keep a copy of the data in the
            # recovery region by continuous replication.
            synced = getattr(c, "multi_region", False) and replication == "sync"
            rpo = 0.0 if synced else ASYNC_REPLICATION_RPO.value
            reasons.append(
                f"`{c.id}` replicates to the recovery region "
                + ("synchronously" if synced else f"(~{human_duration(rpo)} behind)")
            )
        elif getattr(c, "backups", False):
            rpo = BACKUP_RPO.value
            reasons.append(f"`{c.id}` is restored from backups (~{human_duration(rpo)} lost)")
        else:
            undeclared.append(c.id)
            continue
        worst = max(worst, rpo)
    achievable = None if undeclared else worst
    return RecoveryCheck(
        strategy=dr.strategy,
        rto=dr.rto,
        rpo=dr.rpo,
        achievable_rto=STRATEGY_RTO[dr.strategy].value,
        achievable_rpo=achievable,
        rpo_basis="; ".join(reasons),
        undeclared=tuple(undeclared),
    )
