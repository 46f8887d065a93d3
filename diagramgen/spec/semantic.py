"""Checks that need the whole spec: unique ids, references that resolve, no nesting cycles."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from diagramgen.spec.models import Design

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class SemanticProblem:
    """A problem at a location in the spec's data (`("connections", 2, "to")`)."""

    loc: Loc
    message: str
    at_key: bool = False  # point at the key rather than its value


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """` (did you mean 'cache'?)` when a close candidate exists, else ``."""
    matches = difflib.get_close_matches(word, sorted(set(candidates)), n=1, cutoff=0.6)
    return f" (did you mean {matches[0]!r}?)" if matches else ""


def check_references(design: Design) -> list[SemanticProblem]:
    """Every problem that spans more than one item of the spec, in spec order."""
    problems: list[SemanticProblem] = []
    seen: dict[str, str] = {}
    for section in ("groups", "components"):
        for i, item in enumerate(getattr(design, section)):
            if item.id in seen:
                problems.append(
                    SemanticProblem(
                        (section, i, "id"),
                        f"duplicate id {item.id!r}: already used by a {seen[item.id]}",
                    )
                )
            else:
                seen[item.id] = "group" if section == "groups" else "component"

    group_ids = {g.id for g in design.groups}
    component_ids = {c.id for c in design.components}
    everything = group_ids | component_ids

    def ref(loc: Loc, value: str | None, allowed: set[str], what: str) -> None:
        if value is not None and value not in allowed:
            problems.append(
                SemanticProblem(loc, f"unknown {what} {value!r}{did_you_mean(value, allowed)}")
            )

    for i, g in enumerate(design.groups):
        ref(("groups", i, "parent"), g.parent, group_ids, "parent group")
        if g.parent == g.id:
            problems.append(
                SemanticProblem(("groups", i, "parent"), f"group {g.id!r} contains itself")
            )
    problems.extend(_cycles(design))

    for i, c in enumerate(design.components):
        ref(("components", i, "group"), c.group, group_ids, "group")
        for attr in ("origin", "session_store"):
            ref(("components", i, attr), getattr(c, attr, None), component_ids, "component")
        dead_letter = getattr(c, "dead_letter", None)
        if isinstance(dead_letter, str):
            ref(("components", i, "dead_letter"), dead_letter, component_ids, "component")
        for code in c.ignore:
            if not code.startswith("DG"):
                problems.append(
                    SemanticProblem(
                        ("components", i, "ignore", code),
                        f"ignore takes rule codes such as 'DG101', not {code!r}",
                        at_key=True,
                    )
                )

    seen_edges: dict[tuple[str, str, str], int] = {}
    for i, conn in enumerate(design.connections):
        ref(("connections", i, "from"), conn.source, everything, "connection end")
        ref(("connections", i, "to"), conn.target, everything, "connection end")
        key = (conn.source, conn.target, conn.label or "")
        if key in seen_edges:
            problems.append(
                SemanticProblem(
                    ("connections", i),
                    f"duplicate connection {conn.source} -> {conn.target}"
                    + (f" ({conn.label!r})" if conn.label else "")
                    + f": same as connection #{seen_edges[key] + 1}",
                )
            )
        else:
            seen_edges[key] = i

    flow_names: set[str] = set()
    for i, flow in enumerate(design.flows):
        if flow.name in flow_names:
            problems.append(SemanticProblem(("flows", i, "name"), f"duplicate flow {flow.name!r}"))
        flow_names.add(flow.name)
        for j, step in enumerate(flow.steps):
            ref(("flows", i, "steps", j, "from"), step.source, everything, "flow step end")
            ref(("flows", i, "steps", j, "to"), step.target, everything, "flow step end")
    return problems


def _cycles(design: Design) -> list[SemanticProblem]:
    """Report each group that sits on a `parent` cycle once, iteratively (deep nesting is fine)."""
    parent = {g.id: g.parent for g in design.groups if g.parent and g.parent != g.id}
    index = {g.id: i for i, g in enumerate(design.groups)}
    state: dict[str, int] = {}  # 1 = on the current walk, 2 = known acyclic or reported
    problems = []
    for start in (g.id for g in design.groups):
        walk: list[str] = []
        node: str | None = start
        while node is not None and node in parent and state.get(node) is None:
            state[node] = 1
            walk.append(node)
            node = parent[node]
        if node is not None and state.get(node) == 1:
            cycle = walk[walk.index(node) :]
            loop = " -> ".join([*cycle, node])
            first = min(cycle, key=index.__getitem__)
            problems.append(
                SemanticProblem(("groups", index[first], "parent"), f"group nesting cycle: {loop}")
            )
        for n in walk:
            state[n] = 2
    return problems
