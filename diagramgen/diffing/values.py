"""Attribute values: compare JSON-ready dumps, and show values with their units for people."""

from __future__ import annotations

import typing
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

from pydantic import BaseModel, BeforeValidator

from diagramgen.diffing.model import Changes
from diagramgen.spec import units
from diagramgen.spec.models import COMPONENT_CLASSES, Decision, Design, Flow, Group, Operation

_MISSING = object()

# Which formatter shows a quantity: keyed by the parser that read it from the spec.
_HUMAN: dict[Callable[..., float], Callable[[float], str]] = {
    units.parse_rate: units.human_rate,
    units.parse_size: units.human_size,
    units.parse_duration: units.human_duration,
}


def canonical(value: Any) -> Any:
    """A value in the form compared: lists of plain values are sets (order is not meaning)."""
    if isinstance(value, list) and all(not isinstance(v, dict | list) for v in value):
        return sorted(value, key=lambda v: (str(type(v)), str(v)))
    if isinstance(value, list):
        return [canonical(v) for v in value]
    if isinstance(value, dict):
        return {k: canonical(v) for k, v in value.items()}
    return value


def same(old: Any, new: Any) -> bool:
    """True when two dumped values mean the same."""
    return bool(canonical(old) == canonical(new))


def compare(
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    defaults: Mapping[str, Any] | None = None,
    prefix: str = "",
) -> Changes:
    """Every attribute whose value differs, dotted into nested mappings, in attribute order.

    A key only one side has (a component whose kind changed) counts as changed only when
    its value differs from `defaults[key]`, the value the other side would have had.
    """
    changes: Changes = {}
    defaults = defaults or {}
    for key in dict.fromkeys([*old, *new]):
        a, b = old.get(key, _MISSING), new.get(key, _MISSING)
        if a is _MISSING or b is _MISSING:
            present = b if a is _MISSING else a
            if same(present, defaults.get(key)):
                continue
            a, b = (None if a is _MISSING else a), (None if b is _MISSING else b)
        if isinstance(a, dict) and isinstance(b, dict):
            changes.update(compare(a, b, None, f"{prefix}{key}."))
        elif not same(a, b):
            changes[f"{prefix}{key}"] = (a, b)
    return changes


def field_defaults(model: type[BaseModel]) -> dict[str, Any]:
    """The JSON-ready default of every field that has one (by serialized name)."""
    out: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if info.is_required():
            continue
        default = info.get_default(call_default_factory=True)
        out[info.serialization_alias or info.alias or name] = (
            default.model_dump(mode="json") if isinstance(default, BaseModel) else default
        )
    return out


def _parser_of(annotation: Any) -> Callable[..., float] | None:
    for meta in getattr(annotation, "__metadata__", ()):
        if isinstance(meta, BeforeValidator) and meta.func in _HUMAN:
            return meta.func  # type: ignore[return-value]
    for arg in typing.get_args(annotation):
        found = _parser_of(arg)
        if found:
            return found
    return None


def _nested_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _nested_model(arg)
        if found:
            return found
    return None


@cache
def _unit_formatters(model: type[BaseModel], prefix: str = "") -> dict[str, Callable[[float], str]]:
    out: dict[str, Callable[[float], str]] = {}
    for name, info in model.model_fields.items():
        key = prefix + (info.serialization_alias or info.alias or name)
        parser = None
        for meta in info.metadata:
            if isinstance(meta, BeforeValidator) and meta.func in _HUMAN:
                parser = meta.func
        parser = parser or _parser_of(info.annotation)
        if parser:
            out[key] = _HUMAN[parser]
        nested = _nested_model(info.annotation)
        # The depth bound keeps a model that nests itself from recursing forever.
        if nested is not None and key.count(".") < 4:
            out.update(_unit_formatters(nested, key + "."))
    return out


# Attribute -> formatter, per section; a component attribute has the same unit in every kind.
UNITS: dict[str, dict[str, Callable[[float], str]]] = {
    "components": {
        k: v for cls in COMPONENT_CLASSES.values() for k, v in _unit_formatters(cls).items()
    },
    "groups": _unit_formatters(Group),
    "operations": _unit_formatters(Operation),
    "flows": _unit_formatters(Flow),
    "decisions": _unit_formatters(Decision),
    "design": _unit_formatters(Design),
}


def human(value: Any, formatter: Callable[[float], str] | None = None) -> str:
    """A value as short text: units for quantities, `none` for a missing value."""
    if value is None:
        return "none"
    if formatter is not None and isinstance(value, int | float) and not isinstance(value, bool):
        return formatter(float(value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return format(value, ".6g") if value != int(value) else str(int(value))
    if isinstance(value, list):
        return "[" + ", ".join(human(v) for v in value) + "]"
    if isinstance(value, dict):
        parts = [f"{k}: {human(v)}" for k, v in value.items() if v not in (None, [], {})]
        return "{" + ", ".join(parts) + "}"
    return str(value)


def describe(section: str, attribute: str, old: Any, new: Any) -> str:
    """`replicas 1 → 3`, `ttl 1h → 24h`: one change as a person reads it."""
    formatter = UNITS.get(section, {}).get(attribute)
    return f"{attribute} {human(old, formatter)} → {human(new, formatter)}"
