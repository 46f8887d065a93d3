"""Default figures of the latency, availability and cost models, each with its source.

Every row says what it assumes and where the magnitude comes from; a spec overrides them
per component (`latency:`, `availability:`) and per design (`prices:`). Latencies are mean
service times of one request on one instance, the component's own calls excluded.
"""

from __future__ import annotations

from dataclasses import dataclass

from diagramgen.spec.models import Component
from diagramgen.techs import canonical, lookup


@dataclass(frozen=True)
class Figure:
    """One default: its value (seconds, a fraction, or a price), why, and where from."""

    value: float
    basis: str
    source: str


# ---------------------------------------------------------------- sources (all opened)

_TAIL_AT_SCALE = "https://toolkit-v2.pages.dev/papers/tail-at-scale/"
_LATENCY_NUMBERS = "https://system-design-primer.vercel.app/appendix/latency-numbers"
_CROSS_AZ = (
    "https://www.flashgrid.io/news/"
    "latencies-between-aws-availability-zones-what-are-they-and-how-to-minimize-them/"
)
_TRANSATLANTIC = "https://graphql.guide/background/latency"
_LATENCY_CALC = "https://ip-network.pages.dev/tools/network-latency-calculator"
_REDIS_BENCH = "https://raw.githubusercontent.com/antirez/redis/2.2.14/doc/Benchmarks.html"
_DYNAMO_SLA = "https://dynobase.dev/dynamodb-sla"
_S3_RETRIES = (
    "https://docs.aws.amazon.com/whitepapers/latest/s3-optimizing-performance-best-practices/"
    "timeouts-and-retries-for-latency-sensitive-applications.html"
)
_KAFKA_P99 = "https://www.confluent.io/blog/tier-1-bank-ultra-low-latency-trading-design"
_CLOUD_SLA = "https://github.com/mikaelvesavuori/cloud-sla"  # every AWS SLA, with links
_EC2_SLA = "https://aws.amazon.com/compute/sla/historical/"
_RDS_SLA = "http://aws.amazon.com/es/rds-sla/"
_GCS_SLA = "https://cloud.google.com/storage/sla-20190819"
_S3_PRICING = "https://go-cloud.io/?p=10624"
_EBS_PRICING = "https://cloudbolt.io/guide-to-aws-cost-optimization/aws-ebs-pricing"
_CLOUDFRONT_PRICING = "https://smallestbusiness.com/compare/cloudfront-egress-cost/"
_EGRESS_PRICING = "https://www.egresscost.com/aws"
_DR_OPTIONS = "https://ric.mclaughlin.today/posts/aws-disaster-recovery"
_DR_STRATEGIES = (
    "https://teamaws.com/aws-disaster-recovery-rto-and-rpo-planning-for-real-workloads/"
)

# ---------------------------------------------------------------- latency

_MS = 0.001

KIND_LATENCY: dict[str, Figure] = {
    "client": Figure(0.0, "the caller: its own rendering is outside the design", _TAIL_AT_SCALE),
    "dns": Figure(0.0, "answered from the resolver's cache for the record's TTL", _LATENCY_NUMBERS),
    "cdn": Figure(1 * _MS, "an edge cache hit served from memory", _LATENCY_NUMBERS),
    "load_balancer": Figure(
        0.5 * _MS, "one proxy hop inside a data center (~0.5 ms round trip)", _LATENCY_NUMBERS
    ),
    "api_gateway": Figure(
        1 * _MS, "one proxy hop with authentication and throttling", _LATENCY_NUMBERS
    ),
    "service": Figure(
        10 * _MS, "a server that 'typically responds in 10 ms' (The Tail at Scale)", _TAIL_AT_SCALE
    ),
    "worker": Figure(10 * _MS, "as a service: one job step", _TAIL_AT_SCALE),
    "function": Figure(10 * _MS, "a warm invocation doing a service's work", _TAIL_AT_SCALE),
    "sql_database": Figure(5 * _MS, "an indexed query: single-digit milliseconds", _DYNAMO_SLA),
    "nosql_database": Figure(
        5 * _MS, "a key lookup: single-digit milliseconds (DynamoDB)", _DYNAMO_SLA
    ),
    "cache": Figure(
        0.5 * _MS, "a GET: redis-benchmark answers 97% of GETs within 1 ms", _REDIS_BENCH
    ),
    "object_storage": Figure(
        30 * _MS,
        "a small GET/PUT: S3 median latency is 'in the tens of milliseconds'",
        _S3_RETRIES,
    ),
    "queue": Figure(2 * _MS, "a durable publish (acknowledged write)", _KAFKA_P99),
    "stream": Figure(2 * _MS, "a durable produce; tuned Kafka holds p99 under 5 ms", _KAFKA_P99),
    "search_index": Figure(
        10 * _MS, "a search query served from memory, as a service call", _TAIL_AT_SCALE
    ),
    "monitoring": Figure(0.5 * _MS, "a metrics push inside the data center", _LATENCY_NUMBERS),
    "external": Figure(
        50 * _MS,
        "someone else's API over the internet: a regional round trip (10-30 ms) and its work",
        _LATENCY_CALC,
    ),
}

