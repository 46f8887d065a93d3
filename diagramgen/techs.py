"""One alias table for technologies and cloud resource names.

Specs name technologies the way their authors know them: `redis`, `AWS ALB`,
`Amazon DynamoDB`, `AWS::EC2::InternetGateway`, `aws_lb`, `Cloud Functions`,
`Kubernetes Pod`, `postgres:16`. `lookup` resolves any of these, case-insensitively, to
one `Tech` entry: its canonical key, display name, provider (`aws`, `gcp`, `azure`, `k8s`,
`onprem`, `saas`, `generic`), the component kind it usually is, whether it is a managed
service that runs redundant across zones by construction, and its icon (`module:Class` of
the mingrammer `diagrams` package; only the render adapter imports that package).

The rules, the capacity figures and the icons all read this table, so a name is either
known everywhere or nowhere. Plain data: no imports from the rest of the package.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

PROVIDERS = ("aws", "gcp", "azure", "k8s", "onprem", "saas", "generic")


@dataclass(frozen=True)
class Tech:
    """What a technology name means to diagramgen."""

    key: str  # canonical, lower case: `dynamodb`
    name: str  # how people write it: `DynamoDB`
    provider: str  # one of PROVIDERS
    kind: str | None  # the component kind it usually is, when it has one
    managed: bool  # a managed service, redundant across zones without `replicas`
    icon: str | None  # `module:Class` in mingrammer diagrams, None for the kind's icon


# key, display name, provider, kind, managed, icon, aliases (besides the key and the name).
# Aliases are matched after normalisation (lower case, only letters and digits), so
# `AWS::ElasticLoadBalancingV2::LoadBalancer`, `aws_lb` and `AWS ALB` need one entry each
# at most; vendor prefixes (`Amazon`, `AWS`, `Google Cloud`, `Azure` ...) are also tried
# stripped.
_M, _S = True, False  # managed, self-run
_TABLE: tuple[tuple[str, str, str, str | None, bool, str | None, tuple[str, ...]], ...] = (
    # ------------------------------------------------------------------ AWS
    ("alb", "AWS ALB", "aws", "load_balancer", _M, "aws.network:ElbApplicationLoadBalancer",
     ("application load balancer", "aws_lb", "aws_alb", "elbv2",
      "AWS::ElasticLoadBalancingV2::LoadBalancer", "elastic load balancing v2")),
    ("nlb", "AWS NLB", "aws", "load_balancer", _M, "aws.network:ElbNetworkLoadBalancer",
     ("network load balancer",)),
    ("elb", "AWS ELB", "aws", "load_balancer", _M, "aws.network:ElasticLoadBalancing",
     ("elastic load balancing", "classic load balancer", "aws_elb",
      "AWS::ElasticLoadBalancing::LoadBalancer")),
    ("api_gateway_aws", "Amazon API Gateway", "aws", "api_gateway", _M, "aws.network:APIGateway",
     ("aws api gateway", "apigateway", "aws_api_gateway_rest_api", "aws_apigatewayv2_api",
      "AWS::ApiGateway::RestApi", "AWS::ApiGatewayV2::Api")),
    ("cloudfront", "CloudFront", "aws", "cdn", _M, "aws.network:CloudFront",
     ("aws_cloudfront_distribution", "AWS::CloudFront::Distribution")),
    ("route53", "Route 53", "aws", "dns", _M, "aws.network:Route53",
     ("route 53", "aws_route53_zone", "aws_route53_record", "AWS::Route53::HostedZone",
      "AWS::Route53::RecordSet")),
    ("global_accelerator", "Global Accelerator", "aws", "load_balancer", _M,
     "aws.network:GlobalAccelerator", ("aws_globalaccelerator_accelerator",)),
    ("internet_gateway", "Internet Gateway", "aws", "external", _M, "aws.network:InternetGateway",
     ("igw", "aws_internet_gateway", "AWS::EC2::InternetGateway")),
    ("nat_gateway", "NAT Gateway", "aws", "load_balancer", _M, "aws.network:NATGateway",
     ("aws_nat_gateway", "AWS::EC2::NatGateway")),
    ("transit_gateway", "Transit Gateway", "aws", "load_balancer", _M,
     "aws.network:TransitGateway", ("aws_ec2_transit_gateway", "AWS::EC2::TransitGateway")),
    ("waf_aws", "AWS WAF", "aws", "api_gateway", _M, "aws.security:WAF",
     ("aws_wafv2_web_acl", "AWS::WAFv2::WebACL")),
    ("ec2", "EC2", "aws", "service", _S, "aws.compute:EC2",
     ("ec2 instance", "aws_instance", "AWS::EC2::Instance", "amazon ec2")),
    ("autoscaling_group", "EC2 Auto Scaling", "aws", "service", _S,
     "aws.compute:EC2AutoScaling",
     ("auto scaling group", "asg", "aws_autoscaling_group", "AWS::AutoScaling::AutoScalingGroup")),
    ("ecs", "ECS", "aws", "service", _S, "aws.compute:ElasticContainerService",
     ("elastic container service", "aws_ecs_service", "AWS::ECS::Service", "fargate")),
    ("eks", "EKS", "aws", "service", _S, "aws.compute:ElasticKubernetesService",
     ("elastic kubernetes service", "aws_eks_cluster", "AWS::EKS::Cluster")),
    ("lambda", "Lambda", "aws", "function", _M, "aws.compute:Lambda",
     ("aws_lambda_function", "AWS::Lambda::Function", "AWS::Serverless::Function")),
    ("rds", "RDS", "aws", "sql_database", _M, "aws.database:RDS",
     ("relational database service", "aws_db_instance", "AWS::RDS::DBInstance")),
    ("aurora", "Aurora", "aws", "sql_database", _M, "aws.database:Aurora",
     ("aws_rds_cluster", "AWS::RDS::DBCluster", "aurora postgresql", "aurora mysql")),
    ("dynamodb", "DynamoDB", "aws", "nosql_database", _M, "aws.database:Dynamodb",
     ("dynamo", "aws_dynamodb_table", "AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable")),
    ("dax", "DynamoDB Accelerator", "aws", "cache", _M, "aws.database:DynamodbDax",
     ("aws_dax_cluster",)),
    ("elasticache", "ElastiCache", "aws", "cache", _M, "aws.database:Elasticache",
     ("aws_elasticache_cluster", "aws_elasticache_replication_group",
      "AWS::ElastiCache::CacheCluster", "AWS::ElastiCache::ReplicationGroup",
      "elasticache for redis", "elasticache redis", "elasticache for memcached")),
    ("memorydb", "MemoryDB", "aws", "cache", _M, "aws.database:ElasticacheForRedis",
     ("memorydb for redis", "aws_memorydb_cluster")),
    ("documentdb", "DocumentDB", "aws", "nosql_database", _M,
     "aws.database:DocumentdbMongodbCompatibility", ("aws_docdb_cluster",)),
    ("keyspaces", "Keyspaces", "aws", "nosql_database", _M,
     "aws.database:KeyspacesManagedApacheCassandraService", ()),
    ("neptune", "Neptune", "aws", "nosql_database", _M, "aws.database:Neptune", ()),
    ("timestream", "Timestream", "aws", "nosql_database", _M, "aws.database:Timestream", ()),
    ("redshift", "Redshift", "aws", "sql_database", _M, "aws.database:Redshift",
     ("aws_redshift_cluster",)),
    ("s3", "S3", "aws", "object_storage", _M, "aws.storage:SimpleStorageServiceS3",
     ("simple storage service", "aws_s3_bucket", "AWS::S3::Bucket", "s3 bucket")),
    ("efs", "EFS", "aws", "object_storage", _M, "aws.storage:ElasticFileSystemEFS",
     ("elastic file system", "aws_efs_file_system")),
    ("glacier", "S3 Glacier", "aws", "object_storage", _M, "aws.storage:S3Glacier", ()),
    ("sqs", "SQS", "aws", "queue", _M, "aws.integration:SimpleQueueServiceSqs",
     ("simple queue service", "aws_sqs_queue", "AWS::SQS::Queue")),
    ("sns", "SNS", "aws", "queue", _M, "aws.integration:SimpleNotificationServiceSns",
     ("simple notification service", "aws_sns_topic", "AWS::SNS::Topic")),
    ("eventbridge", "EventBridge", "aws", "queue", _M, "aws.integration:Eventbridge",
     ("aws_cloudwatch_event_bus", "AWS::Events::EventBus", "cloudwatch events")),
    ("step_functions", "Step Functions", "aws", "worker", _M, "aws.integration:StepFunctions",
     ("aws_sfn_state_machine", "AWS::StepFunctions::StateMachine")),
    ("kinesis", "Kinesis", "aws", "stream", _M, "aws.analytics:KinesisDataStreams",
     ("kinesis data streams", "aws_kinesis_stream", "AWS::Kinesis::Stream")),
    ("firehose", "Kinesis Data Firehose", "aws", "stream", _M, "aws.analytics:KinesisDataFirehose",
     ("aws_kinesis_firehose_delivery_stream", "data firehose")),
    ("msk", "MSK", "aws", "stream", _M, "aws.analytics:ManagedStreamingForKafka",
     ("managed streaming for kafka", "managed streaming for apache kafka", "aws_msk_cluster",
      "AWS::MSK::Cluster")),
    ("athena", "Athena", "aws", "service", _M, "aws.analytics:Athena", ()),
    ("emr", "EMR", "aws", "worker", _S, "aws.analytics:EMR", ("elastic mapreduce",)),
    ("glue", "Glue", "aws", "worker", _M, "aws.analytics:Glue", ()),
    ("opensearch_service", "OpenSearch Service", "aws", "search_index", _M,
     "aws.analytics:AmazonOpensearchService",
     ("amazon opensearch service", "aws_opensearch_domain", "aws_elasticsearch_domain",
      "amazon elasticsearch service")),
    ("cloudwatch", "CloudWatch", "aws", "monitoring", _M, "aws.management:Cloudwatch",
     ("aws_cloudwatch_metric_alarm", "aws_cloudwatch_log_group")),
    ("cognito", "Cognito", "aws", "external", _M, "aws.security:Cognito",
     ("aws_cognito_user_pool",)),
    ("kms", "KMS", "aws", "external", _M, "aws.security:KeyManagementService",
     ("key management service", "aws_kms_key", "AWS::KMS::Key")),
    ("secrets_manager", "Secrets Manager", "aws", "external", _M, "aws.security:SecretsManager",
     ("aws_secretsmanager_secret", "AWS::SecretsManager::Secret")),
    ("cloudhsm", "CloudHSM", "aws", "external", _M, "aws.security:CloudHSM", ("hsm",)),
    ("sagemaker", "SageMaker", "aws", "service", _M, "aws.ml:Sagemaker", ()),
    # ------------------------------------------------------------------ GCP
    ("cloud_load_balancing", "Cloud Load Balancing", "gcp", "load_balancer", _M,
     "gcp.network:LoadBalancing", ("google cloud load balancer", "gcp load balancer",
                                   "google_compute_forwarding_rule",
                                   "google_compute_global_forwarding_rule")),
    ("cloud_cdn", "Cloud CDN", "gcp", "cdn", _M, "gcp.network:CDN", ()),
    ("cloud_dns", "Cloud DNS", "gcp", "dns", _M, "gcp.network:DNS",
     ("google_dns_managed_zone",)),
    ("cloud_armor", "Cloud Armor", "gcp", "api_gateway", _M, "gcp.network:Armor", ()),
    ("apigee", "Apigee", "gcp", "api_gateway", _M, "gcp.api:Apigee", ()),
    ("gcp_api_gateway", "API Gateway (GCP)", "gcp", "api_gateway", _M, "gcp.api:APIGateway",
     ("google api gateway",)),
    ("compute_engine", "Compute Engine", "gcp", "service", _S, "gcp.compute:ComputeEngine",
     ("gce", "google_compute_instance", "google_compute_instance_group_manager")),
    ("gke", "GKE", "gcp", "service", _S, "gcp.compute:KubernetesEngine",
     ("google kubernetes engine", "kubernetes engine", "google_container_cluster")),
    ("cloud_run", "Cloud Run", "gcp", "service", _M, "gcp.compute:Run",
     ("google_cloud_run_service", "google_cloud_run_v2_service")),
    ("app_engine", "App Engine", "gcp", "service", _M, "gcp.compute:AppEngine", ()),
    ("cloud_functions", "Cloud Functions", "gcp", "function", _M, "gcp.compute:Functions",
     ("google cloud functions", "google_cloudfunctions_function",
      "google_cloudfunctions2_function", "gcf")),
    ("cloud_sql", "Cloud SQL", "gcp", "sql_database", _M, "gcp.database:SQL",
     ("google_sql_database_instance",)),
    ("spanner", "Spanner", "gcp", "sql_database", _M, "gcp.database:Spanner",
     ("cloud spanner", "google_spanner_instance")),
    ("iot_core", "IoT Core", "gcp", "client", _M, "gcp.iot:IotCore",
     ("cloud iot core", "google_cloudiot_registry")),
    ("bigtable", "Bigtable", "gcp", "nosql_database", _M, "gcp.database:Bigtable",
     ("cloud bigtable", "google_bigtable_instance")),
    ("firestore", "Firestore", "gcp", "nosql_database", _M, "gcp.database:Firestore",
     ("cloud firestore", "google_firestore_database")),
    ("datastore", "Datastore", "gcp", "nosql_database", _M, "gcp.database:Datastore",
     ("cloud datastore",)),
    ("memorystore", "Memorystore", "gcp", "cache", _M, "gcp.database:Memorystore",
     ("google_redis_instance", "memorystore for redis")),
    ("gcs", "Cloud Storage", "gcp", "object_storage", _M, "gcp.storage:GCS",
     ("google cloud storage", "google_storage_bucket")),
    ("pubsub", "Pub/Sub", "gcp", "stream", _M, "gcp.analytics:Pubsub",
     ("cloud pubsub", "google_pubsub_topic", "google_pubsub_subscription")),
    ("cloud_tasks", "Cloud Tasks", "gcp", "queue", _M, "gcp.devtools:Tasks", ()),
    ("dataflow", "Dataflow", "gcp", "worker", _M, "gcp.analytics:Dataflow", ()),
    ("dataproc", "Dataproc", "gcp", "worker", _S, "gcp.analytics:Dataproc", ()),
    ("bigquery", "BigQuery", "gcp", "sql_database", _M, "gcp.analytics:Bigquery",
     ("google_bigquery_dataset",)),
    ("cloud_monitoring", "Cloud Monitoring", "gcp", "monitoring", _M,
     "gcp.operations:Monitoring", ("stackdriver",)),
    ("vertex_ai", "Vertex AI", "gcp", "service", _M, "gcp.ml:VertexAI", ()),
    ("secret_manager", "Secret Manager", "gcp", "external", _M, "gcp.security:SecretManager",
     ()),
    ("cloud_kms", "Cloud KMS", "gcp", "external", _M, "gcp.security:KeyManagementService", ()),
    # ------------------------------------------------------------------ Azure
    ("azure_load_balancer", "Azure Load Balancer", "azure", "load_balancer", _M,
     "azure.network:LoadBalancers", ("azurerm_lb",)),
    ("application_gateway", "Application Gateway", "azure", "load_balancer", _M,
     "azure.network:ApplicationGateway", ("azurerm_application_gateway",)),
    ("front_door", "Front Door", "azure", "cdn", _M, "azure.network:FrontDoors",
     ("azure front door", "azurerm_frontdoor", "azurerm_cdn_frontdoor_profile")),
    ("azure_cdn", "Azure CDN", "azure", "cdn", _M, "azure.network:CDNProfiles",
     ("azurerm_cdn_profile",)),
    ("azure_dns", "Azure DNS", "azure", "dns", _M, "azure.network:DNSZones",
     ("azurerm_dns_zone",)),
    ("traffic_manager", "Traffic Manager", "azure", "dns", _M,
     "azure.network:TrafficManagerProfiles", ()),
    ("api_management", "API Management", "azure", "api_gateway", _M,
     "azure.integration:APIManagement", ("azurerm_api_management",)),
    ("azure_vm", "Azure VM", "azure", "service", _S, "azure.compute:VM",
     ("azure virtual machine", "azurerm_linux_virtual_machine",
      "azurerm_windows_virtual_machine")),
    ("vm_scale_set", "VM Scale Set", "azure", "service", _S, "azure.compute:VMScaleSets",
     ("vmss", "azurerm_linux_virtual_machine_scale_set")),
    ("aks", "AKS", "azure", "service", _S, "azure.compute:KubernetesServices",
     ("azure kubernetes service", "azurerm_kubernetes_cluster")),
    ("app_service", "App Service", "azure", "service", _M, "azure.compute:AppServices",
     ("azurerm_linux_web_app", "azurerm_app_service")),
    ("container_apps", "Container Apps", "azure", "service", _M, "azure.compute:ContainerApps",
     ()),
    ("azure_functions", "Azure Functions", "azure", "function", _M, "azure.compute:FunctionApps",
     ("function apps", "azurerm_function_app", "azurerm_linux_function_app")),
    ("azure_sql", "Azure SQL Database", "azure", "sql_database", _M,
     "azure.database:SQLDatabases", ("azurerm_mssql_database", "azurerm_sql_database")),
    ("azure_postgresql", "Azure Database for PostgreSQL", "azure", "sql_database", _M,
     "azure.database:DatabaseForPostgresqlServers", ("azurerm_postgresql_flexible_server",)),
    ("cosmosdb", "Cosmos DB", "azure", "nosql_database", _M, "azure.database:CosmosDb",
     ("azure cosmos db", "azurerm_cosmosdb_account")),
    ("azure_cache_redis", "Azure Cache for Redis", "azure", "cache", _M,
     "azure.database:CacheForRedis", ("azurerm_redis_cache",)),
    ("blob_storage", "Blob Storage", "azure", "object_storage", _M,
     "azure.storage:BlobStorage",
     ("azure blob storage", "azurerm_storage_account", "azurerm_storage_container")),
    ("service_bus", "Service Bus", "azure", "queue", _M, "azure.integration:ServiceBus",
     ("azure service bus", "azurerm_servicebus_namespace", "azurerm_servicebus_queue")),
    ("event_hubs", "Event Hubs", "azure", "stream", _M, "azure.analytics:EventHubs",
     ("azure event hubs", "azurerm_eventhub", "azurerm_eventhub_namespace")),
    ("event_grid", "Event Grid", "azure", "queue", _M, "azure.integration:EventGridTopics",
     ("azurerm_eventgrid_topic",)),
    ("azure_monitor", "Azure Monitor", "azure", "monitoring", _M,
     "azure.analytics:LogAnalyticsWorkspaces", ("log analytics",)),
    ("key_vault", "Key Vault", "azure", "external", _M, "azure.security:KeyVaults",
     ("azure key vault", "azurerm_key_vault")),
    # ------------------------------------------------------------------ Kubernetes
    ("k8s_pod", "Kubernetes Pod", "k8s", "service", _S, "k8s.compute:Pod", ("pod",)),
    ("k8s_deployment", "Kubernetes Deployment", "k8s", "service", _S, "k8s.compute:Deploy",
     ("deployment", "kubernetes_deployment")),
    ("k8s_statefulset", "Kubernetes StatefulSet", "k8s", "service", _S, "k8s.compute:STS",
     ("statefulset", "kubernetes_stateful_set")),
    ("k8s_daemonset", "Kubernetes DaemonSet", "k8s", "worker", _S, "k8s.compute:DS",
     ("daemonset",)),
    ("k8s_job", "Kubernetes Job", "k8s", "worker", _S, "k8s.compute:Job",
     ("cronjob", "kubernetes cronjob")),
    # A Service is a virtual IP that kube-proxy programs on every node: not one machine.
    ("k8s_service", "Kubernetes Service", "k8s", "load_balancer", _M, "k8s.network:SVC",
     ("kubernetes_service",)),
    ("k8s_ingress", "Kubernetes Ingress", "k8s", "load_balancer", _S, "k8s.network:Ing",
     ("ingress", "kubernetes_ingress", "kubernetes_ingress_v1")),
    ("k8s_hpa", "HorizontalPodAutoscaler", "k8s", "service", _S, "k8s.clusterconfig:HPA",
     ("hpa", "horizontal pod autoscaler")),
    ("k8s_replicaset", "Kubernetes ReplicaSet", "k8s", "service", _S, "k8s.compute:RS",
     ("replicaset",)),
    ("k8s_pvc", "PersistentVolumeClaim", "k8s", "object_storage", _S, "k8s.storage:PVC",
     ("pvc", "persistent volume claim", "kubernetes_persistent_volume_claim")),
    ("k8s_pv", "PersistentVolume", "k8s", "object_storage", _S, "k8s.storage:PV",
     ("pv", "persistent volume", "kubernetes_persistent_volume")),
    ("k8s_storageclass", "StorageClass", "k8s", "object_storage", _S, "k8s.storage:SC",
     ("storageclass", "storage class", "kubernetes_storage_class")),
    ("kubernetes", "Kubernetes", "k8s", "service", _S, "k8s.compute:Pod", ("k8s",)),
    # ------------------------------------------------------------------ self-run software
    ("nginx", "NGINX", "onprem", "load_balancer", _S, "onprem.network:Nginx", ()),
    ("haproxy", "HAProxy", "onprem", "load_balancer", _S, "onprem.network:Haproxy", ()),
    ("envoy", "Envoy", "onprem", "load_balancer", _S, "onprem.network:Envoy", ()),
    ("traefik", "Traefik", "onprem", "load_balancer", _S, "onprem.network:Traefik", ()),
    ("caddy", "Caddy", "onprem", "load_balancer", _S, "onprem.network:Caddy", ()),
    ("apache", "Apache httpd", "onprem", "service", _S, "onprem.network:Apache", ("httpd",)),
    ("kong", "Kong", "onprem", "api_gateway", _S, "onprem.network:Kong", ()),
    ("istio", "Istio", "onprem", "load_balancer", _S, "onprem.network:Istio", ()),
    ("linkerd", "Linkerd", "onprem", "load_balancer", _S, "onprem.network:Linkerd", ()),
    ("zookeeper", "ZooKeeper", "onprem", "service", _S, "onprem.network:Zookeeper", ()),
    ("etcd", "etcd", "onprem", "nosql_database", _S, "onprem.network:Etcd", ()),
    ("consul", "Consul", "onprem", "service", _S, "onprem.network:Consul", ()),
    ("bind", "BIND", "onprem", "dns", _S, "onprem.network:Bind9", ("bind9",)),
    ("coredns", "CoreDNS", "onprem", "dns", _S, "onprem.dns:Coredns", ()),
    ("redis", "Redis", "onprem", "cache", _S, "onprem.inmemory:Redis", ("valkey", "keydb")),
    ("memcached", "Memcached", "onprem", "cache", _S, "onprem.inmemory:Memcached", ()),
    ("hazelcast", "Hazelcast", "onprem", "cache", _S, "onprem.inmemory:Hazelcast", ()),
    ("aerospike", "Aerospike", "onprem", "nosql_database", _S, "onprem.inmemory:Aerospike", ()),
    ("postgresql", "PostgreSQL", "onprem", "sql_database", _S, "onprem.database:Postgresql",
     ("postgres", "pg", "psql")),
    ("mysql", "MySQL", "onprem", "sql_database", _S, "onprem.database:Mysql", ()),
    ("mariadb", "MariaDB", "onprem", "sql_database", _S, "onprem.database:Mariadb", ()),
    ("mssql", "SQL Server", "onprem", "sql_database", _S, "onprem.database:Mssql",
     ("microsoft sql server", "sqlserver")),
    ("oracle", "Oracle Database", "onprem", "sql_database", _S, "onprem.database:Oracle", ()),
    ("cockroachdb", "CockroachDB", "onprem", "sql_database", _S, "onprem.database:Cockroachdb",
     ()),
    ("mongodb", "MongoDB", "onprem", "nosql_database", _S, "onprem.database:Mongodb",
     ("mongo",)),
    ("cassandra", "Cassandra", "onprem", "nosql_database", _S, "onprem.database:Cassandra",
     ("apache cassandra",)),
    ("scylladb", "ScyllaDB", "onprem", "nosql_database", _S, "onprem.database:Scylla",
     ("scylla",)),
    ("hbase", "HBase", "onprem", "nosql_database", _S, "onprem.database:Hbase", ()),
    ("couchbase", "Couchbase", "onprem", "nosql_database", _S, "onprem.database:Couchbase", ()),
    ("neo4j", "Neo4j", "onprem", "nosql_database", _S, "onprem.database:Neo4J", ()),
    ("influxdb", "InfluxDB", "onprem", "nosql_database", _S, "onprem.database:Influxdb", ()),
    ("clickhouse", "ClickHouse", "onprem", "sql_database", _S, "onprem.database:Clickhouse", ()),
    ("kafka", "Kafka", "onprem", "stream", _S, "onprem.queue:Kafka", ("apache kafka",)),
    ("rabbitmq", "RabbitMQ", "onprem", "queue", _S, "onprem.queue:Rabbitmq", ()),
    ("nats", "NATS", "onprem", "queue", _S, "onprem.queue:Nats", ()),
    ("activemq", "ActiveMQ", "onprem", "queue", _S, "onprem.queue:Activemq", ()),
    ("celery", "Celery", "onprem", "worker", _S, "onprem.queue:Celery", ()),
    ("pulsar", "Pulsar", "onprem", "stream", _S, None, ("apache pulsar",)),
    ("elasticsearch", "Elasticsearch", "onprem", "search_index", _S,
     "elastic.elasticsearch:Elasticsearch", ("elastic",)),
    ("opensearch", "OpenSearch", "onprem", "search_index", _S,
     "elastic.elasticsearch:Elasticsearch", ()),
    ("solr", "Solr", "onprem", "search_index", _S, "onprem.search:Solr", ("apache solr",)),
    ("kibana", "Kibana", "onprem", "monitoring", _S, "elastic.elasticsearch:Kibana", ()),
    ("logstash", "Logstash", "onprem", "worker", _S, "elastic.elasticsearch:Logstash", ()),
    ("prometheus", "Prometheus", "onprem", "monitoring", _S, "onprem.monitoring:Prometheus", ()),
    ("grafana", "Grafana", "onprem", "monitoring", _S, "onprem.monitoring:Grafana", ()),
    ("thanos", "Thanos", "onprem", "monitoring", _S, "onprem.monitoring:Thanos", ()),
    ("mimir", "Mimir", "onprem", "monitoring", _S, "onprem.monitoring:Mimir", ()),
    ("jaeger", "Jaeger", "onprem", "monitoring", _S, "onprem.tracing:Jaeger", ()),
    ("loki", "Loki", "onprem", "monitoring", _S, "onprem.logging:Loki", ()),
    ("fluentbit", "Fluent Bit", "onprem", "worker", _S, "onprem.logging:Fluentbit", ()),
    ("fluentd", "Fluentd", "onprem", "worker", _S, "onprem.aggregator:Fluentd", ()),
    ("vector", "Vector", "onprem", "worker", _S, "onprem.aggregator:Vector", ()),
    ("spark", "Spark", "onprem", "worker", _S, "onprem.analytics:Spark", ("apache spark",)),
    ("flink", "Flink", "onprem", "worker", _S, "onprem.analytics:Flink", ("apache flink",)),
    ("hadoop", "Hadoop", "onprem", "worker", _S, "onprem.analytics:Hadoop", ("hdfs",)),
    ("airflow", "Airflow", "onprem", "worker", _S, "onprem.workflow:Airflow", ()),
    ("kubeflow", "Kubeflow", "onprem", "worker", _S, "onprem.workflow:Kubeflow", ()),
    ("minio", "MinIO", "onprem", "object_storage", _S, "onprem.storage:Ceph", ()),
    ("ceph", "Ceph", "onprem", "object_storage", _S, "onprem.storage:Ceph", ()),
    ("vault", "Vault", "onprem", "external", _S, "onprem.security:Vault",
     ("hashicorp vault",)),
    ("pgbouncer", "PgBouncer", "onprem", "load_balancer", _S, None, ()),
    ("tomcat", "Tomcat", "onprem", "service", _S, "onprem.network:Tomcat", ()),
    ("gunicorn", "Gunicorn", "onprem", "service", _S, "onprem.network:Gunicorn", ()),
    ("python", "Python", "onprem", "service", _S, "programming.language:Python", ()),
    ("go", "Go", "onprem", "service", _S, "programming.language:Go", ("golang",)),
    ("java", "Java", "onprem", "service", _S, "programming.language:Java", ()),
    ("nodejs", "Node.js", "onprem", "service", _S, "programming.language:Nodejs", ("node",)),
    ("rust", "Rust", "onprem", "service", _S, "programming.language:Rust", ()),
    # ------------------------------------------------------------------ SaaS
    ("cloudflare", "Cloudflare", "saas", "cdn", _M, "saas.cdn:Cloudflare", ()),
    ("fastly", "Fastly", "saas", "cdn", _M, "saas.cdn:Fastly", ()),
    ("akamai", "Akamai", "saas", "cdn", _M, "saas.cdn:Akamai", ()),
    ("stripe", "Stripe", "saas", "external", _M, "saas.payment:Stripe", ()),
    ("paypal", "PayPal", "saas", "external", _M, "saas.payment:Paypal", ()),
    ("auth0", "Auth0", "saas", "external", _M, "saas.identity:Auth0", ()),
    ("okta", "Okta", "saas", "external", _M, "saas.identity:Okta", ()),
    ("twilio", "Twilio", "saas", "external", _M, "saas.communication:Twilio", ()),
    ("datadog", "Datadog", "saas", "monitoring", _M, "saas.logging:Datadog", ()),
    ("snowflake", "Snowflake", "saas", "sql_database", _M, "saas.analytics:Snowflake", ()),
    ("pagerduty", "PagerDuty", "saas", "external", _M, "saas.alerting:Pagerduty", ()),
    ("apns", "APNs", "saas", "external", _M, None, ("apple push notification service",)),
    ("fcm", "FCM", "saas", "external", _M, None, ("firebase cloud messaging",)),
)  # fmt: skip

# Stores built for secrets: access policies per secret, audit logs, rotation, HSM-backed keys.
SECRET_STORES = frozenset(
    {"vault", "secrets_manager", "secret_manager", "key_vault", "kms", "cloud_kms", "cloudhsm"}
)
# Log shippers and collectors: applications hand them lines through a local buffer (a file,
# stdout, a forwarder's socket) and go on; nothing a request waits for flows through them.
LOG_SHIPPERS = frozenset({"fluentd", "fluentbit", "vector", "logstash"})

# Prefixes that name the vendor rather than the product; tried stripped after a miss.
_VENDOR_PREFIXES = (
    "amazonwebservices", "amazon", "aws", "googlecloudplatform", "googlecloud", "google",
    "gcp", "cloud", "microsoftazure", "microsoft", "azure", "azurerm", "apache", "hashicorp",
)  # fmt: skip
# A container image reference: `postgres:16`, `bitnami/redis:7.2`, `docker.io/library/nginx`.
_IMAGE = re.compile(r"^(?:[\w.-]+(?::\d+)?/)*(?P<name>[\w.-]+?)(?::[\w.-]+)?(?:@sha256:\w+)?$")


def normalize(name: str) -> str:
    """`AWS::EC2::Instance` -> `awsec2instance`: lower case, letters and digits only."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


