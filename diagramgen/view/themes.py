"""Themes are data: palettes and fonts that renderers look up, never code paths."""

from __future__ import annotations

from dataclasses import dataclass

from diagramgen.view.model import Emphasis

FONT = "DejaVu Sans"  # installed by the set-up, so text metrics match on every machine


@dataclass(frozen=True)
class Theme:
    """Colors and fonts of a rendered picture."""

    name: str
    background: str
    text: str
    subtle_text: str
    edge: str
    cluster_fills: tuple[str, ...]  # by nesting depth, cycling
    cluster_border: str
    node_fill: str  # a plate behind icons so dark icons stay readable on dark backgrounds
    emphasis: dict[Emphasis, str]  # edge and label colors per emphasis
    accent: str = "#2563EB"  # deck headings, rules and table headers
    panel: str = "#F0F4F8"  # deck table rows and boxes, a step off the background
    note_fill: str = "#FFF8DB"  # the sticky note beside a component (`note:`)
    note_text: str = "#5C4813"
    font: str = FONT
    title_size: int = 20
    label_size: int = 12
    caption_size: int = 11  # the smallest text: >= 9 px when a 19-component design fills a slide
    edge_label_size: int = 11

    def color(self, emphasis: Emphasis) -> str:
        """The color for an emphasis, falling back to the plain edge color."""
        return self.emphasis.get(emphasis, self.edge)


LIGHT = Theme(
    name="light",
    background="#FFFFFF",
    text="#1F2933",
    subtle_text="#616E7C",
    edge="#52606D",
    cluster_fills=("#F0F4F8", "#E4ECF5", "#DCE6F2", "#D3DFEE"),
    cluster_border="#9AA5B1",
    node_fill="none",
    accent="#2563EB",
    panel="#F0F4F8",
    emphasis={
        "normal": "#52606D",
        "highlight": "#D64545",
        "muted": "#C4CBD2",
        "context": "#B8C2CC",
        "added": "#2F9E44",
        "removed": "#E03131",
        "changed": "#E8890C",
    },
)

DARK = Theme(
    name="dark",
    background="#0F172A",
    text="#E2E8F0",
    subtle_text="#94A3B8",
    edge="#94A3B8",
    cluster_fills=("#1E293B", "#243247", "#2B3A52", "#33425C"),
    cluster_border="#475569",
    node_fill="#F8FAFC",
    accent="#60A5FA",
    panel="#1E293B",
    note_fill="#3D3A24",
    note_text="#F5E9B8",
    emphasis={
        "normal": "#94A3B8",
        "highlight": "#F87171",
        # Faded like the light theme's muted grey, yet still legible on the cluster fill.
        "muted": "#4B5A70",
        "context": "#475569",
        "added": "#4ADE80",
        "removed": "#F87171",
        "changed": "#FBBF24",
    },
)

THEMES: dict[str, Theme] = {t.name: t for t in (LIGHT, DARK)}


def get_theme(name: str) -> Theme:
    """The theme called `name`; `KeyError` lists the known ones."""
    try:
        return THEMES[name]
    except KeyError:
        raise KeyError(f"unknown theme {name!r}: choose one of {', '.join(THEMES)}") from None
