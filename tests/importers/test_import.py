"""`diagramgen import`: Compose, Kubernetes and Terraform into specs that load and read well."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from diagramgen.importers import SourceError, import_source, merge, to_yaml
from diagramgen.spec.loader import loads

FIXTURES = Path(__file__).parent / "fixtures"
VOTING = FIXTURES / "voting-app" / "compose.yaml"
BOUTIQUE = FIXTURES / "online-boutique"
THREE_TIER = FIXTURES / "three-tier-aws"


def _ends(imported) -> set[tuple[str, str]]:
    return {(c["from"], c["to"]) for c in imported.connections}


def _by_id(imported) -> dict[str, dict]:
    return {c["id"]: c for c in imported.components}


def test_voting_app_compose() -> None:
    imported = import_source(VOTING)
    comps = _by_id(imported)
    assert set(comps) == {"vote", "result", "worker", "redis", "db", "seed"}
    assert comps["db"]["kind"] == "sql_database"
    assert comps["db"]["tech"] == "postgresql"
    assert comps["db"]["version"] == "15-alpine"
    assert comps["redis"]["kind"] == "cache" and comps["redis"]["tech"] == "redis"
    assert comps["worker"]["kind"] == "worker"
    assert comps["vote"]["kind"] == "service"
    assert comps["seed"]["note"] == "profile seed only"
    # Where each came from: the file, the line of the service key, the service.
    assert comps["vote"]["source"] == "compose.yaml:4 service/vote"
    assert comps["db"]["source"].endswith(" service/db")
    assert _ends(imported) == {
        ("vote", "redis"), ("result", "db"), ("worker", "redis"), ("worker", "db"),
        ("seed", "vote"),
    }  # fmt: skip
    assert {c["group"] for c in comps.values()} == {"front-tier", "back-tier"}
    assert comps["worker"]["group"] == "back-tier"
    text = to_yaml(imported, "voting.yaml")
    design = loads(text, "voting.yaml")
    assert design.component("db").tech == "postgresql"
    for hint in ("workload", "flows", "decisions"):
        assert f"# {hint}:" in text


def test_compose_env_references_replicas_and_variables(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("UNSET_TAG", raising=False)
    monkeypatch.setenv("API_REPLICAS_IMAGE", "ghcr.io/acme/api")
    (tmp_path / ".env").write_text("DB_HOST=db\n")
    src = tmp_path / "docker-compose.yml"
    src.write_text(
        "services:\n"
        "  api:\n"
        "    image: ${API_REPLICAS_IMAGE}:${UNSET_TAG}\n"
        "    deploy: {replicas: 3}\n"
        "    environment:\n"
        "      - DATABASE_URL=postgres://app:secret@${DB_HOST}:5432/app\n"
        "      - CACHE=cache:6379\n"
        "      - POSTGRES_USER=postgres\n"
        "    links: ['queue:mq']\n"
        "  db: {image: 'postgres:16'}\n"
        "  postgres: {image: 'postgres:16'}\n"
        "  cache: {image: 'bitnami/redis:7.2'}\n"
        "  queue: {image: 'rabbitmq:3-management', profiles: [async]}\n"
    )
    imported = import_source(src)
    comps = _by_id(imported)
    assert comps["api"]["replicas"] == 3
    assert comps["api"]["kind"] == "service"
    assert "not a known technology" in comps["api"]["description"]
    assert comps["cache"]["tech"] == "redis" and comps["cache"]["version"] == "7.2"
    assert comps["queue"]["kind"] == "queue"
    # The URL names `db`; POSTGRES_USER=postgres is a user name, not the `postgres` service.
    assert _ends(imported) == {("api", "db"), ("api", "cache"), ("api", "queue")}
    assert any("UNSET_TAG is not set" in w for w in imported.warnings)
    loads(to_yaml(imported), "x.yaml")


HPA_AND_INGRESS = """\
apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web, tier: front}}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        env:
        - {name: API_URL, value: "http://api.shop.svc.cluster.local:8080"}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: pg, namespace: shop}
spec:
  replicas: 3
  selector: {matchLabels: {app: pg}}
  template:
    metadata: {labels: {app: pg}}
    spec:
      containers: [{name: pg, image: "postgres:16.3"}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
      - name: api
        image: acme/api:2.1
        env: [{name: PGHOST, value: pg}]
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec: {selector: {app: api}, ports: [{port: 8080}]}
---
apiVersion: v1
kind: Service
metadata: {name: pg, namespace: shop}
spec: {selector: {app: pg}, ports: [{port: 5432}]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {selector: {app: web}, ports: [{port: 80}]}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: shop, namespace: shop}
spec:
  rules:
  - http:
      paths:
      - path: /
        pathType: Prefix
        backend: {service: {name: web, port: {number: 80}}}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: api, namespace: shop}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
  minReplicas: 2
  maxReplicas: 10
  metrics:
  - type: Resource
    resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
