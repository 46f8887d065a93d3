"""The spec stage: models, units, loading and schema generation.

The names below are imported on first use (PEP 562), so that importing one light module
of the package (or `expand_paths`) does not build every pydantic model: a no-op `render`
and `--help` stay fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from diagramgen.spec.loader import (
        LoadedSpec,
        expand_paths,
        iter_load,
        load,
        load_located,
        loads,
        loads_located,
        validate_data,
    )
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
        View,
        Worker,
        Workload,
    )

__all__ = [
    "COMPONENT_CLASSES",
    "KINDS",
    "ApiGateway",
    "Autoscaling",
    "Cache",
    "Cdn",
    "Client",
    "Component",
    "Connection",
    "Decision",
    "Design",
    "Dns",
    "External",
    "Flow",
    "FlowStep",
    "Function",
    "Group",
    "LoadBalancer",
    "LoadedSpec",
    "Monitoring",
    "NosqlDatabase",
    "ObjectStorage",
    "Operation",
    "Queue",
    "SearchIndex",
    "Service",
    "Sharding",
    "SqlDatabase",
    "Stream",
    "View",
    "Worker",
    "Workload",
    "expand_paths",
    "iter_load",
    "load",
    "load_located",
    "loads",
    "loads_located",
    "validate_data",
]


_LOADER_NAMES = frozenset(
    {
        "LoadedSpec",
        "expand_paths",
        "iter_load",
        "load",
        "load_located",
        "loads",
        "loads_located",
        "validate_data",
    }
)


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module 'diagramgen.spec' has no attribute {name!r}")
    module = "loader" if name in _LOADER_NAMES else "models"
    value = getattr(importlib.import_module(f"diagramgen.spec.{module}"), name)
    globals()[name] = value
    return value
