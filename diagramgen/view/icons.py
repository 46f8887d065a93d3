"""Which icon each component gets: by `tech` first, else by `kind`.

Icons are named as `module:Class` of the mingrammer `diagrams` package; only the render
adapter imports that package, this table is plain data.
"""

from __future__ import annotations

KIND_ICONS: dict[str, str] = {
    "client": "onprem.client:Users",
    "dns": "aws.network:Route53",
    "cdn": "aws.network:CloudFront",
    "load_balancer": "aws.network:ElasticLoadBalancing",
    "api_gateway": "aws.network:APIGateway",
    "service": "onprem.compute:Server",
    "worker": "aws.compute:EC2Instances",
    "function": "aws.compute:Lambda",
    "sql_database": "generic.database:SQL",
    "nosql_database": "aws.database:Dynamodb",
    "cache": "aws.database:Elasticache",
    "object_storage": "aws.storage:SimpleStorageServiceS3",
    "queue": "aws.integration:SimpleQueueServiceSqs",
    "stream": "aws.analytics:KinesisDataStreams",
    "search_index": "elastic.elasticsearch:Elasticsearch",
    "monitoring": "onprem.monitoring:Prometheus",
    "external": "onprem.network:Internet",
}

TECH_ICONS: dict[str, str] = {
    "redis": "onprem.inmemory:Redis",
    "memcached": "onprem.inmemory:Memcached",
    "hazelcast": "onprem.inmemory:Hazelcast",
    "aerospike": "onprem.inmemory:Aerospike",
    "postgresql": "onprem.database:Postgresql",
    "postgres": "onprem.database:Postgresql",
    "mysql": "onprem.database:Mysql",
    "mariadb": "onprem.database:Mariadb",
    "mongodb": "onprem.database:Mongodb",
    "cassandra": "onprem.database:Cassandra",
    "scylladb": "onprem.database:Scylla",
    "cockroachdb": "onprem.database:Cockroachdb",
    "clickhouse": "onprem.database:Clickhouse",
    "influxdb": "onprem.database:Influxdb",
    "hbase": "onprem.database:Hbase",
    "neo4j": "onprem.database:Neo4J",
    "couchbase": "onprem.database:Couchbase",
    "oracle": "onprem.database:Oracle",
    "mssql": "onprem.database:Mssql",
    "dynamodb": "aws.database:Dynamodb",
    "kafka": "onprem.queue:Kafka",
    "rabbitmq": "onprem.queue:Rabbitmq",
    "nats": "onprem.queue:Nats",
    "celery": "onprem.queue:Celery",
    "activemq": "onprem.queue:Activemq",
    "sqs": "aws.integration:SimpleQueueServiceSqs",
    "kinesis": "aws.analytics:KinesisDataStreams",
    "nginx": "onprem.network:Nginx",
    "haproxy": "onprem.network:Haproxy",
    "envoy": "onprem.network:Envoy",
    "traefik": "onprem.network:Traefik",
    "kong": "onprem.network:Kong",
    "istio": "onprem.network:Istio",
    "zookeeper": "onprem.network:Zookeeper",
    "etcd": "onprem.network:Etcd",
    "consul": "onprem.network:Consul",
    "elasticsearch": "elastic.elasticsearch:Elasticsearch",
    "opensearch": "elastic.elasticsearch:Elasticsearch",
    "kibana": "elastic.elasticsearch:Kibana",
    "logstash": "elastic.elasticsearch:Logstash",
    "solr": "onprem.search:Solr",
    "prometheus": "onprem.monitoring:Prometheus",
    "grafana": "onprem.monitoring:Grafana",
    "thanos": "onprem.monitoring:Thanos",
    "mimir": "onprem.monitoring:Mimir",
    "datadog": "onprem.monitoring:Datadog",
    "jaeger": "onprem.tracing:Jaeger",
    "loki": "onprem.logging:Loki",
    "fluentbit": "onprem.logging:Fluentbit",
    "fluent-bit": "onprem.logging:Fluentbit",
    "fluentd": "onprem.aggregator:Fluentd",
    "vector": "onprem.aggregator:Vector",
    "spark": "onprem.analytics:Spark",
    "flink": "onprem.analytics:Flink",
    "hadoop": "onprem.analytics:Hadoop",
    "airflow": "onprem.workflow:Airflow",
    "kubeflow": "onprem.workflow:Kubeflow",
    "kubernetes": "k8s.compute:Pod",
    "k8s": "k8s.compute:Pod",
    "s3": "aws.storage:SimpleStorageServiceS3",
    "minio": "aws.storage:SimpleStorageServiceS3",
    "gcs": "gcp.storage:GCS",
    "ceph": "onprem.storage:Ceph",
    "cloudfront": "aws.network:CloudFront",
    "cloudflare": "saas.cdn:Cloudflare",
    "fastly": "saas.cdn:Fastly",
    "akamai": "saas.cdn:Akamai",
    "lambda": "aws.compute:Lambda",
    "vault": "onprem.security:Vault",
    "kms": "aws.security:KeyManagementService",
    "hsm": "aws.security:CloudHSM",
    "coredns": "onprem.dns:Coredns",
    "route53": "aws.network:Route53",
    "python": "programming.language:Python",
    "go": "programming.language:Go",
    "java": "programming.language:Java",
    "nodejs": "programming.language:Nodejs",
    "rust": "programming.language:Rust",
    "mobile": "generic.device:Mobile",
    "stripe": "saas.payment:Stripe",
}

PLATFORM_ICONS: dict[str, str] = {
    "web": "onprem.client:Client",
    "mobile": "generic.device:Mobile",
    "desktop": "onprem.client:Client",
    "iot": "generic.device:Tablet",
    "server": "onprem.compute:Server",
    "user": "onprem.client:User",
}


def icon_for(kind: str, tech: str | None = None, platform: str | None = None) -> str:
    """The `module:Class` icon for a component: its tech, its platform, else its kind."""
    if tech and tech.lower() in TECH_ICONS:
        return TECH_ICONS[tech.lower()]
    if platform and platform in PLATFORM_ICONS:
        return PLATFORM_ICONS[platform]
    return KIND_ICONS.get(kind, "onprem.compute:Server")
