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
        # Only some kinds have these fields; asking pydantic for a missing one is slow.
        fields = type(c).model_fields
        for attr in ("origin", "session_store"):
            if attr in fields:
                ref(("components", i, attr), getattr(c, attr), component_ids, "component")
        dead_letter = getattr(c, "dead_letter", None) if "dead_letter" in fields else None
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
        # A fan-out (`to: [a, b]`) is several connections written in one entry: locate each
        # by its entry and its place in the list, and number entries as the spec does.
        entry, si, ti = design.connection_origin(i)
        from_loc: Loc = ("connections", entry, "from", *(() if si is None else (si,)))
        to_loc: Loc = ("connections", entry, "to", *(() if ti is None else (ti,)))
        ref(from_loc, conn.source, everything, "connection end")
        ref(to_loc, conn.target, everything, "connection end")
        key = (conn.source, conn.target, conn.label or "")
        if key in seen_edges:
            where: Loc = ("connections", entry)
            if ti is not None or si is not None:
                where = to_loc if ti is not None else from_loc
            problems.append(
                SemanticProblem(
                    where,
                    f"duplicate connection {conn.source} -> {conn.target}"
                    + (f" ({conn.label!r})" if conn.label else "")
                    + f": same as connection #{seen_edges[key] + 1}",
                )
            )
        else:
            seen_edges[key] = entry

    flow_names: set[str] = set()
    for i, flow in enumerate(design.flows):
        if flow.name in flow_names:
            problems.append(SemanticProblem(("flows", i, "name"), f"duplicate flow {flow.name!r}"))
        flow_names.add(flow.name)
        for j, step in enumerate(flow.steps):
            ref(("flows", i, "steps", j, "from"), step.source, everything, "flow step end")
            ref(("flows", i, "steps", j, "to"), step.target, everything, "flow step end")
    if design.workload is not None:
        for i, op in enumerate(design.workload.operations):
            for store in op.stored_in or {}:
                loc: Loc = ("workload", "operations", i, "stored_in", store)
                if store not in component_ids:
                    problems.append(
                        SemanticProblem(
                            loc,
                            f"unknown component {store!r} in stored_in"
                            f"{did_you_mean(store, component_ids)}",
                            at_key=True,
                        )
                    )
    problems.extend(_view_problems(design, everything))
    return problems


def _view_problems(design: Design, everything: set[str]) -> list[SemanticProblem]:
    """Views name things that exist, and no two views (flow views included) share a file."""
    from diagramgen.spec.models import slugify

    problems: list[SemanticProblem] = []
    # The file stem of every view `render` writes, and who claimed it first.
    taken: dict[str, str] = {"overview": "the overview"}
    flow_names: set[str] = set()
    for i, flow in enumerate(design.flows):
        stem = f"flow-{slugify(flow.name)}"
        if stem in taken and flow.name not in flow_names:
            problems.append(
                SemanticProblem(
                    ("flows", i, "name"),
                    f"flow {flow.name!r} would write the same view file ({stem}) as "
                    f"{taken[stem].removeprefix('the view of ')}: rename one",
                )
            )
        taken.setdefault(stem, f"the view of flow {flow.name!r}")
        flow_names.add(flow.name)

    view_names: set[str] = set()
    for i, view in enumerate(design.views):
        stem = slugify(view.name)
        if view.name in view_names:
            problems.append(SemanticProblem(("views", i, "name"), f"duplicate view {view.name!r}"))
        elif stem in taken:
            problems.append(
                SemanticProblem(
                    ("views", i, "name"),
                    f"view {view.name!r} would write the same file ({stem}) as {taken[stem]}: "
                    "rename it",
                )
            )
        taken.setdefault(stem, f"view {view.name!r}")
        view_names.add(view.name)
        for section in ("include", "exclude"):
            for j, item in enumerate(getattr(view, section)):
                if item not in everything:
                    problems.append(
                        SemanticProblem(
                            ("views", i, section, j),
                            f"unknown group or component {item!r} in view {view.name!r}"
                            f"{did_you_mean(item, everything)}",
                        )
                    )
        included = set(view.include)
        for j, item in enumerate(view.exclude):
            if item in included:
                problems.append(
                    SemanticProblem(
                        ("views", i, "exclude", j),
                        f"{item!r} is both included and excluded in view {view.name!r}",
                    )
                )
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
