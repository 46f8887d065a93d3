"""Public reference architectures nobody here designed, and the warnings the rules raise.

The specs in tests/reference/ recreate System Design Primer solutions and cloud vendors'
reference designs (each cites its source in its description); tests/examples/ holds the
classic mingrammer/diagrams examples. Every warning below was read and judged: the ones
a senior reviewer would accept are pinned as `ACCEPTED`; the few the rules still get wrong
are pinned as `KNOWN_FALSE_POSITIVES`, so that fixing one is a visible change here.

Before the second round of rule work the same 12 specs drew 118 warnings, 87 from the
rules counted here, of which 67 were false positives (tests/reference/BEFORE.txt holds
that run); now they draw 24, none of them false (tests/reference/AFTER.txt). The pastebin
DG405 is accepted with its message naming the read path (read_api), not the write side.
Capacity figures (DG301, DG304, DG5xx) belong to the capacity model and are counted apart.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import diagramgen

ROOT = Path(__file__).parent.parent
CAPACITY_CODES = {"DG301", "DG304", "DG501", "DG502", "DG503", "DG504", "DG505"}

# (code, component) of every warning a reviewer accepts, per spec.
ACCEPTED: dict[str, set[tuple[str, str | None]]] = {
    # One box per service in the Primer's diagrams: the load balancer and the memory
    # cache are drawn once, and the text never pairs them.
    "reference/pastebin.yaml": {
        ("DG101", "lb"),
        ("DG101", "cache"),
        ("DG405", "objects"),  # paste contents served from the object store, no CDN origin
    },
    "reference/twitter.yaml": {("DG101", "lb")},
    "reference/web_crawler.yaml": {("DG101", "lb"), ("DG101", "cache")},
    "reference/mint.yaml": {("DG101", "lb"), ("DG101", "cache")},
    # Managed services, ELB-fronted sibling instances per AZ, regions as groups: clean.
    "reference/aws_multi_region.yaml": set(),
    "reference/aws_event_driven.yaml": set(),
    # The baseline serves static content from Blob Storage through the app, no CDN.
    "reference/azure_baseline_web_app.yaml": {("DG405", "blobs")},
    # The demo's manifests run one replica of every Deployment, and redis-cart is one pod.
    "reference/gcp_online_boutique.yaml": {
        ("DG101", c)
        for c in (
            "frontend",
            "catalog",
            "currency",
            "cart",
            "redis_cart",
            "recommendation",
            "shipping",
            "ads",
            "checkout",
            "payment",
            "email",
        )
    },
    # mingrammer examples, analysed from their entry points (none has a client).
    "examples/clustered_web_services.yaml": {("DG101", "lb"), ("DG101", "memcached")},
    "examples/event_processing.yaml": {("DG101", "source")},
    "examples/onprem_colored.yaml": {("DG101", "ingress")},
    "examples/stateful_set.yaml": set(),
}

# Warnings the rules still raise that a reviewer would reject, with why. Empty: the last
# three went with general reasons, each with a rule case. Log shipping drawn as plain edges
# (onprem_colored: grpc -> Fluentd -> Kafka) is fire-and-forget, since a log shipper is
# telemetry (DG101 logging, stream); a secret store no traced flow calls is read at start-up
# and cached (azure_baseline_web_app: DG106 key_vault).
KNOWN_FALSE_POSITIVES: dict[str, set[tuple[str, str | None]]] = {}


def _warnings(path: Path) -> set[tuple[str, str | None]]:
    analysis = diagramgen.analyze(diagramgen.load(path))
    return {
        (f.code, f.component)
        for f in analysis.findings
        if f.severity == "warning" and f.code not in CAPACITY_CODES
    }


@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_reference_warnings(name: str) -> None:
    found = _warnings(ROOT / name)
    expected = ACCEPTED[name] | KNOWN_FALSE_POSITIVES.get(name, set())
    assert found == expected, f"new: {sorted(found - expected)}; gone: {sorted(expected - found)}"


def test_reference_totals() -> None:
    """24 warnings outside the capacity rules, none of them false positives (was 87 and 67)."""
    accepted = sum(len(v) for v in ACCEPTED.values())
    false = sum(len(v) for v in KNOWN_FALSE_POSITIVES.values())
    assert (accepted + false, false) == (24, 0)
    assert len(list((ROOT / "reference").glob("*.yaml"))) >= 8


def test_pastebin_contents_finding_names_the_read_path() -> None:
    """The Read API hands paste contents to clients; the write side never serves them."""
    analysis = diagramgen.analyze(diagramgen.load(ROOT / "reference/pastebin.yaml"))
    (finding,) = [f for f in analysis.findings if f.code == "DG405"]
    assert "read_api (Read API) serves clients content ('get contents')" in finding.message
    assert "client -> lb -> web -> read_api -> objects" in finding.message
    assert "write_api" not in finding.message
