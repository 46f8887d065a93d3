"""Latency (M/M/c), availability and cost: the formulas against worked textbook values,
the defaults' sources, and what the notes, the JSON and the diff report."""

from __future__ import annotations

import json
import math

import pytest

from diagramgen import loads
from diagramgen.analysis import analyze
from diagramgen.analysis import defaults as d
from diagramgen.analysis.availability import (
    component_availability,
    downtime_per_month,
    downtime_per_year,
    parallel,
    series,
)
from diagramgen.analysis.context import Context
from diagramgen.analysis.estimates import estimate
from diagramgen.analysis.latency import Hop, hop_class, percentiles
from diagramgen.analysis.queueing import Queue, erlang_b, erlang_c
from diagramgen.rendering.notes import render_notes
from diagramgen.spec.units import human_percent, parse_percent

# ---------------------------------------------------------------- Erlang C


def _erlang_c_direct(c: int, a: float) -> float:
    """The textbook closed form, summed term by term."""
    top = a**c / math.factorial(c) * c / (c - a)
    return top / (sum(a**k / math.factorial(k) for k in range(c)) + top)


def test_erlang_c_mm2_at_half_load_is_one_third() -> None:
    # M/M/2 at rho = 0.5: P(wait) = 2 rho^2 / (1 + rho) = 1/3.
    assert erlang_c(2, 1.0) == pytest.approx(1 / 3)


def test_erlang_c_mm1_is_the_utilisation() -> None:
    assert erlang_c(1, 0.7) == pytest.approx(0.7)


def test_erlang_c_call_centre_example() -> None:
    # The classic worked example: 360 calls per half hour, 4-minute calls, 55 agents:
    # A = 48 erlangs, P(wait) ~ 0.239, average speed of answer ~ 8.2 s, 84.6% answered
    # within 15 s.
    q = Queue(servers=55, mu=1 / 240, lam=360 / 1800)
    assert q.lam / q.mu == pytest.approx(48)
    assert q.wait_probability == pytest.approx(0.2387, abs=5e-4)
    assert q.mean_wait == pytest.approx(8.18, abs=0.01)
    answered = 1 - q.wait_probability * math.exp(-q.drain_rate * 15)
    assert answered == pytest.approx(0.846, abs=5e-4)


@pytest.mark.parametrize(("c", "a"), [(1, 0.3), (3, 2.0), (10, 8.5), (55, 48.0), (100, 97.0)])
def test_erlang_c_recursion_matches_the_closed_form(c: int, a: float) -> None:
    assert erlang_c(c, a) == pytest.approx(_erlang_c_direct(c, a), rel=1e-9)


def test_erlang_b_single_server() -> None:
    assert erlang_b(1, 1.0) == pytest.approx(0.5)


def test_saturated_queue_waits_forever() -> None:
    q = Queue(servers=4, mu=100, lam=400)
    assert q.saturated and q.mean_wait == math.inf and q.wait_percentile(0.5) == math.inf


def test_wait_percentile_is_zero_when_few_requests_wait() -> None:
    q = Queue(servers=10, mu=100, lam=100)  # 10% utilisation: almost nobody waits
    assert q.wait_percentile(0.99) == 0.0


# ---------------------------------------------------------------- percentiles of a sum


def _hop(service: float, rtt: float = 0.0, reach: float = 1.0, queue: Queue | None = None) -> Hop:
    return Hop("x", "caller", "same_zone", rtt, service, "test", reach, queue)


def test_one_exponential_gives_its_quantiles() -> None:
    p50, p99 = percentiles([_hop(0.010)])
    assert p50 == pytest.approx(0.010 * math.log(2), rel=1e-3)
    assert p99 == pytest.approx(0.010 * math.log(100), rel=1e-3)


def test_two_exponentials_give_the_erlang_2_quantiles() -> None:
    # Gamma(k=2, theta): median 1.6783 theta, 99th percentile 6.6384 theta.
    p50, p99 = percentiles([_hop(0.010), _hop(0.010)])
    assert p50 == pytest.approx(0.016783, rel=5e-3)
    assert p99 == pytest.approx(0.066384, rel=5e-3)


def test_round_trips_shift_the_distribution() -> None:
    p50, _ = percentiles([_hop(0.010, rtt=0.030)])
    assert p50 == pytest.approx(0.030 + 0.010 * math.log(2), rel=2e-3)


def test_a_hop_few_requests_reach_leaves_the_median() -> None:
    # 80% never reach the slow hop, so the median is the 62.5th percentile of the fast one.
    p50 = percentiles([_hop(0.001), _hop(0.100, reach=0.2)])[0]
    assert p50 == pytest.approx(-0.001 * math.log(1 - 0.5 / 0.8), rel=0.02)


def test_queueing_wait_adds_its_tail() -> None:
    q = Queue(servers=1, mu=1000, lam=900)  # M/M/1 at 90%: wait rate 100/s, P(wait) 0.9
    _, p99 = percentiles([Hop("x", "c", None, 0.0, 0.0, "t", 1.0, q)])
    assert p99 == pytest.approx(math.log(0.9 / 0.01) / 100, rel=5e-3)


