"""What rules look at: the design, its graph, the estimates and the load on each component.

The load model is deliberately simple and written down here so a reader can check it:
an operation's peak rate lands on every component of the flow with the same name (`-`,
`_` and spaces alike, case ignored). For read operations, a CDN step sends only its misses
further down the flow, and a cache step sends only its misses to the data stores that
come after it. Operations without such a flow are not attributed to any component.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from diagramgen.analysis.estimates import Estimates, OperationEstimate
from diagramgen.analysis.throughput import RuleOfThumb, is_managed, rule_of_thumb
from diagramgen.graph import DesignGraph
from diagramgen.spec.models import Component, Design, Flow
from diagramgen.spec.units import human_count, human_rate

STORE_KINDS = frozenset({"sql_database", "nosql_database", "search_index", "object_storage"})
DATABASE_KINDS = frozenset({"sql_database", "nosql_database"})
COMPUTE_KINDS = frozenset({"service", "worker"})
MESSAGING_KINDS = frozenset({"queue", "stream"})
DEFAULT_CACHE_HIT_RATIO = 0.8  # the 80/20 rule, as for the cache-size estimate
DEFAULT_CDN_HIT_RATIO = 0.0  # whether responses are cacheable at the edge is design-specific


def normalize(name: str) -> str:
    """`Create-URL` and `create url` -> `create_url`: how flows and operations are matched."""
    return "_".join(name.lower().replace("-", " ").replace("_", " ").split())


def cache_hit_ratio(component: Component) -> float:
    """The share of reads a cache or CDN serves itself (declared, else the default)."""
    declared = getattr(component, "hit_ratio", None)
    if declared is not None:
        return float(declared)
    return DEFAULT_CACHE_HIT_RATIO if component.kind == "cache" else DEFAULT_CDN_HIT_RATIO


@dataclass(frozen=True)
class Share:
    """The part of one operation's peak traffic that reaches one component."""

    operation: str
    access: str
    fraction: float  # of the operation's traffic, after cache and CDN hits upstream
    peak_per_second: float
    peak_bytes_per_second: float | None


@dataclass(frozen=True)
class ComponentLoad:
    """Peak load on a component from the traced operations, and what it can carry."""

    component: str
    shares: tuple[Share, ...]
    instances: int
    per_instance: float | None
    basis: str | None  # where per_instance comes from
    source: str | None

    @property
    def peak_per_second(self) -> float:
        """Every traced operation at peak."""
        return sum(s.peak_per_second for s in self.shares)

    @property
    def read_peak_per_second(self) -> float:
        """Read operations at peak."""
        return sum(s.peak_per_second for s in self.shares if s.access == "read")

    @property
    def write_peak_per_second(self) -> float:
        """Write operations at peak."""
        return sum(s.peak_per_second for s in self.shares if s.access == "write")

    @property
    def peak_bytes_per_second(self) -> float:
        """Peak bytes per second of the operations that have a size."""
        return sum(s.peak_bytes_per_second or 0.0 for s in self.shares)

    @property
    def capacity_per_second(self) -> float | None:
        """Per-instance figure times instances; None without a figure."""
        if self.per_instance is None:
            return None
        return self.per_instance * self.instances

    @property
    def utilization(self) -> float | None:
        """Peak load over capacity (1.0 is saturated)."""
        cap = self.capacity_per_second
        return self.peak_per_second / cap if cap else None

    def breakdown(self) -> str:
        """`redirect 347k/s + shorten 3.47k/s`: the shares, largest first."""
        parts = sorted(self.shares, key=lambda s: (-s.peak_per_second, s.operation))
        return " + ".join(f"{s.operation} {human_rate(s.peak_per_second)}" for s in parts)

    def capacity_text(self) -> str:
        """`6 x 2k/s = 12k/s (basis)`."""
        cap = self.capacity_per_second
        if cap is None or self.per_instance is None:
            return "unknown"
        return (
            f"{self.instances} x {human_rate(self.per_instance)} = {human_rate(cap)}"
            f" ({self.basis})"
        )

    def to_json(self) -> dict[str, Any]:
        """Plain data, exact numbers."""
        return {
            "component": self.component,
            "peak_per_second": self.peak_per_second,
            "read_peak_per_second": self.read_peak_per_second,
            "write_peak_per_second": self.write_peak_per_second,
            "peak_bytes_per_second": self.peak_bytes_per_second,
            "instances": self.instances,
            "per_instance_per_second": self.per_instance,
            "capacity_per_second": self.capacity_per_second,
            "utilization": self.utilization,
            "basis": self.basis,
            "source": self.source,
            "operations": {s.operation: s.peak_per_second for s in self.shares},
        }


