"""The notes Markdown: specific figures, topics, findings, decisions, escaping, bytes."""

from __future__ import annotations

from pathlib import Path

from diagramgen import load, loads
from diagramgen.analysis import analyze
from diagramgen.rendering.notes import render_notes
from tests.conftest import check_golden

ROOT = Path(__file__).resolve().parents[2]

SHOP = """
name: shop
title: Shop <b>|checkout|</b>
description: Orders *and* payments.
workload:
  operations:
    - {name: browse, rate: 20M/day, size: 4KB}
    - {name: order, rate: 200k/day, size: 2KB, retention: 2y}
components:
  - {id: web, kind: client, label: "Browser | app"}
  - {id: lb, kind: load_balancer, replicas: 2}
  - {id: api, kind: service, replicas: 3, autoscaling: {min: 3, max: 10}}
  - {id: db, kind: sql_database, tech: postgresql, replicas: 2, replication: sync,
     indexes: [customer_id]}
  - {id: psp, kind: external, label: Payments, sla: 99.95,
     ignore: {DG106: "card authorisation must be synchronous"}}
connections: [web -> lb, lb -> api, "api -> db: orders by email", api -> psp]
flows:
  - {name: browse, steps: [web -> lb, lb -> api, api -> db]}
  - {name: order, steps: [web -> lb, lb -> api, api -> db, api -> psp]}
decisions:
  - title: PostgreSQL for orders
    context: Orders need transactions across line items.
    chosen: PostgreSQL
    alternatives: [DynamoDB]
    because: ACID transactions
    consequences: [one primary takes every write]
"""


def test_notes_golden() -> None:
    check_golden("analysis/shop-notes.md", render_notes(loads(SHOP)))


def test_notes_are_specific_and_escaped() -> None:
    text = render_notes(loads(SHOP))
    assert text.startswith("# Shop \\<b\\>\\|checkout\\|\\</b\\>\n")
    assert "| browse | read | 231/s | 463/s | 926 KB/s | 1.85 MB/s | - |" in text
    assert "- order: 200k/day = 2.31/s; x 2 = 4.63/s at peak" in text
    for heading in ("## Summary", "## Capacity estimates", "### Load per component",
                    "## Tradeoffs", "### Reliability", "## Findings", "## Decisions"):  # fmt: skip
        assert f"\n{heading}\n" in text
    assert "**DG303** warning `db`" in text  # orders by email, no index on email
    assert "- **DG106** `psp`: card authorisation must be synchronous" in text
    assert "**Context.** Orders need transactions across line items." in text
    assert "Browser \\| app" in text


def test_url_shortener_notes_read_like_a_review() -> None:
    design = load(ROOT / "specs" / "url_shortener.yaml")
    text = render_notes(design)
    assert text == render_notes(design)  # same design, same bytes
    assert "| shorten | write | 1.16k/s | 3.47k/s | 579 KB/s | 1.74 MB/s | 91.3 TB (5y) |" in text
    assert "x 5y kept = 91.3 TB stored" in text
    assert "redirect 10B/day x 500 B x 20% = 1 TB" in text
    analysis = analyze(design)
    for f in analysis.findings:
        assert f"**{f.code}**" in text


def test_notes_without_workload() -> None:
    text = render_notes(loads("components: [{id: a, kind: service, replicas: 2}]"))
    assert "none given, so no capacity estimates" in text
    assert "## Capacity estimates" not in text
