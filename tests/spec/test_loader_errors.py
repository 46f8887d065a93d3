"""Every loader message, compared exactly against one golden file."""

from __future__ import annotations

import pytest

from diagramgen.errors import SpecError
from diagramgen.spec.loader import loads
from tests.conftest import check_golden

CASES: dict[str, str] = {
    "unknown_kind": """\
components:
  - {id: api, kind: servce}
""",
    "unknown_field_with_hint": """\
components:
  - id: cache
    kind: cache
    replics: 3
    stratgy: cache_aside
""",
    "bad_enum_value": """\
components:
  - {id: db, kind: sql_database, replication: asyn}
""",
    "missing_id_and_kind": """\
components:
  - label: nameless
  - {kind: service}
""",
    "unknown_references": """\
groups:
  - {id: app}
  - {id: data, parent: ap}
components:
  - {id: api, kind: service, group: apps}
  - {id: cache, kind: cache}
connections:
  - {from: api, to: cahce}
  - api -> nowhere
flows:
  - name: read
    steps:
      - {from: api, to: cach}
""",
    "duplicate_ids": """\
groups:
  - {id: api}
components:
  - {id: api, kind: service}
  - {id: db, kind: sql_database}
  - {id: db, kind: nosql_database}
""",
    "group_cycle": """\
groups:
  - {id: a, parent: c}
  - {id: b, parent: a}
  - {id: c, parent: b}
""",
    "bad_units": """\
workload:
  operations:
    - {name: write, rate: lots, size: 5 parsecs, retention: forever}
""",
    "bad_id": """\
components:
  - {id: "my api", kind: service}
""",
    "yaml_syntax": """\
components:
  - {id: api, kind: service
  - {id: db}
""",
    "duplicate_key": """\
components:
  - id: api
    kind: service
    kind: worker
""",
    "not_a_mapping": """\
- just
- a list
""",
    "empty": "# only a comment\n",
    "bad_arrow": """\
components:
  - {id: a, kind: service}
connections:
  - "a => b"
""",
    "wrong_types": """\
components: {id: api}
""",
    "duplicate_connection": """\
components:
  - {id: a, kind: service}
  - {id: b, kind: service}
connections:
  - a -> b: call
  - {from: a, to: b, label: call}
""",
}


def _messages(name: str, text: str) -> str:
    try:
        loads(text, path=f"specs/{name}.yaml")
    except SpecError as exc:
        return "\n".join(str(p) for p in exc.problems)
    pytest.fail(f"{name} loaded without error")


def test_loader_messages_golden() -> None:
    out = []
    for name, text in CASES.items():
        out.append(f"## {name}\n{_messages(name, text)}\n")
    check_golden("loader_errors.txt", "\n".join(out))


def test_issue_example_typo_in_kind() -> None:
    message = _messages("x", CASES["unknown_kind"])
    assert message == "specs/x.yaml:2:21: unknown component kind 'servce' (did you mean 'service'?)"


def test_all_problems_collected_not_only_first() -> None:
    message = _messages("refs", CASES["unknown_references"])
    assert len(message.splitlines()) == 5


def test_json_spec_errors_have_positions() -> None:
    text = '{\n  "components": [\n    {"id": "api", "kind": "servce"}\n  ]\n}\n'
    with pytest.raises(SpecError) as info:
        loads(text, path="x.json")
    assert str(info.value.problems[0]).startswith("x.json:3:")


def test_invalid_json_syntax() -> None:
    with pytest.raises(SpecError) as info:
        loads('{"components": [}', path="x.json")
    assert str(info.value) == "x.json:1:17: invalid JSON: Expecting value"


def test_structural_and_reference_problems_reported_together() -> None:
    text = """\
groups:
  - {id: app}
components:
  - {id: api, kind: servce, group: app}
  - {id: db, kind: sql_database, replcas: 2}
connections:
  - api -> dbb
  - api -> db
"""
    assert _messages("mixed", text).splitlines() == [
        "specs/mixed.yaml:4:21: unknown component kind 'servce' (did you mean 'service'?)",
        "specs/mixed.yaml:5:34: unknown field 'replcas' for kind 'sql_database' "
        "(did you mean 'replicas'?)",
        "specs/mixed.yaml:7:5: unknown connection end 'dbb' (did you mean 'db'?)",
    ]
