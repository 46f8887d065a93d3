"""Property tests: whatever the input, the loader returns a Design or raises SpecError."""

from __future__ import annotations

import contextlib
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diagramgen.errors import SpecError
from diagramgen.spec.loader import loads
from diagramgen.spec.models import KINDS, Design

KEYS = [
    "name", "components", "groups", "connections", "flows", "id", "kind", "from", "to",
    "group", "parent", "replicas", "label", "async", "workload", "rate", "size", "steps",
]  # fmt: skip
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**20), 10**20), st.floats(allow_nan=True),
    st.text(max_size=12), st.sampled_from([*KINDS, "api", "db", "a -> b: x", "5k/s", "500B"]),
)  # fmt: skip
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(
            st.one_of(st.sampled_from(KEYS), st.text(max_size=6)), children, max_size=5
        ),
    ),
    max_leaves=25,
)


def _load_or_spec_error(text: str, path: str) -> None:
    try:
        design = loads(text, path=path)
    except SpecError as exc:
        assert exc.problems, "a SpecError always carries at least one problem"
        for problem in exc.problems:
            assert str(problem).startswith(path)
    else:
        assert isinstance(design, Design)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values)
def test_random_json_structures(data):
    _load_or_spec_error(json.dumps(data), "random.json")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from(list("{}[]:,-&*!|>'\"#\n\t abc01?%@`\\~")), max_size=80))
def test_random_yaml_text(text):
    _load_or_spec_error(text, "random.yaml")


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_random_bytes(raw):
    with contextlib.suppress(SpecError):
        loads(raw, path="random.yaml")


# ---------------------------------------------------------------- hostile values (issue 15)

# Text mixing ordinary letters with every kind of control and line-break character.
hostile_text = st.text(
    alphabet=st.one_of(
        st.sampled_from("ab -:#&<>~`|\\\"'"),
        st.characters(max_codepoint=0x9F, categories=["Cc"]),
        st.sampled_from("\u2028\u2029\u202e\u2066\x85\ufeff"),
    ),
    min_size=1,
    max_size=12,
)
huge_numbers = st.one_of(
    st.integers(min_value=10**15, max_value=10**40),
    st.floats(min_value=1e15, allow_infinity=True),
    st.sampled_from(["1e40", ".inf", "-.inf", ".nan", "9" * 40, "1e300", "1e24/s", "1e30B"]),
)
odd_tags = st.sampled_from(
    ["!!binary", "!!set", "!!omap", "!!pairs", "!!timestamp", "!!python/tuple", "!foo",
     "!<tag:example.com,2000:x>", "!!str", "!!int", "!!float", "!!bool", "!!null"]
)  # fmt: skip


def _no_controls(text: str) -> bool:
    return not any((ord(c) < 32 and c not in "\n\t") or 0x7F <= ord(c) <= 0x9F for c in text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile_text, st.sampled_from(["title", "description", "label", "tech", "note"]))
def test_control_characters_never_reach_a_design(text: str, field: str) -> None:
    value = json.dumps(text)  # a JSON string is a YAML double-quoted scalar: escapes work
    if field in ("title", "description"):
        spec = f"{field}: {value}\ncomponents: [{{id: a, kind: service}}]\n"
    else:
        spec = f"components: [{{id: a, kind: service, {field}: {value}}}]\n"
    try:
        design = loads(spec, path="h.yaml")
    except SpecError as exc:
        assert all(str(p).startswith("h.yaml:1:") for p in exc.problems)
        return
    from diagramgen.rendering.notes import render_notes

    shown = [design.title, design.description, *vars(design.components[0]).values()]
    assert all(_no_controls(v) for v in shown if isinstance(v, str))
    assert _no_controls(render_notes(design))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(huge_numbers, st.sampled_from(["rate", "size", "retention", "key_space", "replicas"]))
def test_huge_numbers_are_refused_or_reported_never_a_crash(value: object, field: str) -> None:
    text = value if isinstance(value, str) else json.dumps(value) if value == value else ".nan"
    if text in ("Infinity", "-Infinity"):
        text = ".inf" if text == "Infinity" else "-.inf"
    op = (
        f"{{name: a, rate: 5/s, {field}: {text}}}"
        if field != "rate"
        else f"{{name: a, rate: {text}}}"
    )
    comp = "{id: db, kind: sql_database}"
    if field == "replicas":
        op, comp = "{name: a, rate: 5/s}", f"{{id: db, kind: sql_database, replicas: {text}}}"
    try:
        design = loads(f"workload: {{operations: [{op}]}}\ncomponents: [{comp}]\n", path="n.yaml")
    except SpecError as exc:
        assert all(str(p).startswith("n.yaml:") for p in exc.problems)
        return
    from diagramgen.analysis import analyze
    from diagramgen.exporters import export
    from diagramgen.rendering.notes import render_notes

    render_notes(design)
    json.loads(json.dumps(analyze(design).to_json()), parse_constant=_not_json)
    json.loads(export(design, "json"), parse_constant=_not_json)


def _not_json(constant: str) -> None:
    raise AssertionError(f"{constant} is not JSON")


@settings(max_examples=60, deadline=None)
@given(odd_tags, st.sampled_from(["hello", "2024-01-01", "{a: 1}", "[1, 2]", "aGVsbG8=", "1"]))
def test_odd_yaml_tags_are_refused_or_kept_plain(tag: str, value: str) -> None:
    try:
        design = loads(f"title: {tag} {value}\ncomponents: [{{id: a, kind: service}}]\n")
    except SpecError as exc:
        assert all(p.line == 1 for p in exc.problems)
        return
    assert tag in ("!!str", "!!int", "!!float", "!!bool", "!!null")
    assert design.title is None or design.title == value
