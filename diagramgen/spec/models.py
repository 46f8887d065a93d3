"""The spec: pydantic v2 models, the single source of truth for the format and its schema.

The same models are the Python API: a design can be built in code and rendered.

    Design(
        name="shop",
        components=[Client(id="web"), Service(id="api", replicas=3), SqlDatabase(id="db")],
        connections=[Connection(source="web", target="api"), "api -> db: orders"],
    )
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    PrivateAttr,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic.json_schema import GetJsonSchemaHandler, JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError

from diagramgen.spec.assets import icon_file, read_icon
from diagramgen.spec.styles import Color, Direction, EdgeDirection, GroupStyle, LineStyle
from diagramgen.spec.units import Bandwidth, Count, Duration, Percent, Rate, Size

ID_PATTERN = r"^[A-Za-z_][A-Za-z0-9_-]{0,63}$"
_ID_RE = re.compile(ID_PATTERN)
# `a -> b: label` (sync) and `a ~> b: label` (async); ids never contain spaces or arrows.
ARROW_RE = re.compile(
    r"^\s*(?P<src>[^\s:>~-][^\s]*?)\s*(?P<arrow>->|~>)\s*(?P<dst>[^\s:]+)\s*(?::\s*(?P<label>.*?))?\s*$"
)

# The same expression for JSON Schema, whose regular expressions have no named groups.
ARROW_PATTERN = re.sub(r"\?P<\w+>", "", ARROW_RE.pattern)

Id = Annotated[
    str,
    Field(
        pattern=ID_PATTERN,
        description="Identifier: a letter or `_`, then letters, digits, `_` or `-` (max 64).",
        examples=["api", "user-db"],
    ),
]
Ref = Annotated[str, Field(description="The id of a component or group in this spec.")]
Text = Annotated[str, Field(max_length=2000)]
_ICON_DIGESTS = "_icon_digests"  # validation-context key: icon path -> sha256 as checked


class SpecModel(BaseModel):
    """Base of every spec model: unknown keys are errors, aliases and names both accepted."""

    model_config = ConfigDict(
        extra="forbid",
        populate_by_name=True,
        serialize_by_alias=True,
        str_strip_whitespace=True,
        # No silent coercion (`replicas: "3"`, `async: yes`): the spec means what the JSON
        # Schema says, so an editor and the loader accept and reject the same values.
        strict=True,
        # `.inf` and `.nan` are no quantity, and `Infinity` is not JSON (export would break).
        allow_inf_nan=False,
        # Validators are built on first use, once for `Design` with every model inside it,
        # not once per class at import: 0.06-0.09 s less start-up for every command.
        defer_build=True,
    )

    @field_validator("*", mode="after")
    @classmethod
    def _plain_values(cls, value: Any) -> Any:
        """Refuse terminal control characters and absurd magnitudes in any field."""
        check_plain(value)
        return value


# C0 controls but tab and newline, DEL, C1 controls, and the bidirectional overrides and
# isolates: written as escapes (`"\e[2J"`, `\u202e`) they would reach terminals, CI logs,
# Graphviz and PPTX raw (clearing screens, hiding or forging findings). A newline stays
# legal text: every one-line output escapes it.
_CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
MAX_MAGNITUDE = 1e24  # a yotta: any count, rate, size or duration above it is a typo


def check_plain(value: Any) -> None:
    """`ValueError` for a control character in text or a number beyond `MAX_MAGNITUDE`."""
    if isinstance(value, str):
        bad = _CONTROL_RE.search(value)
        if bad:
            raise ValueError(
                f"control character {bad.group()!r} is not allowed (at character {bad.start()})"
            )
    elif isinstance(value, int | float) and not isinstance(value, bool):
        if abs(value) > MAX_MAGNITUDE:
            raise ValueError(f"{value:.3g} is too large: at most {MAX_MAGNITUDE:.0e}")
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            check_plain(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            check_plain(key)
            check_plain(item)


# ---------------------------------------------------------------- workload


class Operation(SpecModel):
    """A request type the design must carry, with its rate and payload."""

    name: str = Field(
        description="Operation name, e.g. `shorten` or `redirect`.", min_length=1, pattern=r"\S"
    )
    rate: Rate = Field(description="Average rate, e.g. `100M/day` or `1.2k/s`.")
    size: Size | None = Field(
        default=None, description="Bytes per request payload or stored item, e.g. `500B`."
    )
    retention: Duration | None = Field(
        default=None,
        description="How long stored items are kept (`5y`); gives the storage growth. "
        "Omit for operations that store nothing (reads).",
    )
    access: Literal["read", "write", "stream"] | None = Field(
        default=None,
        description="Whether the operation reads or writes. Default: `write` when it has a "
        "retention, else `read`. `stream`: heartbeats and held long polls, which load the "
        "components they reach but stay out of the read:write ratio and are never served "
        "by a cache or CDN.",
    )
    key_space: float | None = Field(
        default=None,
        ge=1,
        description="How many distinct items a read operation touches (2M SKUs, 100M URLs); "
        "caps its cache-size estimate at key_space x size.",
        examples=[2_000_000],
    )
    stored_in: dict[str, Size] | None = Field(
        default=None,
        description="Bytes each data store keeps per operation, store id to size "
        "(`{posts_db: 300B, media: 2MB}`), kept for `retention`. Default: the operation's "
        "`size` in the first data store its flows write (the notes say which).",
        examples=[{"posts_db": "300B", "media": "2MB"}],
    )
    hot_key_share: float | None = Field(
        default=None,
        ge=0,
        le=1,
        description="Share of the operation's peak that hits its single hottest key, "
        "partition or event (one on-sale event: `1`); compared with one shard, one primary "
        "or one cache node.",
        examples=[0.3],
    )

    @property
    def is_read(self) -> bool:
        """True for read operations (explicit, or inferred from the lack of a retention)."""
        if self.access is not None:
            return self.access == "read"
        return self.retention is None

    max_staleness: Duration | None = Field(
        default=None,
        description="Oldest data a read of this operation may return (`1h`): a cache or CDN "
        "on its read path with a longer TTL and no invalidating write flow breaks it.",
        examples=["1h"],
    )
    connections: Count | None = Field(
        default=None,
        description="Long-lived connections (websockets, held polls) the operation's clients "
        "keep open at peak (`300M`): those a lost node or region held all reconnect at once.",
        examples=["300M"],
    )


Zone = Literal["public", "private", "restricted"]
DataClass = Literal["pii", "secret", "public"]


class Workload(SpecModel):
    """The load the design must carry; the capacity estimates are computed from it."""

    peak_factor: float = Field(
        default=2.0,
        ge=1,
        le=1000,
        description="Peak rate over average rate (default 2, a common rule of thumb).",
    )
    operations: list[Operation] = Field(default_factory=list, description="The operations.")


# ---------------------------------------------------------------- groups


Provider = Literal["aws", "gcp", "azure", "k8s", "onprem", "generic"]
PROVIDER_DESCRIPTION = (
    "Icon family: `aws`, `gcp`, `azure`, `k8s`, `onprem` or `generic`; inherited "
    "design -> group -> component. Without one, kinds get neutral icons (never a vendor's); "
    "a known `tech` always draws its own icon."
)


class Group(SpecModel):
    """A box around components: a tier, a region, a trust zone. Nested through `parent`."""

    id: Id
    label: Text | None = Field(default=None, description="Shown name (default: the id).")
    parent: Ref | None = Field(default=None, description="The enclosing group's id.")
    description: Text | None = Field(default=None, description="What the group is.")
    color: Color | None = Field(
        default=None, description="Border color of the box (and its fill with `style: filled`)."
    )
    style: GroupStyle | None = Field(
        default=None,
        description="Border line (`solid`, `dashed`, `dotted`, `bold`), or `filled`: the box "
        "tinted with its `color`.",
    )
    direction: Direction | None = Field(
        default=None,
        description="`LR` or `TB` for this group's own components when it differs from the "
        "design's direction (they are lined up across it).",
    )
    provider: Provider | None = Field(default=None, description=PROVIDER_DESCRIPTION)
    region: str | None = Field(
        default=None,
        max_length=64,
        description="The region its components run in (inherited by nested groups and "
        "members without a `region` of their own); used to check capacity with a region lost.",
        examples=["eu-west-1"],
    )
    zone: Zone | None = Field(
        default=None,
        description="Trust zone of its members (inherited): `public` (reachable from the "
        "internet), `private` (inside the network) or `restricted` (sensitive data only).",
    )

    @property
    def display(self) -> str:
        """The label shown on the diagram."""
        return self.label or self.id


# ---------------------------------------------------------------- components


def _require_kind(schema: dict[str, Any]) -> None:
    # `kind` has a default so that `Client(id="web")` works in code; in a spec it is what
    # picks the class, and the loader requires it.
    required = schema.setdefault("required", [])
    if "kind" in schema.get("properties", {}) and "kind" not in required:
        required.append("kind")


class _Component(SpecModel):
    """Attributes every component has."""

    model_config = ConfigDict(json_schema_extra=_require_kind)
    KIND_LABEL: ClassVar[str] = "component"
    id: Id
    label: Text | None = Field(default=None, description="Shown name (default: the id).")
    group: Ref | None = Field(default=None, description="The id of the group it lives in.")
    tech: str | None = Field(
        default=None,
        max_length=64,
        description="The technology (`redis`, `postgresql`, `kafka`, `nginx` ...): picks the "
        "icon and the rule-of-thumb capacity.",
        examples=["redis", "postgresql"],
    )
    replicas: int = Field(
        default=1,
        ge=1,
        le=100_000,
        description="Running instances (nodes, brokers, pods) of the component, in total: for "
        "a sharded database every node of every shard. Copies of the data are "
        "`replication_factor`; primaries are `sharding.shards`.",
    )
    description: Text | None = Field(default=None, description="What it does.")
    provider: Provider | None = Field(default=None, description=PROVIDER_DESCRIPTION)
    capacity: Rate | None = Field(
        default=None,
        description="Requests per second one instance carries (overrides the rule of thumb).",
    )
    region: str | None = Field(
        default=None, max_length=64, description="Where it runs (default: its group's region)."
    )
    network: Bandwidth | None = Field(
        default=None,
        description="Network bandwidth of one instance (`25Gbps`, `1.25GB/s`); default "
        "10 Gbit/s for instances. Peak bytes per instance are checked against it.",
        examples=["25Gbps"],
    )
    latency: Duration | None = Field(
        default=None,
        description="Mean time one instance spends on a request, its own calls to other "
        "components excluded (`4ms`); overrides the default of its kind and tech in the "
        "latency model.",
        examples=["4ms"],
    )
    availability: Percent | None = Field(
        default=None,
        description="Availability of the component as a whole (`99.95%`), its instances "
        "included; overrides the default of its kind and tech (a managed service's published "
        "SLA) in the availability model.",
        examples=["99.95%"],
    )
    ignore: dict[str, Text] = Field(
        default_factory=dict,
        description="Rules silenced for this component, code to reason: "
        "`{DG101: active-passive pair outside this diagram}`.",
    )
    icon: str | None = Field(
        default=None,
        max_length=3_000_000,  # a 2 MB image inlined as base64
        description="A PNG or SVG file, relative to the spec's folder, drawn instead of the "
        "kind/tech icon; inlined into the output, never downloaded. A `data:image/png;base64,"
        "...` or `data:image/svg+xml;base64,...` URI is accepted too.",
        examples=["icons/billing.svg"],
    )
    note: str | None = Field(
        default=None,
        max_length=280,
        description="A short annotation drawn beside the component.",
        examples=["primary in eu-west-1"],
    )
    version: str | None = Field(
        default=None,
        max_length=64,
        description="The version of `tech` that runs (`16` from a `postgres:16` image); "
        "`diagramgen drift` compares it with the infrastructure.",
        examples=["16", "7.2"],
    )
    source: str | None = Field(
        default=None,
        max_length=300,
        description="Where `diagramgen import` found it (`compose.yaml:12 service/db`): "
        "a re-import updates the component, `diagramgen drift` matches by it.",
        examples=["compose.yaml:12 service/db", "main.tf:40 aws_db_instance.main"],
    )
    _icon_file: Path | None = PrivateAttr(default=None)
    _icon_digest: str | None = PrivateAttr(default=None)

    @field_validator("icon")
    @classmethod
    def _icon(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            return None
        icon = read_icon(value, (info.context or {}).get("base_dir"))
        if isinstance(info.context, dict):  # for _locate_icon: the file is read only once
            info.context.setdefault(_ICON_DIGESTS, {})[icon.path] = icon.digest
        return value.strip()

    @model_validator(mode="after")
    def _locate_icon(self, info: ValidationInfo) -> _Component:
        if self.icon is not None:
            base = (info.context or {}).get("base_dir")
            self._icon_file = icon_file(self.icon, base)
            known = (info.context or {}).get(_ICON_DIGESTS) or {}
            self._icon_digest = known.get(self._icon_file) or read_icon(self.icon, base).digest
        return self

    @property
    def icon_file(self) -> Path | None:
        """The checked, absolute icon file, when the component has an `icon`."""
        return self._icon_file

    @property
    def icon_digest(self) -> str | None:
        """The sha256 of the icon's bytes as checked: the renderer draws only these bytes."""
        return self._icon_digest

    @property
    def display(self) -> str:
        """The label shown on the diagram."""
        return self.label or self.id


