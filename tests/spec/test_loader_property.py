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
