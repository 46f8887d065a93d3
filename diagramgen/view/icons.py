"""Which icon each component gets: its tech's own icon, else its platform's, else its kind's.

A tech (or cloud resource name: `AWS EC2`, `Cloud Functions`, `Kubernetes Pod`) resolves
through the one alias table, `diagramgen.techs`, to the provider's own icon. A kind's icon
depends on the component's `provider` (inherited design -> group -> component): a GCP
design draws a function as Cloud Functions, an AWS one as Lambda, and a design that names
no provider gets neutral icons (generic shapes, never a vendor's logo).

Icons are named as `module:Class` of the mingrammer `diagrams` package; only the render
adapter imports that package, this table is plain data.
"""

from __future__ import annotations

from diagramgen.techs import lookup

# Vendor-neutral icons for every kind: generic shapes, what a design naming no provider
# (and `onprem` or `generic` ones) gets.
NEUTRAL_ICONS: dict[str, str] = {
    "client": "onprem.client:Users",
    "dns": "generic.network:Subnet",
    "cdn": "generic.place:Datacenter",
    "load_balancer": "generic.network:Switch",
    "api_gateway": "generic.network:Router",
    "service": "onprem.compute:Server",
    "worker": "generic.compute:Rack",
    "function": "programming.flowchart:PredefinedProcess",
    "sql_database": "generic.database:SQL",
    "nosql_database": "programming.flowchart:Database",
    "cache": "programming.flowchart:InternalStorage",
    "object_storage": "generic.storage:Storage",
    "queue": "programming.flowchart:MultipleDocuments",
    "stream": "programming.flowchart:Collate",
    "search_index": "programming.flowchart:Inspection",
    "monitoring": "programming.flowchart:Display",
    "external": "onprem.network:Internet",
}

# Per provider, the kinds it has its own icon for; the others fall back to NEUTRAL_ICONS.
PROVIDER_ICONS: dict[str, dict[str, str]] = {
    "aws": {
        "dns": "aws.network:Route53",
        "cdn": "aws.network:CloudFront",
        "load_balancer": "aws.network:ElasticLoadBalancing",
        "api_gateway": "aws.network:APIGateway",
        "service": "aws.compute:EC2",
        "worker": "aws.compute:EC2Instances",
        "function": "aws.compute:Lambda",
        "sql_database": "aws.database:RDS",
        "nosql_database": "aws.database:Dynamodb",
        "cache": "aws.database:Elasticache",
        "object_storage": "aws.storage:SimpleStorageServiceS3",
        "queue": "aws.integration:SimpleQueueServiceSqs",
        "stream": "aws.analytics:KinesisDataStreams",
        "search_index": "aws.analytics:AmazonOpensearchService",
        "monitoring": "aws.management:Cloudwatch",
    },
    "gcp": {
        "dns": "gcp.network:DNS",
        "cdn": "gcp.network:CDN",
        "load_balancer": "gcp.network:LoadBalancing",
        "api_gateway": "gcp.api:APIGateway",
        "service": "gcp.compute:Run",
        "worker": "gcp.compute:ComputeEngine",
        "function": "gcp.compute:Functions",
        "sql_database": "gcp.database:SQL",
        "nosql_database": "gcp.database:Bigtable",
        "cache": "gcp.database:Memorystore",
        "object_storage": "gcp.storage:GCS",
        "queue": "gcp.analytics:Pubsub",
        "stream": "gcp.analytics:Pubsub",
        "monitoring": "gcp.operations:Monitoring",
    },
    "azure": {
        "dns": "azure.network:DNSZones",
        "cdn": "azure.network:CDNProfiles",
        "load_balancer": "azure.network:LoadBalancers",
        "api_gateway": "azure.integration:APIManagement",
        "service": "azure.compute:AppServices",
        "worker": "azure.compute:VM",
        "function": "azure.compute:FunctionApps",
        "sql_database": "azure.database:SQLDatabases",
        "nosql_database": "azure.database:CosmosDb",
        "cache": "azure.database:CacheForRedis",
        "object_storage": "azure.storage:BlobStorage",
        "queue": "azure.integration:ServiceBus",
        "stream": "azure.analytics:EventHubs",
        "monitoring": "azure.monitor:Monitor",
    },
    "k8s": {
        "load_balancer": "k8s.network:SVC",
        "api_gateway": "k8s.network:Ing",
        "service": "k8s.compute:Deploy",
        "worker": "k8s.compute:Pod",
        "function": "k8s.compute:Job",
        "sql_database": "k8s.compute:STS",
        "nosql_database": "k8s.compute:STS",
        "cache": "k8s.compute:STS",
        "object_storage": "k8s.storage:PV",
    },
}

PLATFORM_ICONS: dict[str, str] = {
    "web": "onprem.client:Client",
    "mobile": "generic.device:Mobile",
    "desktop": "onprem.client:Client",
    "iot": "generic.device:Tablet",
    "server": "onprem.compute:Server",
    "user": "onprem.client:User",
}

FALLBACK = "onprem.compute:Server"


def kind_icon(kind: str, provider: str | None = None) -> str:
    """The icon of a kind in a provider's family; neutral without a provider."""
    own = PROVIDER_ICONS.get(provider or "", {})
    return own.get(kind) or NEUTRAL_ICONS.get(kind, FALLBACK)


def icon_for(
    kind: str,
    tech: str | None = None,
    platform: str | None = None,
    provider: str | None = None,
) -> str:
    """The `module:Class` icon for a component: its tech's, its platform's, else its kind's."""
    known = lookup(tech)
    if known is not None and known.icon:
        return known.icon
    if platform and platform in PLATFORM_ICONS:
        return PLATFORM_ICONS[platform]
    return kind_icon(kind, provider)
