"""What rules look at: the design, its graph, the estimates and the load on each component.

The load model is written down here so a reader can check it (the README's "How the
capacity numbers are computed" has the formulas and sources):

- An operation's peak rate enters each flow that carries it (`operations:`, else the flow
  with its name) at the flow's first component. Each step runs `calls` times (default 1)
  per request its caller handles, carrying `bytes` (default the operation's `size`).
- For reads, a synchronous step leaving a CDN carries only its misses (an asynchronous one,
  such as its access log, carries every request), and after a cache step only the misses
  reach the data stores. Heartbeats and held polls (`access: stream`) are never served by
  a cache or CDN.
- A component's load is the sum of the steps reaching it; operations no flow carries land
  nowhere.
"""

from __future__ import annotations

import math
import re
from collections import deque
from dataclasses import replace
from functools import cached_property
from typing import Any

from diagramgen import techs
from diagramgen.analysis.capacity import ComponentLoad, RegionLoss, Share, Topology
from diagramgen.analysis.estimates import Estimates, OperationEstimate
from diagramgen.analysis.throughput import (
    NETWORK_BYTES_PER_SECOND,
    SQL_PRIMARY_WRITES,
    RuleOfThumb,
    is_managed,
    partition_limits,
    rule_of_thumb,
)
from diagramgen.graph import DesignGraph
from diagramgen.spec.models import Component, Connection, Design, Flow
from diagramgen.spec.units import human_count

