"""DG203: a sharding key that sends the load to one shard."""

from __future__ import annotations

import re
from collections.abc import Iterator

from diagramgen.analysis.base import Hit, Rule
from diagramgen.analysis.context import Context
from diagramgen.spec.units import human_rate

# Keys that grow with time: under range sharding every new row lands on the last range.
_MONOTONIC = re.compile(
    r"(^|_)(created|updated|inserted|time|timestamp|date|datetime|ts|seq|sequence|serial|"
    r"auto_increment|autoincrement)($|_)|_at$"
)
# Keys with few distinct values: the number of shards that can ever be busy is tiny, and
# the biggest value's shard carries its whole share.
_LOW_CARDINALITY = re.compile(
    r"^(country|country_code|region|status|state|type|kind|category|gender|language|lang|"
    r"locale|currency|plan|tier|is_[a-z_]+|has_[a-z_]+|bool|flag|day|month|year|hour)$"
)


class HotShardKey(Rule):
    """A sharding key that concentrates load on one shard.

    ## What it does
    Looks at each `sharding.key`: a key that grows with time (`created_at`, a sequence,
    an auto-increment `id`) under `range` sharding, and a key with few distinct values
    (`country`, `status`, `type`, a boolean) under any strategy.

    ## Why is this bad?
    Sharding only adds capacity when the load spreads. With a monotonic key and range
    sharding, every insert goes to the newest range: one hot shard, the rest idle. With
    a low-cardinality key there can never be more busy shards than values, and the most
    popular value (the biggest country, the `active` status) overloads its shard.

    ## Example
    ```yaml
    components:
      - id: events_db
        kind: nosql_database
        sharding: {key: created_at, strategy: range}
    ```

    Use instead:
    ```yaml
        sharding: {key: device_id, strategy: hash}
    ```
    (or a compound key such as `device_id` + time bucket for time-range queries).
    """

    code = "DG203"
    name = "hot-shard-key"
    severity = "warning"
    topic = "scalability"

    def check(self, ctx: Context) -> Iterator[Hit]:
        """One hit per database whose shard key concentrates the load."""
        for c in ctx.components:
            sharding = getattr(c, "sharding", None)
            if sharding is None:
                continue
            key = sharding.key.strip().lower()
            load = ctx.loads.get(c.id)
            writes = load.write_peak_per_second if load else 0.0
            if sharding.strategy == "range" and _MONOTONIC.search(key):
                rate = f": all {human_rate(writes)} peak writes" if writes else ": every write"
                yield Hit(
                    c.id,
                    f"{ctx.name(c.id)} range-shards on `{sharding.key}`, which only grows"
                    f"{rate} land on the newest shard while the others idle. Hash the key, or "
                    "lead with a high-cardinality key and bucket the time.",
                )
            elif _LOW_CARDINALITY.match(key):
                shards = f" of its {sharding.shards}" if sharding.shards else ""
                yield Hit(
                    c.id,
                    f"{ctx.name(c.id)} shards on `{sharding.key}`, which has few distinct "
                    f"values: only that many shards{shards} can ever be busy, and the most "
                    "common value's shard takes its whole share. Shard on a high-cardinality "
                    "key (a user or entity id).",
                )
