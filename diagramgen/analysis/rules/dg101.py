"""DG101: a single instance on the request path."""

from __future__ import annotations

from collections.abc import Iterator

from diagramgen.analysis.base import Hit, Rule
from diagramgen.analysis.context import Context


class SinglePointOfFailure(Rule):
    """A component with one instance on a path a client reaches.

    ## What it does
    Finds components that run as a single instance (`replicas: 1`, no read replicas to
    promote, no autoscaling minimum above one) and that a client reaches through
    synchronous calls (from the clients, or from the entry points of a design without
    one). Clients, external systems, DNS, CDNs, functions, object storage and managed
    services (`tech` such as `Amazon DynamoDB`, `AWS::SQS::Queue`, `Cloud Functions`, read
    through the alias table) are redundant by construction and skipped, and so are
    siblings of the same kind and tech behind one load balancer or in one group named as a
    set (an auto-scaling group, a cluster): together they are one redundant set.
    What a broker delivers to and what a log shipper (Fluentd, Fluent Bit, Vector,
    Logstash) receives are off the request path: nothing waits on them.

    ## Why is this bad?
    When that instance stops (a crash, a deploy, a host failure) every request that goes
    through it fails: the availability of the whole path is capped by one machine's.

    ## Example
    ```yaml
    components:
      - {id: web, kind: client}
      - {id: api, kind: service, replicas: 3}
      - {id: db, kind: sql_database}
    connections: [web -> api, api -> db]
    ```

    Use instead:
    ```yaml
      - {id: db, kind: sql_database, replicas: 2, replication: sync}
    ```
    or, when the redundancy lives outside the diagram,
    `ignore: {DG101: "active-passive pair managed by the platform"}`.
    """

    code = "DG101"
    name = "single-point-of-failure"
    severity = "warning"
    topic = "reliability"

    def check(self, ctx: Context) -> Iterator[Hit]:
        """One hit per single-instance component on the synchronous request path."""
        for c in ctx.components:
            if ctx.is_redundant_by_nature(c) or not ctx.on_request_path(c.id):
                continue
            autoscaling = getattr(c, "autoscaling", None)
            standby = int(getattr(c, "read_replicas", 0) or 0)  # promotable on failure
            if c.replicas + standby > 1 or (autoscaling is not None and autoscaling.min > 1):
                continue
            if len(ctx.redundant_sets[c.id]) > 1:
                continue
            path = ctx.chain(ctx.sync_client_paths[c.id])
            if c.kind == "cache":
                effect = (
                    "when it stops, the requests through it fail or fall through to the stores "
                    "behind it all at once"
                )
            else:
                effect = "when it stops, every request through it fails"
            yield Hit(
                c.id,
                f"{ctx.name(c.id)} is a single point of failure: one {c.KIND_LABEL} instance "
                f"on the request path {path}; {effect}. Run at least 2 replicas "
                "(with failover for stateful kinds).",
            )
