"""The rule registry: every rule module under `diagramgen/analysis/rules/`, by code.

Rules are discovered from the package (`dg101.py` must define `DG101`), so adding a rule
is adding a file. The registry refuses duplicate codes and rules whose metadata or
docstring is incomplete. It also renders the README's rule table:

    python -m diagramgen.analysis --readme README.md    # rewrite the table
    python -m diagramgen.analysis --check README.md     # exit 1 when stale
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import sys
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from diagramgen.analysis.base import CODE_RE, DOC_SECTIONS, NAME_RE, SEVERITIES, TOPICS, Rule

README_START = "<!-- rules:start -->"
README_END = "<!-- rules:end -->"


class RuleError(ValueError):
    """A rule that cannot be registered: duplicate code, bad metadata or docstring."""


class Registry:
    """Rules by code; iteration is in code order."""

    def __init__(self) -> None:
        self._rules: dict[str, Rule] = {}
        self._names: dict[str, str] = {}

    def register(self, rule_cls: type[Rule]) -> type[Rule]:
        """Add a rule class (usable as a decorator); raises `RuleError` when it is invalid."""
        problems = validate_rule(rule_cls)
        if problems:
            raise RuleError(f"{rule_cls.__name__}: " + "; ".join(problems))
        if rule_cls.code in self._rules:
            other = type(self._rules[rule_cls.code]).__name__
            raise RuleError(f"duplicate rule code {rule_cls.code}: {rule_cls.__name__} and {other}")
        if rule_cls.name in self._names:
            raise RuleError(
                f"duplicate rule name {rule_cls.name!r}: {rule_cls.code} and "
                f"{self._names[rule_cls.name]}"
            )
        self._rules[rule_cls.code] = rule_cls()
        self._names[rule_cls.name] = rule_cls.code
        return rule_cls

    def __iter__(self) -> Iterator[Rule]:
        return iter(self._rules[code] for code in sorted(self._rules))

    def __len__(self) -> int:
        return len(self._rules)

    def __contains__(self, code: object) -> bool:
        return code in self._rules

    def get(self, code: str) -> Rule | None:
        """The rule with this code, or None."""
        return self._rules.get(code)

    @property
    def codes(self) -> list[str]:
        """Every code, sorted."""
        return sorted(self._rules)


def validate_rule(rule_cls: type[Rule]) -> list[str]:
    """What is wrong with a rule class's metadata and docstring (empty when it is fine)."""
    problems = []
    code = getattr(rule_cls, "code", None)
    if not isinstance(code, str) or not CODE_RE.match(code):
        problems.append(f"code must look like 'DG101', got {code!r}")
    name = getattr(rule_cls, "name", None)
    if not isinstance(name, str) or not NAME_RE.match(name):
        problems.append(f"name must be kebab-case, got {name!r}")
    if getattr(rule_cls, "severity", None) not in SEVERITIES:
        problems.append(f"severity must be one of {', '.join(SEVERITIES)}")
    if getattr(rule_cls, "topic", None) not in TOPICS:
        problems.append(f"topic must be one of {', '.join(TOPICS)}")
    doc = inspect.cleandoc(rule_cls.__doc__ or "")
    missing = [s for s in DOC_SECTIONS if s not in doc]
    if missing:
        problems.append("docstring lacks " + ", ".join(repr(s) for s in missing))
    if rule_cls.check is Rule.check:
        problems.append("check() is not implemented")
    return problems


def discover(package: str = "diagramgen.analysis.rules") -> Registry:
    """Import every rule module of a package, in name order, and register its rule."""
    registry = Registry()
    pkg = importlib.import_module(package)
    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{package}.{info.name}")
        rules = [
            obj
            for obj in vars(module).values()
            if inspect.isclass(obj)
            and issubclass(obj, Rule)
            and obj is not Rule
            and obj.__module__ == module.__name__
        ]
        if len(rules) != 1:
            raise RuleError(f"{module.__name__} must define exactly one rule, found {len(rules)}")
        if rules[0].code.lower() != info.name:
            raise RuleError(
                f"{module.__name__} defines {rules[0].code}: the module must be named "
                f"{rules[0].code.lower()}.py"
            )
        registry.register(rules[0])
    return registry


@lru_cache(maxsize=1)
def default_registry() -> Registry:
    """The built-in rules (discovered once)."""
    return discover()


def rules_table(registry: Registry | None = None) -> str:
    """The Markdown table of the rules, as the README shows it."""
    registry = registry or default_registry()
    lines = ["| code | name | severity | topic | finds |", "|---|---|---|---|---|"]
    for rule in registry:
        summary = rule.summary().replace("|", "\\|")
        lines.append(
            f"| `{rule.code}` | `{rule.name}` | {rule.severity} | {rule.topic} | {summary} |"
        )
    return "\n".join(lines)


def replace_readme_table(text: str, table: str) -> str:
    """README text with the table between the rule markers replaced."""
    start = text.find(README_START)
    end = text.find(README_END)
    if start < 0 or end < start:
        raise RuleError(f"README has no {README_START} ... {README_END} markers")
    return text[: start + len(README_START)] + "\n" + table + "\n" + text[end:]


def main(argv: list[str] | None = None) -> int:
    """`--readme PATH` rewrites the README's rule table; `--check PATH` exits 1 when stale."""
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m diagramgen.analysis", description=__doc__.splitlines()[0]
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--readme", metavar="PATH", type=Path, help="rewrite the table in PATH")
    mode.add_argument("--check", metavar="PATH", type=Path, help="exit 1 when PATH is stale")
    args = parser.parse_args(argv)
    table = rules_table()
    if args.readme is None and args.check is None:
        print(table)
        return 0
    path: Path = args.readme or args.check
    text = path.read_text("utf-8")
    updated = replace_readme_table(text, table)
    if args.check is not None:
        if updated != text:
            print(f"{path}: the rule table is stale; run --readme {path}", file=sys.stderr)
            return 1
        return 0
    if updated != text:
        path.write_text(updated, "utf-8")
    return 0