# Technologies whose typical latency differs from their kind's, by canonical tech name.
TECH_LATENCY: dict[str, Figure] = {
    "dynamodb": Figure(5 * _MS, "DynamoDB: single-digit millisecond reads and writes", _DYNAMO_SLA),
    "s3": Figure(30 * _MS, "S3: median latency in the tens of milliseconds", _S3_RETRIES),
    "redis": Figure(0.5 * _MS, "redis-benchmark: 97% of GETs within 1 ms", _REDIS_BENCH),
    "kafka": Figure(2 * _MS, "a produce with acks; tuned Kafka holds p99 under 5 ms", _KAFKA_P99),
    "cloudfront": Figure(1 * _MS, "an edge cache hit served from memory", _LATENCY_NUMBERS),
}

# Round trip of one hop, by where its two ends live.
NETWORK_RTT: dict[str, Figure] = {
    "same_zone": Figure(
        0.5 * _MS, "round trip within the same data center: 500 us", _LATENCY_NUMBERS
    ),
    "cross_zone": Figure(
        1 * _MS, "between availability zones of one region: 0.5-1.5 ms measured", _CROSS_AZ
    ),
    "cross_region": Figure(
        75 * _MS, "between regions, e.g. New York - Paris and back: 75 ms", _TRANSATLANTIC
    ),
    "edge": Figure(
        5 * _MS,
        "a client to its nearest CDN edge: ~5 ms to the nearest Google server",
        _TRANSATLANTIC,
    ),
    "internet": Figure(
        30 * _MS, "a client (or an edge) to a region over the internet: 10-30 ms", _LATENCY_CALC
    ),
}

# ---------------------------------------------------------------- availability

EC2_INSTANCE = Figure(0.995, "one EC2 instance: the Instance-Level SLA", _EC2_SLA)
EC2_REGION = Figure(0.9999, "the EC2 Region-Level SLA (instances in two or more zones)", _EC2_SLA)
DB_FAILOVER = Figure(0.9995, "the RDS Multi-AZ SLA (a database that fails over)", _RDS_SLA)

KIND_AVAILABILITY: dict[str, Figure] = {
    "client": Figure(1.0, "the caller is not part of the design", _CLOUD_SLA),
    "dns": Figure(1.0, "Route 53's SLA is 100%", _CLOUD_SLA),
    "cdn": Figure(0.999, "CloudFront's SLA", _CLOUD_SLA),
    "function": Figure(0.9995, "AWS Lambda's SLA", _CLOUD_SLA),
    "object_storage": Figure(0.999, "Amazon S3's SLA (S3 Standard)", _CLOUD_SLA),
    "external": Figure(
        0.999, "99.9%, the most common SLA of public cloud APIs; declare `sla`", _CLOUD_SLA
    ),
}

