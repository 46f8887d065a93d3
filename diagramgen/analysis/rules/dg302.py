"""DG302: relational access against a NoSQL store."""

from __future__ import annotations

import re
from collections.abc import Iterator

from diagramgen.analysis.base import Hit, Rule
from diagramgen.analysis.context import Context

_RELATIONAL = re.compile(
    r"\b(joins?|joined|joining|transactions?|transactional|acid|foreign keys?|group by|"
    r"aggregates?|aggregation|multi-row|multi-table|ad[- ]hoc quer(?:y|ies)|reports?)\b",
    re.IGNORECASE,
)


class RelationalAccessOnNosql(Rule):
    """Joins, transactions or ad-hoc queries sent to a NoSQL database.

    ## What it does
    Reads the labels and descriptions of the connections and flow steps that end at a
    `nosql_database` and flags those that ask for relational work: joins, multi-row
    transactions, foreign keys, `GROUP BY` aggregates, reports, ad-hoc queries.

    ## Why is this bad?
    Key-value, document and wide-column stores answer the queries their keys were
    designed for. A join becomes N+1 round trips in the application, a transaction
    across items is limited or absent, and an ad-hoc aggregate scans the whole table.
    Either denormalize for this access pattern or keep this data in a SQL database.

    ## Example
    ```yaml
    components:
      - {id: api, kind: service, replicas: 3}
      - {id: db, kind: nosql_database, tech: mongodb}
    connections: ["api -> db: join orders with customers"]
    ```

    Use instead:
    ```yaml
      - {id: db, kind: sql_database, tech: postgresql}
    ```
    or store each order with the customer fields it needs (denormalized) and label the
    edge with the key it reads by.
    """

    code = "DG302"
    name = "relational-access-on-nosql"
    severity = "warning"
    topic = "storage"

    def check(self, ctx: Context) -> Iterator[Hit]:
        """One hit per (database, edge text) that asks for relational work."""
        nosql = {c.id for c in ctx.of_kind("nosql_database")}
        seen: set[tuple[str, str]] = set()
        edges = [(None, conn) for conn in ctx.design.connections]
        edges += [(flow.name, step) for flow in ctx.design.flows for step in flow.steps]
        for flow_name, edge in edges:
            for target in ctx.graph.expand(edge.target):
                if target not in nosql:
                    continue
                for text in (edge.label, edge.description):
                    m = _RELATIONAL.search(text or "")
                    if m is None or (target, text or "") in seen:
                        continue
                    seen.add((target, text or ""))
                    c = ctx.component(target)
                    what = ", ".join(x for x in (c.tech, getattr(c, "model", None)) if x) or "NoSQL"
                    where = f" in flow `{flow_name}`" if flow_name else ""
                    yield Hit(
                        target,
                        f"{edge.source} -> {target}{where} asks for '{m.group(0)}' ({text!r}) "
                        f"but {ctx.name(target)} is a NoSQL store ({what}): joins become N+1 "
                        "round trips in the application and multi-item transactions are "
                        "limited or absent. Denormalize for this access pattern or keep this "
                        "data in a SQL database.",
                    )
