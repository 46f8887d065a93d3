"""JSON export: the spec itself as JSON, by alias (`from`, `to`, `async`), defaults left out.

It loads back to the same design: `loads(to_json(design)) == design`. Quantities are
written as numbers in base units (per second, bytes, seconds), which the loader reads
exactly; `100M/day` would come back as 1157.407407407407... only by chance.
"""

from __future__ import annotations

from typing import Any

from diagramgen.exporters.common import json_text
from diagramgen.spec.models import Design


def spec_data(design: Design) -> dict[str, Any]:
    """The design as plain spec data: what a spec author would write, in the models' order."""
    data = design.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    # `kind` has a default on each component class, yet it is what tells the classes apart.
    data["components"] = [
        {
            "id": c.id,
            "kind": c.kind,
            **c.model_dump(mode="json", by_alias=True, exclude_defaults=True),
        }
        for c in design.components
    ]
    if not data["components"]:
        del data["components"]
    return _tidy(data)


def _tidy(value: Any) -> Any:
    """Whole floats as integers (`500`, not `500.0`); the loader reads both the same."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: _tidy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_tidy(v) for v in value]
    return value


def to_json(design: Design) -> str:
    """The design as indented JSON text ending in a newline."""
    return json_text(spec_data(design), indent=2) + "\n"