class _Compute(_Component):
    stateless: bool = Field(
        default=True, description="Keeps no per-user state between requests (can scale out)."
    )
    scaling: Literal["horizontal", "vertical"] = Field(
        default="horizontal", description="How it grows: more instances, or bigger ones."
    )
    autoscaling: Autoscaling | None = Field(default=None, description="Autoscaling policy.")
    session_store: Ref | None = Field(
        default=None, description="Component that holds session state for a stateful service."
    )


class Autoscaling(SpecModel):
    """Autoscaling bounds and trigger."""

    min: int = Field(default=1, ge=1, description="Fewest instances.")
    max: int = Field(ge=1, description="Most instances.")
    metric: str = Field(default="cpu", max_length=64, description="What drives scaling.")
    target: float | None = Field(default=None, gt=0, description="Target value of the metric.")

    @model_validator(mode="after")
    def _bounds(self) -> Autoscaling:
        if self.max < self.min:
            raise ValueError(f"autoscaling max ({self.max}) is below min ({self.min})")
        return self


class Client(_Component):
    """Who sends requests: browsers, mobile apps, other companies' systems."""

    KIND_LABEL: ClassVar[str] = "client"
    kind: Literal["client"] = "client"
    platform: Literal["web", "mobile", "desktop", "iot", "server", "user"] | None = Field(
        default=None, description="What the client is; picks the icon."
    )


