"""Generate realistic designs of any size in the canonical (long) spec form, deterministically.

A design of `n` components looks like a real service landscape scaled up: clients, DNS, a
CDN and load balancers in an edge tier; one application domain per dozen components (its
services, a worker, a cache, a database and a queue), each domain a cluster nested in the
application tier with its data in a nested data cluster; monitoring on the side. Every
domain is reachable from the edge, services call a few services of earlier domains, async
edges go through the queues, some edges end at a group. Same `n` and seed, same text.

Also writes the equivalent hand-written mingrammer `diagrams` script for a design, for the
comparison in `bench/run.py`.
"""

from __future__ import annotations

import json
import random
from typing import Any

SERVICE_TECHS = [None, None, "python", "go", "java", "nodejs"]
DB_TECHS = ["postgresql", "mysql", "mongodb", "cassandra"]
CACHE_TECHS = ["redis", "memcached"]
QUEUE_TECHS = ["kafka", "rabbitmq", "sqs"]
DOMAIN_SIZE = 12  # components per application domain


def design_data(n: int, seed: int = 0, flows: int = 1) -> dict[str, Any]:
    """A design with exactly `n` components (n >= 8) as plain data in the canonical form."""
    if n < 8:
        raise ValueError("a generated design has at least 8 components")
    rng = random.Random(seed * 1_000_003 + n)
    groups: list[dict[str, Any]] = [
        {"id": "edge", "label": "Edge"},
        {"id": "app", "label": "Application tier"},
        {"id": "data", "label": "Data tier"},
        {"id": "ops", "label": "Operations"},
    ]
    components: list[dict[str, Any]] = [
        {"id": "web", "kind": "client", "label": "Browser"},
        {"id": "mobile", "kind": "client", "label": "Mobile app"},
        {"id": "dns", "kind": "dns", "label": "DNS", "group": "edge"},
        {"id": "cdn", "kind": "cdn", "label": "CDN", "group": "edge"},
        {"id": "lb", "kind": "load_balancer", "label": "Load balancer", "tech": "nginx",
         "group": "edge", "replicas": 2},
        {"id": "metrics", "kind": "monitoring", "label": "Metrics", "tech": "prometheus",
         "group": "ops"},
    ]  # fmt: skip
    connections: list[dict[str, Any]] = [
        {"from": "web", "to": "dns", "label": "resolve"},
        {"from": "web", "to": "cdn", "label": "GET static"},
        {"from": "mobile", "to": "lb", "label": "HTTPS"},
        {"from": "cdn", "to": "lb", "label": "origin"},
    ]
    budget = n - len(components)
    domains = max(1, round(budget / DOMAIN_SIZE))
    sizes = [budget // domains + (1 if d < budget % domains else 0) for d in range(domains)]
    entries: list[str] = []  # the front service of each domain
    services_of: list[list[str]] = []
    for d, size in enumerate(sizes):
        dom = f"d{d}"
        groups.append({"id": dom, "label": f"Domain {d}", "parent": "app"})
        groups.append({"id": f"{dom}-data", "label": f"Domain {d} data", "parent": "data"})
        n_services = max(1, size - 4)
        kinds = ["service"] * n_services + ["cache", "sql_database", "queue", "worker"]
        kinds = kinds[:size]
        services: list[str] = []
        for i, kind in enumerate(kinds):
            cid = f"{dom}-{kind.split('_')[0]}{i}"
            comp: dict[str, Any] = {"id": cid, "kind": kind, "label": f"{kind} {d}.{i}"}
            if kind == "service":
                comp["group"] = dom
                comp["replicas"] = rng.choice([1, 2, 3, 6])
                tech = rng.choice(SERVICE_TECHS)
                services.append(cid)
            elif kind in ("cache", "sql_database"):
                comp["group"] = f"{dom}-data"
                tech = rng.choice(CACHE_TECHS if kind == "cache" else DB_TECHS)
                comp["replicas"] = 2
            elif kind == "queue":
                comp["group"] = dom
                tech = rng.choice(QUEUE_TECHS)
            else:
                comp["group"] = dom
                tech = None
            if tech:
                comp["tech"] = tech
            components.append(comp)
        entries.append(services[0])
        services_of.append(services)
        connections.append({"from": "lb", "to": services[0], "label": f"/api/{d}"})
        for i, svc in enumerate(services[1:], start=1):
            connections.append({"from": services[rng.randrange(i)], "to": svc, "label": "gRPC"})
        ids = [c["id"] for c in components if c.get("group") in (dom, f"{dom}-data")]
        for kind, label in (("cache", "lookup"), ("sql", "SQL")):
            target = next((c for c in ids if c.startswith(f"{dom}-{kind}")), None)
            if target:
                connections.append({"from": rng.choice(services), "to": target, "label": label})
        queue = next((c for c in ids if c.startswith(f"{dom}-queue")), None)
        worker = next((c for c in ids if c.startswith(f"{dom}-worker")), None)
        if queue:
            connections.append(
                {"from": services[-1], "to": queue, "label": "events", "async": True}
            )
            if worker:
                connections.append({"from": worker, "to": queue, "label": "consume"})
                connections.append({"from": worker, "to": f"{dom}-data", "label": "writes"})
        if d:
            # A call into an earlier domain, the way real services depend on shared ones.
            other = rng.randrange(d)
            connections.append(
                {"from": rng.choice(services), "to": rng.choice(services_of[other]),
                 "label": "gRPC"}
            )  # fmt: skip
        connections.append({"from": "metrics", "to": dom, "label": "scrape"})
    components.sort(key=lambda c: (c.get("group") or "", c["id"]))
    flow_list = []
    for f in range(min(flows, domains)):
        services = services_of[f]
        steps = [
            {"from": "mobile", "to": "lb"},
            {"from": "lb", "to": services[0], "label": "route"},
        ]
        steps += [c for c in connections if c["from"] in services and c["to"].startswith(f"d{f}-")][
            :4
        ]
        flow_list.append({"name": f"request {f}", "steps": steps})
    return {
        "name": f"generated-{n}",
        "title": f"Generated design ({n} components)",
        "description": f"{domains} domains behind one edge tier; generated by bench/generate.py.",
        "workload": {
            "peak_factor": 3,
            "operations": [
                {"name": "read", "rate": f"{n}k/day", "size": "2KB"},
                {"name": "write", "rate": f"{n * 10}/min", "size": "1KB", "retention": "1y"},
            ],
        },
        "groups": groups,
        "components": components,
        "connections": connections,
        "flows": flow_list,
        "decisions": [
            {
                "title": "One database per domain",
                "chosen": "database per domain",
                "alternatives": ["shared database"],
                "because": "domains deploy and scale independently",
            }
        ],
    }


def cross_group_data(n: int, groups: int = 50, calls: int = 3, seed: int = 0) -> dict[str, Any]:
    """`n` services in `groups` groups, each calling `calls` random services in other groups.

    The shape of a large real system (every service talks to a few others elsewhere), and
    the one dot finds hardest: most edges cross between group boxes. Same arguments, same text.
    """
    rng = random.Random(seed * 1_000_003 + n)
    group_ids = [f"g{g}" for g in range(groups)]
    components = [
        {"id": f"s{i}", "kind": "service", "label": f"service {i}", "group": group_ids[i % groups]}
        for i in range(n)
    ]
    connections = []
    for i in range(n):
        if i >= groups:  # a call inside the group, so each group is also a tree
            connections.append({"from": f"s{i - groups}", "to": f"s{i}", "label": "gRPC"})
        others = [j for j in rng.sample(range(n), calls + 1) if j % groups != i % groups]
        connections += [{"from": f"s{i}", "to": f"s{j}", "label": "call"} for j in others[:calls]]
    return {
        "name": f"cross-{n}",
        "title": f"Cross-group traffic ({n} services)",
        "groups": [{"id": g, "label": f"Group {g[1:]}"} for g in group_ids],
        "components": components,
        "connections": connections,
    }


def to_yaml(data: dict[str, Any]) -> str:
    """The canonical YAML text: one flow mapping per list item, strings JSON-quoted."""

    def scalar(value: Any) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | float):
            return json.dumps(value)
        return json.dumps(value, ensure_ascii=False)

    def flow(value: Any) -> str:
        if isinstance(value, dict):
            return "{" + ", ".join(f"{k}: {flow(v)}" for k, v in value.items()) + "}"
        if isinstance(value, list):
            return "[" + ", ".join(flow(v) for v in value) + "]"
        return scalar(value)

    lines = []
    for key, value in data.items():
        if isinstance(value, list):
            lines.append(f"{key}:")
            lines += [f"  - {flow(item)}" for item in value]
        elif isinstance(value, dict):
            lines.append(f"{key}:")
            for k, v in value.items():
                if isinstance(v, list):
                    lines.append(f"  {k}:")
                    lines += [f"    - {flow(item)}" for item in v]
                else:
                    lines.append(f"  {k}: {flow(v)}")
        else:
            lines.append(f"{key}: {scalar(value)}")
    return "\n".join(lines) + "\n"