class Context:
    """One design as rules see it; every derived index is computed once, on first use."""

    def __init__(self, design: Design, estimates: Estimates) -> None:
        self.design = design
        self.estimates = estimates
        self.graph = DesignGraph(design)

    # ------------------------------------------------------------ lookups

    @property
    def components(self) -> list[Component]:
        """Every component, in spec order."""
        return list(self.design.components)

    def of_kind(self, *kinds: str) -> list[Component]:
        """Components of these kinds, in spec order."""
        return [c for c in self.design.components if c.kind in kinds]

    def component(self, component_id: str) -> Component:
        """The component with this id."""
        return self.graph.components[component_id]

    def name(self, component_id: str) -> str:
        """`db` or `db (URL table)`: the id, with the label when it says more."""
        c = self.graph.components.get(component_id)
        if c is None or not c.label or c.label == c.id:
            return component_id
        return f"{component_id} ({c.label})"

    @cached_property
    def callers(self) -> dict[str, list[str]]:
        """Component ids calling each component (group ends expanded), sorted."""
        out: dict[str, set[str]] = {c.id: set() for c in self.design.components}
        for c in self.design.components:
            for target in self.graph.successors(c.id):
                out[target].add(c.id)
        return {k: sorted(v) for k, v in out.items()}

    @cached_property
    def sync_successors(self) -> dict[str, list[str]]:
        """Components each component calls synchronously (group ends expanded)."""
        out: dict[str, list[str]] = {}
        for c in self.design.components:
            ends = [e.target for e in self.graph.outgoing.get(c.id, []) if not e.is_async]
            for g in self.graph.ancestors(c.group):
                ends.extend(e.target for e in self.graph.outgoing.get(g, []) if not e.is_async)
            seen: list[str] = []
            for end in ends:
                for t in self.graph.expand(end):
                    if t not in seen:
                        seen.append(t)
            out[c.id] = seen
        return out

    @cached_property
    def client_paths(self) -> dict[str, list[str]]:
        """The shortest call chain from a client to each reachable component (BFS, spec order)."""
        paths: dict[str, list[str]] = {}
        queue: deque[str] = deque()
        for c in self.design.components:
            if c.kind == "client":
                paths[c.id] = [c.id]
                queue.append(c.id)
        while queue:
            node = queue.popleft()
            for nxt in self.graph.successors(node):
                if nxt not in paths:
                    paths[nxt] = [*paths[node], nxt]
                    queue.append(nxt)
        return paths

    @cached_property
    def sync_client_paths(self) -> dict[str, list[str]]:
        """Like `client_paths`, following only synchronous calls: the request path proper."""
        paths: dict[str, list[str]] = {}
        queue: deque[str] = deque()
        for c in self.design.components:
            if c.kind == "client":
                paths[c.id] = [c.id]
                queue.append(c.id)
        while queue:
            node = queue.popleft()
            for nxt in self.sync_successors.get(node, []):
                if nxt not in paths:
                    paths[nxt] = [*paths[node], nxt]
                    queue.append(nxt)
        return paths

    def on_request_path(self, component_id: str) -> bool:
        """True when a client reaches the component through synchronous calls."""
        return component_id in self.sync_client_paths

    @staticmethod
    def chain(path: list[str]) -> str:
        """`client -> lb -> api`."""
        return " -> ".join(path)

    def instances(self, component: Component) -> int:
        """Instances the component can run: autoscaling's ceiling, else replicas (+ readers)."""
        autoscaling = getattr(component, "autoscaling", None)
        count = max(component.replicas, autoscaling.max) if autoscaling else component.replicas
        return count + int(getattr(component, "read_replicas", 0) or 0)

    def is_managed(self, component: Component) -> bool:
        """True for a managed multi-zone service (by its tech)."""
        return is_managed(component)

    def rule_of_thumb(self, component: Component) -> RuleOfThumb | None:
        """The rule-of-thumb per-instance throughput of a component, if there is one."""
        return rule_of_thumb(component)

    # ------------------------------------------------------------ workload on components

    @cached_property
    def flow_of(self) -> dict[str, Flow]:
        """Each operation's flow: the flow with the same (normalized) name."""
        flows = {normalize(f.name): f for f in self.design.flows}
        out: dict[str, Flow] = {}
        for op in self.estimates.operations:
            flow = flows.get(normalize(op.name))
            if flow is not None:
                out[op.name] = flow
        return out

    @property
    def untraced_operations(self) -> list[str]:
        """Operations with no flow of the same name: their load lands nowhere."""
        return [op.name for op in self.estimates.operations if op.name not in self.flow_of]

    def flow_fractions(self, op: OperationEstimate, flow: Flow) -> dict[str, float]:
        """The share of the operation's traffic reaching each component of its flow."""
        origin = 1.0  # after a CDN: only its misses go on
        store = 1.0  # after a cache: only its misses reach data stores
        out: dict[str, float] = {}
        for step in flow.steps:
            for end in (step.source, step.target):
                for cid in self.graph.expand(end):
                    kind = self.graph.components[cid].kind
                    frac = origin * (store if kind in STORE_KINDS else 1.0)
                    out[cid] = max(out.get(cid, 0.0), frac)
            if not op.is_read:
                continue
            for cid in self.graph.expand(step.target):
                comp = self.graph.components[cid]
                if comp.kind == "cdn":
                    origin *= 1.0 - cache_hit_ratio(comp)
                elif comp.kind == "cache":
                    store *= 1.0 - cache_hit_ratio(comp)
        return out

    @cached_property
    def loads(self) -> dict[str, ComponentLoad]:
        """The load on every component that a traced operation reaches, keyed by id."""
        shares: dict[str, list[Share]] = {}
        for op in self.estimates.operations:
            flow = self.flow_of.get(op.name)
            if flow is None:
                continue
            for cid, frac in self.flow_fractions(op, flow).items():
                peak_bytes = (
                    op.peak_bandwidth_bytes_per_second * frac
                    if op.peak_bandwidth_bytes_per_second is not None
                    else None
                )
                shares.setdefault(cid, []).append(
                    Share(op.name, op.access, frac, op.peak_per_second * frac, peak_bytes)
                )
        out: dict[str, ComponentLoad] = {}
        for c in self.design.components:
            if c.id not in shares:
                continue
            figure = None if c.capacity is not None else self.rule_of_thumb(c)
            if c.capacity is not None:
                per, basis, source = c.capacity, "capacity in the spec", None
            elif figure is not None:
                per, basis, source = figure.per_second, "rule of thumb, " + figure.basis, figure.source
            else:
                per, basis, source = None, None, None
            out[c.id] = ComponentLoad(
                component=c.id,
                shares=tuple(shares[c.id]),
                instances=self.instances(c),
                per_instance=per,
                basis=basis,
                source=source,
            )
        return out

    def stored_bytes(self, component_id: str) -> tuple[float, list[OperationEstimate]]:
        """Bytes a data store accumulates, and the retained operations that write them.

        A retained operation lands on the data stores of its flow; without a flow, on the
        design's only database, if it has exactly one.
        """
        databases = [c.id for c in self.of_kind(*DATABASE_KINDS)]
        ops: list[OperationEstimate] = []
        for op in self.estimates.operations:
            if op.storage_bytes is None:
                continue
            flow = self.flow_of.get(op.name)
            if flow is not None:
                if component_id in self.flow_fractions(op, flow):
                    ops.append(op)
            elif databases == [component_id]:
                ops.append(op)
        return sum(op.storage_bytes or 0.0 for op in ops), ops


def ratio_text(value: float) -> str:
    """`100:1` style, for read/write ratios."""
    return f"{human_count(value)}:1"
