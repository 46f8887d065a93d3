"""Icons by provider: a tech's own icon, the provider's kind icons, neutral without one."""

from __future__ import annotations

import pytest

from diagramgen import loads
from diagramgen.rendering.diagrams_adapter import icon_path, wrap
from diagramgen.view.builders import overview
from diagramgen.view.icons import NEUTRAL_ICONS, PROVIDER_ICONS, icon_for

VENDORS = ("aws.", "gcp.", "azure.", "k8s.", "saas.", "elastic.")


def test_every_icon_in_the_tables_exists() -> None:
    for icon in [
        *NEUTRAL_ICONS.values(),
        *(i for t in PROVIDER_ICONS.values() for i in t.values()),
    ]:
        assert icon_path(icon).endswith(".png"), icon


def test_neutral_icons_are_never_a_vendors() -> None:
    assert not [i for i in NEUTRAL_ICONS.values() if i.startswith(VENDORS)]
    for kind in NEUTRAL_ICONS:
        assert not icon_for(kind).startswith(VENDORS)
        assert icon_for(kind, provider="onprem") == icon_for(kind, provider="generic")


@pytest.mark.parametrize(
    ("kind", "tech", "provider", "icon"),
    [
        ("function", None, "gcp", "gcp.compute:Functions"),
        ("function", None, "aws", "aws.compute:Lambda"),
        ("nosql_database", None, "gcp", "gcp.database:Bigtable"),
        ("stream", None, "gcp", "gcp.analytics:Pubsub"),
        ("function", "Cloud Functions", None, "gcp.compute:Functions"),
        ("service", "AWS EC2", None, "aws.compute:EC2"),
        ("service", "Kubernetes Pod", None, "k8s.compute:Pod"),
        ("service", "AWS::EC2::InternetGateway", None, "aws.network:InternetGateway"),
        ("cache", "redis", "aws", "onprem.inmemory:Redis"),  # a tech's own icon wins
        ("dns", None, None, NEUTRAL_ICONS["dns"]),
    ],
)
def test_icon_for(kind: str, tech: str | None, provider: str | None, icon: str) -> None:
    assert icon_for(kind, tech, provider=provider) == icon


def test_provider_is_inherited_design_group_component() -> None:
    design = loads(
        """
title: P
provider: gcp
groups:
  - {id: edge, provider: aws}
  - {id: inner, parent: edge}
components:
  - {id: f, kind: function}
  - {id: g, kind: function, group: inner}
  - {id: h, kind: function, group: inner, provider: azure}
"""
    )
    nodes = {n.id: n.provider for n in overview(design).nodes}
    assert nodes == {"f": "gcp", "g": "aws", "h": "azure"}
    plain = loads("title: N\ncomponents:\n  - {id: f, kind: function}\n")
    assert overview(plain).nodes[0].provider is None


def test_a_bad_provider_is_a_spec_error() -> None:
    from diagramgen.errors import SpecError

    with pytest.raises(SpecError):
        loads("title: N\nprovider: ibm\ncomponents: []\n")


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("TransitGateway attachment", ["TransitGateway", "attachment"]),
        ("HorizontalPodAutoscaler", ["HorizontalPod", "Autoscaler"]),
        ("aws::ec2::InternetGateway", ["aws::ec2::Internet", "Gateway"]),
        ("ingest-worker-pool-east", ["ingest-worker-", "pool-east"]),
        ("</script><script>alert(1)", ["</script><script>alert(1)"]),  # no break point
        ("login, read, write (mTLS)", ["login, read, write", "(mTLS)"]),
    ],
)
def test_captions_break_at_boundaries_never_inside_a_word(text: str, lines: list[str]) -> None:
    assert wrap(text) == lines
