"""Kubernetes manifests -> `Imported`.

Workloads (Deployment, StatefulSet, DaemonSet, Job, CronJob) become components, their kind
and tech from the main container's image. A Service is a name for the workloads its
`selector` picks: ClusterIP Services only resolve names, a `LoadBalancer` or `NodePort`
Service becomes a load balancer in front of them, an Ingress one in front of the workloads
behind its backend Services. A HorizontalPodAutoscaler gives its target `autoscaling`.
Namespaces become groups when the manifests name them. Environment values that name a
Service as a host (`productcatalogservice:3550`) become connections.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from diagramgen.importers.model import (
    COMPUTE_KINDS,
    Imported,
    component_from_image,
    env_references,
    make_id,
)

WORKLOADS = ("Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob")

# One parsed object: (file label, line, the object).
Obj = tuple[str, int | None, Mapping[str, Any]]


def _get(node: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(node, Mapping):
            return None
        node = node.get(key)
    return node


def _pod_spec(obj: Mapping[str, Any]) -> Mapping[str, Any]:
    if obj.get("kind") == "CronJob":
        spec = _get(obj, "spec", "jobTemplate", "spec", "template", "spec")
    else:
        spec = _get(obj, "spec", "template", "spec")
    return spec if isinstance(spec, Mapping) else {}


def _main_container(obj: Mapping[str, Any]) -> Mapping[str, Any]:
    containers = [c for c in _pod_spec(obj).get("containers") or [] if isinstance(c, Mapping)]
    name = _get(obj, "metadata", "name")
    for c in containers:
        if c.get("name") == name:
            return c
    return containers[0] if containers else {}


def _labels(obj: Mapping[str, Any]) -> Mapping[str, Any]:
    template = _get(obj, "spec", "template", "metadata", "labels")
    return template if isinstance(template, Mapping) else {}


def import_kubernetes(objects: list[Obj], label: str, name: str) -> Imported:
    """The design a set of Kubernetes objects describes."""
    result = Imported(source=label, format="kubernetes", name=name)
    namespaces = sorted(
        {
            str(_get(o, "metadata", "namespace"))
            for _, _, o in objects
            if _get(o, "metadata", "namespace")
        }
    )
    taken: set[str] = set()
    groups = {ns: make_id(f"ns-{ns}", taken) for ns in namespaces}
    result.groups = [{"id": gid, "label": f"namespace {ns}"} for ns, gid in groups.items()]

    def ns_of(obj: Mapping[str, Any]) -> str:
        return str(_get(obj, "metadata", "namespace") or "default")

    # Workloads first: they own the short ids.
    workloads: dict[tuple[str, str], str] = {}  # (namespace, name) -> component id
    by_id: dict[str, dict[str, Any]] = {}
    for file, line, obj in objects:
        if obj.get("kind") not in WORKLOADS:
            continue
        wname = str(_get(obj, "metadata", "name") or "workload")
        ns = ns_of(obj)
        where = f"{file}:{line}" if line else file
        cid = make_id(wname if (ns, wname) not in workloads else f"{ns}-{wname}", taken)
        container = _main_container(obj)
        image = container.get("image") if isinstance(container.get("image"), str) else None
        comp = component_from_image(cid, image, wname, f"{where} {obj['kind']}/{ns}/{wname}")
        kind = obj["kind"]
        if kind in ("Job", "CronJob", "DaemonSet") and comp["kind"] == "service":
            comp["kind"] = "worker"
        replicas = _get(obj, "spec", "replicas")
        if kind in ("Deployment", "StatefulSet"):
            if isinstance(replicas, int) and replicas >= 1:
                comp["replicas"] = replicas
        elif kind == "DaemonSet":
            comp["note"] = "one pod per node (DaemonSet)"
        elif kind == "CronJob":
            comp["note"] = f"runs on schedule {_get(obj, 'spec', 'schedule')}"
        if ns in groups:
            comp["group"] = groups[ns]
        workloads[(ns, wname)] = cid
        by_id[cid] = comp
        result.components.append(comp)

    def selected(ns: str, selector: Any) -> list[str]:
        if not isinstance(selector, Mapping) or not selector:
            return []
        out = []
        for _file, _line, obj in objects:
            if obj.get("kind") not in WORKLOADS or ns_of(obj) != ns:
                continue
            labels = _labels(obj)
            if all(labels.get(k) == v for k, v in selector.items()):
                out.append(workloads[(ns, str(_get(obj, "metadata", "name") or "workload"))])
        return out

    # Services: host names for env references; exposed ones become load balancers.
    hosts: dict[str, list[str]] = {}  # host name -> the components behind it
    service_targets: dict[tuple[str, str], list[str]] = {}
    for file, line, obj in objects:
        if obj.get("kind") != "Service":
            continue
        sname = str(_get(obj, "metadata", "name") or "service")
        ns = ns_of(obj)
        targets = selected(ns, _get(obj, "spec", "selector"))
        service_targets[(ns, sname)] = targets
        for host in (
            sname,
            f"{sname}.{ns}",
            f"{sname}.{ns}.svc",
            f"{sname}.{ns}.svc.cluster.local",
        ):
            hosts.setdefault(host, []).extend(targets)
        stype = _get(obj, "spec", "type")
        external = _get(obj, "spec", "externalName")
        where = f"{file}:{line}" if line else file
        if stype in ("LoadBalancer", "NodePort") or (stype == "ExternalName" and external):
            cid = make_id(sname, taken)
            comp: dict[str, Any] = {
                "id": cid,
                "kind": "load_balancer" if stype != "ExternalName" else "external",
                "tech": "Kubernetes Service",
                "source": f"{where} Service/{ns}/{sname}",
            }
            if stype == "ExternalName":
                comp.pop("tech")
                comp["description"] = f"External name {external}."
                hosts.setdefault(sname, []).append(cid)
            if ns in groups:
                comp["group"] = groups[ns]
            result.components.append(comp)
            for t in targets:
                result.connect(cid, t)
        elif not targets and _get(obj, "spec", "selector"):
            result.warnings.append(f"{where}: Service {sname} selects no workload in these files")

    for file, line, obj in objects:
        if obj.get("kind") != "Ingress":
            continue
        iname = str(_get(obj, "metadata", "name") or "ingress")
        ns = ns_of(obj)
        where = f"{file}:{line}" if line else file
        cid = make_id(iname, taken)
        comp = {"id": cid, "kind": "load_balancer", "tech": "Kubernetes Ingress",
                "source": f"{where} Ingress/{ns}/{iname}"}  # fmt: skip
        if ns in groups:
            comp["group"] = groups[ns]
        result.components.append(comp)
        for backend in _ingress_backends(obj):
            for t in service_targets.get((ns, backend), []):
                result.connect(cid, t)

    for file, line, obj in objects:
        if obj.get("kind") != "HorizontalPodAutoscaler":
            continue
        ref = _get(obj, "spec", "scaleTargetRef") or {}
        target = workloads.get((ns_of(obj), str(ref.get("name"))))
        where = f"{file}:{line}" if line else file
        if target is None or by_id[target]["kind"] not in COMPUTE_KINDS:
            result.warnings.append(f"{where}: autoscaler target {ref.get('name')} not imported")
            continue
        spec = obj.get("spec") or {}
        low, high = spec.get("minReplicas", 1), spec.get("maxReplicas")
        if isinstance(high, int) and isinstance(low, int) and high >= low >= 1:
            scaling: dict[str, Any] = {"min": low, "max": high}
            metric = _cpu_target(spec)
            if metric is not None:
                scaling["metric"], scaling["target"] = "cpu", metric
            by_id[target]["autoscaling"] = scaling

    # Connections from environment values naming a Service (or a workload) as a host.
    host_ids = {h: ids[0] for h, ids in hosts.items() if len(set(ids)) == 1}
    for _file, _line, obj in objects:
        if obj.get("kind") not in WORKLOADS:
            continue
        src = workloads[(ns_of(obj), str(_get(obj, "metadata", "name") or "workload"))]
        for container in _pod_spec(obj).get("containers") or []:
            for env in (container or {}).get("env") or []:
                if isinstance(env, Mapping):
                    for t in env_references(str(env.get("name", "")), env.get("value"), host_ids):
                        result.connect(src, t)
    return result


def _ingress_backends(obj: Mapping[str, Any]) -> list[str]:
    names = []
    default = _get(obj, "spec", "defaultBackend", "service", "name") or _get(
        obj, "spec", "backend", "serviceName"
    )
    if default:
        names.append(str(default))
    for rule in _get(obj, "spec", "rules") or []:
        for p in _get(rule, "http", "paths") or []:
            name = _get(p, "backend", "service", "name") or _get(p, "backend", "serviceName")
            if name:
                names.append(str(name))
    return names


def _cpu_target(spec: Mapping[str, Any]) -> float | None:
    if isinstance(spec.get("targetCPUUtilizationPercentage"), int | float):
        return float(spec["targetCPUUtilizationPercentage"])
    for metric in spec.get("metrics") or []:
        if _get(metric, "resource", "name") == "cpu":
            value = _get(metric, "resource", "target", "averageUtilization")
            if isinstance(value, int | float) and value > 0:
                return float(value)
    return None
