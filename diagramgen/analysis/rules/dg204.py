"""DG204: more consumers than partitions."""

from __future__ import annotations

from collections.abc import Iterator

from diagramgen.analysis.base import Hit, Rule
from diagramgen.analysis.context import MESSAGING_KINDS, Context

_CONSUMER_KINDS = ("worker", "function")


class ConsumersExceedPartitions(Rule):
    """A consumer scaled beyond the partitions of the queue or stream it reads.

    ## What it does
    For each queue or stream with `partitions`, compares them with the instances of each
    worker or function that consumes it (the components it delivers to, and those whose
    edge to it pulls: `poll`, `consume` ...; producers are not consumers); autoscaling
    counts at its maximum. Services are skipped, as they often
    subscribe each instance to every message (a broadcast, not a consumer group).

    ## Why is this bad?
    In a consumer group each partition is read by exactly one consumer (Kafka, Kinesis,
    ordered queues): consumers beyond the partition count sit idle, so scaling the
    consumer out stops helping exactly when the backlog grows.

    ## Example
    ```yaml
    components:
      - {id: events, kind: stream, tech: kafka, partitions: 4}
      - {id: indexer, kind: worker, replicas: 12}
    connections: [events -> indexer]
    ```

    Use instead:
    ```yaml
      - {id: events, kind: stream, tech: kafka, partitions: 24}
    ```
    """

    code = "DG204"
    name = "consumers-exceed-partitions"
    severity = "warning"
    topic = "scalability"

    def check(self, ctx: Context) -> Iterator[Hit]:
        """One hit per (stream, consumer) pair where consumers outnumber partitions."""
        for c in ctx.of_kind(*MESSAGING_KINDS):
            partitions = getattr(c, "partitions", None)
            if not partitions:
                continue
            consumers = {t for t in ctx.consumers(c.id) if ctx.component(t).kind in _CONSUMER_KINDS}
            for consumer in sorted(consumers):
                n = ctx.instances(ctx.component(consumer))
                if n <= partitions:
                    continue
                yield Hit(
                    c.id,
                    f"{ctx.name(consumer)} runs up to {n} instances but {ctx.name(c.id)} has "
                    f"{partitions} partition{'s' if partitions != 1 else ''}: {n - partitions} "
                    "consumers sit idle, since each partition is read by one consumer of a "
                    f"group. Raise `partitions` to at least {n}.",
                )