class Dns(_Component):
    """Name resolution in front of the system."""

    KIND_LABEL: ClassVar[str] = "DNS"
    kind: Literal["dns"] = "dns"
    routing: Literal["simple", "weighted", "latency", "geo", "failover"] = Field(
        default="simple", description="How names resolve to endpoints."
    )
    ttl: Duration | None = Field(default=None, description="Record TTL.")


class Cdn(_Component):
    """An edge cache for static and media content."""

    KIND_LABEL: ClassVar[str] = "CDN"
    kind: Literal["cdn"] = "cdn"
    ttl: Duration | None = Field(default=None, description="How long edges keep content.")
    origin: Ref | None = Field(default=None, description="The component it pulls content from.")
    invalidation: Literal["ttl", "purge", "versioned_urls"] | None = Field(
        default=None, description="How stale content leaves the edge."
    )
    hit_ratio: float | None = Field(
        default=None,
        ge=0,
        le=1,
        description="Share of read requests the edge serves itself (0-1); only the misses "
        "reach the origin in the capacity estimates. Default: 0 (assume every read misses).",
    )


class LoadBalancer(_Component):
    """Spreads requests over the instances behind it."""

    KIND_LABEL: ClassVar[str] = "load balancer"
    kind: Literal["load_balancer"] = "load_balancer"
    algorithm: Literal[
        "round_robin", "least_connections", "ip_hash", "consistent_hash", "weighted", "random"
    ] = Field(default="round_robin", description="How a backend is picked.")
    layer: Literal["L4", "L7"] = Field(default="L7", description="Transport (L4) or HTTP (L7).")
    sticky_sessions: bool = Field(default=False, description="Pins a client to one backend.")
    health_checks: bool = Field(default=True, description="Takes failed backends out.")
    max_rate: Rate | None = Field(
        default=None,
        description="Most requests per second it lets through in all (load shedding); the "
        "rest are refused at once instead of reaching what is behind it. DG109 credits it "
        "when a CDN in front fails.",
    )


