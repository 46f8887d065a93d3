"""The changelog in Markdown and JSON: golden files, the design.md shape, escaping."""

from __future__ import annotations

import json

from diagramgen.diffing import diff_designs
from diagramgen.diffing.changelog import to_json, to_markdown
from diagramgen.spec.loader import loads
from tests.conftest import check_golden
from tests.diffing.conftest import NEW_SPEC, OLD_SPEC, dg101_only


def sample() -> tuple[str, str]:
    result = diff_designs(loads(OLD_SPEC), loads(NEW_SPEC), registry=dg101_only())
    markdown = to_markdown(result, "specs/shop.yaml@HEAD~1", "specs/shop.yaml")
    data = to_json(result, "specs/shop.yaml@HEAD~1", "specs/shop.yaml")
    return markdown, json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def test_golden_markdown() -> None:
    check_golden("diff/changelog.md", sample()[0])


def test_golden_json() -> None:
    check_golden("diff/changelog.json", sample()[1])


def test_json_has_the_design_md_shape() -> None:
    data = json.loads(sample()[1])
    for section in ("components", "connections", "groups"):
        assert set(data[section]) >= {"added", "removed", "changed"}
    assert data["components"]["added"] == ["search"]
    assert data["components"]["removed"] == ["legacy"]
    assert data["components"]["changed"]["db"] == {"replicas": [1, 3]}
    assert data["components"]["renamed"] == {"cache": "session_cache"}
    assert data["connections"]["added"] == [["api", "search"]]
    assert data["connections"]["removed"] == [["api", "legacy"]]
    assert data["connections"]["changed"] == {
        "api -> db": {"label": ["orders", "orders and refunds"]}
    }


def test_markdown_reads_as_a_reviewer_expects() -> None:
    markdown = sample()[0]
    assert "- **changed** `db`: replicas `1` → `3`" in markdown
    assert "- **renamed** `cache` → `session_cache`" in markdown
    assert "DG101 single point of failure on `db`: no longer flagged" in markdown
    assert "storage (kept 5y → 10y) grew from 91.3 TB to 183 TB" in markdown


def test_no_changes() -> None:
    result = diff_designs(loads(OLD_SPEC), loads(OLD_SPEC))
    assert to_markdown(result, "a", "b") == "# Changes to Shop\n\n`a` → `b`: no changes.\n"
    assert to_json(result)["changed"] is False


def test_spec_text_cannot_inject_markdown() -> None:
    old = "title: '*Bold* <b>x</b> [link](http://e)'\ncomponents: [{id: a, kind: service}]\n"
    new = old.replace("service}", "service, label: 'x`y'}")
    markdown = to_markdown(diff_designs(loads(old), loads(new)))
    assert markdown.startswith("# Changes to \\*Bold\\* \\<b>x\\</b> \\[link\\](http://e)\n")
    assert "label `none` → ``x`y``" in markdown
