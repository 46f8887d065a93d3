"""What rules look at: the design, its graph, the estimates and the load on each component.

The load model is deliberately simple and written down here so a reader can check it:
an operation's peak rate lands on every component of the flow with the same name (`-`,
`_` and spaces alike, case ignored). For read operations, a CDN step sends only its misses
further down the flow, and a cache step sends only its misses to the data stores that
come after it. Operations without such a flow are not attributed to any component.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from diagramgen import techs
from diagramgen.analysis.estimates import Estimates, OperationEstimate
from diagramgen.analysis.throughput import RuleOfThumb, is_managed, rule_of_thumb
from diagramgen.graph import DesignGraph
from diagramgen.spec.models import Component, Connection, Design, Flow
from diagramgen.spec.units import human_count, human_rate

STORE_KINDS = frozenset({"sql_database", "nosql_database", "search_index", "object_storage"})
DATABASE_KINDS = frozenset({"sql_database", "nosql_database"})
COMPUTE_KINDS = frozenset({"service", "worker"})
MESSAGING_KINDS = frozenset({"queue", "stream"})
# Not one machine each: the callers, someone else's system, and services distributed by nature.
DISTRIBUTED_KINDS = frozenset({"client", "external", "dns", "cdn", "function", "object_storage"})
# Group names that say their members are interchangeable instances.
_SET_GROUP = re.compile(
    r"auto ?scaling|\basg\b|scale ?set|\bcluster\b|replica ?set|node ?pool|instance group|"
    r"availability set|\breplicas\b|\bpool\b|\bha\b|high availability|failover pair",
    re.IGNORECASE,
)
_REPLICATION = re.compile(r"replicat|mirror|standby|failover", re.IGNORECASE)
_REPLICATED_KINDS = frozenset({*STORE_KINDS, "cache", "queue", "stream"})
_PULL_WORDS = re.compile(
    r"\b(poll|polls|consume|consumes|receive|receives|pull|pulls|dequeue|subscribe|"
    r"subscribes|read|reads|fetch|take|takes|lease)\b",
    re.IGNORECASE,
)
_DLQ_NAME = re.compile(r"\bdlq\b|dead[ -]?letter|\bparking\b|poison", re.IGNORECASE)
DEFAULT_CACHE_HIT_RATIO = 0.8  # the 80/20 rule, as for the cache-size estimate
DEFAULT_CDN_HIT_RATIO = 0.0  # whether responses are cacheable at the edge is design-specific


def _stem(name: str) -> str:
    """`web-2`, `app_us_b`, `App server (AZ b)` -> `web`, `app_us`, `app server`: an instance's
    name without what tells it from its siblings (a number, a letter, a parenthesis)."""
    text = re.sub(r"\(.*?\)", "", name.lower()).strip()
    return re.sub(r"([\s_-]*\d+|[\s_-]+[a-z])$", "", text).strip() or text


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
            f"{self.instances} x {human_rate(self.per_instance)} = {human_rate(cap)} ({self.basis})"
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
    def links(self) -> list[Connection]:
        """Every connection, then every flow step: all the edges a design draws."""
        return [*self.design.connections, *(s for f in self.design.flows for s in f.steps)]

    @cached_property
    def edges(self) -> dict[str, list[tuple[str, bool]]]:
        """Per component, the components it calls and whether asynchronously.

        Connections count (those of its enclosing groups too, group ends expanded), and so
        do flow steps: a design may draw a path only as a flow.
        """
        out: dict[str, list[tuple[str, bool]]] = {c.id: [] for c in self.design.components}
        for link in self.links:
            for source in self.graph.expand(link.source):
                for target in self.graph.expand(link.target):
                    is_async = link.is_async or (source, target) in self.async_pairs
                    if target != source and (target, is_async) not in out[source]:
                        out[source].append((target, is_async))
        return out

    @cached_property
    def async_pairs(self) -> frozenset[tuple[str, str]]:
        """(caller, callee) pairs that a connection declares asynchronous.

        A flow step inherits `async` from its connection: a flow drawn without repeating
        `async: true` on the hop into a queue does not make that hop synchronous.
        """
        return frozenset(
            (source, target)
            for conn in self.design.connections
            if conn.is_async
            for source in self.graph.expand(conn.source)
            for target in self.graph.expand(conn.target)
        )

    def link_async(self, link: Connection) -> bool:
        """True when a connection or flow step is asynchronous, declared or inherited."""
        return link.is_async or any(
            (s, t) in self.async_pairs
            for s in self.graph.expand(link.source)
            for t in self.graph.expand(link.target)
        )

    def link_fact(self, link: Connection, attr: str) -> Any:
        """A resilience or security fact (`timeout`, `circuit_breaker`, `tls` ...) of a link.

        A flow step that does not state it inherits it from the connection with the same
        ends, as it inherits `async`: facts are written once, on the connection.
        """
        value = getattr(link, attr, None)
        if value is not None:
            return value
        for conn in self.design.connections:
            if conn.source == link.source and conn.target == link.target:
                found = getattr(conn, attr, None)
                if found is not None:
                    return found
        return None

    @cached_property
    def entry_points(self) -> list[str]:
        """Where requests start: the clients, else the components nothing calls.

        A design drawn without a `client` (a pipeline, a cloud reference diagram) is analysed
        from the components that nothing else calls; monitoring is not an entry point.
        """
        clients = [c.id for c in self.design.components if c.kind == "client"]
        if clients:
            return clients
        return [
            c.id
            for c in self.design.components
            if not self.callers[c.id] and c.kind != "monitoring" and self.edges[c.id]
        ]

    def successors(self, component_id: str, sync_only: bool = False) -> list[str]:
        """Components this one calls (only synchronously, if asked), first mention first."""
        seen: list[str] = []
        for target, is_async in self.edges.get(component_id, []):
            if (not sync_only or not is_async) and target not in seen:
                seen.append(target)
        return seen

    @cached_property
    def callers(self) -> dict[str, list[str]]:
        """Component ids calling each component, sorted."""
        out: dict[str, set[str]] = {c.id: set() for c in self.design.components}
        for source, targets in self.edges.items():
            for target, _ in targets:
                out[target].add(source)
        return {k: sorted(v) for k, v in out.items()}

    def _paths(self, sync_only: bool) -> dict[str, list[str]]:
        paths: dict[str, list[str]] = {}
        queue: deque[str] = deque()
        for entry in self.entry_points:
            paths[entry] = [entry]
            queue.append(entry)
        while queue:
            node = queue.popleft()
            for nxt in self.successors(node, sync_only):
                if nxt not in paths:
                    paths[nxt] = [*paths[node], nxt]
                    queue.append(nxt)
        return paths

    @cached_property
    def client_paths(self) -> dict[str, list[str]]:
        """The shortest call chain from an entry point to each reachable component (BFS)."""
        return self._paths(sync_only=False)

    @cached_property
    def sync_client_paths(self) -> dict[str, list[str]]:
        """Like `client_paths`, following only synchronous calls: the request path proper."""
        return self._paths(sync_only=True)

    def on_request_path(self, component_id: str) -> bool:
        """True when a client reaches the component through synchronous calls."""
        return component_id in self.sync_client_paths

    @staticmethod
    def chain(path: list[str]) -> str:
        """`client -> lb -> api`."""
        return " -> ".join(path)

    def instances(self, component: Component) -> int:
        """Instances the component can run: autoscaling's ceiling, else replicas (+ readers).

        A database split into `sharding.shards` shards runs `replicas` copies of each.
        """
        autoscaling = getattr(component, "autoscaling", None)
        count = max(component.replicas, autoscaling.max) if autoscaling else component.replicas
        return self._with_shards(component, count)

    def running(self, component: Component) -> int:
        """Instances running before any autoscaling: replicas (per shard) and readers."""
        return self._with_shards(component, component.replicas)

    @staticmethod
    def _with_shards(component: Component, count: int) -> int:
        # Replicas and read replicas are per shard when the data is split into shards.
        count += int(getattr(component, "read_replicas", 0) or 0)
        sharding = getattr(component, "sharding", None)
        return count * (sharding.shards if sharding is not None and sharding.shards else 1)

    def is_managed(self, component: Component) -> bool:
        """True for a managed multi-zone service (by its tech, through the alias table)."""
        return is_managed(component)

    def is_redundant_by_nature(self, component: Component) -> bool:
        """True for kinds and managed services that are not one machine, whatever `replicas`."""
        return component.kind in DISTRIBUTED_KINDS or is_managed(component)

    @cached_property
    def redundant_sets(self) -> dict[str, list[str]]:
        """Per component, the siblings that stand in for it when it fails (itself included).

        Instances of one thing (same kind and tech, names that differ only by a number
        or a letter: `web1`, `web2`; `app (AZ a)`, `app (AZ b)`) count as one redundant
        set when one caller (a load balancer, typically) sends to all of them, or when
        they sit in one group whose name says it is a set (an auto-scaling group, a scale
        set, an HA pair). A primary and its replica joined by a replication connection
        (`direction: none`, or labelled as replication) are one set whatever their names.
        A component alone gets `[itself]`.
        """
        out: dict[str, list[str]] = {c.id: [c.id] for c in self.design.components}

        def kin(a: Component, b: Component, named: bool) -> bool:
            return (
                a.kind == b.kind
                and techs.canonical(a.tech) == techs.canonical(b.tech)
                and (
                    not named or _stem(a.id) == _stem(b.id) or _stem(a.display) == _stem(b.display)
                )
            )

        def merge(ids: list[str], named: bool) -> None:
            for cid in ids:
                c = self.component(cid)
                mates = [o for o in ids if kin(c, self.component(o), named)]
                if len(mates) > 1:
                    out[cid] = sorted(set(out[cid]) | set(mates))

        # Numbered or lettered instances of one thing (`web1`, `web2`; `app (AZ a)`) that
        # the same caller spreads requests over.
        for c in self.design.components:
            merge(self.successors(c.id), named=True)
        # A group that says it is a set (an auto-scaling group, an HA pair): its instances
        # of one thing stand in for each other. A cluster of different services is not one.
        for gid, group in self.graph.groups.items():
            text = " ".join(x for x in (gid, group.label, group.description) if x)
            if _SET_GROUP.search(text.replace("_", " ")):
                merge(self.graph.subtree_components(gid), named=True)
        # A primary and its replica drawn as two components joined by replication.
        for conn in self.design.connections:
            text = f"{conn.label or ''} {conn.description or ''}"
            if conn.direction in ("none", "both") or _REPLICATION.search(text):
                ends = [*self.graph.expand(conn.source), *self.graph.expand(conn.target)]
                if all(self.component(e).kind in _REPLICATED_KINDS for e in ends):
                    merge(ends, named=False)
        return out

    def consumers(self, queue_id: str) -> list[str]:
        """Who takes messages off a queue or stream: what it delivers to, and who pulls.

        A component calling the queue pulls from it only when the edge says so (`poll`,
        `consume`, `receive` ...); otherwise it is a producer. Queues it forwards to (a
        dead-letter queue, a bridge) are not consumers.
        """
        out = [
            t for t in self.successors(queue_id) if self.component(t).kind not in MESSAGING_KINDS
        ]
        for link in self.links:
            if queue_id not in self.graph.expand(link.target) or not _PULL_WORDS.search(
                link.label or ""
            ):
                continue
            out += [s for s in self.graph.expand(link.source) if s not in out]
        return sorted(set(out))

    def is_dead_letter_queue(self, queue_id: str) -> bool:
        """True for a queue another one names as its `dead_letter`, or named as one."""
        c = self.component(queue_id)
        if any(getattr(o, "dead_letter", None) == queue_id for o in self.design.components):
            return True
        return bool(_DLQ_NAME.search(f"{c.id} {c.label or ''}".replace("_", " ")))

    def operation_spec(self, name: str, attr: str) -> Any:
        """An attribute of the workload operation with this name, as the spec wrote it."""
        workload = self.design.workload
        for op in workload.operations if workload is not None else []:
            if op.name == name:
                return getattr(op, attr, None)
        return None

    def group_attr(self, component: Component, attr: str) -> Any:
        """A group attribute (`region`, `zone`) the component inherits: innermost group first."""
        for gid in self.graph.ancestors(component.group):
            value = getattr(self.graph.groups[gid], attr, None)
            if value is not None:
                return value
        return None

    def region_of(self, component: Component) -> str | None:
        """The component's `region`, else its groups'."""
        return component.region or self.group_attr(component, "region")

    def zone_of(self, component: Component) -> str | None:
        """The trust zone of the component's groups (`public`, `private`, `restricted`)."""
        return self.group_attr(component, "zone")

    def rule_of_thumb(self, component: Component) -> RuleOfThumb | None:
        """The rule-of-thumb per-instance throughput of a component, if there is one."""
        return rule_of_thumb(component)

    # ------------------------------------------------------------ workload on components

    @cached_property
    def flows_of(self) -> dict[str, list[Flow]]:
        """Each traced operation's flows: those listing it in `operations`, else by name."""
        out: dict[str, list[Flow]] = {}
        for op in self.estimates.operations:
            key = normalize(op.name)
            flows = [
                f
                for f in self.design.flows
                if (key in {normalize(o) for o in f.operations})
                or (not f.operations and normalize(f.name) == key)
            ]
            if flows:
                out[op.name] = flows
        return out

    @property
    def untraced_operations(self) -> list[str]:
        """Operations no flow carries: their load lands on no component."""
        return [op.name for op in self.estimates.operations if op.name not in self.flows_of]

    def flow_reads_only(self, flow: Flow) -> set[str]:
        """Data stores that a flow's steps only read from, by their labels (`get followers`)."""
        reads: set[str] = set()
        writes: set[str] = set()
        for step in flow.steps:
            for cid in self.graph.expand(step.target):
                if self.graph.components[cid].kind not in STORE_KINDS:
                    continue
                (reads if is_read_label(step.label) else writes).add(cid)
        return reads - writes

    def flow_fractions(self, op: OperationEstimate, flow: Flow) -> dict[str, float]:
        """The share of the operation's traffic reaching each component of one flow."""
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
    def read_at(self) -> dict[str, set[str]]:
        """Per write operation, the data stores its flows only read from (a follower lookup)."""
        stores = {c.id for c in self.of_kind(*STORE_KINDS)}
        out: dict[str, set[str]] = {}
        for op in self.estimates.writes:
            read_only: set[str] = set()
            written: set[str] = set()
            for flow in self.flows_of.get(op.name, []):
                reads = self.flow_reads_only(flow)
                read_only |= reads
                written |= (set(self.flow_fractions(op, flow)) & stores) - reads
            out[op.name] = read_only - written
        return out

    def access_at(self, op: OperationEstimate, component_id: str) -> str:
        """`read` or `write`: how the operation uses the component (a write may only read it)."""
        if op.is_read or component_id in self.read_at.get(op.name, set()):
            return "read"
        return "write"

    @cached_property
    def fractions(self) -> dict[str, dict[str, float]]:
        """Per operation, the share of its traffic reaching each component of its flows."""
        out: dict[str, dict[str, float]] = {}
        for op in self.estimates.operations:
            merged: dict[str, float] = {}
            for flow in self.flows_of.get(op.name, []):
                for cid, frac in self.flow_fractions(op, flow).items():
                    merged[cid] = max(merged.get(cid, 0.0), frac)
            out[op.name] = merged
        return out

    def operations_through(
        self, component_id: str, access: str | None = None
    ) -> list[OperationEstimate]:
        """The traced operations whose flows reach a component (only reads or writes if given)."""
        return [
            op
            for op in self.estimates.operations
            if (access is None or op.access == access)
            and component_id in self.fractions.get(op.name, {})
        ]

    @cached_property
    def loads(self) -> dict[str, ComponentLoad]:
        """The load on every component that a traced operation reaches, keyed by id."""
        shares: dict[str, list[Share]] = {}
        for op in self.estimates.operations:
            for cid, frac in self.fractions[op.name].items():
                peak_bytes = (
                    op.peak_bandwidth_bytes_per_second * frac
                    if op.peak_bandwidth_bytes_per_second is not None
                    else None
                )
                shares.setdefault(cid, []).append(
                    Share(
                        op.name,
                        self.access_at(op, cid),
                        frac,
                        op.peak_per_second * frac,
                        peak_bytes,
                    )
                )
        out: dict[str, ComponentLoad] = {}
        for c in self.design.components:
            if c.id not in shares:
                continue
            figure = None if c.capacity is not None else self.rule_of_thumb(c)
            if c.capacity is not None:
                per, basis, source = c.capacity, "capacity in the spec", None
            elif figure is not None:
                per, basis = figure.per_second, "rule of thumb, " + figure.basis
                source = figure.source
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

        A retained operation lands on the data stores of its flows. Without flows, it lands
        on the design's only data store, when it has exactly one.
        """
        stores = [c.id for c in self.of_kind(*STORE_KINDS)]
        ops = [
            op
            for op in self.estimates.operations
            if op.storage_bytes is not None
            and (
                component_id in self.fractions[op.name]
                and self.access_at(op, component_id) == "write"
                if op.name in self.flows_of
                else stores == [component_id]
            )
        ]
        return sum(op.storage_bytes or 0.0 for op in ops), ops


_READ_WORDS = re.compile(
    r"\b(get|gets|read|reads|lookup|look up|fetch|fetches|query|queries|select|find|list|"
    r"load|loads|search|check|scan|followers|hit\??|miss)\b",
    re.IGNORECASE,
)
_WRITE_WORDS = re.compile(
    r"\b(write|writes|insert|inserts|update|updates|upsert|put|post|save|saves|store|stores|"
    r"append|delete|create|creates|set|increment|commit|publish|record|persist)\b",
    re.IGNORECASE,
)


def is_read_label(label: str | None) -> bool:
    """True for an edge label that only reads (`get followers`), never for a bare edge."""
    text = label or ""
    return bool(_READ_WORDS.search(text)) and not _WRITE_WORDS.search(text)


def ratio_text(value: float) -> str:
    """`100:1` style, for read/write ratios."""
    return f"{human_count(value)}:1"
