"""Rule-of-thumb throughput and storage per component kind and `tech`, with their sources.

These are planning figures for back-of-the-envelope reviews, not benchmarks of anyone's
hardware: each says what it assumes and where the magnitude comes from. A component's
`capacity:` field overrides them (it is what one instance carries, per second).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from diagramgen.spec.models import Component
from diagramgen.techs import canonical
from diagramgen.techs import is_managed as _tech_is_managed

Scope = Literal["instance", "shard", "table", "account"]
# Scopes that are quotas of a managed service: replicas, shards and partitions of the
# component do not multiply them (a DynamoDB table carries 40k/s however it is sharded).
QUOTA_SCOPES: frozenset[str] = frozenset({"table", "account"})


@dataclass(frozen=True)
class RuleOfThumb:
    """What one unit carries per second, and why.

    `scope` says what the unit is: `instance` (a node, broker or pod: replicas multiply
    it), `shard` (a stream shard: `partitions` multiply it), or a quota of a managed
    service, `table` or `account` (per account and Region), which nothing in the spec
    multiplies.
    """

    per_second: float
    basis: str
    source: str
    scope: Scope = "instance"

    @property
    def is_quota(self) -> bool:
        """True for a managed-service quota that replicas and shards do not multiply."""
        return self.scope in QUOTA_SCOPES


# Little's law: concurrency / latency. Tomcat's default pool is 200 threads; at 100 ms per
# request that is 2,000 requests per second, a fair figure for a service doing I/O.
_TOMCAT = "https://tomcat.apache.org/tomcat-10.1-doc/config/http.html"
_HAPROXY = (
    "https://www.haproxy.com/blog/"
    "haproxy-forwards-over-2-million-http-requests-per-second-on-a-single-aws-arm-instance"
)
_NGINX = "https://www.nginx.com/blog/testing-the-performance-of-nginx-and-nginx-plus-web-servers/"
_REDIS = "https://redis.io/docs/latest/operate/oss_and_stack/management/optimization/benchmarks/"
_NETFLIX_CASSANDRA = (
    "https://netflixtechblog.com/"
    "benchmarking-cassandra-scalability-on-aws-over-a-million-writes-per-second-39f45f066c9e"
)
_KAFKA = (
    "https://engineering.linkedin.com/kafka/"
    "benchmarking-apache-kafka-2-million-writes-second-three-cheap-machines"
)
_RABBITMQ = "https://www.rabbitmq.com/blog/2012/04/25/rabbitmq-performance-measurements-part-2"
_PGBENCH = "https://www.postgresql.org/docs/current/pgbench.html"
_APIGW = "https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html"
_LAMBDA = "https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html"
_DYNAMODB = "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html"
_KINESIS = "https://docs.aws.amazon.com/streams/latest/dev/service-sizes-and-limits.html"
_ELASTIC_RALLY = "https://esrally.readthedocs.io/"
_ELASTIC_SHARDS = (
    "https://www.elastic.co/guide/en/elasticsearch/reference/current/size-your-shards.html"
)
_CASSANDRA_DISK = "https://docs.datastax.com/en/luna-cassandra/planning/capacity-planning.html"

KIND_THROUGHPUT: dict[str, RuleOfThumb] = {
    "load_balancer": RuleOfThumb(
        50_000, "an L7 proxy instance on a few cores with TLS (HAProxy: ~31k/s per core)", _HAPROXY
    ),
    "api_gateway": RuleOfThumb(
        50_000,
        "an L7 proxy instance on a few cores with TLS (HAProxy: ~31k/s per core); "
        "authentication and rate-limit plugins cost more, so measure yours",
        _HAPROXY,
    ),
    "service": RuleOfThumb(
        2_000, "Little's law with Tomcat's default 200 threads at 100 ms per request", _TOMCAT
    ),
    "function": RuleOfThumb(
        10_000,
        "AWS Lambda's default 1,000 concurrent executions per account and Region at 100 ms each",
        _LAMBDA,
        "account",
    ),
    "sql_database": RuleOfThumb(
        5_000, "simple indexed queries on one node; measure yours with pgbench", _PGBENCH
    ),
    "nosql_database": RuleOfThumb(
        10_000,
        "key lookups per node (Netflix measured ~3.8k client writes/s per 2011 node at RF 3)",
        _NETFLIX_CASSANDRA,
    ),
    "cache": RuleOfThumb(
        100_000, "GET/SET per single-threaded Redis instance (redis-benchmark)", _REDIS
    ),
    "queue": RuleOfThumb(
        20_000, "persistent messages per RabbitMQ node, publish and consume", _RABBITMQ
    ),
    "stream": RuleOfThumb(
        100_000, "small records per Kafka broker (LinkedIn: 2M/s on three brokers)", _KAFKA
    ),
    "search_index": RuleOfThumb(
        1_000, "search queries per node; measure yours with Rally", _ELASTIC_RALLY
    ),
}

TECH_THROUGHPUT: dict[str, RuleOfThumb] = {
    "nginx": RuleOfThumb(50_000, "an NGINX proxy instance on a few cores with TLS", _NGINX),
    "haproxy": KIND_THROUGHPUT["load_balancer"],
    "redis": KIND_THROUGHPUT["cache"],
    "cassandra": KIND_THROUGHPUT["nosql_database"],
    "scylladb": RuleOfThumb(
        50_000, "key lookups per node (shard-per-core Cassandra rewrite)", _NETFLIX_CASSANDRA
    ),
    "kafka": KIND_THROUGHPUT["stream"],
    "rabbitmq": KIND_THROUGHPUT["queue"],
    "postgresql": KIND_THROUGHPUT["sql_database"],
    "mysql": KIND_THROUGHPUT["sql_database"],
    "dynamodb": RuleOfThumb(
        40_000,
        "the default per-table quota of read (and of write) request units",
        _DYNAMODB,
        "table",
    ),
    "kinesis": RuleOfThumb(1_000, "records written per second per shard", _KINESIS, "shard"),
    "api_gateway_aws": RuleOfThumb(
        10_000, "AWS API Gateway's default throttle per account and Region", _APIGW, "account"
    ),
    "lambda": KIND_THROUGHPUT["function"],
    "envoy": RuleOfThumb(50_000, "an L7 proxy instance on a few cores with TLS", _HAPROXY),
    "elasticsearch": KIND_THROUGHPUT["search_index"],
    "opensearch": KIND_THROUGHPUT["search_index"],
}

# What one key's partition of a managed store carries, reads and writes apart: the quota
# of the table does not help a hot key.
_DYNAMODB_PARTITION = "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/warm-throughput-scenarios.html"
PARTITION_LIMITS: dict[str, tuple[float, float, str]] = {
    "dynamodb": (3_000, 1_000, _DYNAMODB_PARTITION),  # read units, write units per partition
}

# Writes one SQL primary takes: every commit is a durable log flush on one machine,
# however many read replicas it has.
SQL_PRIMARY_WRITES = RuleOfThumb(
    2_000, "durable single-row commits per second on one primary", _PGBENCH
)

# Data one node holds comfortably: beyond it, rebuilding a node or a replica from a backup
# (at ~200 MB/s, 2 TB is about 3 hours) and compaction space dominate operations.
NODE_STORAGE: dict[str, RuleOfThumb] = {
    "sql_database": RuleOfThumb(
        2e12, "2 TB per node: a rebuild from backup at ~200 MB/s already takes ~3 hours", _PGBENCH
    ),
    "nosql_database": RuleOfThumb(
        2e12,
        "2 TB per node: compaction and repair need free disk, and streaming a replacement node "
        "takes hours",
        _CASSANDRA_DISK,
    ),
    "search_index": RuleOfThumb(
        50e9, "50 GB per primary shard (Elastic's guidance)", _ELASTIC_SHARDS
    ),
}

# 10 GbE, the usual instance network: 1.25 GB/s.
NIC_BYTES_PER_SECOND = 1.25e9
# "Up to 10 Gbps" in and out at once, the network of common cloud instances.
EC2_NETWORK = (
    "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-instance-network-bandwidth.html"
)
# The network one instance of each kind has unless the spec sets `network:`. Kinds missing
# here (clients, CDNs, DNS, object storage, functions, external systems) are not one
# machine's interface.
NETWORK_BYTES_PER_SECOND: dict[str, float] = {
    kind: NIC_BYTES_PER_SECOND
    for kind in (
        "load_balancer", "api_gateway", "service", "worker", "sql_database", "nosql_database",
        "cache", "queue", "stream", "search_index", "monitoring",
    )
}  # fmt: skip


def rule_of_thumb(component: Component) -> RuleOfThumb | None:
    """The figure for a component: its tech's (by canonical name), else its kind's, else None."""
    tech = canonical(component.tech)
    if tech in TECH_THROUGHPUT:
        return TECH_THROUGHPUT[tech]
    return KIND_THROUGHPUT.get(component.kind)


def partition_limits(component: Component) -> tuple[float, float, str] | None:
    """(reads, writes) per second one key's partition carries in a managed store, and why."""
    return PARTITION_LIMITS.get(canonical(component.tech) or "")


def is_managed(component: Component) -> bool:
    """True for a managed, multi-zone service (its tech says so, by the alias table)."""
    return _tech_is_managed(component.tech)
