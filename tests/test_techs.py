"""The alias table: real-world names resolve to one canonical tech, and every icon exists."""

from __future__ import annotations

import importlib

import pytest

from diagramgen import techs


@pytest.mark.parametrize(
    ("name", "key", "provider", "managed"),
    [
        ("AWS ALB", "alb", "aws", True),
        ("Amazon DynamoDB", "dynamodb", "aws", True),
        ("AWS::EC2::InternetGateway", "internet_gateway", "aws", True),
        ("aws_lb", "alb", "aws", True),
        ("AWS::ElasticLoadBalancingV2::LoadBalancer", "alb", "aws", True),
        ("Cloud Functions", "cloud_functions", "gcp", True),
        ("Google Cloud Pub/Sub", "pubsub", "gcp", True),
        ("GCP Bigtable", "bigtable", "gcp", True),
        ("Azure Cosmos DB", "cosmosdb", "azure", True),
        ("Kubernetes Pod", "k8s_pod", "k8s", False),
        ("AWS EC2", "ec2", "aws", False),
        ("postgres:16", "postgresql", "onprem", False),
        ("bitnami/redis:7.2", "redis", "onprem", False),
        ("REDIS", "redis", "onprem", False),
    ],
)
def test_real_names_resolve(name: str, key: str, provider: str, managed: bool) -> None:
    tech = techs.lookup(name)
    assert tech is not None, name
    assert (tech.key, tech.provider, tech.managed) == (key, provider, managed)


def test_unknown_names_stay_unknown() -> None:
    assert techs.lookup("our-billing-engine") is None
    assert techs.canonical("Our-Engine") == "our-engine"
    assert techs.display_name("ourengine") == "Ourengine"
    assert techs.lookup(None) is None


def test_every_icon_is_a_diagrams_class() -> None:
    for tech in techs.techs():
        if tech.icon is None:
            continue
        module, cls = tech.icon.split(":")
        assert hasattr(importlib.import_module(f"diagrams.{module}"), cls), tech.icon


def test_providers_and_kinds_are_known() -> None:
    from diagramgen.spec.models import KINDS

    for tech in techs.techs():
        assert tech.provider in techs.PROVIDERS, tech
        assert tech.kind is None or tech.kind in KINDS, tech
