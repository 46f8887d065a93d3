"""The load model's results: what reaches each component and what it can carry.

`Context.loads` builds one `ComponentLoad` per component that a traced operation reaches;
the notes, the JSON and the capacity rules read only these. Every figure is a float in
base units (per second, bytes); each says how it was derived in `README.md`, "How the
capacity numbers are computed".

Vocabulary (also the API that other analyses, such as latency and cost, build on):

- `running`: instances running at peak before any autoscaling: `replicas`, or
  `autoscaling.min` when it is larger. For a data store, every node of every shard.
- `maximum`: instances at `autoscaling.max` (`running` without autoscaling).
- `per_instance`: what one unit carries per second (`capacity:` in the spec, else a rule
  of thumb); `scope` says what a unit is: `instance` (replicas multiply it), `shard`
  (stream shards multiply it) or a quota, `table` or `account`, that nothing multiplies.
- For data stores, `topology`: nodes, copies of each item (`replication_factor`), the
  primaries that take writes and the nodes that serve reads.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from diagramgen.spec.units import human_rate


@dataclass(frozen=True)
class Share:
    """The part of one operation's peak traffic that reaches one component."""

    operation: str
    access: str  # "read" or "write": how the operation uses this component
    fraction: float  # calls on the component per operation, after cache and CDN hits
    peak_per_second: float
    peak_bytes_per_second: float | None
    stream: bool = False  # heartbeats and held polls (`access: stream`)
    hot_key_share: float | None = None  # of the operation's peak, on its hottest key

    @property
    def hottest_key_per_second(self) -> float | None:
        """This share's calls on the operation's single hottest key, if declared."""
        if self.hot_key_share is None:
            return None
        return self.peak_per_second * self.hot_key_share


@dataclass(frozen=True)
class Topology:
    """How a data store's nodes divide the data: the facts per-node figures come from.

    `nodes` are running nodes (`replicas`); `copies` is the replication factor (copies of
    each item, primary included); `primaries` the nodes' worth of write capacity (a SQL
    shard's primary, or nodes / copies for a leaderless store); `readers` the nodes that
    serve reads (a SQL primary and its read replicas; every copy elsewhere).
    """

    nodes: int
    copies: float
    primaries: float
    readers: float
    implied: bool = False  # `replicas` was below what shards and read replicas need

    def to_json(self) -> dict[str, Any]:
        """Plain data."""
        return {
            "nodes": self.nodes,
            "replication_factor": self.copies,
            "primaries": self.primaries,
            "read_nodes": self.readers,
        }


@dataclass(frozen=True)
class RegionLoss:
    """The component with the largest region of the design lost."""

    region: str
    survivors: float  # instances left in the other regions
    utilization: float | None  # peak over what the survivors carry


