"""Capacity estimates and the load model, checked against hand arithmetic."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from diagramgen import load, loads
from diagramgen.analysis import analyze, estimate
from diagramgen.analysis.context import Context
from diagramgen.spec.units import human_bandwidth, human_rate, human_size

ROOT = Path(__file__).resolve().parents[2]

SHORTENER = """
workload:
  peak_factor: 3
  operations:
    - {name: shorten, rate: 100M/day, size: 500B, retention: 5y}
    - {name: redirect, rate: 10B/day, size: 500B}
"""


def test_url_shortener_arithmetic_by_hand() -> None:
    est = estimate(loads(SHORTENER))
    shorten, redirect = est.operations
    # 100M/day over 86,400 s; peak x3; x 500 B; x 5 x 365 days.
    assert shorten.avg_per_second == pytest.approx(1e8 / 86_400)
    assert shorten.peak_per_second == pytest.approx(3472.222, rel=1e-6)
    assert shorten.bandwidth_bytes_per_second == pytest.approx(578_703.7, rel=1e-6)
    assert shorten.storage_bytes == pytest.approx(1e8 * 500 * 5 * 365)
    assert shorten.storage_bytes == pytest.approx(9.125e13)
    assert (human_rate(shorten.avg_per_second), human_bandwidth(578_703.7)) == (
        "1.16k/s",
        "579 KB/s",
    )
    assert human_size(shorten.storage_bytes) == "91.3 TB"
    assert shorten.access == "write" and shorten.cache_bytes is None
    # Reads keep nothing; their hot set is 20% of a day's reads: 10B x 500 B x 0.2 = 1 TB.
    assert redirect.access == "read" and redirect.storage_bytes is None
    assert redirect.cache_bytes == pytest.approx(1e12)
    assert est.read_write_ratio == pytest.approx(100)
    assert est.peak_per_second == pytest.approx(3 * (1e8 + 1e10) / 86_400)


def test_defaults_and_missing_quantities() -> None:
    est = estimate(loads("workload: {operations: [{name: a, rate: 10/s, retention: 1d}]}"))
    (op,) = est.operations
    assert est.peak_factor == 2 and op.peak_per_second == 20
    assert op.bandwidth_bytes_per_second is None and op.storage_bytes is None
    empty = estimate(loads("components: [{id: a, kind: service}]"))
    assert empty.operations == [] and empty.peak_factor == 2 and empty.read_write_ratio is None


def test_json_has_the_documented_shape() -> None:
    data = analyze(load(ROOT / "specs" / "url_shortener.yaml")).to_json()
    ops = {op["name"]: op for op in data["estimates"]["operations"]}
    assert data["estimates"]["peak_factor"] == 3
    assert ops["shorten"]["avg_per_second"] == pytest.approx(1157.4, abs=0.05)
    assert ops["shorten"]["peak_per_second"] == pytest.approx(3472.2, abs=0.05)
    assert ops["shorten"]["bandwidth_bytes_per_second"] == pytest.approx(578703.7, abs=0.05)
    assert ops["shorten"]["storage_bytes"] == pytest.approx(9.13e13, rel=1e-3)
    assert ops["redirect"]["storage_bytes"] is None
    for finding in data["findings"]:
        assert {"code", "severity", "component", "message"} <= finding.keys()
        assert finding["severity"] in ("error", "warning", "info")
    json.dumps(data, allow_nan=False)  # plain JSON, no NaN or infinities


def test_analysis_is_deterministic() -> None:
    design = load(ROOT / "specs" / "url_shortener.yaml")
    first, second = analyze(design).to_json(), analyze(design).to_json()
    assert json.dumps(first) == json.dumps(second)
    keys = [(f["code"], f["component"] or "", f["message"]) for f in first["findings"]]
    assert keys == sorted(keys)


LOAD_SPEC = """
workload:
  peak_factor: 1
  operations:
    - {name: read, rate: 1000/s, size: 1KB}
    - {name: write, rate: 100/s, size: 1KB, retention: 1d}
    - {name: report, rate: 1/s}
