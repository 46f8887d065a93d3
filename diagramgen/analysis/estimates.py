"""Back-of-the-envelope capacity estimates from a design's `workload`.

Every figure is a float in base units (per second, bytes); the notes format them with
`diagramgen.spec.units.human_*`, the JSON carries them unrounded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from diagramgen.spec.models import Design, Operation, Workload
from diagramgen.spec.units import DAY

# The 80/20 rule: a fifth of a day's reads are worth keeping in memory. An upper bound,
# as it counts every read as distinct; an operation's `key_space` caps it.
CACHE_HOT_FRACTION = 0.2
DEFAULT_PEAK_FACTOR = Workload.model_fields["peak_factor"].default


@dataclass(frozen=True)
class OperationEstimate:
    """The estimates for one workload operation."""

    name: str
    access: str  # "read", "write" or "stream" (heartbeats, held polls)
    avg_per_second: float
    peak_per_second: float
    per_day: float
    size_bytes: float | None
    bandwidth_bytes_per_second: float | None  # at the average rate; None without a size
    peak_bandwidth_bytes_per_second: float | None
    retention_seconds: float | None
    storage_bytes: float | None  # None when nothing is retained
    cache_bytes: float | None  # the hot set of a read operation; None for writes
    stored_in: dict[str, float] | None = None  # store id -> bytes kept per operation
    hot_key_share: float | None = None  # of the peak, on the single hottest key

    @property
    def is_read(self) -> bool:
        """True for a read operation."""
        return self.access == "read"

    @property
    def is_stream(self) -> bool:
        """True for heartbeats and held polls: load, but neither reads nor writes of data."""
        return self.access == "stream"

    @property
    def stored_per_operation(self) -> float | None:
        """Bytes kept per operation across its stores (`stored_in`, else `size`)."""
        if self.retention_seconds is None:
            return None
        if self.stored_in is not None:
            return sum(self.stored_in.values())
        return self.size_bytes

    @property
    def growth_per_day(self) -> float:
        """Bytes added a day, counted only for data kept a day or more (else it is churn)."""
        kept = self.stored_per_operation
        if kept is None or (self.retention_seconds or 0) < DAY:
            return 0.0
        return self.avg_per_second * kept * DAY

    def to_json(self) -> dict[str, Any]:
        """Plain data, exact numbers."""
        return {
            "name": self.name,
            "access": self.access,
            "avg_per_second": self.avg_per_second,
            "peak_per_second": self.peak_per_second,
            "per_day": self.per_day,
            "size_bytes": self.size_bytes,
            "bandwidth_bytes_per_second": self.bandwidth_bytes_per_second,
            "peak_bandwidth_bytes_per_second": self.peak_bandwidth_bytes_per_second,
            "retention_seconds": self.retention_seconds,
            "storage_bytes": self.storage_bytes,
            "cache_bytes": self.cache_bytes,
            "stored_in": self.stored_in,
            "hot_key_share": self.hot_key_share,
            "growth_per_day_bytes": self.growth_per_day,
        }


@dataclass(frozen=True)
class Estimates:
    """Per-operation estimates and their totals."""

    peak_factor: float
    operations: list[OperationEstimate] = field(default_factory=list)

    def operation(self, name: str) -> OperationEstimate | None:
        """The estimate of the operation with this name, or None."""
        return next((op for op in self.operations if op.name == name), None)

    @property
    def reads(self) -> list[OperationEstimate]:
        """The read operations."""
        return [op for op in self.operations if op.is_read]

    @property
    def writes(self) -> list[OperationEstimate]:
        """The write operations (streams of heartbeats and held polls are neither)."""
        return [op for op in self.operations if op.access == "write"]

    @property
    def streams(self) -> list[OperationEstimate]:
        """Heartbeats and held polls (`access: stream`)."""
        return [op for op in self.operations if op.is_stream]

    @property
    def growth_per_day(self) -> float:
        """Bytes added a day by data kept a day or more."""
        return sum(op.growth_per_day for op in self.operations)

    @property
    def avg_per_second(self) -> float:
        """All operations, average."""
        return sum(op.avg_per_second for op in self.operations)

    @property
    def peak_per_second(self) -> float:
        """All operations at peak."""
        return sum(op.peak_per_second for op in self.operations)

    @property
    def read_per_second(self) -> float:
        """Reads, average."""
        return sum(op.avg_per_second for op in self.reads)

    @property
    def write_per_second(self) -> float:
        """Writes, average."""
        return sum(op.avg_per_second for op in self.writes)

    @property
    def read_write_ratio(self) -> float | None:
        """Reads per write; None without both reads and writes."""
        if not self.reads or not self.writes or self.write_per_second == 0:
            return None
        return self.read_per_second / self.write_per_second

    @property
    def bandwidth_bytes_per_second(self) -> float:
        """Average bandwidth of the operations that have a size."""
        return sum(op.bandwidth_bytes_per_second or 0.0 for op in self.operations)

    @property
    def peak_bandwidth_bytes_per_second(self) -> float:
        """Peak bandwidth of the operations that have a size."""
        return sum(op.peak_bandwidth_bytes_per_second or 0.0 for op in self.operations)

    @property
    def storage_bytes(self) -> float:
        """Storage accumulated by every retained operation."""
        return sum(op.storage_bytes or 0.0 for op in self.operations)

    @property
    def cache_bytes(self) -> float:
        """The hot set of every read operation."""
        return sum(op.cache_bytes or 0.0 for op in self.operations)

    def to_json(self) -> dict[str, Any]:
        """The `estimates` object of `notes --format json`."""
        return {
            "peak_factor": self.peak_factor,
            "cache_hot_fraction": CACHE_HOT_FRACTION,
            "operations": [op.to_json() for op in self.operations],
            "totals": {
                "avg_per_second": self.avg_per_second,
                "peak_per_second": self.peak_per_second,
                "read_per_second": self.read_per_second,
                "write_per_second": self.write_per_second,
                "read_write_ratio": self.read_write_ratio,
                "bandwidth_bytes_per_second": self.bandwidth_bytes_per_second,
                "peak_bandwidth_bytes_per_second": self.peak_bandwidth_bytes_per_second,
                "storage_bytes": self.storage_bytes,
                "cache_bytes": self.cache_bytes,
                "growth_per_day_bytes": self.growth_per_day,
            },
            "conventions": {"month_days": 30, "year_days": 365},
        }


def estimate_operation(op: Operation, peak_factor: float) -> OperationEstimate:
    """Rates, bandwidth, storage and hot set of one operation."""
    avg = op.rate
    peak = avg * peak_factor
    size = op.size
    kept = sum(op.stored_in.values()) if op.stored_in is not None else size
    storage = avg * kept * op.retention if kept is not None and op.retention is not None else None
    cache = CACHE_HOT_FRACTION * avg * DAY * size if size is not None and op.is_read else None
    if cache is not None and op.key_space is not None:
        cache = min(cache, op.key_space * (size or 0.0))  # the hot set is at most every item
    return OperationEstimate(
        name=op.name,
        access="stream" if op.access == "stream" else ("read" if op.is_read else "write"),
        avg_per_second=avg,
        peak_per_second=peak,
        per_day=avg * DAY,
        size_bytes=size,
        bandwidth_bytes_per_second=avg * size if size is not None else None,
        peak_bandwidth_bytes_per_second=peak * size if size is not None else None,
        retention_seconds=op.retention,
        storage_bytes=storage,
        cache_bytes=cache,
        stored_in=dict(op.stored_in) if op.stored_in is not None else None,
        hot_key_share=op.hot_key_share,
    )


def estimate(design: Design) -> Estimates:
    """The capacity estimates of a design; empty (default peak factor) without a workload."""
    workload = design.workload
    if workload is None:
        return Estimates(peak_factor=DEFAULT_PEAK_FACTOR)
    return Estimates(
        peak_factor=workload.peak_factor,
        operations=[estimate_operation(op, workload.peak_factor) for op in workload.operations],
    )
