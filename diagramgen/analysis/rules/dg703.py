"""DG703: the declared RTO or RPO is better than the design's recovery can give."""

from __future__ import annotations

from collections.abc import Iterator

from diagramgen.analysis.availability import recovery_check
from diagramgen.analysis.base import Hit, Rule
from diagramgen.analysis.context import Context
from diagramgen.analysis.defaults import STRATEGY_RTO
from diagramgen.spec.units import human_duration


class RecoveryObjectiveUnmet(Rule):
    """A disaster-recovery RTO or RPO that the strategy or the data stores cannot give.

    ## What it does
    Compares `disaster_recovery.rto` with what its `strategy` typically recovers in
    (backup and restore: hours; pilot light: tens of minutes; warm standby: minutes;
    active-active: near zero, after AWS's disaster-recovery options), and `rpo` with what
    the databases can lose: replication across regions (`multi_region`) loses seconds,
    restoring backups about five minutes.

    ## Why is this bad?
    An RTO of five minutes on a backup-and-restore strategy, or an RPO of one minute on
    nightly-style restores, is a promise that breaks on the day it is needed.

    ## Example
    ```yaml
    components:
      - {id: db, kind: sql_database, replicas: 2, replication: async, backups: true}
    disaster_recovery: {strategy: backup_restore, rpo: 1m, rto: 5m}
    ```

    Use instead:
    ```yaml
    components:
      - {id: db, kind: sql_database, replicas: 2, replication: async, multi_region: true}
    disaster_recovery: {strategy: warm_standby, rpo: 1m, rto: 15m}
    ```
    """

    code = "DG703"
    name = "recovery-objective-unmet"
    severity = "warning"
    topic = "reliability"

    def check(self, ctx: Context) -> Iterator[Hit]:
        """At most one hit for the RTO and one for the RPO."""
        check = recovery_check(ctx)
        if check is None:
            return
        strategy = check.strategy.replace("_", " ")
        if check.rto_met is False and check.rto is not None:
            yield Hit(
                None,
                f"RTO {human_duration(check.rto)} is faster than {strategy} recovers: "
                f"{STRATEGY_RTO[check.strategy].basis} (at least "
                f"{human_duration(check.achievable_rto)}). Choose a faster strategy or "
                "declare the RTO it gives.",
                loc=("disaster_recovery", "rto"),
            )
        if check.rpo_met is False and check.rpo is not None and check.achievable_rpo:
            yield Hit(
                None,
                f"RPO {human_duration(check.rpo)} is less data than the stores can keep: "
                f"{check.rpo_basis}, so up to {human_duration(check.achievable_rpo)} is lost. "
                "Replicate the databases across regions (`multi_region`) or declare the RPO "
                "they give.",
                loc=("disaster_recovery", "rpo"),
            )
