"""The one runner for every rule's pass/fail cases in `rule_cases/DGxxx.yml`.

Each file names its rule and lists cases: a spec, the findings of that rule expected
from it (component and message fragments, in order), and how many are suppressed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from diagramgen import loads
from diagramgen.analysis import analyze, default_registry

CASES = Path(__file__).parent / "rule_cases"


def _cases() -> list[Any]:
    yaml = YAML(typ="safe", pure=True)
    params = []
    for path in sorted(CASES.glob("*.yml")):
        data = yaml.load(path.read_text("utf-8"))
        assert data["rule"] == path.stem, f"{path.name} holds cases for {data['rule']}"
        for case in data["cases"]:
            params.append(pytest.param(data["rule"], case, id=f"{data['rule']}-{case['name']}"))
    return params


@pytest.mark.parametrize(("code", "case"), _cases())
def test_rule_case(code: str, case: dict[str, Any]) -> None:
    analysis = analyze(loads(case["spec"]))
    found = [f for f in analysis.findings if f.code == code]
    expected = case.get("findings") or []
    assert len(found) == len(expected), "\n".join(f.message for f in found)
    for finding, want in zip(found, expected, strict=True):
        assert finding.component == want.get("component"), finding.message
        if "severity" in want:
            assert finding.severity == want["severity"], finding.message
        for fragment in want.get("contains", []):
            assert fragment in finding.message, f"{fragment!r} not in {finding.message!r}"
    suppressed = [f for f in analysis.suppressed if f.code == code]
    assert len(suppressed) == case.get("suppressed", 0)
    assert all(f.suppressed for f in suppressed)


def test_every_rule_has_failing_and_passing_cases() -> None:
    yaml = YAML(typ="safe", pure=True)
    files = {p.stem: yaml.load(p.read_text("utf-8")) for p in CASES.glob("*.yml")}
    assert sorted(files) == default_registry().codes
    for code, data in files.items():
        outcomes = {bool(case.get("findings")) for case in data["cases"]}
        assert outcomes == {True, False}, f"{code} needs a failing and a passing case"
