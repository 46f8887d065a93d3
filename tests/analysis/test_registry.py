"""The rule registry: discovery, refusals, documentation, and the README's rule table."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from diagramgen import loads
from diagramgen.analysis import Hit, Registry, Rule, RuleError, analyze, default_registry
from diagramgen.analysis.context import Context
from diagramgen.analysis.registry import main, replace_readme_table, rules_table

ROOT = Path(__file__).resolve().parents[2]
TOPICS_MIN = {"reliability": 5, "scalability": 3, "storage": 3, "performance": 5, "capacity": 1}


class _Fine(Rule):
    """Finds nothing.

    ## What it does
    Nothing.

    ## Why is this bad?
    It is not.

    ## Example
    ```yaml
    components: []
    ```

    Use instead: anything.
    """

    code = "DG901"
    name = "finds-nothing"
    severity = "info"
    topic = "storage"

    def check(self, ctx: Context) -> Iterator[Hit]:
        """Nothing to report."""
        return iter(())


def test_registry_refuses_duplicate_codes_and_names() -> None:
    registry = Registry()
    registry.register(_Fine)
    with pytest.raises(RuleError, match="duplicate rule code DG901"):
        registry.register(type("Again", (_Fine,), {"name": "other-name", "__doc__": _Fine.__doc__}))
    with pytest.raises(RuleError, match="duplicate rule name 'finds-nothing'"):
        registry.register(type("Same", (_Fine,), {"code": "DG902", "__doc__": _Fine.__doc__}))


@pytest.mark.parametrize(
    ("attrs", "message"),
    [
        ({"code": "X1"}, "code must look like 'DG101'"),
        ({"name": "Not Kebab"}, "name must be kebab-case"),
        ({"severity": "fatal"}, "severity must be one of"),
        ({"topic": "style"}, "topic must be one of"),
        ({"__doc__": "Finds nothing.\n\n## What it does\nNothing."}, "docstring lacks"),
    ],
)
def test_registry_refuses_incomplete_rules(attrs: dict[str, str], message: str) -> None:
    attrs = {"__doc__": _Fine.__doc__, **attrs}
    with pytest.raises(RuleError, match=message):
        Registry().register(type("Broken", (_Fine,), attrs))


def test_builtin_rules_cover_the_topics() -> None:
    rules = list(default_registry())
    assert len(rules) >= 15
    assert [r.code for r in rules] == sorted(r.code for r in rules)
    for topic, least in TOPICS_MIN.items():
        assert sum(r.topic == topic for r in rules) >= least, topic


@pytest.mark.parametrize("rule", list(default_registry()), ids=lambda r: r.code)
def test_the_documented_example_triggers_the_rule(rule: Rule) -> None:
    example = rule.doc_section("## Example")
    m = re.search(r"```yaml\n(.*?)```", example, re.DOTALL)
    assert m, f"{rule.code}: the example has no yaml block"
    analysis = analyze(loads(m.group(1)))
    assert rule.code in {f.code for f in analysis.findings}, rule.code
    assert rule.doc_section("## Why is this bad?")
    assert rule.doc_section("Use instead:")


def test_readme_rule_table_is_current() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    assert replace_readme_table(readme, rules_table()) == readme, (
        "README's rule table is stale: run `python -m diagramgen.analysis --readme README.md`"
    )


def test_readme_regeneration_command(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("# x\n<!-- rules:start -->\nold\n<!-- rules:end -->\ntail\n", "utf-8")
    assert main(["--check", str(readme)]) == 1
    assert main(["--readme", str(readme)]) == 0
    text = readme.read_text("utf-8")
    assert "| `DG101` | `single-point-of-failure` | warning | reliability |" in text
    assert text.endswith("<!-- rules:end -->\ntail\n")
    assert main(["--check", str(readme)]) == 0
