"""Rule-of-thumb throughput and storage per component kind and `tech`, with their sources.

These are planning figures for back-of-the-envelope reviews, not benchmarks of anyone's
hardware: each says what it assumes and where the magnitude comes from. A component's
`capacity:` field overrides them (it is what one instance carries, per second).
"""

from __future__ import annotations

from dataclasses import dataclass

from diagramgen import techs
from diagramgen.spec.models import Component


@dataclass(frozen=True)
class RuleOfThumb:
    """What one instance (node, broker, function account) carries per second, and why."""

    per_second: float
    basis: str
    source: str


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
        10_000, "AWS API Gateway's default account throttle per Region", _APIGW
    ),
    "service": RuleOfThumb(
        2_000, "Little's law with Tomcat's default 200 threads at 100 ms per request", _TOMCAT
    ),
    "function": RuleOfThumb(
        10_000, "AWS Lambda's default 1,000 concurrent executions at 100 ms each", _LAMBDA
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
    "postgres": KIND_THROUGHPUT["sql_database"],
    "mysql": KIND_THROUGHPUT["sql_database"],
    "dynamodb": RuleOfThumb(
        40_000, "the default per-table quota of read (and of write) request units", _DYNAMODB
    ),
    "kinesis": RuleOfThumb(1_000, "records written per second per shard", _KINESIS),
    "elasticsearch": KIND_THROUGHPUT["search_index"],
    "opensearch": KIND_THROUGHPUT["search_index"],
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

# Managed services run redundant by construction: one "instance" in a spec is not one machine.
MANAGED_TECHS = frozenset(
    {
        "dynamodb", "s3", "gcs", "sqs", "sns", "kinesis", "cloudfront", "cloudflare", "fastly",
        "akamai", "route53", "lambda", "bigquery", "firestore", "cosmosdb", "spanner", "pubsub",
        "alb", "elb", "nlb",
    }
)  # fmt: skip

# 10 GbE, the usual instance network: 1.25 GB/s.
NIC_BYTES_PER_SECOND = 1.25e9


def rule_of_thumb(component: Component) -> RuleOfThumb | None:
    """The per-instance figure for a component: its tech's, else its kind's, else None.

    The tech is matched through the alias table (`Amazon DynamoDB` is `dynamodb`).
    """
    tech = techs.canonical(component.tech) or ""
    if tech in TECH_THROUGHPUT:
        return TECH_THROUGHPUT[tech]
    return KIND_THROUGHPUT.get(component.kind)


def is_managed(component: Component) -> bool:
    """True for a managed, multi-zone service: its tech, through the alias table, says so."""
    return techs.is_managed(component.tech) or techs.canonical(component.tech) in MANAGED_TECHS
