"""The JSON Schema: committed copy is current, every spec validates, and it agrees with
the loader on what is a valid spec (everything but cross-references, which no schema sees).
"""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from pydantic import BaseModel, ValidationError
from typer.testing import CliRunner

from diagramgen.cli import app
from diagramgen.spec.loader import parse
from diagramgen.spec.models import (
    Connection,
    Design,
    Flow,
    FlowStep,
    Group,
    Operation,
    Service,
    SqlDatabase,
    View,
    Workload,
)
from diagramgen.spec.schema import schema_dict, schema_json

ROOT = Path(__file__).resolve().parents[1]
COMMITTED = ROOT / "schemas" / "design.schema.json"
SPECS = sorted((ROOT / "specs").glob("*.y*ml")) + sorted((ROOT / "specs").glob("*.json"))
FIRST_LINE = "# yaml-language-server: $schema=../schemas/design.schema.json"
REGENERATE = "regenerate it: .venv/bin/diagramgen schema > schemas/design.schema.json"


@cache
def validator() -> Draft202012Validator:
    return Draft202012Validator(schema_dict())


@cache
def class_validator(name: str) -> Draft202012Validator:
    return Draft202012Validator({"$defs": schema_dict()["$defs"], "$ref": f"#/$defs/{name}"})


def loader_accepts(data: Any) -> bool:
    """The loader's verdict on the shape of the data, cross-reference checks left out."""
    try:
        Design.model_validate(data, context={"skip_references": True})
    except ValidationError:
        return False
    return True


def test_committed_schema_is_current() -> None:
    assert COMMITTED.read_text("utf-8") == schema_json(), f"{COMMITTED} is stale: {REGENERATE}"


def test_schema_command_prints_the_committed_schema() -> None:
    result = CliRunner().invoke(app, ["schema"])
    assert result.exit_code == 0
    assert result.output == COMMITTED.read_text("utf-8")


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    Draft202012Validator.check_schema(json.loads(COMMITTED.read_text("utf-8")))


def test_specs_exist() -> None:
    assert len(SPECS) >= 1


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.name)
def test_every_spec_validates_against_the_schema(spec: Path) -> None:
    text = spec.read_text("utf-8")
    if spec.suffix != ".json":
        assert text.splitlines()[0] == FIRST_LINE, "editors find the schema by this first line"
    data, _ = parse(text, str(spec))  # the plain data the loader validates
    errors = sorted(validator().iter_errors(data), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])


BASE: dict[str, Any] = {
    "name": "shop",
    "workload": {"operations": [{"name": "order", "rate": "5k/s", "size": "2KB"}]},
    "groups": [{"id": "app", "label": "App"}],
    "components": [
        {"id": "api", "kind": "service", "group": "app", "replicas": 3},
        {"id": "db", "kind": "sql_database", "tech": "postgresql"},
    ],
    "connections": [{"from": "api", "to": "db", "label": "orders"}],
    "flows": [{"name": "buy", "steps": [{"from": "api", "to": "db"}]}],
    "views": [{"name": "data", "include": ["db"]}],
}

# (where, value, the loader's verdict): the schema must give the same verdict.
CASES: list[tuple[tuple[str | int, ...], Any, bool]] = [
    (("connections", 0), "api -> db: label", True),
    (("connections", 0), "api ~> db", True),
    (("connections", 0), "  api->db:  a: b  ", True),
    (("connections", 0), {"api -> db": "label"}, True),  # YAML's `- api -> db: label`
    (("connections", 0), {"api ~> db": None}, True),
    (("connections", 0), {"api -> db": 42}, True),
    (("connections", 0), {"api -> db": ["x"]}, False),
    (("connections", 0), {"api -> db": "x", "other": 1}, False),
    (("connections", 0), "api db", False),
    (("connections", 0), "api -> ", False),
    (("connections", 0), {"from": "api", "to": ["db", "api"]}, True),  # fan-out
    (("connections", 0), {"from": "api"}, False),
    (("connections", 0), {"from": "api", "to": "db", "async": "yes"}, False),
    (("flows", 0, "steps", 0), "api -> db: select", True),
    (("flows", 0, "steps"), [], False),
    (("components", 0), {"id": "api"}, False),
    (("components", 0), {"id": "api", "kind": "servce"}, False),
    (("components", 0), {"id": "api", "kind": "service", "replics": 2}, False),
    (("components", 0), {"id": "9api", "kind": "service"}, False),
    (("components", 0, "replicas"), "3", False),
    (("components", 0, "replicas"), True, False),
    (("components", 0, "replicas"), 0, False),
    (("components", 0, "stateless"), "yes", False),
    (("components", 0, "stateless"), 1, False),
    (("components", 0, "capacity"), "2k/s", True),
    (("components", 1, "replication"), "async", True),
    (("components", 1, "replication"), "eventual", False),
    (("workload", "operations", 0, "rate"), "100M/day", True),
    (("workload", "operations", 0, "rate"), "5 per seconds", True),
    (("workload", "operations", 0, "rate"), "1.2B per month", True),
    (("workload", "operations", 0, "rate"), 12.5, True),
    (("workload", "operations", 0, "rate"), "5/fortnight", False),
    (("workload", "operations", 0, "rate"), "5", False),
    (("workload", "operations", 0, "rate"), -1, False),
    (("workload", "operations", 0, "rate"), False, False),
    (("workload", "operations", 0, "size"), "1.5GiB", True),
    (("workload", "operations", 0, "size"), "2 kb", True),
    (("workload", "operations", 0, "size"), "500", True),
    (("workload", "operations", 0, "size"), "5 parsecs", False),
    (("workload", "operations", 0, "retention"), "5y", True),
    (("workload", "operations", 0, "retention"), "250ms", True),
    (("workload", "operations", 0, "retention"), "30", False),
    (("workload", "operations", 0, "retention"), "5 fortnights", False),
    (("workload", "operations", 0, "name"), "   ", False),
    (("workload", "peak_factor"), "3", False),
    (("workload", "peak_factor"), 3, True),
    (("views", 0), {"name": "write path", "include": ["api"], "exclude": [], "context": False},
     True),
    (("views", 0), {"name": "v", "include": "api"}, False),
    (("views", 0), {"name": "v", "direction": "TB"}, True),
    (("views", 0), {"name": " "}, False),
    (("views", 0), {"name": "v", "hide": ["api"]}, False),
    (("decisions",), [{"title": "SQL", "chosen": "PostgreSQL", "consequences": ["a", "b"]}],
     True),
    (("decisions",), [{"title": "SQL"}], False),
    (("notes",), ["one", "two"], True),
    (("surprise",), 1, False),
]  # fmt: skip


