"""DG505: a flow names an operation the workload does not define."""

from __future__ import annotations

from collections.abc import Iterator

from diagramgen.analysis.base import Hit, Rule
from diagramgen.analysis.context import Context, normalize
from diagramgen.spec.semantic import did_you_mean


class UnknownFlowOperation(Rule):
    """A flow's `operations` lists a name that no workload operation has.

    ## What it does
    Checks each name in a flow's `operations` against the workload's operations (names
    compare case-insensitively, with `-`, `_` and spaces alike) and suggests the closest.

    ## Why is this bad?
    The capacity estimates put an operation's peak rate on the components of the flows
    that carry it. A misspelt name carries nothing: the components on that path look
    idle, and the saturation, storage and cache rules silently see less load than the
    design states.

    ## Example
    ```yaml
    workload: {operations: [{name: hold seats, rate: 2k/s}]}
    components:
      - {id: fans, kind: client}
      - {id: booking, kind: service, replicas: 3}
    flows:
      - {name: hold and buy, operations: [hold seat], steps: [fans -> booking]}
    ```

    Use instead:
    ```yaml
      - {name: hold and buy, operations: [hold seats], steps: [fans -> booking]}
    ```
    """

    code = "DG505"
    name = "unknown-flow-operation"
    severity = "error"
    topic = "capacity"

    def check(self, ctx: Context) -> Iterator[Hit]:
        """One hit per unknown operation name in a flow."""
        known = {normalize(op.name): op.name for op in ctx.estimates.operations}
        for i, flow in enumerate(ctx.design.flows):
            for j, name in enumerate(flow.operations):
                if normalize(name) in known:
                    continue
                hint = did_you_mean(name, known.values()) if known else ""
                none = "" if known else " (the design has no workload operations)"
                yield Hit(
                    None,
                    f"flow `{flow.name}` carries operation {name!r}, which the workload does "
                    f"not define{none}{hint}: its load is traced nowhere.",
                    loc=("flows", i, "operations", j),
                )
