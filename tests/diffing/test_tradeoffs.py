"""The tradeoff delta: findings matched by code and component through renames; estimates."""

from __future__ import annotations

import pytest

from diagramgen.analysis import Finding
from diagramgen.diffing import diff_designs
from diagramgen.diffing.tradeoffs import finding_delta
from diagramgen.spec.loader import loads
from tests.diffing.conftest import NEW_SPEC, OLD_SPEC, dg101_only

CHAIN = """\
components:
  - {id: web, kind: client}
  - {id: api, kind: service, replicas: 2}
  - {id: db, kind: sql_database}
connections: [web -> api, api -> db]
"""


def finding(code: str, component: str | None, message: str = "m") -> Finding:
    return Finding(code, "some-rule", "warning", "reliability", component, message)


def test_resolved_finding_when_replicas_grow() -> None:
    new = CHAIN.replace("sql_database}", "sql_database, replicas: 2}")
    result = diff_designs(loads(CHAIN), loads(new), registry=dg101_only())
    assert result.tradeoffs is not None
    assert [(f.code, f.component) for f in result.tradeoffs.resolved] == [("DG101", "db")]
    assert result.tradeoffs.appeared == []


def test_appeared_finding_when_replicas_shrink() -> None:
    new = CHAIN.replace("replicas: 2", "replicas: 1")
    result = diff_designs(loads(CHAIN), loads(new), registry=dg101_only())
    assert result.tradeoffs is not None
    assert [(f.code, f.component) for f in result.tradeoffs.appeared] == [("DG101", "api")]
    assert result.tradeoffs.resolved == []


def test_a_renamed_component_keeps_its_findings() -> None:
    result = diff_designs(loads(CHAIN), loads(CHAIN.replace("db", "store")))
    assert result.renamed == {"db": "store"}
    assert result.tradeoffs is not None
    assert not result.tradeoffs.appeared and not result.tradeoffs.resolved


def test_findings_matched_by_code_and_component_then_message() -> None:
    old = [finding("DG101", "a"), finding("DG102", None, "x"), finding("DG102", None, "y")]
    new = [finding("DG101", "a", "reworded"), finding("DG102", None, "y"), finding("DG103", "b")]
    appeared, resolved = finding_delta(old, new, {})
    assert [(f.code, f.component, f.message) for f in appeared] == [("DG103", "b", "m")]
    assert [(f.code, f.component, f.message) for f in resolved] == [("DG102", None, "x")]


def test_silenced_findings_do_not_count() -> None:
    silenced = Finding("DG101", "spof", "warning", "reliability", "a", "m", suppressed="ok")
    appeared, resolved = finding_delta([finding("DG101", "a")], [silenced], {})
    assert appeared == [] and [f.component for f in resolved] == ["a"]


def test_estimates_moved() -> None:
    result = diff_designs(loads(OLD_SPEC), loads(NEW_SPEC))
    assert result.tradeoffs is not None
    (order,) = result.tradeoffs.estimates
    assert order.operation == "order"
    assert order.old_storage_bytes == pytest.approx(91.25e12)  # 100M/day x 500 B x 5 years
    assert order.new_storage_bytes == 2 * order.old_storage_bytes
    assert order.old_peak_per_second == order.new_peak_per_second
    assert result.tradeoffs.new_storage_bytes == 2 * result.tradeoffs.old_storage_bytes