@cache
def _index() -> dict[str, Tech]:
    out: dict[str, Tech] = {}
    for key, display, provider, kind, managed, icon, aliases in _TABLE:
        tech = Tech(key, display, provider, kind, managed, icon)
        for alias in (key, display, *aliases):
            norm = normalize(alias)
            if norm in out and out[norm].key != key:
                raise ValueError(f"alias {alias!r} names both {out[norm].key} and {key}")
            out[norm] = tech
    return out


def techs() -> list[Tech]:
    """Every known technology, in table order."""
    seen: dict[str, Tech] = {}
    for tech in _index().values():
        seen.setdefault(tech.key, tech)
    return list(seen.values())


@cache
def lookup(name: str | None) -> Tech | None:
    """The `Tech` a name refers to, or None when it is unknown.

    Tried in order: the whole name; the name without vendor prefixes (`Amazon DynamoDB`,
    `Google Cloud Functions`); a container image's repository name (`bitnami/redis:7`).
    """
    if not name:
        return None
    index = _index()
    norm = normalize(name)
    if norm in index:
        return index[norm]
    stripped = norm
    changed = True
    while changed:
        changed = False
        for prefix in _VENDOR_PREFIXES:
            if stripped.startswith(prefix) and len(stripped) > len(prefix):
                stripped = stripped[len(prefix) :]
                changed = True
                if stripped in index:
                    return index[stripped]
    m = _IMAGE.match(name.strip().lower())
    if m and ("/" in name or ":" in name) and "::" not in name:
        return index.get(normalize(m.group("name")))
    return None