@dataclass(frozen=True)
class ComponentLoad:
    """Peak load on a component from the traced operations, and what it can carry."""

    component: str
    kind: str
    shares: tuple[Share, ...]
    running: int
    maximum: int
    per_instance: float | None  # reads (or requests) one unit carries per second
    basis: str | None  # where per_instance comes from
    source: str | None
    scope: str = "instance"
    per_primary_writes: float | None = None  # writes one primary commits (data stores)
    topology: Topology | None = None
    units: float | None = None  # what a `shard` scope multiplies by (partitions)
    storage_bytes: float | None = None
    storage_per_node_bytes: float | None = None
    network_bytes_per_second: float | None = None  # one instance's link
    region_loss: RegionLoss | None = None
    quota_regions: int = 1  # a per-account-and-Region quota counts once per serving region
    partition_limits: tuple[float, float] | None = None  # a managed store's per-key reads, writes

    # ------------------------------------------------------------ traffic

    @property
    def peak_per_second(self) -> float:
        """Every traced operation at peak."""
        return sum(s.peak_per_second for s in self.shares)

    @property
    def read_peak_per_second(self) -> float:
        """Read calls at peak."""
        return sum(s.peak_per_second for s in self.shares if s.access == "read")

    @property
    def write_peak_per_second(self) -> float:
        """Write calls at peak."""
        return sum(s.peak_per_second for s in self.shares if s.access == "write")

    @property
    def peak_bytes_per_second(self) -> float:
        """Peak bytes per second arriving, for the operations that have a size."""
        return sum(s.peak_bytes_per_second or 0.0 for s in self.shares)

    @property
    def hottest_key_per_second(self) -> float | None:
        """Peak calls on the single hottest key (the operations' hot keys taken as one)."""
        keyed = (
            self.topology is not None
            or self.kind in ("stream", "queue")
            or self.partition_limits is not None
        )
        hot = [s.hottest_key_per_second for s in self.shares if s.hot_key_share is not None]
        return sum(h or 0.0 for h in hot) if hot and keyed else None

    @property
    def hot_key_utilization(self) -> float | None:
        """The hottest key's peak over what its one home carries.

        Its home is one primary for writes, the copies of one shard that serve reads (a
        SQL primary and its read replicas, any copy of a NoSQL store) for reads, one cache
        node, or one stream partition's broker. Quotas (DynamoDB) are not modelled per key.
        """
        hot = [s for s in self.shares if s.hot_key_share is not None]
        per = self.per_instance
        reads = sum(s.hottest_key_per_second or 0.0 for s in hot if s.access == "read")
        writes = sum(s.hottest_key_per_second or 0.0 for s in hot if s.access != "read")
        if hot and self.partition_limits is not None:
            # A managed store throttles a partition's reads and writes apart (DynamoDB).
            key_reads, key_writes = self.partition_limits
            return max(reads / key_reads, writes / key_writes)
        keyed = self.topology is not None or self.kind in ("stream", "queue")
        if not hot or per is None or per <= 0 or self.is_quota or not keyed:
            return None
        topo = self.topology
        if topo is None:
            return (reads + writes) / per
        readers = max(1.0, topo.readers / topo.primaries) if topo.primaries else 1.0
        return reads / (per * readers) + writes / (self.per_primary_writes or per)

    @property
    def hot_key_capacity(self) -> float | None:
        """What the hottest key's home carries at the hot operations' read/write mix."""
        util, hot = self.hot_key_utilization, self.hottest_key_per_second
        return hot / util if util and hot else None

    @property
    def instances(self) -> int:
        """The maximum instance count (kept for callers of the first model)."""
        return self.maximum

    # ------------------------------------------------------------ capacity

    @property
    def is_quota(self) -> bool:
        """True when the figure is a managed-service quota that replicas do not multiply."""
        return self.scope in ("table", "account")

    def _units(self, instances: float) -> float:
        if self.is_quota:
            return float(self.quota_regions)
        if self.scope == "shard":
            return float(self.units or 1)
        return float(instances)

    def _utilization(self, instances: float) -> float | None:
        per = self.per_instance
        if per is None or per <= 0:
            return None
        topo = self.topology
        if self.is_quota:
            # Quotas count reads and writes separately (DynamoDB: read and write units).
            cap = per * self._units(instances)
            return max(self.read_peak_per_second, self.write_peak_per_second) / cap
        if topo is None:
            units = self._units(instances)
            return self.peak_per_second / (per * units) if units else None
        scale = instances / topo.nodes if topo.nodes else 0.0
        writes_per = self.per_primary_writes or per
        read_units = topo.readers * scale
        write_units = topo.primaries * scale
        if not read_units or not write_units:
            return None
        return self.read_peak_per_second / (per * read_units) + self.write_peak_per_second / (
            writes_per * write_units
        )

    @property
    def utilization(self) -> float | None:
        """Peak load over what the running instances carry (1.0 is saturated)."""
        return self._utilization(self.running)

    @property
    def utilization_max(self) -> float | None:
        """Peak load over what the maximum instances carry."""
        return self._utilization(self.maximum)

    def capacity_at(self, instances: float) -> float | None:
        """Requests per second the component carries at this many instances, at its mix."""
        util = self._utilization(instances)
        if util is None:
            return None
        if util == 0:
            return self._plain_capacity(instances)
        return self.peak_per_second / util

    def _plain_capacity(self, instances: float) -> float | None:
        if self.per_instance is None:
            return None
        if self.topology is not None and not self.is_quota:
            return self.per_instance * self.topology.readers * instances / self.topology.nodes
        return self.per_instance * self._units(instances)

    @property
    def capacity_per_second(self) -> float | None:
        """What the running instances carry at this read/write mix; None without a figure."""
        return self.capacity_at(self.running)

    @property
    def capacity_max_per_second(self) -> float | None:
        """What the maximum instances carry at this read/write mix."""
        return self.capacity_at(self.maximum)

    @property
    def read_capacity_per_second(self) -> float | None:
        """Reads per second the running nodes serve (data stores and quotas)."""
        if self.per_instance is not None and self.is_quota:
            return self.per_instance * self.quota_regions
        if self.per_instance is None or self.topology is None:
            return None
        return self.per_instance * self.topology.readers

    @property
    def write_capacity_per_second(self) -> float | None:
        """Writes per second the primaries commit (data stores and quotas)."""
        if self.per_instance is not None and self.is_quota:
            return self.per_instance * self.quota_regions
        if self.per_instance is None or self.topology is None:
            return None
        return (self.per_primary_writes or self.per_instance) * self.topology.primaries

    def needed_instances(self) -> int | None:
        """Instances (nodes) the peak needs at this figure; None for quotas and unknowns."""
        util = self.utilization
        if util is None or self.is_quota or self.scope == "shard":
            return None
        return max(1, math.ceil(self.running * util - 1e-9))

    # ------------------------------------------------------------ text

    def breakdown(self) -> str:
        """`redirect 347k/s + shorten 3.47k/s`: the shares, largest first."""
        parts = sorted(self.shares, key=lambda s: (-s.peak_per_second, s.operation))
        return " + ".join(f"{s.operation} {human_rate(s.peak_per_second)}" for s in parts)

    def capacity_text(self, at_maximum: bool = False) -> str:
        """`6 x 2k/s = 12k/s`, `reads 180 x 10k/s, writes 60 primaries x 10k/s`, or a quota."""
        per = self.per_instance
        if per is None:
            return "unknown"
        n = self.maximum if at_maximum else self.running
        if self.is_quota:
            regions = f" x {self.quota_regions} regions" if self.quota_regions > 1 else ""
            return f"{human_rate(per)} per {self.scope}{regions} (a quota: replicas add nothing)"
        if self.scope == "shard":
            units = int(self.units or 1)
            return f"{units} shards x {human_rate(per)} = {human_rate(per * units)}"
        topo = self.topology
        if topo is None:
            return f"{n} x {human_rate(per)} = {human_rate(per * n)}"
        scale = n / topo.nodes if topo.nodes else 0.0
        writes_per = self.per_primary_writes or per
        readers, primaries = topo.readers * scale, topo.primaries * scale
        return (
            f"reads {_num(readers)} node{'' if readers == 1 else 's'} x {human_rate(per)}, "
            f"writes {_num(primaries)} primar{'y' if primaries == 1 else 'ies'} x "
            f"{human_rate(writes_per)}"
        )

    def to_json(self) -> dict[str, Any]:
        """Plain data, exact numbers; `utilization` is at running instances."""
        return {
            "component": self.component,
            "kind": self.kind,
            "peak_per_second": self.peak_per_second,
            "read_peak_per_second": self.read_peak_per_second,
            "write_peak_per_second": self.write_peak_per_second,
            "peak_bytes_per_second": self.peak_bytes_per_second,
            "running_instances": self.running,
            "max_instances": self.maximum,
            "instances": self.maximum,
            "per_instance_per_second": self.per_instance,
            "per_primary_writes_per_second": self.per_primary_writes,
            "scope": self.scope,
            "capacity_per_second": self.capacity_per_second,
            "capacity_max_per_second": self.capacity_max_per_second,
            "read_capacity_per_second": self.read_capacity_per_second,
            "write_capacity_per_second": self.write_capacity_per_second,
            "utilization": self.utilization,
            "utilization_max": self.utilization_max,
            "basis": self.basis,
            "source": self.source,
            "topology": self.topology.to_json() if self.topology else None,
            "storage_bytes": self.storage_bytes,
            "storage_per_node_bytes": self.storage_per_node_bytes,
            "hottest_key_per_second": self.hottest_key_per_second,
            "hot_key_capacity_per_second": self.hot_key_capacity,
            "hot_key_utilization": self.hot_key_utilization,
            "network_bytes_per_second": self.network_bytes_per_second,
            "region_lost": self.region_loss.region if self.region_loss else None,
            "utilization_region_lost": self.region_loss.utilization if self.region_loss else None,
            "operations": {s.operation: s.peak_per_second for s in self.shares},
        }


def _num(value: float) -> str:
    """`60` or `1.5`: counts that may be fractional, without noise."""
    return f"{value:g}" if value != int(value) else str(int(value))
