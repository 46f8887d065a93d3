"""Exporters: a design in another tool's format (Mermaid, D2, draw.io, JSON).

Each exporter is a pure function in its own module, imported only when used:
`to_mermaid(view)`, `to_d2(view)` and `to_drawio(view)` take a renderer-neutral
`DiagramView` (the overview by default, or any other view); `to_json(design)` takes the
design itself. `export(design, to)` picks one by name.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from diagramgen.spec.models import Design


@dataclass(frozen=True)
class Exporter:
    """One export format: where its function lives and what it takes."""

    name: str
    target: str  # `module:function`, imported on first use
    takes: Literal["view", "design"]
    suffix: str
    description: str

    def function(self) -> Callable[[Any], str]:
        """The export function itself."""
        module, _, name = self.target.partition(":")
        return getattr(importlib.import_module(module), name)  # type: ignore[no-any-return]


EXPORTERS: dict[str, Exporter] = {
    e.name: e
    for e in (
        Exporter(
            "mermaid",
            "diagramgen.exporters.mermaid:to_mermaid",
            "view",
            ".mmd",
            "Mermaid flowchart (renders in Markdown on GitHub and GitLab)",
        ),
        Exporter("d2", "diagramgen.exporters.d2:to_d2", "view", ".d2", "D2 diagram source"),
        Exporter(
            "drawio",
            "diagramgen.exporters.drawio:to_drawio",
            "view",
            ".drawio",
            "draw.io / diagrams.net file, editable by hand",
        ),
        Exporter(
            "json",
            "diagramgen.exporters.json:to_json",
            "design",
            ".json",
            "the spec as JSON (loads back to the same design)",
        ),
    )
}
FORMATS: tuple[str, ...] = tuple(EXPORTERS)


def export(design: Design, to: str, view: str | None = None) -> str:
    """The design as text in format `to`; `view` picks a view other than the overview.

    Raises `ValueError` for an unknown format or view, or a view given with `json`.
    """
    exporter = EXPORTERS.get(to)
    if exporter is None:
        raise ValueError(f"unknown export format {to!r}: choose from {', '.join(FORMATS)}")
    if exporter.takes == "design":
        if view is not None:
            raise ValueError(f"{to} exports the whole spec: it takes no view")
        return exporter.function()(design)
    from diagramgen.view.builders import views

    name = view or "overview"
    for candidate in views(design):
        if candidate.name == name:
            return exporter.function()(candidate)
    known = ", ".join(v.name for v in views(design))
    raise ValueError(f"no view {name!r} in {design.slug}: views are {known}")
