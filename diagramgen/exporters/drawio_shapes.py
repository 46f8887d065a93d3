"""draw.io's own shapes for technologies its libraries draw: AWS, Google Cloud, Kubernetes.

Keys are canonical tech keys of `diagramgen.techs`. Shape names were read from draw.io's
own palettes (`js/diagramly/sidebar/Sidebar-AWS4.js` for `resIcon=mxgraph.aws4.*`, its GCP
icon table for `prIcon=` of `mxgraph.gcp2.hexIcon`, and the Kubernetes stencil names for
`prIcon=` of `mxgraph.kubernetes.icon`), with the palette's fill colour per category, so an
exported service looks as it does when picked from draw.io's sidebar. A tech not listed
here is drawn with the picture's own icon, embedded in the file.
"""

from __future__ import annotations

# AWS resource icons: the category's fill and gradient, as in draw.io's AWS 4 palette.
_AWS_CATEGORY = {
    "network": ("#5A30B5", "#945DF2"),
    "compute": ("#D05C17", "#F78E04"),
    "database": ("#3334B9", "#4D72F3"),
    "storage": ("#277116", "#60A337"),
    "integration": ("#BC1356", "#F34482"),
    "analytics": ("#5A30B5", "#945DF2"),
}
_AWS: dict[str, tuple[str, str]] = {
    "alb": ("network", "elastic_load_balancing"),
    "nlb": ("network", "elastic_load_balancing"),
    "elb": ("network", "elastic_load_balancing"),
    "api_gateway_aws": ("network", "api_gateway"),
    "cloudfront": ("network", "cloudfront"),
    "route53": ("network", "route_53"),
    "global_accelerator": ("network", "global_accelerator"),
    "transit_gateway": ("network", "transit_gateway"),
    "ec2": ("compute", "ec2"),
    "lambda": ("compute", "lambda"),
    "ecs": ("compute", "ecs"),
    "eks": ("compute", "eks"),
    "rds": ("database", "rds"),
    "aurora": ("database", "aurora"),
    "dynamodb": ("database", "dynamodb"),
    "elasticache": ("database", "elasticache"),
    "documentdb": ("database", "documentdb_with_mongodb_compatibility"),
    "keyspaces": ("database", "keyspaces"),
    "neptune": ("database", "neptune"),
    "timestream": ("database", "timestream"),
    "redshift": ("database", "redshift"),
    "s3": ("storage", "s3"),
    "efs": ("storage", "elastic_file_system"),
    "glacier": ("storage", "glacier"),
    "sqs": ("integration", "sqs"),
    "sns": ("integration", "sns"),
    "eventbridge": ("integration", "eventbridge"),
    "step_functions": ("integration", "step_functions"),
    "kinesis": ("analytics", "kinesis_data_streams"),
    "firehose": ("analytics", "kinesis_data_firehose"),
    "msk": ("analytics", "managed_streaming_for_kafka"),
    "athena": ("analytics", "athena"),
    "emr": ("analytics", "emr"),
    "glue": ("analytics", "glue"),
    "opensearch_service": ("analytics", "elasticsearch_service"),
}
_GCP: dict[str, str] = {
    "cloud_load_balancing": "cloud_load_balancing",
    "cloud_cdn": "cloud_cdn",
    "cloud_dns": "cloud_dns",
    "cloud_armor": "cloud_armor",
    "compute_engine": "compute_engine",
    "gke": "container_engine",
    "cloud_run": "cloud_run",
    "app_engine": "app_engine",
    "cloud_functions": "cloud_functions",
    "cloud_sql": "cloud_sql",
    "spanner": "cloud_spanner",
    "bigtable": "cloud_bigtable",
    "datastore": "cloud_datastore",
    "memorystore": "cloud_memorystore",
    "gcs": "cloud_storage",
    "pubsub": "cloud_pubsub",
    "dataflow": "cloud_dataflow",
    "dataproc": "cloud_dataproc",
    "bigquery": "bigquery",
    "cloud_kms": "key_management_service",
}
_K8S: dict[str, str] = {
    "k8s_pod": "pod",
    "k8s_deployment": "deploy",
    "k8s_statefulset": "sts",
    "k8s_daemonset": "ds",
    "k8s_job": "job",
    "k8s_service": "svc",
    "k8s_ingress": "ing",
    "k8s_hpa": "hpa",
    "kubernetes": "master",
}

# The style that makes a vertex draw as a library icon (labels below, aspect kept).
_ICON_BASE = "aspect=fixed;verticalLabelPosition=bottom;verticalAlign=top;align=center;"


def shape_for(tech_key: str | None) -> str | None:
    """The draw.io style of the library shape for a canonical tech key, or None."""
    if tech_key is None:
        return None
    if tech_key in _AWS:
        category, icon = _AWS[tech_key]
        fill, gradient = _AWS_CATEGORY[category]
        return (
            f"{_ICON_BASE}outlineConnect=0;fillColor={fill};gradientColor={gradient};"
            "gradientDirection=north;strokeColor=#ffffff;"
            f"shape=mxgraph.aws4.resourceIcon;resIcon=mxgraph.aws4.{icon};"
        )
    if tech_key in _GCP:
        return (
            f"{_ICON_BASE}fillColor=#5184F3;strokeColor=none;"
            f"shape=mxgraph.gcp2.hexIcon;prIcon={_GCP[tech_key]};"
        )
    if tech_key in _K8S:
        return (
            f"{_ICON_BASE}fillColor=#326CE5;strokeColor=#ffffff;"
            f"shape=mxgraph.kubernetes.icon;prIcon={_K8S[tech_key]};"
        )
    return None


def libraries() -> dict[str, str]:
    """Every tech key with a library shape, to the library it comes from (for tests)."""
    out = dict.fromkeys(_AWS, "aws4")
    out.update(dict.fromkeys(_GCP, "gcp2"))
    out.update(dict.fromkeys(_K8S, "kubernetes"))
    return out
