"""The loader's fast path (json, libyaml) and its exact path (ruamel) read every spec alike.

Each test writes the same random spec in many ways (block and flow YAML, every scalar
style, tricky plain scalars such as `yes`, `0777`, `1:20`, `2024-01-01`, `.inf`, non-ASCII
text; JSON compact and indented) and checks that both paths give the same plain data, the
same position for every key and value, and the same validated model or the same errors.
"""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from diagramgen.errors import SpecError
from diagramgen.spec.fastparse import Fallback, plain_scalar
from diagramgen.spec.loader import loads_located, parse, parse_exact, validate_data
from diagramgen.spec.models import KINDS

TRICKY = [
    "yes", "no", "on", "off", "y", "n", "true", "True", "FALSE", "null", "Null", "~", "",
    "0777", "0o17", "0x1F", "0b101", "1_000", "+5", "-0", "01", "1:20", "1e3", "1.", ".5",
    "-1_0.5", "1E5", ".inf", "-.inf", ".Inf", ".nan", "2024-01-01", "2024-01-01 10:00:00",
    "12:30", "3.14", "-", ".", "_1", "nginx", "tcp/443", "a: b", "a #b", "#x", "x: y: z",
    "café", "東京", "emoji 😀", "<<", "=", "@at", "`tick`", "%pct", "'q'", '"dq"', "a\nb",
    "  padded  ", "100M/day", "500B", "5k/s", "99.95%", "a -> b: c", "a ~> b",
]  # fmt: skip
words = st.one_of(
    st.sampled_from(TRICKY),
    st.text(
        alphabet=st.characters(
            codec="utf-8", exclude_categories=["Cc", "Cs", "Zl", "Zp"], exclude_characters="\ufeff"
        ),
        max_size=12,
    ),
)
scalars = st.one_of(
    words,
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.booleans(),
    st.none(),
)
ids = st.sampled_from(["api", "db", "cache", "web-1", "web-2", "q", "edge", "app", "a_b"])


@st.composite
def specs(draw: st.DrawFn) -> dict[str, Any]:
    """Spec-shaped data: mostly valid, with random labels, numbers and odd extra values."""
    comp_ids = draw(st.lists(ids, min_size=1, max_size=6, unique=True))
    group_ids = draw(st.lists(st.sampled_from(["edge", "app", "data"]), max_size=3, unique=True))
    comp_ids = [c for c in comp_ids if c not in group_ids] or ["solo"]
    groups = [
        {"id": g, "label": draw(words)} | ({"parent": group_ids[0]} if i else {})
        for i, g in enumerate(group_ids)
    ]
    components = []
    for cid in comp_ids:
        comp: dict[str, Any] = {"id": cid, "kind": draw(st.sampled_from(KINDS))}
        if draw(st.booleans()):
            comp["label"] = draw(words)
        if draw(st.booleans()):
            comp["replicas"] = draw(st.integers(1, 12))
        if group_ids and draw(st.booleans()):
            comp["group"] = draw(st.sampled_from(group_ids))
        if draw(st.integers(0, 5)) == 0:
            comp["description"] = draw(scalars)  # sometimes the wrong type: an error
        components.append(comp)
    connections = [
        {"from": draw(st.sampled_from(comp_ids)), "to": draw(st.sampled_from(comp_ids))}
        | ({"label": draw(words)} if draw(st.booleans()) else {})
        | ({"async": draw(st.booleans())} if draw(st.booleans()) else {})
        for _ in range(draw(st.integers(0, 4)))
    ]
    data: dict[str, Any] = {"name": "prop", "components": components}
    if groups:
        data["groups"] = groups
    if connections:
        data["connections"] = connections
    if draw(st.booleans()):
        data["title"] = draw(words)
    if draw(st.booleans()):
        data["workload"] = {
            "peak_factor": draw(st.one_of(st.integers(1, 5), st.floats(1, 5, width=32))),
            "operations": [{"name": "read", "rate": draw(st.sampled_from(["5k/s", "100M/day"]))}],
        }
    return data


@st.composite
def yaml_text(draw: st.DrawFn, data: Any, indent: int = 0, in_flow: bool = False) -> str:
    """`data` as YAML, each collection block or flow, each scalar in a random style."""
    pad = " " * indent
    if isinstance(data, dict) and data and not in_flow and draw(st.integers(0, 3)):
        lines = []
        for key, value in data.items():
            k = draw(yaml_scalar(key, in_flow=False))
            if isinstance(value, dict | list) and value:
                lines.append(f"{pad}{k}:\n{draw(yaml_text(value, indent + 2))}")
            else:
                lines.append(f"{pad}{k}: {draw(yaml_scalar(value, in_flow=False))}")
        return "\n".join(lines)
    if isinstance(data, list) and data and not in_flow and draw(st.integers(0, 3)):
        lines = []
        for item in data:
            if isinstance(item, dict) and item and draw(st.booleans()):
                body = draw(yaml_text(item, indent + 2)).lstrip()
                lines.append(f"{pad}- {body}")
            else:
                lines.append(f"{pad}- {draw(yaml_text(item, 0, in_flow=True))}")
        return "\n".join(lines)
    if isinstance(data, dict):
        inner = ", ".join(
            f"{draw(yaml_scalar(k, in_flow=True))}: {draw(yaml_text(v, 0, in_flow=True))}"
            for k, v in data.items()
        )
        return pad + "{" + inner + "}"
    if isinstance(data, list):
        return pad + "[" + ", ".join(draw(yaml_text(v, 0, in_flow=True)) for v in data) + "]"
    return pad + draw(yaml_scalar(data, in_flow=in_flow))