# ---------------------------------------------------------------- availability


def test_series_availability_multiplies() -> None:
    assert human_percent(series([0.9999, 0.9995, 0.999])) == "99.84%"


def test_parallel_availability() -> None:
    assert parallel(0.995, 2) == pytest.approx(0.999975)


def test_downtime_of_three_nines() -> None:
    assert downtime_per_year(0.999) / 3600 == pytest.approx(8.76)
    assert downtime_per_month(0.999) / 60 == pytest.approx(43.2)


def _ctx(text: str) -> Context:
    design = loads(text)
    return Context(design, estimate(design))


def test_component_availability_order() -> None:
    ctx = _ctx(
        """
components:
  - {id: declared, kind: service, availability: 99.95%}
  - {id: psp, kind: external, sla: 99.9}
  - {id: table, kind: nosql_database, tech: Amazon DynamoDB}
  - {id: api, kind: service, replicas: 3}
  - {id: one, kind: service}
  - {id: db, kind: sql_database, replicas: 2}
  - {id: ha, kind: sql_database, replicas: 2, replication: sync}
"""
    )
    got = {c.id: component_availability(ctx, c).availability for c in ctx.components}
    assert got["declared"] == pytest.approx(0.9995)
    assert got["psp"] == pytest.approx(0.999)
    assert got["table"] == pytest.approx(0.9999)  # DynamoDB's SLA, through the alias table
    assert got["api"] == pytest.approx(0.9999)  # 1 - 0.005^3, capped at the region SLA
    assert got["one"] == pytest.approx(0.995)
    assert got["db"] == pytest.approx(0.995)  # replicas without replication: no failover
    assert got["ha"] == pytest.approx(0.9995)


def test_every_default_has_a_source_and_a_basis() -> None:
    tables = [
        d.KIND_LATENCY,
        d.TECH_LATENCY,
        d.NETWORK_RTT,
        d.KIND_AVAILABILITY,
        d.TECH_AVAILABILITY,
        d.STRATEGY_RTO,
        d.OBJECT_STORAGE_PRICE,
        d.BLOCK_STORAGE_PRICE,
    ]
    rows = [f for table in tables for f in table.values()]
    rows += [d.EC2_INSTANCE, d.EC2_REGION, d.DB_FAILOVER, d.BACKUP_RPO]
    rows += [d.ASYNC_REPLICATION_RPO, d.CDN_EGRESS_PRICE, d.INTERNET_EGRESS_PRICE]
    for row in rows:
        assert row.source.startswith("http") and row.basis, row
    from diagramgen.spec.models import KINDS

    assert set(d.KIND_LATENCY) == set(KINDS)
    assert d.PRICES_AS_OF


def test_percent_fields() -> None:
    assert parse_percent("99.95%") == pytest.approx(0.9995)
    assert parse_percent(0.999) == 0.999
    with pytest.raises(ValueError, match=r"99\.95%"):
        parse_percent(99.95)


# ---------------------------------------------------------------- flows

SHOP = """
name: shop
workload:
  peak_factor: 2
  operations:
    - {name: browse, rate: 1k/s, size: 20KB, access: read}
    - {name: order, rate: 10/s, size: 2KB, retention: 5y}
components:
  - {id: web, kind: client}
  - {id: cdn, kind: cdn, hit_ratio: 0.5}
  - {id: lb, kind: load_balancer, replicas: 2}
  - {id: api, kind: service, replicas: 3, latency: 5ms}
  - {id: cache, kind: cache, replicas: 2, hit_ratio: 0.9}
  - {id: db, kind: sql_database, replicas: 2, replication: sync, storage_class: standard}
  - {id: q, kind: queue, replicas: 3}
  - {id: mailer, kind: worker, replicas: 2}
  - {id: media, kind: object_storage, region: us-east-1}
  - {id: far, kind: service, replicas: 2, region: eu-west-1}
flows:
  - name: browse
    latency_budget: 200ms
    slo: 99.5%
    steps: ["web -> cdn", "cdn -> lb: miss", "lb -> api", "api -> cache: get", "api -> db: read"]
  - name: order
    steps: ["web -> lb", "lb -> api", "api -> db: insert", "api ~> q: order placed",
            "q -> mailer: send mail"]
  - name: report
    steps: ["media -> far: copy"]
"""


