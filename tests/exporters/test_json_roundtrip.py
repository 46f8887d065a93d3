"""The JSON export loads back to the same design, for random valid designs."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from diagramgen.exporters.json import to_json
from diagramgen.spec.loader import load, loads
from diagramgen.spec.models import KINDS, Design, slugify
from diagramgen.spec.schema import schema_dict
from tests.conftest import ROOT

ids = st.from_regex(r"[A-Za-z_][A-Za-z0-9_-]{0,12}", fullmatch=True)
# Any text the models accept: no lone surrogates (which no UTF-8 file can hold) and no
# terminal controls (refused at load, issue 15); tabs, newlines, U+2028, RTL marks, emoji
# ... the export must carry them all.
REFUSED = {chr(c) for c in [*range(0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)]} | set(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
text = st.text(st.characters(exclude_categories=("Cs",), exclude_characters=REFUSED), max_size=24)
words = st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=16).filter(
    lambda s: s.strip()
)
quantities = st.floats(min_value=0, max_value=1e13, allow_nan=False, allow_infinity=False)
colors = st.sampled_from(["firebrick", "steelblue", "#1f77b4", "#2f9e44cc"])


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


def _without_none(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v is not None}


@st.composite
def designs(draw: st.DrawFn) -> Design:
    n_groups = draw(st.integers(0, 4))
    n_components = draw(st.integers(1, 7))
    names = draw(st.lists(ids, min_size=n_groups + n_components, unique_by=str.lower))
    assert len(names) >= n_groups + n_components
    group_ids, component_ids = names[:n_groups], names[n_groups : n_groups + n_components]
    everything = group_ids + component_ids
    groups = [
        _without_none({
            "id": g,
            "label": draw(maybe(text)),
            # Parents come earlier in the list, so nesting never loops.
            "parent": draw(maybe(st.sampled_from(group_ids[:i]))) if i else None,
            "description": draw(maybe(text)),
            "color": draw(maybe(colors)),
            "style": draw(maybe(st.sampled_from(["dashed", "dotted", "bold", "filled"]))),
            "direction": draw(maybe(st.sampled_from(["LR", "TB"]))),
        })
        for i, g in enumerate(group_ids)
    ]  # fmt: skip
    components = []
    for c in component_ids:
        kind = draw(st.sampled_from(KINDS))
        item = _without_none({
            "id": c,
            "kind": kind,
            "label": draw(maybe(text)),
            "group": draw(maybe(st.sampled_from(group_ids))) if group_ids else None,
            "tech": draw(maybe(st.sampled_from(["redis", "postgresql", "kafka", "nginx", "x"]))),
            "replicas": draw(st.integers(1, 50)),
            "capacity": draw(maybe(quantities | st.sampled_from(["5k/s", "100M/day"]))),
            "note": draw(maybe(text)),
        })  # fmt: skip
        if kind == "cache":
            item["ttl"] = draw(quantities | st.just("24h"))
        if kind in ("sql_database", "nosql_database"):
            item["replication"] = draw(st.sampled_from(["none", "async", "sync"]))
            item["indexes"] = draw(st.lists(words, max_size=2))
        if kind in ("queue", "stream"):
            item["dead_letter"] = draw(st.booleans() | st.sampled_from(component_ids))
        if kind == "service":
            low = draw(st.integers(1, 5))
            item["autoscaling"] = {"min": low, "max": low + draw(st.integers(0, 9))}
        components.append(item)
    pairs = draw(
        st.lists(
            st.tuples(st.sampled_from(everything), st.sampled_from(everything), maybe(words)),
            max_size=8,
            unique_by=lambda t: (t[0], t[1], t[2] or ""),
        )
    )
    connections = [
        _without_none({
            "from": s,
            "to": t,
            "label": label,
            "async": draw(st.booleans()),
            "protocol": draw(maybe(st.sampled_from(["gRPC", "HTTP"]))),
            "color": draw(maybe(colors)),
            "line": draw(maybe(st.sampled_from(["solid", "dashed", "dotted", "bold"]))),
            "direction": draw(st.sampled_from(["forward", "back", "both", "none"])),
        })
        for s, t, label in pairs
    ]  # fmt: skip
    step = st.fixed_dictionaries({"from": st.sampled_from(everything),
                                  "to": st.sampled_from(everything)})  # fmt: skip
    flow_names = draw(st.lists(words, max_size=2, unique_by=slugify))
    flows = [{"name": n, "steps": draw(st.lists(step, min_size=1, max_size=3))} for n in flow_names]
    taken = {"overview", *(f"flow-{slugify(n)}" for n in flow_names)}
    view_names = draw(st.lists(words.filter(lambda n: slugify(n) not in taken), max_size=2,
                               unique_by=slugify))  # fmt: skip
    views = []
    for name in view_names:
        chosen = draw(st.lists(st.sampled_from(everything), max_size=3, unique=True))
        split = draw(st.integers(0, len(chosen)))
        views.append(_without_none({
            "name": name, "include": chosen[:split], "exclude": chosen[split:],
            "context": draw(st.booleans()), "direction": draw(maybe(st.sampled_from(["LR", "TB"]))),
        }))  # fmt: skip
    operations = draw(
        st.lists(
            st.fixed_dictionaries(
                {"name": words, "rate": quantities | st.just("100M/day")},
                optional={"size": quantities | st.just("2KB"), "retention": st.just("5y")},
            ),
            max_size=2,
        )
    )
    data = _without_none({
        "name": draw(maybe(text)),
        "title": draw(maybe(text)),
        "description": draw(maybe(text)),
        "workload": {"peak_factor": draw(st.floats(1, 10)), "operations": operations},
        "groups": groups,
        "components": components,
        "connections": connections,
        "flows": flows,
        "views": views,
        "decisions": [{"title": "T", "chosen": draw(words), "alternatives": draw(st.lists(text))}],
        "notes": draw(maybe(text | st.lists(text, max_size=2))),
        "direction": draw(st.sampled_from(["LR", "TB"])),
        "legend": draw(st.booleans()),
    })  # fmt: skip
    return Design.model_validate(data)


@cache
def validator() -> Draft202012Validator:
    return Draft202012Validator(schema_dict())


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(designs())
def test_json_export_loads_back_to_the_same_design(design: Design) -> None:
    text = to_json(design)
    assert loads(text, path="roundtrip.json") == design
    # What the loader accepts, the schema accepts: exported data is loader-valid.
    assert validator().is_valid(json.loads(text))


def test_every_shipped_spec_round_trips() -> None:
    for spec in sorted((ROOT / "specs").glob("*.yaml")):
        design = load(spec)
        assert loads(to_json(design), path=f"{spec.stem}.json") == design, spec.name


def test_json_is_by_alias_and_leaves_defaults_out() -> None:
    design = loads("components: [{id: a, kind: service}, {id: b, kind: cache}]\n"
                   "connections: ['a ~> b: warm']\n")  # fmt: skip
    data = json.loads(to_json(design))
    assert data == {
        "components": [{"id": "a", "kind": "service"}, {"id": "b", "kind": "cache"}],
        "connections": [{"from": "a", "to": "b", "label": "warm", "async": True}],
    }
