"""The spec stage: models, units, loading and schema generation."""

from diagramgen.spec.loader import expand_paths, iter_load, load, loads, validate_data
from diagramgen.spec.models import (
    COMPONENT_CLASSES,
    KINDS,
    ApiGateway,
    Autoscaling,
    Cache,
    Cdn,
    Client,
    Component,
    Connection,
    Decision,
    Design,
    Dns,
    External,
    Flow,
    FlowStep,
    Function,
    Group,
    LoadBalancer,
    Monitoring,
    NosqlDatabase,
    ObjectStorage,
    Operation,
    Queue,
    SearchIndex,
    Service,
    Sharding,
    SqlDatabase,
    Stream,
    Worker,
    Workload,
)

__all__ = [
    "COMPONENT_CLASSES", "KINDS", "ApiGateway", "Autoscaling", "Cache", "Cdn", "Client",
    "Component", "Connection", "Decision", "Design", "Dns", "External", "Flow", "FlowStep",
    "Function", "Group", "LoadBalancer", "Monitoring", "NosqlDatabase", "ObjectStorage",
    "Operation", "Queue", "SearchIndex", "Service", "Sharding", "SqlDatabase", "Stream",
    "Worker", "Workload", "expand_paths", "iter_load", "load", "loads", "validate_data",
]  # fmt: skip