class ApiGateway(_Component):
    """One entry point: routing, authentication, rate limiting."""

    KIND_LABEL: ClassVar[str] = "API gateway"
    kind: Literal["api_gateway"] = "api_gateway"
    auth: str | None = Field(default=None, max_length=64, description="How callers authenticate.")
    rate_limit: Rate | None = Field(default=None, description="Per-client request limit.")
    max_rate: Rate | None = Field(
        default=None,
        description="Most requests per second it lets through in all (load shedding); the "
        "rest are refused at once instead of reaching what is behind it. DG109 credits it "
        "when a CDN in front fails.",
    )


class Service(_Compute):
    """A request-serving application service."""

    KIND_LABEL: ClassVar[str] = "service"
    kind: Literal["service"] = "service"


class Worker(_Compute):
    """A background consumer: jobs, queues, schedules."""

    KIND_LABEL: ClassVar[str] = "worker"
    kind: Literal["worker"] = "worker"
    concurrency: int | None = Field(default=None, ge=1, description="Jobs per instance at once.")


class Function(_Component):
    """A serverless function."""

    KIND_LABEL: ClassVar[str] = "function"
    kind: Literal["function"] = "function"
    timeout: Duration | None = Field(default=None, description="Longest run time.")
    memory: Size | None = Field(default=None, description="Memory per invocation.")
    concurrency: int | None = Field(default=None, ge=1, description="Most instances at once.")


class _DataStore(_Component):
    """Components that keep data: its classification and whether it is encrypted at rest."""

    data: DataClass | None = Field(
        default=None,
        description="The most sensitive data it holds: `pii` (personal data), `secret` "
        "(credentials, keys) or `public`.",
    )
    encrypted_at_rest: bool | None = Field(
        default=None, description="Its disks, files or objects are encrypted at rest."
    )


class Sharding(SpecModel):
    """How data is split across nodes."""

    key: str = Field(max_length=128, description="The shard key, e.g. `user_id`.")
    strategy: Literal["hash", "range", "geo", "directory", "consistent_hash"] = Field(
        default="hash", description="How keys map to shards."
    )
    shards: int | None = Field(default=None, ge=1, description="Number of shards.")


class _Data(_DataStore):
    """Data stores with copies: databases, caches and search indexes."""

    replication_factor: int | None = Field(
        default=None,
        ge=1,
        le=100,
        description="Copies of each item, primary included (Cassandra RF 3: `3`). Per-node "
        "storage is stored x replication_factor / replicas. Default: replicas / shards "
        "(every node of a shard holds the shard).",
        examples=[3],
    )


class _Database(_Data):
    replication: Literal["none", "async", "semi_sync", "sync"] = Field(
        default="none", description="How writes reach the replicas."
    )
    sharding: Sharding | None = Field(default=None, description="How data is partitioned.")
    indexes: list[str] = Field(default_factory=list, description="Secondary indexes.")
    primary_key: str | None = Field(
        default=None,
        max_length=128,
        description="The key rows are looked up by (`short_code`); counts as indexed.",
    )
    multi_region: bool = Field(default=False, description="Replicated across regions.")
    backups: bool | None = Field(
        default=None,
        description="Point-in-time backups are taken (`false` says they are not; unset, "
        "the rules ask).",
    )
    storage_class: Literal["standard", "infrequent", "archive"] = Field(
        default="standard",
        description="Disk tier the data lives on, for the storage cost: `standard` (SSD), "
        "`infrequent` (throughput HDD) or `archive` (cold HDD).",
    )


class SqlDatabase(_Database):
    """A relational database."""

    KIND_LABEL: ClassVar[str] = "SQL database"
    kind: Literal["sql_database"] = "sql_database"
    read_replicas: int = Field(default=0, ge=0, description="Replicas that serve reads.")


class NosqlDatabase(_Database):
    """A non-relational database."""

    KIND_LABEL: ClassVar[str] = "NoSQL database"
    kind: Literal["nosql_database"] = "nosql_database"
    model: Literal["key_value", "document", "wide_column", "graph", "time_series"] | None = Field(
        default=None, description="The data model."
    )
    consistency: Literal["strong", "eventual", "tunable"] | None = Field(
        default=None, description="Read consistency."
    )


class Cache(_Data):
    """An in-memory cache in front of slower storage."""

    KIND_LABEL: ClassVar[str] = "cache"
    kind: Literal["cache"] = "cache"
    strategy: Literal["cache_aside", "read_through", "write_through", "write_behind"] = Field(
        default="cache_aside", description="How the cache is filled and kept in step."
    )
    eviction: Literal["lru", "lfu", "fifo", "random", "ttl", "none"] | None = Field(
        default=None, description="What leaves the cache when it is full."
    )
    ttl: Duration | None = Field(default=None, description="How long entries live.")
    size: Size | None = Field(default=None, description="Memory for cached data.")
    replication: Literal["none", "async", "sync"] = Field(
        default="none", description="How the cache replicates."
    )
    hit_ratio: float | None = Field(
        default=None,
        ge=0,
        le=1,
        description="Share of reads served from the cache (0-1); only the misses reach the "
        "data stores behind it in the capacity estimates. Default: 0.8 (the 80/20 rule).",
    )


