"""JSON export: the spec itself as JSON, by alias (`from`, `to`, `async`), defaults left out.

It loads back to the same design: `loads(to_json(design)) == design`. Quantities are
written as numbers in base units (per second, bytes, seconds), which the loader reads
exactly; `100M/day` would come back as 1157.407407407407... only by chance.

Custom icons are written for the folder the JSON goes to, so the file validates there: a
path relative to that folder when the icon lies inside it, else the image itself as a
`data:` URI (icons must stay inside a spec's folder).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from diagramgen.exporters.common import ExportText, json_text
from diagramgen.spec.assets import data_uri
from diagramgen.spec.models import Design


def icon_for_folder(icon: Path, dest: Path) -> str:
    """How a spec in `dest` refers to the icon file: a relative path when inside, else inline."""
    folder = dest.resolve()
    if icon.is_relative_to(folder):
        return icon.relative_to(folder).as_posix()
    return data_uri(icon)


def spec_data(design: Design, dest: Path | None = None) -> dict[str, Any]:
    """The design as plain spec data: what a spec author would write, in the models' order.

    With `dest`, custom icons are rewritten for a spec file in that folder.
    """
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
    if dest is not None:
        for entry, component in zip(data["components"], design.components, strict=True):
            if component.icon_file is not None:
                entry["icon"] = icon_for_folder(component.icon_file, dest)
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


def to_json(design: Design, dest: Path | None = None) -> ExportText:
    """The design as indented JSON text ending in a newline; nothing is lost.

    `dest` is the folder the JSON is written to (custom icons are rewritten for it); None
    keeps them as the spec wrote them.
    """
    return ExportText(json_text(spec_data(design, dest), indent=2) + "\n")
