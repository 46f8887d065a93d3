"""DG303: a query by a column that no index covers."""

from __future__ import annotations

import re
from collections.abc import Iterator

from diagramgen.analysis.base import Hit, Rule
from diagramgen.analysis.context import DATABASE_KINDS, Context
from diagramgen.spec.units import human_rate

# `find user by email`, `orders where status and created_at`, `sorted by created_at`.
_QUERY = re.compile(
    r"\b(?:by|where)\s+([A-Za-z_][A-Za-z0-9_.]*(?:\s*(?:,|and|\+)\s*[A-Za-z_][A-Za-z0-9_.]*)*)",
    re.IGNORECASE,
)
_SPLIT = re.compile(r"\s*(?:,|\band\b|\+)\s*", re.IGNORECASE)
_NOT_COLUMNS = frozenset(
    {
        "a", "an", "the", "this", "that", "these", "those", "each", "every", "all", "any",
        "its", "their", "our", "his", "her", "hand", "cron", "schedule", "batch", "default",
        "itself", "then", "now", "design", "way", "means", "far", "one", "two",
    }
)  # fmt: skip


def query_columns(text: str) -> list[str]:
    """The columns a label queries by (`find user by email` -> [`email`]), in order."""
    out: list[str] = []
    for m in _QUERY.finditer(text):
        for word in _SPLIT.split(m.group(1)):
            column = word.strip().split(".")[-1].lower()
            if not column or column in _NOT_COLUMNS:
                break  # `by the ...` is prose, not a column list
            if column not in out:
                out.append(column)
    return out


def indexed_columns(component: object) -> tuple[set[str], list[str]]:
    """Columns an index leads with (plus primary and shard keys), and every index's columns."""
    leading: set[str] = {"id"}
    for key in (getattr(component, "primary_key", None),):
        if key:
            leading.add(_columns(key)[0])
    sharding = getattr(component, "sharding", None)
    if sharding is not None:
        leading.add(_columns(sharding.key)[0])
    every: list[str] = []
    for index in getattr(component, "indexes", []):
        cols = _columns(index)
        if cols:
            leading.add(cols[0])
            every.extend(cols)
    return leading, every


def _columns(text: str) -> list[str]:
    return [w.lower() for w in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", text)] or [text.lower()]


class MissingIndex(Rule):
    """A flow or connection queries a database by a column no index leads with.

    ## What it does
    Reads `by <column>` and `where <column>` in the labels of connections and flow steps
    that end at a SQL or NoSQL database, and checks each column against the database's
    `indexes`, its `primary_key`, its sharding key and `id`. A column that only appears
    inside a composite index passes: the query may supply the index's leading columns.

    ## Why is this bad?
    Without an index the database reads every row to answer the query: fine on a
    thousand rows, a full scan per request on a hundred million, and a lock or I/O storm
    at peak. In a wide-column store such as Cassandra a query by a non-key column is not
    even possible without a secondary index or a second table keyed by that column.

    ## Example
    ```yaml
    components:
      - {id: api, kind: service, replicas: 2}
      - {id: users, kind: sql_database, indexes: [created_at]}
    connections: ["api -> users: find user by email"]
    ```

    Use instead:
    ```yaml
      - {id: users, kind: sql_database, indexes: [email, created_at]}
    ```
    """

    code = "DG303"
    name = "missing-index"
    severity = "warning"
    topic = "storage"

    def check(self, ctx: Context) -> Iterator[Hit]:
        """One hit per (database, unindexed column)."""
        databases = {c.id for c in ctx.of_kind(*DATABASE_KINDS)}
        found: dict[tuple[str, str], list[str]] = {}  # (db, column) -> where it is queried
        edges = [(None, conn) for conn in ctx.design.connections]
        edges += [(flow.name, step) for flow in ctx.design.flows for step in flow.steps]
        for flow_name, edge in edges:
            for target in ctx.graph.expand(edge.target):
                if target not in databases:
                    continue
                leading, every = indexed_columns(ctx.component(target))
                for column in query_columns(edge.label or ""):
                    # A column inside a composite index is given the benefit of the doubt:
                    # labels abbreviate, and the query may well supply the leading columns.
                    if column in leading or column in every:
                        continue
                    where = f"flow `{flow_name}`" if flow_name else "connection"
                    found.setdefault((target, column), []).append(
                        f"{where} {edge.source} -> {edge.target} ({edge.label!r})"
                    )
        for (target, column), places in sorted(found.items()):
            c = ctx.component(target)
            indexes = ", ".join(getattr(c, "indexes", [])) or "none"
            load = ctx.loads.get(target)
            rate = (
                f"; {human_rate(load.read_peak_per_second)} reads reach it at peak"
                if load and load.read_peak_per_second
                else ""
            )
            yield Hit(
                target,
                f"{places[0]} queries {ctx.name(target)} by `{column}`, but no index leads "
                f"with it (indexes: {indexes}): each such query scans the table{rate}. Add "
                f"`{column}` to `indexes`.",
            )
