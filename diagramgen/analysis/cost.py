"""Monthly cost of what grows: stored data per store and bytes leaving to the internet.

    storage per month = stored bytes at the end of the retention / 1e9 x copies
                        x price per GB-month of the store's storage class
    egress per month  = average rate x bytes per response x 30 days / 1e9 x price per GB

Object storage prices include their own redundancy (one copy); disks under databases and
indexes are paid per copy (the replicas of each shard). Egress counts the responses of read
operations whose flow starts at a client, at the CDN's price when the client reaches a CDN
first, else at the internet egress price of the component it reaches. Prices are the dated
list prices of `defaults`, overridden by the design's `prices:`. Instances, requests and
traffic inside the cloud are not counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from diagramgen.analysis.context import STORE_KINDS, Context
from diagramgen.analysis.defaults import (
    BLOCK_STORAGE_PRICE,
    CDN_EGRESS_PRICE,
    CURRENCY,
    INTERNET_EGRESS_PRICE,
    OBJECT_STORAGE_PRICE,
    PRICES_AS_OF,
)
from diagramgen.spec.models import Component, Prices
from diagramgen.spec.units import MONTH

GB = 1e9


@dataclass(frozen=True)
class PriceTable:
    """The prices in force: the package's table with the design's overrides applied."""

    currency: str
    as_of: str
    object_storage: dict[str, float]
    block_storage: dict[str, float]
    cdn_egress: float
    internet_egress: float
    overridden: tuple[str, ...] = ()  # which entries the design set

    @classmethod
    def build(cls, prices: Prices | None) -> PriceTable:
        """The default table, with `prices:` laid over it."""
        table = cls(
            currency=CURRENCY,
            as_of=PRICES_AS_OF,
            object_storage={k: f.value for k, f in OBJECT_STORAGE_PRICE.items()},
            block_storage={k: f.value for k, f in BLOCK_STORAGE_PRICE.items()},
            cdn_egress=CDN_EGRESS_PRICE.value,
            internet_egress=INTERNET_EGRESS_PRICE.value,
        )
        if prices is None:
            return table
        overridden = [f"object_storage.{k}" for k in sorted(prices.object_storage)]
        overridden += [f"block_storage.{k}" for k in sorted(prices.block_storage)]
        overridden += [
            k for k in ("cdn_egress", "internet_egress") if getattr(prices, k) is not None
        ]
        return cls(
            currency=prices.currency or table.currency,
            as_of=prices.as_of or table.as_of,
            object_storage={**table.object_storage, **prices.object_storage},
            block_storage={**table.block_storage, **prices.block_storage},
            cdn_egress=table.cdn_egress if prices.cdn_egress is None else prices.cdn_egress,
            internet_egress=(
                table.internet_egress if prices.internet_egress is None else prices.internet_egress
            ),
            overridden=tuple(overridden),
        )


@dataclass(frozen=True)
class StoreCost:
    """What one data store costs a month once its retention is full."""

    component: str
    storage_class: str
    stored_bytes: float  # one copy, at the end of the retention
    copies: int
    price_per_gb_month: float
    retention_seconds: float | None  # the longest retention of what it stores
    operations: tuple[str, ...]
    egress_per_month: float = 0.0  # clients reading straight from it

    @property
    def storage_per_month(self) -> float:
        """Stored GB x copies x price."""
        return self.stored_bytes / GB * self.copies * self.price_per_gb_month

    def to_json(self) -> dict[str, Any]:
        """Plain data, exact numbers."""
        return {
            "component": self.component,
            "storage_class": self.storage_class,
            "stored_bytes": self.stored_bytes,
            "copies": self.copies,
            "price_per_gb_month": self.price_per_gb_month,
            "retention_seconds": self.retention_seconds,
            "operations": list(self.operations),
            "storage_per_month": self.storage_per_month,
            "egress_per_month": self.egress_per_month,
        }


@dataclass(frozen=True)
class EgressCost:
    """Bytes leaving to the internet through one component, a month."""

    component: str
    through: str  # "cdn" or "internet"
    bytes_per_month: float
    price_per_gb: float
    operations: tuple[str, ...]

    @property
    def egress_per_month(self) -> float:
        """GB x price."""
        return self.bytes_per_month / GB * self.price_per_gb

    def to_json(self) -> dict[str, Any]:
        """Plain data, exact numbers."""
        return {
            "component": self.component,
            "through": self.through,
            "bytes_per_month": self.bytes_per_month,
            "price_per_gb": self.price_per_gb,
            "operations": list(self.operations),
            "egress_per_month": self.egress_per_month,
        }


@dataclass(frozen=True)
class CostEstimate:
    """Storage and egress cost per month, per store and in total."""

    prices: PriceTable
    stores: list[StoreCost] = field(default_factory=list)
    egress: list[EgressCost] = field(default_factory=list)
    # Retained operations that land on no store (no flow reaches one): not priced.
    unattributed: dict[str, float] = field(default_factory=dict)

    @property
    def storage_per_month(self) -> float:
        """Every store."""
        return sum(s.storage_per_month for s in self.stores)

    @property
    def egress_per_month(self) -> float:
        """Every way out."""
        return sum(e.egress_per_month for e in self.egress)

    @property
    def longest_retention(self) -> float | None:
        """The longest retention among the stores: the storage cost is the cost after it."""
        spans = [s.retention_seconds for s in self.stores if s.retention_seconds]
        return max(spans) if spans else None

    def to_json(self) -> dict[str, Any]:
        """The `estimates.cost` object of `notes --format json`."""
        return {
            "currency": self.prices.currency,
            "prices_as_of": self.prices.as_of,
            "prices_overridden": list(self.prices.overridden),
            "storage_per_month": self.storage_per_month,
            "egress_per_month": self.egress_per_month,
            "total_per_month": self.storage_per_month + self.egress_per_month,
            "stores": [s.to_json() for s in self.stores],
            "egress": [e.to_json() for e in self.egress],
            "unattributed_storage_bytes": dict(self.unattributed),
        }


def copies(ctx: Context, component: Component) -> int:
    """Copies of each item a store keeps: `replication_factor`, else 1 for object storage,
    else what the capacity model counts (its replicas per shard)."""
    factor = getattr(component, "replication_factor", None)
    if factor:  # declared copies (a bucket replicated to a second region counts twice)
        return int(factor)
    if component.kind == "object_storage":
        return 1
    model = getattr(ctx, "copies", None)  # the capacity model's topology, when it has one
    if model is not None:
        return int(model(component))
    count = component.replicas + int(getattr(component, "read_replicas", 0) or 0)
    shards = getattr(component, "shards", None)  # a search index counts nodes over shards
    if component.kind == "search_index" and shards:
        return max(1, count // shards)
    return count


def _egress(ctx: Context, prices: PriceTable) -> list[EgressCost]:
    per_exit: dict[str, tuple[str, float, list[str]]] = {}
    for op in ctx.estimates.reads:
        flows = ctx.flows_of.get(op.name, [])
        start = next(
            (
                f
                for f in flows
                if any(
                    ctx.component(c).kind == "client" for c in ctx.graph.expand(f.steps[0].source)
                )
            ),
            None,
        )
        if start is None:
            continue
        step = start.steps[0]
        size = getattr(step, "bytes", None) or op.size_bytes
        if not size:
            continue
        exit_id = ctx.graph.expand(step.target)[0]
        through = "cdn" if ctx.component(exit_id).kind == "cdn" else "internet"
        monthly = op.avg_per_second * size * MONTH
        _, total, names = per_exit.get(exit_id, (through, 0.0, []))
        per_exit[exit_id] = (through, total + monthly, [*names, op.name])
    return [
        EgressCost(
            component=cid,
            through=through,
            bytes_per_month=total,
            price_per_gb=prices.cdn_egress if through == "cdn" else prices.internet_egress,
            operations=tuple(names),
        )
        for cid, (through, total, names) in per_exit.items()
    ]


def estimate_cost(ctx: Context) -> CostEstimate:
    """The cost estimate of a design (see the module docstring)."""
    prices = PriceTable.build(ctx.design.prices)
    egress = _egress(ctx, prices)
    stores = []
    for c in ctx.of_kind(*STORE_KINDS):
        stored, ops = ctx.stored_bytes(c.id)
        if not ops:
            continue
        storage_class = getattr(c, "storage_class", "standard")
        table = prices.object_storage if c.kind == "object_storage" else prices.block_storage
        stores.append(
            StoreCost(
                component=c.id,
                storage_class=storage_class,
                stored_bytes=stored,
                copies=copies(ctx, c),
                price_per_gb_month=table[storage_class],
                retention_seconds=max((op.retention_seconds or 0.0) for op in ops) or None,
                operations=tuple(op.name for op in ops),
                egress_per_month=sum(e.egress_per_month for e in egress if e.component == c.id),
            )
        )
    priced = {name for s in stores for name in s.operations}
    unattributed = {
        op.name: op.storage_bytes
        for op in ctx.estimates.operations
        if op.storage_bytes and op.name not in priced
    }
    return CostEstimate(prices=prices, stores=stores, egress=egress, unattributed=unattributed)