__all__ = ["ComponentLoad", "Context", "Share", "Topology"]

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
                    # A broker delivers to its consumers; nothing waits on them downstream.
                    # Log lines are handed to a local buffer and shipped later.
                    is_async = (
                        link.is_async
                        or (source, target) in self.async_pairs
                        or self.graph.components[source].kind in MESSAGING_KINDS
                        or self.is_log_shipper(target)
                    )
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

    def running(self, component: Component) -> int:
        """Instances running before any autoscaling: `replicas`, or `autoscaling.min`.

        For a data store, every node of every shard (see `topology`).
        """
        autoscaling = getattr(component, "autoscaling", None)
        count = max(component.replicas, autoscaling.min) if autoscaling else component.replicas
        topo = self.topology(component)
        return max(count, topo.nodes) if topo is not None else count

    def instances(self, component: Component) -> int:
        """Instances at the most: `autoscaling.max`, else the running instances."""
        autoscaling = getattr(component, "autoscaling", None)
        running = self.running(component)
        return max(running, autoscaling.max) if autoscaling else running

    def topology(self, component: Component) -> Topology | None:
        """Nodes, copies, primaries and readers of a self-run database, cache or search index.

        `replicas` counts every node. Primaries: `sharding.shards` (a search index's
        `shards`), else nodes / `replication_factor`, else 1 for a database (every node
        holds everything) and every node for a cache (a cache cluster splits its keys).
        Copies: `replication_factor`, else nodes / primaries. Readers: a SQL database's
        primaries and read replicas (standbys serve nothing); every copy of a NoSQL store or
        search index; the primaries of a cache (replicas of Redis serve no reads by default).
        """
        kind = component.kind
        if kind not in DATABASE_KINDS and kind not in ("cache", "search_index"):
            return None
        if is_managed(component):
            return None  # a managed service's nodes are not the spec's to count
        rf = getattr(component, "replication_factor", None)
        sharding = getattr(component, "sharding", None)
        shards = sharding.shards if sharding is not None else None
        if kind == "search_index":
            shards = getattr(component, "shards", None)
        readers_per_shard = 1 + int(getattr(component, "read_replicas", 0) or 0)
        nodes = component.replicas
        # What the spec's own shards, copies and read replicas imply as a minimum.
        per_shard = rf if rf is not None else (readers_per_shard if kind == "sql_database" else 1)
        implied = (shards or 1) * per_shard
        implied_used = implied > nodes
        nodes = max(nodes, implied)
        if shards:
            primaries = float(shards)
        elif rf is not None:
            primaries = max(1.0, nodes / rf)
        else:
            primaries = float(nodes) if kind == "cache" else 1.0
        copies = float(rf) if rf is not None else max(1.0, nodes / primaries)
        if kind == "sql_database":
            readers = min(float(nodes), primaries * readers_per_shard)
        elif kind == "cache":
            readers = primaries
        else:
            readers = float(nodes)
        return Topology(nodes, copies, primaries, readers, implied_used)

    def copies(self, component: Component) -> int:
        """Copies of each item a data store keeps (its replication factor), at least 1."""
        topo = self.topology(component)
        if topo is None:
            return component.replicas
        return max(1, round(topo.copies))

    def is_managed(self, component: Component) -> bool:
        """True for a managed multi-zone service (by its tech, through the alias table)."""
        return is_managed(component)

    def is_log_shipper(self, component_id: str) -> bool:
        """True for a log shipper or collector (Fluentd, Fluent Bit, Vector, Logstash).

        Applications write log lines to a local buffer (stdout, a file, the forwarder's
        socket) and carry on, so an edge into one is fire-and-forget even when drawn plain.
        Monitoring systems are not: people query dashboards and wait for them.
        """
        return techs.is_log_shipper(self.graph.components[component_id].tech)

    def is_redundant_by_nature(self, component: Component) -> bool:
        """True for kinds and managed services that are not one machine, whatever `replicas`."""
        if component.kind in DISTRIBUTED_KINDS or is_managed(component):
            return True
        # A Kubernetes Service is a virtual IP that kube-proxy serves on every node.
        return component.kind == "load_balancer" and techs.provider_of(component.tech) == "k8s"

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
        keys: dict[str, tuple[tuple[Any, ...], tuple[Any, ...], tuple[Any, ...]]] = {}
        for c in self.design.components:
            thing = (c.kind, techs.canonical(c.tech))
            keys[c.id] = (thing, (*thing, "id", _stem(c.id)), (*thing, "label", _stem(c.display)))

        def merge(ids: list[str], named: bool) -> None:
            # Kin share a kind and tech (and, when `named`, the stem of their id or of their
            # label): bucketed by those keys, so a caller of 1,000 components costs 1,000
            # steps, not a million comparisons.
            buckets: dict[tuple[Any, ...], set[str]] = {}
            for cid in ids:
                for key in keys[cid][1:] if named else keys[cid][:1]:
                    buckets.setdefault(key, set()).add(cid)
            for cid in ids:
                mates: set[str] = set()
                for key in keys[cid][1:] if named else keys[cid][:1]:
                    mates |= buckets[key]
                if len(mates) > 1:
                    out[cid] = sorted(set(out[cid]) | mates)

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
        out = {
            t for t in self.successors(queue_id) if self.component(t).kind not in MESSAGING_KINDS
        }
        return sorted(out | self._pullers.get(queue_id, set()))

    @cached_property
    def _pullers(self) -> dict[str, set[str]]:
        """Component -> the components whose edge to it says they pull (`consumers`).

        One pass over the links, not one per queue: a 1,000-component design has dozens
        of queues and thousands of links.
        """
        out: dict[str, set[str]] = {}
        for link in self.links:
            if _PULL_WORDS.search(link.label or ""):
                sources = self.graph.expand(link.source)
                for target in self.graph.expand(link.target):
                    out.setdefault(target, set()).update(sources)
        return out

    @cached_property
    def _dead_letter_targets(self) -> frozenset[str]:
        """The queues some component names as its `dead_letter`."""
        return frozenset(
            target
            for o in self.design.components
            if (target := getattr(o, "dead_letter", None)) is not None
        )

    def is_dead_letter_queue(self, queue_id: str) -> bool:
        """True for a queue another one names as its `dead_letter`, or named as one."""
        c = self.component(queue_id)
        if queue_id in self._dead_letter_targets:
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

    def flow_steps(self, op: OperationEstimate, flow: Flow) -> list[tuple[str, float, float]]:
        """Each call of one flow as `(target, calls per operation, bytes per call)`.

        A step runs `calls` times per request its caller handles: the caller's requests are
        those of its first arrival in the flow (1 for where the flow starts). Reads lose a
        CDN's hits on its synchronous steps out, and a cache's hits on the steps to data
        stores that come after the cache.
        """
        arrived: dict[str, float] = {}
        store = 1.0  # after a cache: only its misses reach data stores
        out: list[tuple[str, float, float]] = []
        for step in flow.steps:
            sources = self.graph.expand(step.source)
            base = max((arrived.get(cid, 1.0) for cid in sources), default=1.0)
            for cid in sources:
                arrived.setdefault(cid, 1.0)
            if op.is_read and not step.is_async:
                for cid in sources:
                    comp = self.graph.components[cid]
                    if comp.kind == "cdn":
                        base *= 1.0 - cache_hit_ratio(comp)
            base *= step.calls if step.calls is not None else 1.0
            size = step.payload if step.payload is not None else (op.size_bytes or 0.0)
            for cid in self.graph.expand(step.target):
                comp = self.graph.components[cid]
                rate = base * (store if comp.kind in STORE_KINDS else 1.0)
                arrived.setdefault(cid, rate)
                out.append((cid, rate, size))
                if op.is_read and comp.kind == "cache":
                    store *= 1.0 - cache_hit_ratio(comp)
        return out

    def flow_fractions(self, op: OperationEstimate, flow: Flow) -> dict[str, float]:
        """Calls per operation on each component of one flow (where it starts: 1)."""
        out: dict[str, float] = {}
        first = flow.steps[0]
        for cid in self.graph.expand(first.source):
            out[cid] = 1.0
        for cid, rate, _ in self.flow_steps(op, flow):
            out[cid] = out.get(cid, 0.0) + rate
        return out

    @cached_property
    def read_at(self) -> dict[str, set[str]]:
        """Per write or stream operation, the data stores its flows only read from."""
        stores = {c.id for c in self.of_kind(*STORE_KINDS)}
        out: dict[str, set[str]] = {}
        for op in self.estimates.operations:
            if op.is_read:
                continue
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
    def traffic(self) -> dict[str, dict[str, tuple[float, float]]]:
        """Per operation, per component: (calls per operation, bytes per operation).

        Several flows carrying one operation are alternatives (a cache hit or a miss path
        drawn apart): each component takes the largest of them.
        """
        out: dict[str, dict[str, tuple[float, float]]] = {}
        for op in self.estimates.operations:
            merged: dict[str, tuple[float, float]] = {}
            for flow in self.flows_of.get(op.name, []):
                per_flow: dict[str, tuple[float, float]] = {}
                for cid in self.graph.expand(flow.steps[0].source):
                    per_flow[cid] = (1.0, 0.0)
                for cid, rate, size in self.flow_steps(op, flow):
                    calls, moved = per_flow.get(cid, (0.0, 0.0))
                    per_flow[cid] = (calls + rate, moved + rate * size)
                for cid, (calls, moved) in per_flow.items():
                    old = merged.get(cid, (0.0, 0.0))
                    merged[cid] = (max(old[0], calls), max(old[1], moved))
            out[op.name] = merged
        return out

    @cached_property
    def fractions(self) -> dict[str, dict[str, float]]:
        """Per operation, the calls per operation on each component of its flows."""
        return {
            name: {cid: calls for cid, (calls, _) in per.items()}
            for name, per in self.traffic.items()
        }

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

    # ------------------------------------------------------------ storage

    @cached_property
    def storage(self) -> dict[str, dict[str, float]]:
        """Per data store, bytes kept per retained operation: `stored_in`, else assumed.

        An operation without `stored_in` keeps its `size` in the first data store its flows
        write (see `assumed_store`); without flows, in the design's only data store.
        """
        out: dict[str, dict[str, float]] = {}
        for op in self.estimates.operations:
            if op.retention_seconds is None:
                continue
            if op.stored_in is not None:
                kept = op.stored_in
            else:
                store = self.assumed_store.get(op.name)
                kept = {store: op.size_bytes or 0.0} if store is not None else {}
            for store, size in kept.items():
                stored = op.avg_per_second * size * op.retention_seconds
                out.setdefault(store, {})[op.name] = stored
        return out

    @cached_property
    def assumed_store(self) -> dict[str, str]:
        """Retained operations without `stored_in`: the store their data is taken to land in."""
        return {op: store for op, (store, _) in self._default_stores.items()}

    @cached_property
    def ambiguous_stores(self) -> dict[str, str]:
        """The assumed stores that are a guess: the flows write several stores, or none."""
        return {op: store for op, (store, guess) in self._default_stores.items() if guess}

    @cached_property
    def _default_stores(self) -> dict[str, tuple[str, bool]]:
        stores = [c.id for c in self.of_kind(*STORE_KINDS)]
        out: dict[str, tuple[str, bool]] = {}
        for op in self.estimates.operations:
            if op.retention_seconds is None or op.stored_in is not None or op.size_bytes is None:
                continue
            if op.name not in self.flows_of:
                if len(stores) == 1:
                    out[op.name] = (stores[0], True)
                continue
            written = [
                cid
                for flow in self.flows_of[op.name]
                for cid, _, _ in self.flow_steps(op, flow)
                if cid in stores and self.access_at(op, cid) == "write"
            ]
            if written:
                out[op.name] = (written[0], len(set(written)) > 1)
        return out

    def stored_bytes(self, component_id: str) -> tuple[float, list[OperationEstimate]]:
        """Bytes a data store accumulates (before replication), and the operations keeping them."""
        per_op = self.storage.get(component_id, {})
        ops = [op for op in self.estimates.operations if op.name in per_op]
        return sum(per_op.values()), ops

    def stored_per_node(self, component: Component) -> float | None:
        """Stored bytes x copies / nodes: what one node of a database or index holds."""
        topo = self.topology(component)
        stored, ops = self.stored_bytes(component.id)
        if topo is None or not ops or not topo.nodes:
            return None
        return stored * topo.copies / topo.nodes

    # ------------------------------------------------------------ regions

    def region_of(self, component: Component) -> str | None:
        """The component's `region`, else the nearest enclosing group's."""
        if component.region:
            return component.region
        for gid in self.graph.ancestors(component.group):
            region = self.graph.groups[gid].region
            if region:
                return region
        return None

    @cached_property
    def regions(self) -> list[str]:
        """Regions the design runs in, when its disaster recovery keeps two or more serving.

        Active-active or warm standby only; the regions of components and groups plus the
        disaster-recovery `regions`. Empty otherwise: no region-loss check applies.
        """
        dr = self.design.disaster_recovery
        if dr is None or dr.strategy not in ("active_active", "warm_standby"):
            return []
        found = {r for c in self.design.components if (r := self.region_of(c))}
        found |= set(dr.regions)
        return sorted(found) if len(found) >= 2 else []

    def instances_in(self, component: Component, region: str) -> float:
        """Running instances in a region: all of them when pinned there, else an even share."""
        pinned = self.region_of(component)
        running = self.running(component)
        if pinned is not None:
            return float(running) if pinned == region else 0.0
        if not self.regions:
            return float(running)
        # Spread evenly; the region that is lost holds the larger share of an uneven split.
        return float(math.ceil(running / len(self.regions)))

    @cached_property
    def largest_region(self) -> str | None:
        """The region whose loss takes the most running instances (first by name on ties)."""
        if not self.regions:
            return None
        totals = {
            r: sum(self.instances_in(c, r) for c in self.components if c.kind != "client")
            for r in self.regions
        }
        return max(self.regions, key=lambda r: (totals[r], -self.regions.index(r)))

    # ------------------------------------------------------------ loads

    def figure(self, c: Component) -> tuple[float | None, str | None, str | None, str]:
        """(per unit per second, basis, source, scope): `capacity:` first, else a rule of thumb."""
        if c.capacity is not None:
            return c.capacity, "capacity in the spec", None, "instance"
        rot = self.rule_of_thumb(c)
        if rot is None:
            return None, None, None, "instance"
        return rot.per_second, "rule of thumb, " + rot.basis, rot.source, rot.scope

    @cached_property
    def loads(self) -> dict[str, ComponentLoad]:
        """The load on every component that a traced operation reaches, keyed by id."""
        shares: dict[str, list[Share]] = {}
        for op in self.estimates.operations:
            for cid, (calls, moved) in self.traffic[op.name].items():
                shares.setdefault(cid, []).append(
                    Share(
                        op.name,
                        self.access_at(op, cid),
                        calls,
                        op.peak_per_second * calls,
                        op.peak_per_second * moved if op.size_bytes is not None else None,
                        stream=op.is_stream,
                        hot_key_share=op.hot_key_share,
                    )
                )
        out: dict[str, ComponentLoad] = {}
        for c in self.design.components:
            if c.id in shares:
                out[c.id] = self._load(c, tuple(shares[c.id]))
        return out

    def _load(self, c: Component, shares: tuple[Share, ...]) -> ComponentLoad:
        per, basis, source, scope = self.figure(c)
        topo = self.topology(c)
        per_primary = None
        if topo is not None and per is not None:
            per_primary = per
            if c.kind == "sql_database" and c.capacity is None:
                per_primary = SQL_PRIMARY_WRITES.per_second
        stored, ops = self.stored_bytes(c.id)
        dr = self.design.disaster_recovery
        quota_regions = len(self.regions) if dr and dr.strategy == "active_active" else 1
        load = ComponentLoad(
            component=c.id,
            kind=c.kind,
            shares=shares,
            running=self.running(c),
            maximum=self.instances(c),
            per_instance=per,
            basis=basis,
            source=source,
            scope=scope,
            per_primary_writes=per_primary,
            topology=topo,
            units=float(getattr(c, "partitions", None) or 1) if scope == "shard" else None,
            storage_bytes=stored if ops else None,
            storage_per_node_bytes=self.stored_per_node(c),
            network_bytes_per_second=self.network(c),
            quota_regions=max(1, quota_regions),
            partition_limits=limits[:2] if (limits := partition_limits(c)) else None,
        )
        region = self.largest_region
        spread = self.region_of(c) is not None or load.running >= len(self.regions)
        if region is None or load.per_instance is None or is_managed(c) or not spread:
            return load  # a managed service or a lone instance: no region share to lose
        survivors = load.running - self.instances_in(c, region)
        if load.is_quota:
            util = None
            if quota_regions > 1 and load.utilization is not None:
                util = load.utilization * quota_regions / (quota_regions - 1)
        else:
            util = load._utilization(survivors) if survivors > 0 else float("inf")
        return replace(load, region_loss=RegionLoss(region, survivors, util))

    def network(self, c: Component) -> float | None:
        """Bytes per second one instance's network carries: `network:`, else the kind's default."""
        if c.network is not None:
            return c.network
        if is_managed(c):
            return None
        return NETWORK_BYTES_PER_SECOND.get(c.kind)


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
