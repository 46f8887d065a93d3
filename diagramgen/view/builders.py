"""Build `DiagramView`s from a design: the overview and one view per flow."""

from __future__ import annotations

from collections import defaultdict

from diagramgen.spec.models import Connection, Design, slugify
from diagramgen.view.model import DiagramView, LegendEntry, ViewCluster, ViewEdge, ViewNode

# A human name per technology, for the caption under the icon.
TECH_NAMES = {
    "postgresql": "PostgreSQL", "postgres": "PostgreSQL", "mysql": "MySQL", "mongodb": "MongoDB",
    "redis": "Redis", "memcached": "Memcached", "kafka": "Kafka", "rabbitmq": "RabbitMQ",
    "nginx": "NGINX", "haproxy": "HAProxy", "elasticsearch": "Elasticsearch", "s3": "S3",
    "dynamodb": "DynamoDB", "grpc": "gRPC", "opensearch": "OpenSearch", "sqs": "SQS",
    "gcs": "GCS", "minio": "MinIO", "cockroachdb": "CockroachDB", "clickhouse": "ClickHouse",
    "influxdb": "InfluxDB", "neo4j": "Neo4j", "hbase": "HBase", "scylladb": "ScyllaDB",
    "mariadb": "MariaDB", "cloudfront": "CloudFront",
    "kubernetes": "Kubernetes", "k8s": "Kubernetes",
    "fluentbit": "Fluent Bit", "fluent-bit": "Fluent Bit", "etcd": "etcd", "zookeeper": "ZooKeeper",
    "apns": "APNs", "fcm": "FCM", "hsm": "HSM", "kms": "KMS", "mlflow": "MLflow",
}  # fmt: skip


def tech_name(tech: str | None) -> str | None:
    """`postgresql` -> `PostgreSQL`; unknown names keep the spec's spelling."""
    if not tech:
        return None
    if tech.lower() in TECH_NAMES:
        return TECH_NAMES[tech.lower()]
    return tech[:1].upper() + tech[1:] if tech.islower() else tech


def edge_label(conn: Connection) -> str | None:
    """The text on an edge: the label, with the protocol in brackets when given."""
    if conn.protocol and conn.label:
        return f"{conn.label} [{conn.protocol}]"
    return conn.label or conn.protocol


def _nodes(design: Design) -> list[ViewNode]:
    return [
        ViewNode(
            id=c.id,
            label=c.display,
            kind=c.kind,
            tech=c.tech,
            cluster=c.group,
            replicas=c.replicas,
            caption=tech_name(c.tech),
        )
        for c in design.components
    ]


def _clusters(design: Design) -> list[ViewCluster]:
    return [ViewCluster(id=g.id, label=g.display, parent=g.parent) for g in design.groups]


def _legend(edges: list[ViewEdge]) -> list[LegendEntry]:
    styles = {e.line for e in edges}
    entries = []
    if "solid" in styles:
        entries.append(LegendEntry("synchronous call", "solid"))
    if "dashed" in styles:
        entries.append(LegendEntry("asynchronous (fire and forget)", "dashed"))
    return entries


def overview(design: Design) -> DiagramView:
    """The whole design: every component, group and connection."""
    edges = [
        ViewEdge(
            source=c.source,
            target=c.target,
            label=edge_label(c),
            line="dashed" if c.is_async else "solid",
        )
        for c in design.connections
    ]
    return DiagramView(
        name="overview",
        title=design.display_title,
        subtitle=design.description,
        nodes=_nodes(design),
        clusters=_clusters(design),
        edges=edges,
        legend=_legend(edges),
    )


def flow_view_name(flow_name: str) -> str:
    """The file stem of a flow's view: `flow-<slug>`."""
    return f"flow-{slugify(flow_name)}"


def flow_view(design: Design, flow_index: int) -> DiagramView:
    """The design with one flow's steps numbered and highlighted, everything else muted."""
    flow = design.flows[flow_index]
    numbers: dict[tuple[str, str], list[int]] = defaultdict(list)
    step_labels: dict[tuple[str, str], list[str]] = defaultdict(list)
    for n, step in enumerate(flow.steps, start=1):
        numbers[step.key].append(n)
        if step.label:
            step_labels[step.key].append(step.label)
    on_flow = {end for step in flow.steps for end in step.key}

    edges: list[ViewEdge] = []
    drawn: set[tuple[str, str]] = set()
    for conn in design.connections:
        nums = numbers.get(conn.key)
        if nums and conn.key not in drawn:
            drawn.add(conn.key)
            text = step_labels.get(conn.key) or ([edge_label(conn)] if edge_label(conn) else [])
            edges.append(
                ViewEdge(
                    source=conn.source,
                    target=conn.target,
                    label=_numbered(nums, text),
                    line="dashed" if conn.is_async else "solid",
                    emphasis="highlight",
                    number=nums[0],
                )
            )
        else:
            edges.append(
                ViewEdge(
                    source=conn.source,
                    target=conn.target,
                    label=edge_label(conn),
                    line="dashed" if conn.is_async else "solid",
                    emphasis="muted",
                )
            )
    # Steps with no matching connection are drawn as edges of their own, in step order.
    for n, step in enumerate(flow.steps, start=1):
        if step.key in drawn:
            continue
        drawn.add(step.key)
        edges.append(
            ViewEdge(
                source=step.source,
                target=step.target,
                label=_numbered(numbers[step.key], step_labels.get(step.key, [])),
                line="dashed" if step.is_async else "solid",
                emphasis="highlight",
                number=n,
            )
        )
    nodes = [
        ViewNode(**{**n.__dict__, "emphasis": "highlight" if n.id in on_flow else "muted"})
        for n in _nodes(design)
    ]
    legend = [LegendEntry(f"step of the {flow.name} flow, in order", "bold", "highlight")]
    legend += [LegendEntry("not on this flow", "solid", "muted")]
    return DiagramView(
        name=flow_view_name(flow.name),
        title=f"{design.display_title}: {flow.name}",
        subtitle=flow.description,
        nodes=nodes,
        clusters=_clusters(design),
        edges=edges,
        legend=legend,
    )


def _numbered(numbers: list[int], labels: list[str]) -> str:
    head = ", ".join(str(n) for n in numbers)
    unique = list(dict.fromkeys(labels))
    return f"{head}. {' / '.join(unique)}" if unique else f"{head}."


def views(design: Design) -> list[DiagramView]:
    """Every view `render` writes for a design: the overview first, then one per flow."""
    return [overview(design)] + [flow_view(design, i) for i in range(len(design.flows))]
