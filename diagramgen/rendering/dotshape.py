"""The size of a view as dot will see it, read from the DOT text the adapter writes.

dot's cost is not the node count alone. It replaces every edge that spans several ranks by a
chain of virtual nodes, one per rank crossed (Gansner et al., "A Technique for Drawing
Directed Graphs", IEEE TSE 19(3), 1993, section 2), and its x-coordinate phase runs network
simplex over all of them. Measured with `dot -v` (Graphviz 2.43) on a generated design of
1,000 services in 50 groups, each calling 3 services of other groups (`bench/generate.py`
`cross_group_data`): 39,287 nodes in that phase, 45 s of it, against under a second for the
same design without the edges between groups. `shape` therefore estimates the virtual
nodes with a cheap ranking of its own, and `split_cross` takes the edges between groups
out so the groups can be laid out first and those edges drawn over them (`graphviz.ROUTED`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

_ID = r'(?:"(?:[^"\\]|\\.)*"|[^\s\[\]{};"-][^\s\[\]{};]*)'
_CLUSTER_OPEN = re.compile(r'^\t+subgraph ("?)cluster_')
_SUBGRAPH_OPEN = re.compile(r"^\t+subgraph\b.*\{\s*$")
_CLOSE = re.compile(r"^\t+\}\s*$")
_NODE = re.compile(rf"^\t+({_ID}) \[")
_EDGE = re.compile(rf"^\t+({_ID}) -> ({_ID})(?: \[|\s*$)")
_KEYWORDS = frozenset({"graph", "node", "edge"})


@dataclass(frozen=True)
class Shape:
    """What makes a view hard for dot: its size and the edges between its groups."""

    nodes: int
    edges: int
    cross: int  # edges whose two ends lie in different groups (innermost clusters)
    virtual: int  # estimated rank crossings of all edges: dot's extra nodes

    def describe(self) -> str:
        """`1,000 nodes, 3,948 edges (2,998 between groups)` for messages (without the
        parenthesis when no edge runs between groups)."""
        between = f" ({self.cross:,} between groups)" if self.cross else ""
        return f"{self.nodes:,} nodes, {self.edges:,} edges{between}"


def _membership(lines: list[str]) -> dict[str, str | None]:
    """Node id -> its innermost cluster's line index (None outside any cluster)."""
    stack: list[str | None] = []
    cluster_of: dict[str, str | None] = {}
    for i, line in enumerate(lines):
        if _SUBGRAPH_OPEN.match(line):
            stack.append(str(i) if _CLUSTER_OPEN.match(line) else (stack[-1] if stack else None))
            continue
        if _CLOSE.match(line):
            if stack:
                stack.pop()
            continue
        m = _NODE.match(line)
        if m and m.group(1) not in _KEYWORDS and " -> " not in line:
            cluster_of.setdefault(m.group(1), stack[-1] if stack else None)
    return cluster_of


def _edges(lines: list[str]) -> list[tuple[int, str, str]]:
    found = []
    for i, line in enumerate(lines):
        m = _EDGE.match(line)
        if m:
            found.append((i, m.group(1), m.group(2)))
    return found


def _ranks(nodes: list[str], edges: list[tuple[str, str]]) -> dict[str, int]:
    """Longest-path layering after dropping the edges that close a cycle (depth-first)."""
    out: dict[str, list[str]] = defaultdict(list)
    for a, b in edges:
        if a != b:
            out[a].append(b)
    state: dict[str, int] = {}  # 1: on the stack, 2: done
    order: list[str] = []
    kept: dict[str, list[str]] = defaultdict(list)
    for root in nodes:
        if root in state:
            continue
        state[root] = 1
        stack = [(root, iter(out[root]))]
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                order.append(node)
                stack.pop()
            elif state.get(child) is None:
                kept[node].append(child)
                state[child] = 1
                stack.append((child, iter(out[child])))
            elif state[child] == 2:
                kept[node].append(child)
    rank = dict.fromkeys(nodes, 0)
    for node in reversed(order):  # a topological order of the kept edges
        for child in kept[node]:
            rank[child] = max(rank.get(child, 0), rank[node] + 1)
    return rank


def shape(source: str) -> Shape:
    """The `Shape` of a DOT text written by the adapter (or any of its layouts)."""
    lines = source.splitlines()
    cluster_of = _membership(lines)
    edges = [(a, b) for _, a, b in _edges(lines)]
    nodes = list(cluster_of)
    for a, b in edges:
        for end in (a, b):
            if end not in cluster_of:
                cluster_of[end] = None
                nodes.append(end)
    rank = _ranks(nodes, edges)
    virtual = sum(max(0, abs(rank[b] - rank[a]) - 1) for a, b in edges)
    cross = sum(1 for a, b in edges if cluster_of[a] != cluster_of[b])
    return Shape(len(cluster_of), len(edges), cross, virtual)


def split_cross(source: str) -> tuple[str, list[str]]:
    """`source` without its edges between groups, and those edge statements (in order)."""
    lines = source.splitlines(keepends=True)
    cluster_of = _membership([line.rstrip("\n") for line in lines])
    kept: list[str] = []
    cross: list[str] = []
    for line in lines:
        m = _EDGE.match(line)
        if m and cluster_of.get(m.group(1)) != cluster_of.get(m.group(2)):
            cross.append(line if line.endswith("\n") else line + "\n")
        else:
            kept.append(line)
    return "".join(kept), cross


def split_spanning(source: str) -> tuple[str, list[str]]:
    """`source` with only the edges of a spanning forest, and the other edge statements.

    The forest takes each edge, in order, that joins two parts not yet joined (ends taken
    as undirected): n - 1 edges for n connected nodes. Laid out alone, a forest gives dot
    one rank per tree level and no edge spanning ranks, so no chains of virtual nodes,
    whatever the other edges look like.
    """
    parent: dict[str, str] = {}

    def root(node: str) -> str:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    kept: list[str] = []
    rest: list[str] = []
    for line in source.splitlines(keepends=True):
        m = _EDGE.match(line)
        if m:
            a, b = root(m.group(1)), root(m.group(2))
            if a == b:
                rest.append(line if line.endswith("\n") else line + "\n")
                continue
            parent[a] = b
        kept.append(line)
    return "".join(kept), rest


def add_edges(source: str, edges: list[str], graph_attr: dict[str, str]) -> str:
    """`source` with `edges` and root graph attributes `graph_attr` added before its end."""
    attrs = " ".join(f"{k}={v}" for k, v in sorted(graph_attr.items()))
    end = source.rstrip().rfind("}")
    extra = "".join(edges) + (f"\tgraph [{attrs}]\n" if attrs else "")
    return f"{source[:end]}{extra}{source[end:]}"