class ObjectStorage(_DataStore):
    """Blob storage for files, media, artifacts."""

    KIND_LABEL: ClassVar[str] = "object storage"
    kind: Literal["object_storage"] = "object_storage"
    storage_class: Literal["standard", "infrequent", "archive"] = Field(
        default="standard", description="Access tier."
    )
    versioning: bool = Field(default=False, description="Keeps old versions of objects.")
    lifecycle: Duration | None = Field(default=None, description="Objects expire after this.")


class _Messaging(_DataStore):
    delivery: Literal["at_most_once", "at_least_once", "exactly_once"] = Field(
        default="at_least_once", description="Delivery guarantee."
    )
    ordering: Literal["none", "fifo", "per_key"] = Field(
        default="none", description="Ordering guarantee."
    )
    partitions: int | None = Field(default=None, ge=1, description="Partitions / shards.")
    dead_letter: Ref | bool | None = Field(
        default=None,
        description="Where poison messages go: a component id, or true for a built-in DLQ.",
    )
    retention: Duration | None = Field(default=None, description="How long messages are kept.")


class Queue(_Messaging):
    """A message queue: work handed from producers to consumers."""

    KIND_LABEL: ClassVar[str] = "queue"
    kind: Literal["queue"] = "queue"


class Stream(_Messaging):
    """A replayable log of events."""

    KIND_LABEL: ClassVar[str] = "stream"
    kind: Literal["stream"] = "stream"


class SearchIndex(_Data):
    """A full-text or vector search index."""

    KIND_LABEL: ClassVar[str] = "search index"
    kind: Literal["search_index"] = "search_index"
    shards: int | None = Field(default=None, ge=1, description="Primary shards.")
    refresh_interval: Duration | None = Field(default=None, description="Index refresh lag.")


class Monitoring(_Component):
    """Metrics, logs, traces and alerts."""

    KIND_LABEL: ClassVar[str] = "monitoring"
    kind: Literal["monitoring"] = "monitoring"
    retention: Duration | None = Field(default=None, description="How long data is kept.")


class External(_Component):
    """A system outside this design: a payment provider, a partner API."""

    KIND_LABEL: ClassVar[str] = "external system"
    kind: Literal["external"] = "external"
    sla: float | None = Field(default=None, gt=0, le=100, description="Availability in percent.")


Component = Annotated[
    Client
    | Dns
    | Cdn
    | LoadBalancer
    | ApiGateway
    | Service
    | Worker
    | Function
    | SqlDatabase
    | NosqlDatabase
    | Cache
    | ObjectStorage
    | Queue
    | Stream
    | SearchIndex
    | Monitoring
    | External,
    Field(discriminator="kind"),
]

COMPONENT_CLASSES: dict[str, type[_Component]] = {
    cls.model_fields["kind"].default: cls
    for cls in (
        Client, Dns, Cdn, LoadBalancer, ApiGateway, Service, Worker, Function, SqlDatabase,
        NosqlDatabase, Cache, ObjectStorage, Queue, Stream, SearchIndex, Monitoring, External,
    )
}  # fmt: skip
KINDS: tuple[str, ...] = tuple(COMPONENT_CLASSES)


# ---------------------------------------------------------------- connections, flows


def _parse_arrow(value: Any) -> Any:
    """Expand the `a -> b: label` / `a ~> b: label` shorthand into the long form."""
    if isinstance(value, dict) and len(value) == 1:
        # YAML reads `- api -> db: reads` as the mapping {"api -> db": "reads"}.
        ((key, label),) = value.items()
        if isinstance(key, str) and ("->" in key or "~>" in key):
            if isinstance(label, list | dict):
                raise ValueError(f"invalid label of {key!r}: write text after the colon")
            value = f"{key}: {label}" if label is not None else key
    if not isinstance(value, str):
        return value
    m = ARROW_RE.match(value)
    if not m:
        raise ValueError(
            f"invalid connection {value!r}: write 'from -> to: label' (or '~>' for async)"
        )
    data: dict[str, Any] = {"from": m["src"], "to": m["dst"]}
    if m["label"]:
        data["label"] = m["label"]
    if m["arrow"] == "~>":
        data["async"] = True
    return data


FanOrigin = tuple[int, int | None, int | None]  # spec entry, index in its `from`, in its `to`


def expand_fanout(entries: list[Any]) -> tuple[list[Any], list[FanOrigin]]:
    """Expand `{from: api, to: [a, b]}` (and lists in `from`) into one entry per pair.

    Returns the expanded entries and, for each, the spec entry it came from with the index
    of its end in the `from` / `to` list, so messages can point at the right line.
    """
    out: list[Any] = []
    origins: list[FanOrigin] = []
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict):
            out.append(entry)
            origins.append((i, None, None))
            continue
        src_key = "from" if "from" in entry else "source"
        dst_key = "to" if "to" in entry else "target"
        sources = _fan(entry.get(src_key))
        targets = _fan(entry.get(dst_key))
        for si, source in sources:
            for ti, target in targets:
                item = dict(entry)
                if si is not None:
                    item[src_key] = source
                if ti is not None:
                    item[dst_key] = target
                out.append(item)
                origins.append((i, si, ti))
    return out, origins


def _fan(value: Any) -> list[tuple[int | None, Any]]:
    # An empty list stays as it is, so the connection reports it.
    if isinstance(value, list) and value:
        return list(enumerate(value))
    return [(None, value)]


def _single_end(value: Any) -> Any:
    if isinstance(value, list):
        if not value:
            raise ValueError("an empty list connects nothing: name at least one id")
        raise ValueError("a list of ids (fan-out) is only allowed in the `connections:` section")
    return value


