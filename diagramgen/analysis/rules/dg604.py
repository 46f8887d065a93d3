"""DG604: secrets kept outside a secret store."""

from __future__ import annotations

from collections.abc import Iterator

from diagramgen import techs
from diagramgen.analysis.base import Hit, Rule
from diagramgen.analysis.context import Context


class SecretOutsideStore(Rule):
    """A component holding secrets (`data: secret`) that is not a secret store.

    ## What it does
    Finds components with `data: secret` whose `tech` is not a secret store (Vault, AWS
    Secrets Manager, GCP Secret Manager, Azure Key Vault, a KMS or HSM), and says what
    the store would add.

    ## Why is this bad?
    Credentials in a general database, a cache or a config bucket are read with that
    store's access rules, land in its backups and replicas, and are rarely rotated or
    audited: one leaked database dump or over-broad IAM role hands over every key
    (OWASP ASVS V6.4, secret management).

    ## Example
    ```yaml
    components:
      - {id: config, kind: object_storage, tech: s3, data: secret}
    ```

    Use instead:
    ```yaml
      - {id: secrets, kind: external, tech: AWS Secrets Manager, data: secret}
    ```
    """

    code = "DG604"
    name = "secret-outside-store"
    severity = "warning"
    topic = "security"

    def check(self, ctx: Context) -> Iterator[Hit]:
        """One hit per component holding secrets that is not a secret store."""
        for c in ctx.components:
            if getattr(c, "data", None) != "secret":
                continue
            if techs.is_secret_store(c.tech):
                continue
            tech = techs.display_name(c.tech) or c.KIND_LABEL
            yield Hit(
                c.id,
                f"{ctx.name(c.id)} holds secrets (`data: secret`) in a {tech}, not a secret "
                "store: they are copied into its backups and replicas, read under its access "
                "rules and rarely rotated. Keep them in Vault, a cloud secret manager or a "
                "KMS, and give workloads short-lived credentials.",
            )
