"""DG603: personal data not encrypted at rest."""

from __future__ import annotations

from collections.abc import Iterator

from diagramgen.analysis.base import Hit, Rule, ask
from diagramgen.analysis.context import Context


class PiiUnencryptedAtRest(Rule):
    """A data store holding personal data (`data: pii`) that is not encrypted at rest.

    ## What it does
    Finds data components (databases, caches, object storage, queues, search indexes)
    with `data: pii`: a warning with `encrypted_at_rest: false`, a request for the fact
    when `encrypted_at_rest` is not declared.

    ## Why is this bad?
    Disks, snapshots and backups leave the machine: a decommissioned drive, a snapshot
    shared by mistake, a stolen backup. Encryption at rest is what makes those copies
    useless, and GDPR (article 32) and most security standards expect it for personal
    data; a breach of unencrypted personal data must also be notified to every person.

    ## Example
    ```yaml
    components:
      - {id: users, kind: sql_database, data: pii, encrypted_at_rest: false}
    ```

    Use instead:
    ```yaml
      - {id: users, kind: sql_database, data: pii, encrypted_at_rest: true}
    ```
    """

    code = "DG603"
    name = "pii-unencrypted-at-rest"
    severity = "warning"
    topic = "security"

    def check(self, ctx: Context) -> Iterator[Hit]:
        """One hit per personal-data store not (or not known to be) encrypted."""
        for c in ctx.components:
            if getattr(c, "data", None) != "pii":
                continue
            encrypted = getattr(c, "encrypted_at_rest", None)
            if encrypted:
                continue
            if encrypted is None:
                yield ask(
                    c.id,
                    f"`encrypted_at_rest` on {c.KIND_LABEL} '{c.id}'",
                    "it holds personal data (`data: pii`), and its disks, snapshots and "
                    "backups outlive the machine.",
                )
                continue
            yield Hit(
                c.id,
                f"{ctx.name(c.id)} holds personal data unencrypted at rest "
                "(`encrypted_at_rest: false`): every snapshot, backup and retired disk is a "
                "readable copy. Enable encryption at rest (a managed key at least).",
            )