def test_flow_json_contract() -> None:
    data = analyze(loads(SHOP)).to_json()
    flows = {f["name"]: f for f in data["flows"]}
    browse = flows["browse"]
    for key in ("name", "latency_p50_ms", "latency_p99_ms", "availability",
                "downtime_per_year_s", "budget_ms", "slo"):  # fmt: skip
        assert key in browse
    assert browse["budget_ms"] == pytest.approx(200)
    assert browse["slo"] == pytest.approx(0.995)
    assert 0 < browse["latency_p50_ms"] < browse["latency_p99_ms"] < 200
    year = 365 * 86400
    assert browse["downtime_per_year_s"] == pytest.approx((1 - browse["availability"]) * year)
    assert browse["budget_met"] is True and browse["slo_met"] is True
    # The async hand-off leaves the response time; the mailer is reported apart.
    order = flows["order"]
    sync = [s["component"] for s in order["steps"] if not s["async"]]
    assert sync == ["web", "lb", "api", "db"]
    assert [s["component"] for s in order["steps"] if s["async"]] == ["q", "mailer"]
    assert order["async_latency_p99_ms"] > 0
    # Only 50% pass the CDN and 10% of those miss the cache.
    reach = {s["component"]: s["reach"] for s in browse["steps"]}
    assert reach["lb"] == pytest.approx(0.5) and reach["db"] == pytest.approx(0.05)
    cost = data["estimates"]["cost"]
    assert cost["storage_per_month"] > 0 and cost["egress_per_month"] > 0
    store = next(s for s in cost["stores"] if s["component"] == "db")
    assert {"storage_per_month", "egress_per_month"} <= set(store)


def test_cost_arithmetic_and_price_overrides() -> None:
    # order: 10/s x 2 KB x 5 y = 3.15 TB kept; 2 copies of disk at $0.08 per GB-month.
    cost = analyze(loads(SHOP)).cost
    assert cost is not None
    db = next(s for s in cost.stores if s.component == "db")
    assert db.stored_bytes == pytest.approx(10 * 2000 * 5 * 365 * 86400)
    assert db.storage_per_month == pytest.approx(db.stored_bytes / 1e9 * 2 * 0.08)
    # browse: 1k/s x 20 KB x 30 days through the CDN at $0.085 per GB.
    cdn = next(e for e in cost.egress if e.component == "cdn")
    assert cdn.egress_per_month == pytest.approx(1000 * 20e3 * 30 * 86400 / 1e9 * 0.085)
    cheaper = SHOP.replace("name: shop", "name: shop\nprices: {block_storage: {standard: 0.04}}")
    cheap = analyze(loads(cheaper)).cost
    assert cheap is not None and cheap.prices.overridden == ("block_storage.standard",)
    assert cheap.storage_per_month == pytest.approx(cost.storage_per_month / 2)
    archived = SHOP.replace("storage_class: standard", "storage_class: archive")
    assert analyze(loads(archived)).cost.storage_per_month < cost.storage_per_month  # type: ignore[union-attr]


def test_hop_classes() -> None:
    ctx = _ctx(SHOP)
    c = ctx.component
    assert hop_class(ctx, c("web"), c("cdn")) == "edge"
    assert hop_class(ctx, c("web"), c("lb")) == "internet"
    assert hop_class(ctx, c("cdn"), c("lb")) == "internet"
    assert hop_class(ctx, c("lb"), c("api")) == "cross_zone"
    assert hop_class(ctx, c("media"), c("far")) == "cross_region"


def test_saturated_component_makes_the_flow_unbounded() -> None:
    text = """
workload:
  operations: [{name: read, rate: 5k/s, access: read}]
components:
  - {id: web, kind: client}
  - {id: api, kind: service, replicas: 2, capacity: 1k/s}
flows:
  - {name: read, latency_budget: 1s, steps: ["web -> api"]}
"""
    analysis = analyze(loads(text))
    flow = analysis.to_json()["flows"][0]
    assert flow["latency_p99_ms"] is None and flow["unbounded_by"] == ["api"]
    notes = render_notes(loads(text), analysis)
    assert "| read | unbounded" in notes and "**saturated**" in notes
    assert any(f.code == "DG701" and "no bounded response time" in f.message
               for f in analysis.findings)  # fmt: skip


def test_notes_sections_carry_their_formulas() -> None:
    notes = render_notes(loads(SHOP))
    for heading in ("## Latency", "## Availability", "## Cost"):
        assert heading in notes
    assert "[^lat1]: browse:" in notes and "[^av1]: browse:" in notes
    assert "x 2 copies x $0.08 per GB-month" in notes
    assert "**Total:**" in notes


def test_notes_json_from_the_cli(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from diagramgen.cli import app

    spec = tmp_path / "shop.yaml"
    spec.write_text(SHOP, "utf-8")
    result = CliRunner().invoke(app, ["notes", str(spec), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [f["name"] for f in data["flows"]] == ["browse", "order", "report"]
    assert data["estimates"]["cost"]["currency"] == "USD"


def test_diff_reports_latency_availability_and_cost() -> None:
    from diagramgen.diffing import diff_designs
    from diagramgen.diffing.changelog import to_markdown

    old = loads(SHOP.replace("latency: 5ms", "latency: 40ms"))
    faster = SHOP.replace(
        "{id: lb, kind: load_balancer, replicas: 2}",
        "{id: lb, kind: load_balancer, replicas: 2, availability: 99.999%}",
    ).replace("storage_class: standard", "storage_class: archive")
    text = to_markdown(diff_designs(old, loads(faster)))
    assert "- browse p99 from " in text and " ms to " in text
    assert "- availability of browse from 99." in text
    assert "- storage cost after 5y from $" in text and " a month" in text
