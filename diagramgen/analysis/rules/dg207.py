"""DG207: consumers slower than producers: a backlog that grows, and expires."""

from __future__ import annotations

from collections.abc import Iterator

from diagramgen.analysis.base import Hit, Rule
from diagramgen.analysis.context import MESSAGING_KINDS, Context
from diagramgen.spec.units import human_duration, human_rate


class ConsumerLag(Rule):
    """A queue or stream whose consumers cannot keep up with what is produced into it.

    ## What it does
    For each queue or stream a traced operation reaches, compares the rate produced into
    it (average and peak) with what its consumers can take: the consumers' `capacity`
    (or rule of thumb) times their instances, at most what the traced load reaching them
    shows. It fires when the consumers are slower than the average rate (the backlog
    never drains), or slower than the peak while the backlog built during one hour of
    peak outlives the queue's `retention` (messages expire unread).

    ## Why is this bad?
    A queue hides a slow consumer until it does not: lag grows without bound, end-to-end
    latency grows with it, and once the oldest message is older than the retention it is
    deleted unprocessed (Kafka's `retention.ms`, SQS's 4 days by default): data loss
    that no error reports.

    ## Example
    ```yaml
    workload: {operations: [{name: ingest, rate: 20k/s, access: write}]}
    components:
      - {id: events, kind: stream, tech: kafka, partitions: 12, retention: 1h}
      - {id: indexer, kind: worker, replicas: 2, capacity: 3k/s}
    flows: [{name: ingest, steps: ["events -> indexer"]}]
    ```

    Use instead:
    ```yaml
      - {id: indexer, kind: worker, replicas: 12, capacity: 3k/s}
    ```
    """

    code = "DG207"
    name = "consumer-lag"
    severity = "warning"
    topic = "scalability"

    def check(self, ctx: Context) -> Iterator[Hit]:
        """One hit per queue whose consumers fall behind."""
        for q in ctx.of_kind(*MESSAGING_KINDS):
            load = ctx.loads.get(q.id)
            if load is None or not load.peak_per_second:
                continue
            peak = load.peak_per_second
            factor = ctx.estimates.peak_factor or 1.0
            average = peak / factor
            capacity = 0.0
            for consumer in ctx.consumers(q.id):
                cl = ctx.loads.get(consumer)
                cap = cl.capacity_per_second if cl is not None else None
                if cap is None:
                    capacity = 0.0
                    break  # a consumer without a figure: nothing to compare
                capacity += cap
            if not capacity or capacity >= peak:
                continue
            retention = getattr(q, "retention", None)
            if capacity < average:
                yield Hit(
                    q.id,
                    f"{ctx.name(q.id)} receives {human_rate(average)} on average but its "
                    f"consumers ({', '.join(ctx.consumers(q.id))}) take {human_rate(capacity)}: "
                    "the backlog grows all day and never drains"
                    + (
                        f", and messages older than its {human_duration(retention)} retention "
                        "are deleted unread"
                        if retention
                        else ""
                    )
                    + ". Add consumers (and partitions) or make each one faster.",
                )
                continue
            backlog = (peak - capacity) * 3600.0  # one hour of peak
            drain = backlog / (capacity - average)
            if retention is None or drain <= retention:
                continue
            yield Hit(
                q.id,
                f"{ctx.name(q.id)} receives {human_rate(peak)} at peak but its consumers take "
                f"{human_rate(capacity)}: an hour of peak leaves {backlog:,.0f} messages that "
                f"take {human_duration(drain)} to drain, longer than its "
                f"{human_duration(retention)} retention, so the oldest expire unread. Add "
                "consumers for the peak, or keep messages longer.",
            )
