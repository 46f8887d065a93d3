"""DG601: data crossing trust zones without encryption in transit."""

from __future__ import annotations

from collections.abc import Iterator

from diagramgen.analysis.base import Hit, Rule, ask
from diagramgen.analysis.context import Context


class PlaintextAcrossZones(Rule):
    """A connection between two trust zones that is not encrypted in transit.

    ## What it does
    Compares the `zone` (inherited from groups: `public`, `private`, `restricted`) of the
    two ends of every connection and flow step. A link between different zones with
    `tls: false` is a warning; one that does not declare `tls` is asked about (info).
    Links inside one zone, and links whose ends declare no zone, are left alone.

    ## Why is this bad?
    A zone boundary is where the network stops being yours alone: a load balancer's
    shared subnet, a peering link, a partner's network. Plaintext there exposes
    credentials and personal data to anyone on the path, and most compliance regimes
    (PCI DSS 4.2.1, HIPAA's transmission security) require encryption across it.

    ## Example
    ```yaml
    groups:
      - {id: dmz, zone: public}
      - {id: core, zone: restricted}
    components:
      - {id: lb, kind: load_balancer, group: dmz, replicas: 2}
      - {id: db, kind: sql_database, group: core}
    connections: [{from: lb, to: db, tls: false}]
    ```

    Use instead:
    ```yaml
    connections: [{from: lb, to: db, tls: true}]
    ```
    """

    code = "DG601"
    name = "plaintext-across-zones"
    severity = "warning"
    topic = "security"

    def check(self, ctx: Context) -> Iterator[Hit]:
        """One hit per (caller, callee) pair crossing zones without TLS."""
        links = ctx.links
        declared: dict[tuple[str, str], bool | None] = {}
        for link in links:
            for source in ctx.graph.expand(link.source):
                for target in ctx.graph.expand(link.target):
                    key = (source, target)
                    if link.tls is not None or key not in declared:
                        declared[key] = link.tls if link.tls is not None else declared.get(key)
        for (source, target), tls in declared.items():
            a = ctx.zone_of(ctx.component(source))
            b = ctx.zone_of(ctx.component(target))
            if a is None or b is None or a == b or tls:
                continue
            if tls is None:
                yield ask(
                    target,
                    f"`tls` on {source} -> {target}",
                    f"it crosses from the {a} zone to the {b} zone, where plaintext exposes "
                    "what it carries.",
                )
                continue
            yield Hit(
                target,
                f"{source} -> {target} crosses from the {a} zone to the {b} zone in plaintext "
                "(`tls: false`): credentials and data on it are readable on the path. "
                "Encrypt it (TLS or mTLS).",
            )