@st.composite
def yaml_scalar(draw: st.DrawFn, value: Any, in_flow: bool) -> str:
    """One scalar: plain (even when that changes its meaning), quoted or a block."""
    if not isinstance(value, str):
        if isinstance(value, float) and draw(st.booleans()):
            return repr(value)
        return json.dumps(value)
    style = draw(st.sampled_from(["plain", "single", "double", "literal"]))
    if style == "plain" and "\n" not in value:
        return value
    if style == "single":
        return "'" + value.replace("'", "''") + "'"
    if style == "literal" and not in_flow and value.strip() and value == value.strip():
        return "|-\n" + "\n".join("      " + line for line in value.split("\n"))
    return json.dumps(value, ensure_ascii=draw(st.booleans()))


def _same(a: Any, b: Any) -> bool:
    """Equal plain data, with the same types (True is not 1) and key order."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return bool(a == b)


def _outcome(parse_fn: Any, text: str, path: str) -> tuple[Any, ...]:
    try:
        data, located = parse_fn(text, path)
    except SpecError as exc:
        return ("error", str(exc))
    return ("ok", data, located)


def _check_paths_agree(text: str, path: str) -> bool:
    """Both paths give the same data, positions and model (or errors); True if fast ran."""
    fast, exact = _outcome(parse, text, path), _outcome(parse_exact, text, path)
    assert fast[0] == exact[0], (fast[:2], exact[:2])
    if fast[0] == "error":
        assert fast[1] == exact[1]
        return False
    (_, fdata, flocated), (_, edata, elocated) = fast, exact
    assert _same(fdata, edata), (fdata, edata)
    took_fast = not flocated.exact
    assert flocated.value_pos == elocated.value_pos
    assert flocated.key_pos == elocated.key_pos
    try:
        fmodel = loads_located(text, path).design.model_dump()
    except SpecError as exc:
        with pytest.raises(SpecError) as info:
            validate_data(edata, elocated, path)
        assert str(exc) == str(info.value)
    else:
        assert fmodel == validate_data(edata, elocated, path).model_dump()
    return took_fast


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.data())
def test_yaml_fast_and_exact_paths_agree(data: st.DataObject) -> None:
    spec = data.draw(specs())
    text = data.draw(yaml_text(spec)) + "\n"
    _check_paths_agree(text, "prop.yaml")


@SETTINGS
@given(specs(), st.sampled_from([None, 2]), st.booleans())
def test_json_fast_and_exact_paths_agree(
    spec: dict[str, Any], indent: int | None, ascii_: bool
) -> None:
    text = json.dumps(spec, indent=indent, ensure_ascii=ascii_)
    assume("\u2028" not in text and "\u2029" not in text and "\x85" not in text)
    assert _check_paths_agree(text, "prop.json")


def test_plain_yaml_specs_take_the_fast_path() -> None:
    """The catalogue-style form never falls back: the property tests above test something."""
    text = (
        "name: x\ncomponents:\n  - {id: api, kind: service, replicas: 3, label: API}\n"
        "  - id: db\n    kind: sql_database\n    label: |-\n      two\n      lines\n"
        "connections:\n  - {from: api, to: db, label: 'SQL'}\n"
    )
    assert _check_paths_agree(text, "x.yaml")
    assert _check_paths_agree(json.dumps({"components": [{"id": "a", "kind": "cache"}]}), "x.json")


@pytest.mark.parametrize(
    "text",
    [
        "a: &x 1\nb: *x\n",  # anchors and aliases
        "a: !!str 1\n",  # explicit tags
        "%YAML 1.2\n---\na: 1\n",  # directives
        "a: 1\na: 2\n",  # duplicate keys (libyaml would keep the last one)
        "? [a]\n: 1\n",  # complex keys
        "<<: {a: 1}\n",  # merge keys
        "a: 1\n---\nb: 2\n",  # two documents
        "a: " + "9" * 40 + "\n",  # a number too long to be a quantity
        "a: [" * 70 + "]" * 70 + "\n",  # past the depth limit
        "a: b\u2028c\n",  # a line break YAML 1.1 and 1.2 count differently
    ],
)
def test_what_only_the_exact_path_reads_falls_back(text: str) -> None:
    from diagramgen.spec.fastparse import fast_parse

    with pytest.raises(Fallback):
        fast_parse(text, "x.yaml")


def test_plain_scalars_resolve_as_yaml_1_2() -> None:
    assert plain_scalar("yes") == "yes" and plain_scalar("on") == "on"  # 1.1 would say True
    assert plain_scalar("0777") == 777 and plain_scalar("0o17") == 15  # 1.1: 0777 is octal
    assert plain_scalar("1:20") == "1:20"  # 1.1: sexagesimal 80
    assert plain_scalar("2024-01-01") == "2024-01-01"  # the text written, not a date
    assert plain_scalar("~") is None and plain_scalar("TRUE") is True
    assert plain_scalar("1e3") == 1000.0 and plain_scalar("-.inf") == -math.inf