_FAN_SCHEMA = {
    "anyOf": [
        {"type": "string"},
        {"type": "array", "items": {"type": "string"}, "minItems": 1},
    ]
}
Ends = Annotated[Ref, BeforeValidator(_single_end), WithJsonSchema(_FAN_SCHEMA)]
SingleEnd = Annotated[Ref, BeforeValidator(_single_end)]


class Connection(SpecModel):
    """A dependency: `from` calls, sends to, or reads from `to`."""

    source: Ends = Field(
        alias="from",
        description="Caller: a component or group id; in `connections:`, a list fans in.",
    )
    target: Ends = Field(
        alias="to",
        description="Callee: a component or group id; in `connections:`, a list fans out "
        "(`to: [users, orders]` is one connection to each).",
    )
    label: Text | None = Field(default=None, description="What travels on the edge.")
    is_async: bool = Field(
        default=False, alias="async", description="Fire-and-forget (drawn dashed)."
    )
    protocol: str | None = Field(
        default=None, max_length=32, description="Protocol shown with the label (`gRPC`)."
    )
    timeout: Duration | None = Field(
        default=None, description="How long the caller waits before giving up (`2s`)."
    )
    retries: int | None = Field(
        default=None, ge=0, le=100, description="Retries after a failed or timed-out call."
    )
    backoff: Duration | None = Field(
        default=None,
        description="Longest wait before a retry or reconnect, randomised (jittered) up to "
        "it (`30s`): callers that failed together come back spread over it.",
        examples=["30s"],
    )
    circuit_breaker: bool | Text | None = Field(
        default=None,
        description="The caller stops calling a failing callee: `true`, or the fallback it "
        "serves meanwhile (a flow name or a note).",
        examples=[True, "serve the cached price list"],
    )
    tls: bool | None = Field(
        default=None, description="Encrypted in transit (TLS); `false` says it is plaintext."
    )
    auth: str | None = Field(
        default=None,
        max_length=64,
        description="How the caller authenticates (`mtls`, `iam`, `jwt`, `api_key` ...); "
        "`none` says it does not.",
        examples=["mtls", "jwt"],
    )
    description: Text | None = Field(default=None, description="Longer explanation.")
    color: Color | None = Field(default=None, description="Edge color: a name or `#rrggbb`.")
    line: LineStyle | None = Field(
        default=None,
        description="`solid`, `dashed`, `dotted` or `bold`. Default: dashed when async, "
        "else solid.",
    )
    direction: EdgeDirection = Field(
        default="forward",
        description="Arrowheads: `forward` (default), `back`, `both` (replication, "
        "two-way sync) or `none` (peer links).",
    )

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        return _parse_arrow(value)

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        # The shorthands `_parse_arrow` accepts, next to the long form, so that editors
        # accept `- api -> db: label` (YAML reads it as a one-key mapping) as the loader does.
        schema = handler.resolve_ref_schema(handler(core_schema))
        long_form = dict(schema)
        title, description = long_form.pop("title", None), long_form.pop("description", None)
        schema.clear()
        schema.update(
            title=title,
            description=description,
            anyOf=[
                long_form,
                {
                    "type": "string",
                    "pattern": ARROW_PATTERN,
                    "description": "Shorthand: `from -> to: label`, or `~>` for async.",
                    "examples": ["api -> db: reads", "api ~> events: click"],
                },
                {
                    "type": "object",
                    "description": "Shorthand as YAML reads `- from -> to: label`.",
                    "minProperties": 1,
                    "maxProperties": 1,
                    "propertyNames": {"pattern": ARROW_PATTERN},
                    "additionalProperties": {"type": ["string", "number", "boolean", "null"]},
                },
            ],
        )
        return schema

    @property
    def key(self) -> tuple[str, str]:
        """The connection's identity: its two ends."""
        return (self.source, self.target)

    @property
    def line_style(self) -> LineStyle:
        """The line drawn: `line` when given, else dashed for async and solid otherwise."""
        return self.line or ("dashed" if self.is_async else "solid")


class FlowStep(Connection):
    """One hop of a request flow; same form as a connection."""

    source: SingleEnd = Field(alias="from", description="Caller: a component or group id.")
    target: SingleEnd = Field(alias="to", description="Callee: a component or group id.")
    calls: float | None = Field(
        default=None,
        gt=0,
        le=1_000_000,
        description="Times the step runs per request its caller handles (default 1): "
        "`0.0001` for a lease of 10k ids, `50` for a fan-out or a multi-get.",
        examples=[0.0001, 50],
    )
    payload: Size | None = Field(
        default=None,
        alias="bytes",
        description="Bytes each call carries (default: the operation's `size`); `0B` for a "
        "redirect to a pre-signed URL.",
        examples=["0B", "2MB"],
    )


class Flow(SpecModel):
    """A request path through the design, drawn as its own numbered view."""

    name: str = Field(
        min_length=1, max_length=128, pattern=r"\S", description="Flow name, e.g. `redirect`."
    )
    description: Text | None = Field(default=None, description="What the flow does.")
    steps: list[FlowStep] = Field(min_length=1, description="The hops, in order.")
    operations: list[str] = Field(
        default_factory=list,
        description="Workload operations this flow carries: their peak rates land on every "
        "component of the flow in the capacity estimates. Default: the operation with the "
        "flow's name, if any.",
        examples=[["hold seats", "confirm order"]],
    )
    latency_budget: Duration | None = Field(
        default=None,
        description="Longest p99 response time the flow may take (`100ms`); the notes check "
        "the computed p99 against it and name the largest contributors when it is over.",
        examples=["100ms"],
    )
    slo: Percent | None = Field(
        default=None,
        description="Availability the flow promises (`99.9%`); the notes check the computed "
        "availability of its synchronous steps against it.",
        examples=["99.9%"],
    )


