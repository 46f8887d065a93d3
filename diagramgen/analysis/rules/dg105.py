"""DG105: a queue or stream without a dead-letter path."""

from __future__ import annotations

from collections.abc import Iterator

from diagramgen.analysis.base import Hit, Rule
from diagramgen.analysis.context import MESSAGING_KINDS, Context


class NoDeadLetter(Rule):
    """A queue or stream whose poison messages have nowhere to go.

    ## What it does
    Finds queues and streams without `dead_letter` (a component id, or `true` for a
    built-in dead-letter queue). The message names the consumers and says what happens
    to a message they cannot process under the declared delivery and ordering.

    ## Why is this bad?
    A message that always fails (bad payload, a bug, a deleted record) is redelivered
    forever with at-least-once delivery: it burns consumer capacity and, with FIFO or
    per-key ordering, blocks everything queued behind it. With at-most-once delivery it
    is silently dropped. A dead-letter path parks it for inspection and replay.

    ## Example
    ```yaml
    components:
      - {id: jobs, kind: queue, tech: rabbitmq}
      - {id: worker, kind: worker, replicas: 2}
    connections: [jobs -> worker]
    ```

    Use instead:
    ```yaml
      - {id: jobs, kind: queue, tech: rabbitmq, dead_letter: jobs_dlq}
      - {id: jobs_dlq, kind: queue, tech: rabbitmq}
    ```
    """

    code = "DG105"
    name = "no-dead-letter"
    severity = "warning"
    topic = "reliability"

    def check(self, ctx: Context) -> Iterator[Hit]:
        """One hit per queue or stream without a dead-letter path."""
        for c in ctx.of_kind(*MESSAGING_KINDS):
            if getattr(c, "dead_letter", None):
                continue
            consumers = [
                t for t in ctx.successors(c.id) if ctx.component(t).kind not in MESSAGING_KINDS
            ]
            consumers += [
                s
                for s in ctx.callers[c.id]
                if ctx.component(s).kind in ("worker", "function") and s not in consumers
            ]
            who = ", ".join(sorted(consumers)) if consumers else "its consumers"
            delivery = getattr(c, "delivery", "at_least_once")
            ordering = getattr(c, "ordering", "none")
            if delivery == "at_most_once":
                fate = "is dropped without a trace"
            elif ordering in ("fifo", "per_key"):
                blocked = "the whole queue" if ordering == "fifo" else "its key's partition"
                fate = (
                    f"is redelivered forever and blocks {blocked} behind it ({ordering} ordering)"
                )
            else:
                fate = "is redelivered forever, burning consumer capacity"
            yield Hit(
                c.id,
                f"{ctx.name(c.id)} has no dead-letter path: a message {who} cannot process "
                f"{fate}. Set `dead_letter` to a queue where failed messages are parked.",
            )