"""


def test_kubernetes_services_ingress_hpa_namespaces(tmp_path: Path) -> None:
    (tmp_path / "app.yaml").write_text(HPA_AND_INGRESS)
    imported = import_source(tmp_path / "app.yaml")
    comps = _by_id(imported)
    assert comps["api"]["autoscaling"] == {"min": 2, "max": 10, "metric": "cpu", "target": 70.0}
    assert comps["pg"]["kind"] == "sql_database" and comps["pg"]["replicas"] == 3
    assert comps["pg"]["version"] == "16.3"
    assert comps["web"]["kind"] == "load_balancer" and comps["web"]["tech"] == "nginx"
    assert comps["shop"]["kind"] == "load_balancer"  # the Ingress
    assert imported.groups == [{"id": "ns-shop", "label": "namespace shop"}]
    assert {c.get("group") for c in comps.values()} == {"ns-shop"}
    assert _ends(imported) == {("web", "api"), ("api", "pg"), ("shop", "web")}
    loads(to_yaml(imported), "x.yaml")


def test_online_boutique_folder() -> None:
    imported = import_source(BOUTIQUE)
    comps = _by_id(imported)
    assert (
        len([c for c in comps.values() if c["source"].split(" ")[1].startswith("Deployment")]) == 12
    )
    assert comps["frontend-external"]["kind"] == "load_balancer"
    assert comps["redis-cart"]["kind"] == "cache"
    ends = _ends(imported)
    frontend = {t for s, t in ends if s == "frontend"}
    assert frontend == {
        "productcatalogservice", "currencyservice", "cartservice", "recommendationservice",
        "shippingservice", "checkoutservice", "adservice",
    }  # fmt: skip
    assert ("cartservice", "redis-cart") in ends
    assert ("frontend-external", "frontend") in ends
    assert ("loadgenerator", "frontend") in ends
    assert len(ends) == 7 + 6 + 1 + 1 + 1 + 1  # frontend, checkout, recommendation, cart, lb, load
    loads(to_yaml(imported), "x.yaml")


@pytest.mark.parametrize("source", ["", "plan.json", "state.json"])
def test_three_tier_terraform_every_form(source: str) -> None:
    imported = import_source(THREE_TIER / source if source else THREE_TIER)
    comps = _by_id(imported)
    assert set(comps) == {"web-lb", "app-lb", "web-asg", "app-asg", "db"}
    assert comps["web-asg"]["autoscaling"] == {"min": 2, "max": 6}
    assert comps["app-asg"]["replicas"] == 3
    assert comps["db"]["kind"] == "sql_database" and comps["db"]["replicas"] == 2  # Multi-AZ
    assert comps["db"]["version"] == "8.0"
    assert _ends(imported) == {
        ("web-lb", "web-asg"), ("web-asg", "app-lb"), ("app-lb", "app-asg"), ("app-asg", "db"),
    }  # fmt: skip
    groups = {g["id"]: g for g in imported.groups}
    assert comps["db"]["group"] == "database-subnets"
    assert groups["database-subnets"]["parent"] == "vpc"
    assert comps["web-lb"]["group"] == "public-subnets"
    assert any("not components" in w for w in imported.warnings)
    loads(to_yaml(imported), "x.yaml")


def test_tf_sources_carry_lines() -> None:
    comps = _by_id(import_source(THREE_TIER))
    text = (THREE_TIER / "main.tf").read_text().splitlines()
    where, address = comps["db"]["source"].split(" ")
    line = int(where.split(":")[1])
    assert text[line - 1].startswith('resource "aws_db_instance" "db"')
    assert address == "aws_db_instance.db"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.yaml", "title: hello\nitems: [1, 2]\n", "not a Compose file"),
        ("chart.yaml", "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Values.name }}\n",
         "helm template"),
        ("broken.json", '{"format_version": ', "invalid JSON"),
        ("raw.tfstate.json", '{"version": 4, "terraform_version": "1.9.0", "resources": []}',
         "terraform show -json"),
        ("bad.yaml", "services: [\n", "bad.yaml:"),
    ],
)  # fmt: skip
def test_bad_input_is_one_clear_error(
    tmp_path: Path, name: str, content: str, message: str
) -> None:
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(SourceError) as exc:
        import_source(path)
    assert message in str(exc.value)
    assert "\n" not in str(exc.value)


def test_too_large_is_refused(tmp_path: Path, monkeypatch) -> None:
    from diagramgen.importers import detect

    monkeypatch.setattr(detect, "MAX_BYTES", 1000)
    path = tmp_path / "state.json"
    path.write_text(json.dumps({"format_version": "1.0", "values": {}, "pad": "x" * 2000}))
    with pytest.raises(SourceError, match="MB is more than"):
        import_source(path)


def test_big_state_imports_with_a_warning(tmp_path: Path) -> None:
    # 400 queues and 400 functions reading them: a partial, readable result, not a failure.
    def res(rtype: str, name: str, **values: str) -> dict:
        address = f"{rtype}.{name}"
        return {"address": address, "mode": "managed", "type": rtype, "name": name,
                "values": values}  # fmt: skip

    resources = []
    for i in range(400):
        resources += [
            res("aws_sqs_queue", f"q{i}", id=f"https://sqs/q{i}", arn=f"arn:sqs:q{i}"),
            res("aws_lambda_event_source_mapping", f"m{i}", id=f"m{i}",
                event_source_arn=f"arn:sqs:q{i}", function_name=f"arn:lambda:f{i}"),
            res("aws_lambda_function", f"f{i}", id=f"f{i}", arn=f"arn:lambda:f{i}",
                runtime="python3.12"),
        ]  # fmt: skip
    path = tmp_path / "state.json"
    path.write_text(
        json.dumps({"format_version": "1.0", "values": {"root_module": {"resources": resources}}})
    )
    imported = import_source(path)
    assert len(imported.components) == 800
    assert ("q7", "f7") in _ends(imported)
    assert all(c.get("async") for c in imported.connections)
    assert any("800 components" in w for w in imported.warnings)


def test_reimport_updates_instead_of_duplicating(tmp_path: Path) -> None:
    imported = import_source(VOTING)
    text = to_yaml(imported)
    # The user names things and adds a component of their own.
    text = text.replace("  - id: db\n", "  - id: db\n    label: Votes database\n")
    text = text.replace("components:\n", "components:\n  - {id: users, kind: client}  # mine\n", 1)
    src = tmp_path / "compose.yaml"
    src.write_text(VOTING.read_text().replace("build: ./result", "build: ./result\n    scale: 2"))
    merged, notes = merge(text, import_source(src))
    design = loads(merged, "spec.yaml")
    assert [c.id for c in design.components].count("db") == 1
    assert design.component("db").label == "Votes database"
    assert design.component("users") is not None and "# mine" in merged
    assert design.component("result").replicas == 2
    assert "updated result.replicas" in notes


SERVERLESS_TF = """\
resource "aws_route53_record" "www" {
  zone_id = "Z123"
  name    = "www.example.com"
  type    = "A"
  alias {
    name                   = aws_cloudfront_distribution.site.domain_name
    zone_id                = aws_cloudfront_distribution.site.hosted_zone_id
    evaluate_target_health = false
  }
}
resource "aws_cloudfront_distribution" "site" {
  origin {
    domain_name = aws_s3_bucket.assets.bucket_regional_domain_name
    origin_id   = "assets"
  }
  enabled = true
}
resource "aws_s3_bucket" "assets" {}
resource "aws_apigatewayv2_api" "http" {
  name          = "orders"
  protocol_type = "HTTP"
}
resource "aws_apigatewayv2_integration" "orders" {
  api_id           = aws_apigatewayv2_api.http.id
  integration_type = "AWS_PROXY"
  integration_uri  = aws_lambda_function.orders.invoke_arn
}
resource "aws_lambda_function" "orders" {
  function_name = "orders"
  runtime       = "python3.12"
  environment {
    variables = {
      TABLE = aws_dynamodb_table.orders.name
      TOPIC = aws_sns_topic.events.arn
    }
  }
}
resource "aws_dynamodb_table" "orders" {
  name     = "orders"
  hash_key = "id"
}
resource "aws_sns_topic" "events" {}
resource "aws_sqs_queue" "billing" {}
resource "aws_sns_topic_subscription" "billing" {
  topic_arn = aws_sns_topic.events.arn
  protocol  = "sqs"
  endpoint  = aws_sqs_queue.billing.arn
}
resource "aws_kinesis_stream" "clicks" {
  name        = "clicks"
  shard_count = 2
}
resource "aws_lambda_event_source_mapping" "clicks" {
  event_source_arn = aws_kinesis_stream.clicks.arn
  function_name    = aws_lambda_function.orders.arn
}
"""


def test_serverless_terraform_edges(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(SERVERLESS_TF)
    imported = import_source(tmp_path)
    comps = _by_id(imported)
    kinds = {cid: c["kind"] for cid, c in comps.items()}
    assert kinds == {
        "www": "dns", "site": "cdn", "assets": "object_storage", "http": "api_gateway",
        "orders-fn": "function", "orders-table": "nosql_database", "events": "queue",
        "billing": "queue", "clicks": "stream",
    }  # fmt: skip
    assert comps["orders-fn"]["version"] == "python3.12"
    conns = {(c["from"], c["to"]): bool(c.get("async")) for c in imported.connections}
    assert conns == {
        ("www", "site"): False, ("site", "assets"): False, ("http", "orders-fn"): False,
        ("orders-fn", "orders-table"): False, ("orders-fn", "events"): False,
        ("events", "billing"): True, ("clicks", "orders-fn"): True,
    }  # fmt: skip
    loads(to_yaml(imported), "x.yaml")
