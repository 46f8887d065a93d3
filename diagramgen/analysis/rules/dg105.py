"""DG105: a queue or stream without a dead-letter path."""

from __future__ import annotations

from collections.abc import Iterator

from diagramgen.analysis.base import Hit, Rule, ask
from diagramgen.analysis.context import MESSAGING_KINDS, Context


class NoDeadLetter(Rule):
    """A queue or stream whose poison messages have nowhere to go.

    ## What it does
    Finds queues and streams without a dead-letter path: a warning when `dead_letter:
    false` says so or ordered delivery (`fifo`, `per_key`) makes a poison message block
    the queue; a request to declare `dead_letter` when the spec does not say. A queue
    that is itself a dead-letter queue, or that has an edge to one, is skipped. The
    message names the consumers (not the producers) and what happens to a message they
    cannot process under the declared delivery and ordering.

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
            dead_letter = getattr(c, "dead_letter", None)
            if dead_letter or ctx.is_dead_letter_queue(c.id):
                continue
            if getattr(c, "delivery", None) == "at_most_once" and dead_letter is None:
                continue  # nothing is redelivered: dropping a failed message is the declared choice
            forwards = [
                t
                for t in ctx.successors(c.id)
                if ctx.component(t).kind in MESSAGING_KINDS and ctx.is_dead_letter_queue(t)
            ]
            if forwards:
                continue  # drawn as an edge to a dead-letter queue
            consumers = ctx.consumers(c.id)
            who = ", ".join(consumers) if consumers else "its consumers"
            delivery = getattr(c, "delivery", "at_least_once")
            ordering = getattr(c, "ordering", "none")
            if delivery == "at_most_once":
                fate = "is dropped without a trace (at-most-once delivery)"
            elif ordering in ("fifo", "per_key"):
                blocked = "the whole queue" if ordering == "fifo" else "its key's partition"
                fate = (
                    f"is redelivered forever and blocks {blocked} behind it ({ordering} ordering)"
                )
            else:
                fate = "is redelivered forever, burning consumer capacity"
            if dead_letter is None and ordering not in ("fifo", "per_key"):
                yield ask(
                    c.id,
                    f"`dead_letter` on {c.KIND_LABEL} '{c.id}'",
                    f"without one, a message {who} cannot process {fate}; `false` says "
                    "failures are handled another way.",
                )
                continue
            yield Hit(
                c.id,
                f"{ctx.name(c.id)} has no dead-letter path: a message {who} cannot process "
                f"{fate}. Set `dead_letter` to a queue where failed messages are parked.",
            )