class Decision(SpecModel):
    """A design decision, written up ADR-style in the notes."""

    title: str = Field(min_length=1, max_length=200, pattern=r"\S", description="What was decided.")
    context: Text | None = Field(default=None, description="The forces at play.")
    chosen: Text = Field(description="The option taken.")
    alternatives: list[Text] = Field(default_factory=list, description="Options considered.")
    because: Text | None = Field(default=None, description="Why the chosen option won.")
    consequences: Text | list[Text] | None = Field(
        default=None, description="What follows from it, good and bad."
    )


# ---------------------------------------------------------------- views


class View(SpecModel):
    """A further picture of the design: some groups and components, with their neighbours."""

    name: str = Field(
        min_length=1,
        max_length=128,
        pattern=r"\S",
        description="View name; its slug names the file (`data tier` -> `data-tier.svg`).",
        examples=["data tier", "write path"],
    )
    title: Text | None = Field(
        default=None, description="Shown title (default: the design title and the view name)."
    )
    description: Text | None = Field(default=None, description="What the view shows.")
    include: list[Ref] = Field(
        default_factory=list,
        description="Groups and components to draw; a group brings everything inside it. "
        "Empty: everything.",
        examples=[["data", "api"]],
    )
    exclude: list[Ref] = Field(
        default_factory=list,
        description="Groups and components to leave out entirely, even as context; "
        "applied after `include`.",
        examples=[["monitoring"]],
    )
    context: bool = Field(
        default=True,
        description="Show the direct neighbours of what is included, faded (default true).",
    )
    direction: Direction | None = Field(
        default=None,
        description="Layout direction: `LR` (left to right) or `TB` (top to bottom). "
        "Default: the design's.",
    )


class DisasterRecovery(SpecModel):
    """The disaster-recovery story: how the design comes back after losing a region."""

    strategy: Literal["backup_restore", "pilot_light", "warm_standby", "active_active"] = Field(
        description="From cheapest and slowest to dearest and fastest: restore from backups, "
        "a minimal copy kept running, a scaled-down full copy, or every region serving."
    )
    rpo: Duration | None = Field(default=None, description="Most data it may lose (`5m`).")
    rto: Duration | None = Field(default=None, description="Longest it may be down (`1h`).")
    regions: list[str] = Field(
        default_factory=list, description="Regions it recovers into, e.g. `[eu-west-1]`."
    )
    description: Text | None = Field(default=None, description="How recovery works.")


# ---------------------------------------------------------------- prices

StorageClass = Literal["standard", "infrequent", "archive"]


class Prices(SpecModel):
    """Overrides of the dated price table the cost estimates use (list prices, per month)."""

    currency: str | None = Field(
        default=None,
        max_length=8,
        description="Currency of every price given here, e.g. `USD` or `EUR` (default: the "
        "table's, USD). Set it when you give all prices in another currency.",
    )
    as_of: str | None = Field(
        default=None, max_length=32, description="When these prices were read, e.g. `2026-11`."
    )
    object_storage: dict[StorageClass, Annotated[float, Field(ge=0)]] = Field(
        default_factory=dict,
        description="Per GB-month of object storage, by storage class.",
        examples=[{"standard": 0.023, "archive": 0.00099}],
    )
    block_storage: dict[StorageClass, Annotated[float, Field(ge=0)]] = Field(
        default_factory=dict,
        description="Per GB-month of disk under databases and search indexes (each copy), by "
        "storage class.",
        examples=[{"standard": 0.08}],
    )
    cdn_egress: float | None = Field(
        default=None, ge=0, description="Per GB served from a CDN to the internet."
    )
    internet_egress: float | None = Field(
        default=None,
        ge=0,
        description="Per GB leaving the cloud to the internet through a load balancer, "
        "gateway or bucket.",
    )


# ---------------------------------------------------------------- the design


class Legend(SpecModel):
    """What the legend says: meanings of the colors and line styles the diagram uses."""

    show: bool = Field(default=True, description="Draw the legend (`legend: false` hides it).")
    colors: dict[Color, Text] = Field(
        default_factory=dict,
        description="Meaning of each edge or group color, e.g. `{firebrick: monitoring}`.",
        examples=[{"firebrick": "monitoring", "#2f9e44": "replication"}],
    )
    lines: dict[LineStyle, Text] = Field(
        default_factory=dict,
        description="Meaning of each line style, e.g. `{dotted: replication}`; solid and "
        "dashed default to synchronous and asynchronous calls.",
        examples=[{"dotted": "replication", "bold": "bulk data"}],
    )


def _legend_flag(value: Any) -> Any:
    return {"show": value} if isinstance(value, bool) else value


LegendSetting = Annotated[
    Legend, BeforeValidator(_legend_flag, json_schema_input_type=bool | Legend)
]


