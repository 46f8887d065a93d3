"""The spec reference in Markdown, generated from the models' JSON Schema (never hand-written).

Regenerate the README section with `python -m diagramgen.spec.reference --write README.md`.
"""

from __future__ import annotations

import re
import sys
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from diagramgen.spec import units
from diagramgen.spec.models import COMPONENT_CLASSES, Design

START = "<!-- spec-reference:start -->"
END = "<!-- spec-reference:end -->"


def _type(prop: dict[str, Any]) -> str:
    if "enum" in prop:
        return " | ".join(f"`{v}`" for v in prop["enum"])
    if "const" in prop:
        return f"`{prop['const']}`"
    if "$ref" in prop:
        return prop["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in prop:
        parts = [_type(p) for p in prop["anyOf"] if p.get("type") != "null"]
        patterns = [p["pattern"] for p in prop["anyOf"] if "pattern" in p]
        if patterns and any(p.get("type") == "number" for p in prop["anyOf"]):
            return _quantity(patterns[0])
        return " or ".join(dict.fromkeys(parts))
    if "oneOf" in prop:
        return "component"
    kind = prop.get("type")
    if kind == "array":
        return f"list of {_type(prop.get('items', {}))}"
    if kind == "object":
        extra = prop.get("additionalProperties")
        return f"map of {_type(extra)}" if isinstance(extra, dict) else "mapping"
    return {"string": "text", "integer": "integer", "number": "number", "boolean": "boolean"}.get(
        str(kind), str(kind or "any")
    )


@cache
def _quantities() -> dict[str, str]:
    """Each unit-bearing type's JSON Schema pattern, and how the reference names it."""
    named = (
        (units.Rate, "rate (`5k/s`, `100M/day`)"),
        (units.Size, "size (`500B`, `2MB`)"),
        (units.Duration, "duration (`24h`, `5y`)"),
        (units.Bandwidth, "bandwidth (`25Gbps`, `1.25GB/s`)"),
        (units.Count, "count (`300M`, `50k`)"),
        (units.Percent, "percentage (`99.95%`)"),
    )
    return {TypeAdapter(t).json_schema()["anyOf"][0]["pattern"]: text for t, text in named}


def _quantity(pattern: str) -> str:
    """Which unit-bearing text a pattern accepts (see `units.py`)."""
    return _quantities().get(pattern, "quantity")


def _default(name: str, prop: dict[str, Any], required: set[str]) -> str:
    if name in required:
        return "**required**"
    if "default" in prop:
        value = prop["default"]
        if value is None:
            return ""
        if isinstance(value, bool):
            return f"`{str(value).lower()}`"
        if value in ([], {}):
            return ""
        return f"`{value}`"
    return ""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _table(schema: dict[str, Any], skip: tuple[str, ...] = ()) -> list[str]:
    required = set(schema.get("required", []))
    lines = ["| field | type | default | description |", "|---|---|---|---|"]
    for name, prop in schema.get("properties", {}).items():
        if name in skip:
            continue
        lines.append(
            f"| `{name}` | {_cell(_type(prop))} | {_default(name, prop, required)} | "
            f"{_cell(prop.get('description', ''))} |"
        )
    return lines


def reference_markdown() -> str:
    """The whole spec reference: the design, its parts, and each component kind."""
    schema = Design.model_json_schema(by_alias=True)
    defs = schema.get("$defs", {})
    out = ["### Design (top level)", "", *_table(schema), ""]
    common: set[str] | None = None
    kind_tables: list[str] = []
    for cls in COMPONENT_CLASSES.values():
        props = set(defs.get(cls.__name__, {}).get("properties", {}))
        common = props if common is None else common & props
    common = (common or set()) - {"kind"}
    first = defs[next(iter(COMPONENT_CLASSES.values())).__name__]
    shared = {"properties": {k: v for k, v in first["properties"].items() if k in common}}
    shared["required"] = [r for r in first.get("required", []) if r in common]
    out += ["### Every component", "", *_table(shared), ""]
    for kind, cls in COMPONENT_CLASSES.items():
        d = defs.get(cls.__name__, {})
        own = {k for k in d.get("properties", {}) if k not in common and k != "kind"}
        doc = (cls.__doc__ or "").strip().splitlines()[0]
        kind_tables += [f"#### `kind: {kind}`", "", doc, ""]
        if own:
            kind_tables += [*_table(d, skip=(*sorted(common), "kind")), ""]
    out += ["### Component kinds and their own fields", "", *kind_tables]
    listed = {"Design", *(c.__name__ for c in COMPONENT_CLASSES.values())}
    for name in sorted(defs):
        d = defs[name]
        if "properties" not in d:
            # Connections and flow steps accept shorthands: their long form is one branch.
            long_form = next((b for b in d.get("anyOf", []) if "properties" in b), None)
            if long_form is None:
                continue
            d = {**long_form, "description": d.get("description")}
        if name in listed:
            continue
        out += [f"### {name}", "", (d.get("description") or "").strip(), "", *_table(d), ""]
    return "\n".join(re.sub(r"\n{3,}", "\n\n", "\n".join(out)).splitlines()).strip() + "\n"


def update_readme(path: Path) -> bool:
    """Rewrite the section between the markers; True when the file changed."""
    text = path.read_text("utf-8")
    if START not in text or END not in text:
        raise ValueError(f"{path} has no {START} ... {END} section")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    new = f"{head}{START}\n{reference_markdown()}{END}{tail}"
    if new != text:
        path.write_text(new, "utf-8")
        return True
    return False


if __name__ == "__main__":  # pragma: no cover - a maintenance entry point
    if len(sys.argv) == 3 and sys.argv[1] == "--write":
        update_readme(Path(sys.argv[2]))
    else:
        sys.stdout.write(reference_markdown())
