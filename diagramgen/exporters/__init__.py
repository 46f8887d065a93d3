"""Exporters: a design in another tool's format (Mermaid, D2, draw.io, JSON).

Each exporter is a pure function in its own module, imported only when used:
`to_mermaid(view)`, `to_d2(view)` and `to_drawio(view)` take a renderer-neutral
`DiagramView` (the overview by default, or any other view); `to_json(design)` takes the
design itself. `export(design, to)` picks one by name.

Each returns an `ExportText`: the text (a `str`) with `.losses`, one `Loss` per kind of
thing the target cannot carry (notes, legend, icons ...), so nothing is dropped silently.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from diagramgen.exporters.common import ExportText, Loss

if TYPE_CHECKING:
    from diagramgen.spec.models import Design
    from diagramgen.view.model import DiagramView

__all__ = ["EXPORTERS", "FORMATS", "ExportText", "Exporter", "Loss", "export", "find_view"]


@dataclass(frozen=True)
class Exporter:
    """One export format: where its function lives and what it takes."""

    name: str
    target: str  # `module:function`, imported on first use
    takes: Literal["view", "design"]
    suffix: str
    description: str

    def function(self) -> Callable[..., ExportText]:
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


def export(
    design: Design, to: str, view: str | None = None, *, dest: str | Path | None = None
) -> ExportText:
    """The design as text in format `to`, with its `.losses`; `view` picks a view other than
    the overview (its name as written in the spec, or its slug).

    `dest` is the folder the text will be written to (default: the current folder): the
    JSON export rewrites custom icon paths for it, so the file validates there.
    Raises `ValueError` for an unknown format or view, or a view given with `json`.
    """
    exporter = EXPORTERS.get(to)
    if exporter is None:
        raise ValueError(f"unknown export format {to!r}: choose from {', '.join(FORMATS)}")
    if exporter.takes == "design":
        if view is not None:
            raise ValueError(f"{to} exports the whole spec: it takes no view")
        return exporter.function()(design, Path(dest) if dest is not None else Path.cwd())
    return exporter.function()(find_view(design, view or "overview"))


def find_view(design: Design, name: str) -> DiagramView:
    """The view called `name`: its file name (`data-tier`), its name as the spec writes it
    (`data tier`) or its title, in any case; `ValueError` with the closest names otherwise."""
    import difflib

    from diagramgen.spec.models import slugify
    from diagramgen.view.builders import views

    candidates = views(design)
    wanted = {name, name.casefold(), slugify(name), f"flow-{slugify(name)}"}
    for candidate in candidates:
        if candidate.name in wanted or candidate.title.casefold() == name.casefold():
            return candidate
    known = [v.name for v in candidates]
    close = difflib.get_close_matches(slugify(name), known, n=3, cutoff=0.5)
    hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    raise ValueError(f"no view {name!r} in {design.slug}{hint} (views are {', '.join(known)})")