def _with(path: tuple[str | int, ...], value: Any) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    cur: Any = data
    for part in path[:-1]:
        cur = cur[part]
    cur[path[-1]] = value
    return data


def test_base_is_valid_for_both() -> None:
    assert loader_accepts(BASE) and validator().is_valid(BASE)


@pytest.mark.parametrize(("path", "value", "valid"), CASES, ids=lambda x: repr(x)[:40])
def test_schema_and_loader_agree(path: tuple[str | int, ...], value: Any, valid: bool) -> None:
    data = _with(path, value)
    assert loader_accepts(data) is valid, "the loader changed its mind: update the case"
    assert validator().is_valid(data) is valid


# Values that stress the schema: shorthands, quantities, coercions, styles, wrong shapes.
TRICKY: list[Any] = [
    None, True, False, 0, 1, 3, 3.0, -2, 2.5, "", " ", "3", "yes", "api", "db", "app", "x y",
    "api -> db", "api ~> db: ev", "a->b", "-> db", "5k/s", "100M/days", "5/xyz", "500B",
    "2 KiB", "3 furlongs", "24h", "15 m", "5y", "LR", "TB", "tb", "service", "cache",
    "firebrick", "FireBrick", "#1f77b4", "#12345", "nocolor", "dashed", "both", "filled",
    [], ["api"], ["api", "db"], [1], {}, {"api -> db": "x"}, {"from": "api", "to": "db"},
    {"id": "z"}, {"id": "z", "kind": "cache"}, {"name": "n"}, {"name": "n", "steps": ["a -> b"]},
]  # fmt: skip

# Every mapping in BASE and the model it is validated as.
PLACES: dict[tuple[str | int, ...], type[BaseModel]] = {
    (): Design,
    ("workload",): Workload,
    ("workload", "operations", 0): Operation,
    ("groups", 0): Group,
    ("components", 0): Service,
    ("components", 1): SqlDatabase,
    ("connections", 0): Connection,
    ("flows", 0): Flow,
    ("flows", 0, "steps", 0): FlowStep,
    ("views", 0): View,
}


def _known_difference(field: str, value: Any) -> bool:
    """Where the schema is knowingly stricter or looser than the loader.

    - JSON Schema cannot tell `3.0` from `3`, so it accepts `3.0` where the (strict) loader
      wants an integer;
    - the loader reads `tb` as `TB` and `FireBrick` as `firebrick`; the schema offers the
      canonical spellings only (an editor then suggests those).
    """
    if isinstance(value, float) and value.is_integer():
        return True
    return (field == "direction" and value == "tb") or (field == "color" and value == "FireBrick")


def _only(place: tuple[str | int, ...]) -> tuple[dict[str, Any], Any]:
    """BASE with only the parts on the way to `place`, and the mapping at `place`.

    The rest of BASE is valid on its own, so leaving it out changes no verdict and keeps
    each check fast (the component union is costly to validate).
    """
    data = copy.deepcopy(BASE)
    data = {place[0]: data[place[0]]} if place else {"name": data["name"]}
    target: Any = data
    for part in place:
        if isinstance(part, int):
            target[:] = [target[part]]
            target = target[0]
        else:
            target = target[part]
    return data, target


def test_schema_and_loader_agree_on_every_field_and_tricky_value() -> None:
    """Set every field of every part of a valid spec to every tricky value, one at a time."""
    disagreements = []
    for place, model in PLACES.items():
        fields = [f.alias or name for name, f in model.model_fields.items()] + ["surprise"]
        for field in fields:
            if field == "icon":
                continue  # must name an existing file: checked by the loader, like references
            for value in TRICKY:
                data, target = _only(place)
                target[field] = value
                if place[:1] == ("components",) and field != "kind":
                    # The union picks the class by `kind` alone: check against that class
                    # (seventeen times faster than trying every class of the union).
                    schema = class_validator(model.__name__).is_valid(target)
                else:
                    schema = validator().is_valid(data)
                loader = loader_accepts(data)
                if loader != schema and not _known_difference(field, value):
                    disagreements.append(f"{[*place, field]} = {value!r}: loader {loader}")
    assert not disagreements, "\n".join(disagreements[:20])