components:
  - {id: web, kind: client}
  - {id: cdn, kind: cdn, hit_ratio: 0.5}
  - {id: api, kind: service, replicas: 2, capacity: 800/s}
  - {id: cache, kind: cache, hit_ratio: 0.9}
  - {id: db, kind: sql_database}
  - {id: events, kind: stream}
flows:
  - {name: read, steps: [web -> cdn, cdn -> api, api -> cache, api -> db, api ~> events]}
  - {name: save, operations: [write], steps: [web -> cdn, cdn -> api, api -> db]}
"""


def test_load_model_cdn_and_cache_misses() -> None:
    analysis = analyze(loads(LOAD_SPEC))
    loads_ = {load.component: load for load in analysis.loads}
    # Reads: the CDN serves half, so 500/s reach the API and the stream; the cache serves
    # 90% of those, so the database sees 50/s. Writes pass everything: 100/s each.
    assert loads_["cdn"].peak_per_second == pytest.approx(1100)
    assert loads_["api"].peak_per_second == pytest.approx(600)
    assert loads_["events"].peak_per_second == pytest.approx(500)
    assert loads_["cache"].peak_per_second == pytest.approx(500)
    assert loads_["db"].read_peak_per_second == pytest.approx(50)
    assert loads_["db"].write_peak_per_second == pytest.approx(100)
    assert loads_["api"].capacity_per_second == 1600 and loads_["api"].basis == (
        "capacity in the spec"
    )
    assert loads_["api"].peak_bytes_per_second == pytest.approx(600e3)
    assert analysis.untraced_operations == ["report"]


def test_ignore_moves_findings_to_suppressed_and_flags_unknown_codes() -> None:
    spec = """
ignore: {DG104: "demo", DG999: "typo"}
components:
  - {id: web, kind: client}
  - {id: api, kind: service, ignore: {DG101: "pair outside the diagram", DG1O1: "typo"}}
connections: [web -> api]
"""
    analysis = analyze(loads(spec))
    assert {f.code for f in analysis.findings}.isdisjoint({"DG101", "DG104"})
    assert [(f.code, f.suppressed) for f in analysis.suppressed] == [
        ("DG101", "pair outside the diagram"),
        ("DG104", "demo"),
    ]
    assert [(u.component, u.code) for u in analysis.unknown_ignores] == [
        (None, "DG999"),
        ("api", "DG1O1"),
    ]
    data = analysis.to_json()
    assert data["summary"]["suppressed"] == 2
    assert data["suppressed"][0]["reason"] == "pair outside the diagram"


def test_public_api() -> None:
    import diagramgen

    analysis = diagramgen.analyze(loads(SHORTENER))
    assert analysis.estimates.operations[0].name == "shorten"


def test_a_write_flow_that_only_reads_a_store_stores_nothing_there() -> None:
    spec = """
workload:
  operations: [{name: publish, rate: 10/s, size: 1KB, retention: 1y}]
components:
  - {id: api, kind: service, replicas: 2}
  - {id: graph, kind: sql_database, replicas: 2}
  - {id: posts, kind: nosql_database, replicas: 3}
flows:
  - {name: publish, steps: ["api -> graph: get followers", "api -> posts: insert post"]}
"""
    design = loads(spec)
    analysis = analyze(design)
    by_id = {load.component: load for load in analysis.loads}
    assert by_id["graph"].read_peak_per_second == 20 and by_id["graph"].write_peak_per_second == 0
    assert by_id["posts"].write_peak_per_second == 20
    ctx = Context(design, analysis.estimates)
    assert ctx.stored_bytes("graph") == (0.0, [])
    assert ctx.stored_bytes("posts")[0] == pytest.approx(10 * 1000 * 365 * 86_400)


def test_key_space_caps_the_cache_estimate() -> None:
    est = estimate(
        loads("workload: {operations: [{name: r, rate: 1B/day, size: 1KB, key_space: 2000000}]}")
    )
    assert est.operations[0].cache_bytes == pytest.approx(2e9)