def design_yaml(n: int, seed: int = 0, flows: int = 1) -> str:
    """`design_data` as canonical YAML text."""
    return to_yaml(design_data(n, seed, flows))


def diagrams_script(data: dict[str, Any], formats: list[str]) -> str:
    """A hand-written-style mingrammer `diagrams` script drawing the same pictures.

    One `Diagram` per view (the overview, then each flow with its steps in bold), nested
    `Cluster`s for the groups, one node class per kind or tech, labelled `Edge`s: what a user
    would write to get the same diagrams without diagramgen.
    """
    from diagramgen.view.icons import icon_for

    comps = data["components"]
    groups = {g["id"]: g for g in data["groups"]}
    classes = sorted({icon_for(c["kind"], c.get("tech")) for c in comps})
    imports: dict[str, list[str]] = {}
    for icon in classes:
        module, cls = icon.split(":")
        imports.setdefault(module, []).append(cls)
    alias = {icon: f"{icon.split(':')[1]}_{i}" for i, icon in enumerate(classes)}
    lines = ["from diagrams import Cluster, Diagram, Edge"]
    for module, names in sorted(imports.items()):
        for cls in names:
            lines.append(f"from diagrams.{module} import {cls} as {alias[module + ':' + cls]}")
    lines.append("")
    children: dict[str | None, list[str]] = {}
    for g in data["groups"]:
        children.setdefault(g.get("parent"), []).append(g["id"])
    members: dict[str | None, list[dict[str, Any]]] = {}
    for c in comps:
        members.setdefault(c.get("group"), []).append(c)

    def var(cid: str) -> str:
        return "n_" + cid.replace("-", "_")

    def block(indent: str, group: str | None) -> list[str]:
        out = []
        for c in members.get(group, []):
            replicas = c.get("replicas", 1)
            label = c.get("label", c["id"]) + (f" x{replicas}" if replicas > 1 else "")
            cls = alias[icon_for(c["kind"], c.get("tech"))]
            out.append(f"{indent}{var(c['id'])} = {cls}({label!r})")
        for child in children.get(group, []):
            out.append(f"{indent}with Cluster({groups[child]['label']!r}):")
            out += block(indent + "    ", child) or [f"{indent}    pass"]
        return out

    def first_in(group: str) -> str:
        found = members.get(group)
        if found:
            return var(found[0]["id"])
        return next(first_in(child) for child in children.get(group, []))

    def end(ref: str) -> str:
        return first_in(ref) if ref in groups else var(ref)

    views = [("overview", data["title"], set())]
    for flow in data.get("flows", []):
        keys = {(s["from"], s["to"]) for s in flow["steps"]}
        views.append((f"flow-{flow['name'].replace(' ', '-')}", flow["name"], keys))
    for name, title, on_flow in views:
        lines.append(
            f"with Diagram({title!r}, filename={name!r}, show=False, outformat={formats!r}):"
        )
        lines += block("    ", None)
        for conn in data["connections"]:
            attrs = {"label": conn.get("label", "")}
            if conn.get("async"):
                attrs["style"] = "dashed"
            if (conn["from"], conn["to"]) in on_flow:
                attrs.update(color="firebrick", style="bold")
            elif on_flow:
                attrs["color"] = "gray"
            edge = "Edge(" + ", ".join(f"{k}={v!r}" for k, v in attrs.items()) + ")"
            lines.append(f"    {end(conn['from'])} >> {edge} >> {end(conn['to'])}")
        lines.append("")
    return "\n".join(lines)