def canonical(name: str | None) -> str | None:
    """The canonical key of a tech name (`Amazon DynamoDB` -> `dynamodb`), else its lower case."""
    if not name:
        return None
    tech = lookup(name)
    return tech.key if tech is not None else name.strip().lower()


def display_name(name: str | None) -> str | None:
    """How a tech is written (`postgres` -> `PostgreSQL`); unknown names keep their spelling."""
    if not name:
        return None
    tech = lookup(name)
    if tech is not None:
        return tech.name
    return name[:1].upper() + name[1:] if name.islower() else name


def is_managed(name: str | None) -> bool:
    """True when the name is a managed service, redundant across zones by construction."""
    tech = lookup(name)
    return tech is not None and tech.managed


def provider_of(name: str | None) -> str | None:
    """The provider a tech belongs to (`aws`, `gcp`, ...), None when unknown."""
    tech = lookup(name)
    return tech.provider if tech is not None else None


def is_secret_store(name: str | None) -> bool:
    """True for Vault, a cloud secret manager, Key Vault, a KMS or an HSM."""
    return canonical(name) in SECRET_STORES


def is_log_shipper(name: str | None) -> bool:
    """True for Fluentd, Fluent Bit, Vector or Logstash: where applications hand their logs."""
    return canonical(name) in LOG_SHIPPERS