class Design(SpecModel):
    """A system design: what it is made of, how it connects, what it carries and why."""

    name: str | None = Field(
        default=None,
        max_length=128,
        description="Short name; its slug names the output folder. Default: the file stem.",
    )
    title: Text | None = Field(default=None, description="Shown title (default: the name).")
    description: Text | None = Field(default=None, description="One-paragraph summary.")
    workload: Workload | None = Field(default=None, description="The load to carry.")
    groups: list[Group] = Field(default_factory=list, description="Boxes around components.")
    components: list[Component] = Field(default_factory=list, description="The building blocks.")
    connections: list[Connection] = Field(default_factory=list, description="Who calls whom.")
    flows: list[Flow] = Field(default_factory=list, description="Request paths.")
    views: list[View] = Field(
        default_factory=list, description="Further views: chosen groups and components."
    )
    decisions: list[Decision] = Field(default_factory=list, description="Decisions taken.")
    disaster_recovery: DisasterRecovery | None = Field(
        default=None,
        description="How the design survives losing a whole region (or data center).",
    )
    prices: Prices | None = Field(
        default=None,
        description="Overrides of the dated price table of the cost estimates (storage per "
        "GB-month by class, egress per GB).",
    )
    ignore: dict[str, Text] = Field(
        default_factory=dict,
        description="Rules silenced for the whole design, code to reason: "
        "`{DG104: single-region by choice, data is re-creatable}`.",
    )
    notes: Text | list[Text] | None = Field(default=None, description="Free-form notes.")
    theme: Literal["light", "dark"] | None = Field(
        default=None,
        description="Color theme of the pictures and decks (default light; --theme overrides).",
        examples=["dark"],
    )
    direction: Direction = Field(
        default="LR",
        description="Layout direction of the pictures: `LR` (left to right, default) or `TB`.",
    )
    provider: Provider | None = Field(default=None, description=PROVIDER_DESCRIPTION)
    legend: LegendSetting = Field(
        # Built without validation (nothing to check): `Legend()` would build Legend's own
        # validator, 0.03 s of every load that `prebuilt` otherwise spares.
        default_factory=Legend.model_construct,
        description="The legend: `false` hides it; a mapping gives meanings to colors and "
        "line styles.",
    )
    _connection_origins: list[FanOrigin] | None = PrivateAttr(default=None)

    # Defined before `_references`, so that it wraps it: fan-outs are expanded before any
    # check runs, and the checks see where each expanded connection was written.
    @model_validator(mode="wrap")
    @classmethod
    def _fan_out(cls, data: Any, handler: ModelWrapValidatorHandler[Design]) -> Design:
        origins = None
        if isinstance(data, dict) and isinstance(data.get("connections"), list):
            expanded, origins = expand_fanout(data["connections"])
            data = {**data, "connections": expanded}
        design = handler(data)
        # Kept only when something fanned out: otherwise every origin is the entry itself
        # (what `connection_origin` falls back to), and equal designs must compare equal
        # whether or not they were written with an empty `connections:` list.
        fanned = origins is not None and any(o != (i, None, None) for i, o in enumerate(origins))
        if fanned and len(origins) == len(design.connections):  # type: ignore[arg-type]
            design._connection_origins = origins
        return design

    def provider_of(self, component: Component) -> str | None:
        """The icon family of a component: its own, else its nearest group's, else the design's."""
        if component.provider:
            return component.provider
        groups = {g.id: g for g in self.groups}
        seen: set[str] = set()
        gid = component.group
        while gid is not None and gid in groups and gid not in seen:
            seen.add(gid)
            if groups[gid].provider:
                return groups[gid].provider
            gid = groups[gid].parent
        return self.provider

    def connection_origin(self, index: int) -> FanOrigin:
        """Where connection `index` is written: its spec entry and its place in a fan-out."""
        origins = self._connection_origins
        if origins is not None and 0 <= index < len(origins):
            return origins[index]
        return (index, None, None)

    @model_validator(mode="after")
    def _references(self, info: ValidationInfo) -> Design:
        # The loader runs the same checks itself to report them with line numbers.
        if info.context and info.context.get("skip_references"):
            return self
        from diagramgen.spec.semantic import check_references

        problems = check_references(self)
        if problems:
            raise PydanticCustomError(
                "references",
                "{problems}",
                {"problems": "; ".join(p.message for p in problems)},
            )
        return self

    @property
    def slug(self) -> str:
        """A file-system-safe name: never a path, never empty."""
        return slugify(self.name or self.title or "design")

    @property
    def display_title(self) -> str:
        """The title shown on diagrams and notes."""
        return self.title or self.name or "Design"

    def component(self, component_id: str) -> Component | None:
        """The component with this id, or None."""
        for c in self.components:
            if c.id == component_id:
                return c
        return None


def slugify(text: str) -> str:
    """Lower-case letters, digits, `-` and `_` only; no dots, so never `..` or a path.

    Other scripts are transliterated rather than dropped, so `ÄÖÜ`, `日本` and `Ω` get
    three different folders: accents come off (NFKD), a letter without an ASCII form is
    spelled by its Unicode name (`Ω` -> `omega`), anything else by its code point (`日` ->
    `u65e5`).
    """
    slug = re.sub(r"[^a-z0-9_-]+", "-", _ascii(text).lower()).strip("-_")
    return slug[:80] or "design"


def _ascii(text: str) -> str:
    import unicodedata

    out: list[str] = []
    for ch in unicodedata.normalize("NFKD", text):
        if ch.isascii():
            out.append(ch)
        elif unicodedata.combining(ch):
            continue  # the accent of a decomposed letter
        elif ch.isalnum():
            name = unicodedata.name(ch, "")
            word = name.split(" LETTER ", 1)[1] if " LETTER " in name else ""
            spelled = word.replace(" ", "") if word.replace(" ", "").isalnum() else ""
            # NUL separates code points; slugify turns a run of it into one `-`.
            out.append(spelled or f"\0u{ord(ch):04x}\0")
        else:
            out.append("\0")
    return "".join(out)


def is_valid_id(text: str) -> bool:
    """True when `text` can be a component or group id."""
    return bool(_ID_RE.match(text))
