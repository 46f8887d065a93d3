"""Decks of a small and of a crowded design, with their pictures rendered once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from diagramgen.slides.deck import Deck, Picture, build_deck, render_pictures
from diagramgen.spec.loader import loads
from diagramgen.spec.models import Design
from diagramgen.view.themes import get_theme
from tests.conftest import SMALL_SPEC

LONG_TITLE = (
    "A deliberately long design title that would run off any slide if nothing wrapped or shrank "
    "it, with more words after that"
)


def crowded_spec() -> str:
    """A design with more of everything than one slide holds: operations, findings, decisions."""
    ops = "\n".join(
        f"    - {{name: operation number {i} with a long name, rate: {i + 1}M/day, size: 2KB,"
        f" retention: 1y}}"
        for i in range(11)
    )
    components = "\n".join(
        f"  - {{id: svc{i}, kind: service, label: Service {i}}}" for i in range(6)
    )
    chain = "\n".join(f"  - svc{i} -> svc{i + 1}: call {i}" for i in range(5))
    decisions = "\n".join(
        f"  - title: Decision {i} about something that matters a great deal to this design\n"
        f"    chosen: Option {i} " + "with a long explanation " * 12 + "\n"
        "    because: " + "reasons that take a while to state " * 6 + "\n"
        "    consequences: [" + ", ".join(["a consequence worth knowing about"] * 4) + "]"
        for i in range(7)
    )
    return f"""\
name: crowded
title: {LONG_TITLE}
description: {"A description that goes on and on. " * 20}
workload:
  peak_factor: 4
  operations:
{ops}
components:
  - {{id: web, kind: client}}
  - {{id: db, kind: sql_database, tech: postgresql}}
  - {{id: cache, kind: cache, tech: redis}}
{components}
connections:
  - web -> svc0: HTTPS
{chain}
  - svc5 -> db: SQL
  - svc5 -> cache: lookup
flows:
  - name: read
    steps: [{{from: web, to: svc0}}, {{from: svc0, to: svc1}}]
  - name: write
    steps: [{{from: web, to: svc0}}, {{from: svc5, to: db}}]
decisions:
{decisions}
"""


@pytest.fixture(scope="session")
def small_design() -> Design:
    """The shared small spec: two groups, one flow, no workload, no decisions."""
    return loads(SMALL_SPEC)


@pytest.fixture(scope="session")
def crowded_design() -> Design:
    """A design that needs continuation slides."""
    return loads(crowded_spec())


@pytest.fixture(scope="session")
def pictures(
    tmp_path_factory: pytest.TempPathFactory, small_design: Design, crowded_design: Design
) -> list[dict[str, Picture]]:
    """Light pictures of both designs, rendered once."""
    root = tmp_path_factory.mktemp("pictures")
    theme = get_theme("light")
    return [
        render_pictures(small_design, root / "small", theme),
        render_pictures(crowded_design, root / "crowded", theme),
    ]


@pytest.fixture(scope="session")
def deck(small_design: Design, crowded_design: Design, pictures: list[dict[str, Picture]]) -> Deck:
    """The deck of both designs."""
    return build_deck([small_design, crowded_design], pictures, get_theme("light"))


@pytest.fixture(scope="session")
def dark_deck(tmp_path_factory: pytest.TempPathFactory, small_design: Design) -> tuple[Deck, Path]:
    """A dark deck of the small design and the folder of its pictures."""
    root = tmp_path_factory.mktemp("dark")
    theme = get_theme("dark")
    pics = render_pictures(small_design, root, theme)
    return build_deck([small_design], [pics], theme), root