# Managed services: their published SLA, whatever `replicas` says.
TECH_AVAILABILITY: dict[str, Figure] = {
    "dynamodb": Figure(0.9999, "DynamoDB's standard SLA", _CLOUD_SLA),
    "s3": Figure(0.999, "Amazon S3's SLA", _CLOUD_SLA),
    "gcs": Figure(0.999, "Cloud Storage's SLA for a regional standard bucket", _GCS_SLA),
    "cloudfront": Figure(0.999, "CloudFront's SLA", _CLOUD_SLA),
    "route53": Figure(1.0, "Route 53's SLA", _CLOUD_SLA),
    "lambda": Figure(0.9995, "AWS Lambda's SLA", _CLOUD_SLA),
    "alb": Figure(0.9999, "Elastic Load Balancing's SLA", _CLOUD_SLA),
    "elb": Figure(0.9999, "Elastic Load Balancing's SLA", _CLOUD_SLA),
    "nlb": Figure(0.9999, "Elastic Load Balancing's SLA", _CLOUD_SLA),
    "sqs": Figure(0.999, "Amazon messaging (SQS, SNS) SLA", _CLOUD_SLA),
    "sns": Figure(0.999, "Amazon messaging (SQS, SNS) SLA", _CLOUD_SLA),
    "kinesis": Figure(0.999, "Amazon Kinesis SLA", _CLOUD_SLA),
    "msk": Figure(0.999, "Amazon MSK SLA", _CLOUD_SLA),
    "elasticache": Figure(0.999, "ElastiCache Multi-AZ SLA", _CLOUD_SLA),
    "aurora": Figure(0.9999, "Amazon Aurora SLA", _CLOUD_SLA),
    "rds": Figure(0.9995, "Amazon RDS Multi-AZ SLA", _RDS_SLA),
    "opensearch": Figure(0.999, "Amazon OpenSearch Service SLA", _CLOUD_SLA),
    "kms": Figure(0.99999, "AWS KMS SLA", _CLOUD_SLA),
    "api_gateway_aws": Figure(0.9995, "Amazon API Gateway SLA", _CLOUD_SLA),
}

# ---------------------------------------------------------------- disaster recovery

# The typical recovery of each strategy (AWS DR options: backup and restore in hours, pilot
# light in tens of minutes, warm standby in minutes, active-active in near real time): a
# declared RTO faster than the lower bound is a promise the strategy does not keep.
STRATEGY_RTO: dict[str, Figure] = {
    "backup_restore": Figure(3600.0, "backup and restore recovers in hours", _DR_OPTIONS),
    "pilot_light": Figure(600.0, "pilot light recovers in tens of minutes", _DR_OPTIONS),
    "warm_standby": Figure(60.0, "warm standby recovers in minutes", _DR_OPTIONS),
    "active_active": Figure(0.0, "active-active serves from the other regions", _DR_OPTIONS),
}
# Restoring from continuous backups loses up to ~5 minutes; without backups, everything.
BACKUP_RPO = Figure(300.0, "point-in-time recovery from continuous backups: ~5 min", _DR_OPTIONS)
ASYNC_REPLICATION_RPO = Figure(
    1.0,
    "continuous asynchronous replication to the recovery region: seconds behind",
    _DR_STRATEGIES,
)

# ---------------------------------------------------------------- prices

PRICES_AS_OF = "2026-11"
CURRENCY = "USD"

# Per GB-month; US East list prices, first tier.
OBJECT_STORAGE_PRICE: dict[str, Figure] = {
    "standard": Figure(0.023, "S3 Standard, first 50 TB", _S3_PRICING),
    "infrequent": Figure(0.0125, "S3 Standard-Infrequent Access", _S3_PRICING),
    "archive": Figure(0.00099, "S3 Glacier Deep Archive", _S3_PRICING),
}
# Disks under self-run databases and indexes, per copy.
BLOCK_STORAGE_PRICE: dict[str, Figure] = {
    "standard": Figure(0.08, "EBS gp3 SSD", _EBS_PRICING),
    "infrequent": Figure(0.045, "EBS st1 throughput HDD", _EBS_PRICING),
    "archive": Figure(0.015, "EBS sc1 cold HDD", _EBS_PRICING),
}
CDN_EGRESS_PRICE = Figure(0.085, "CloudFront to the internet, first 10 TB", _CLOUDFRONT_PRICING)
INTERNET_EGRESS_PRICE = Figure(0.09, "EC2/ELB/S3 to the internet, first 10 TB", _EGRESS_PRICING)


def tech_key(component: Component) -> str:
    """The component's tech as the tables key it: its canonical name in the alias table."""
    return canonical(component.tech) or (component.tech or "").lower()


def default_latency(component: Component) -> Figure:
    """The mean service time of a component: its tech's when the table has it, else its kind's.

    A tech is used only for components of the kind it usually is (`redis` as a queue is
    a queue).
    """
    tech = TECH_LATENCY.get(tech_key(component))
    known = lookup(component.tech)
    if tech is not None and (known is None or known.kind in (None, component.kind)):
        return tech
    return KIND_LATENCY[component.kind]
