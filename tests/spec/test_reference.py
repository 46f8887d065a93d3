"""The README's spec reference is generated from the models and kept current."""

from __future__ import annotations

from pathlib import Path

from diagramgen.spec.models import COMPONENT_CLASSES
from diagramgen.spec.reference import END, START, reference_markdown

README = Path(__file__).resolve().parents[2] / "README.md"


def test_reference_covers_every_kind_and_field() -> None:
    text = reference_markdown()
    for kind, cls in COMPONENT_CLASSES.items():
        assert f"`kind: {kind}`" in text
        for name, field in cls.model_fields.items():
            if name != "kind":
                assert f"`{field.alias or name}`" in text, (kind, name)


def test_readme_reference_is_current() -> None:
    text = README.read_text("utf-8")
    section = text.split(START, 1)[1].split(END, 1)[0]
    assert section.strip() == reference_markdown().strip(), (
        "README spec reference is stale: run python -m diagramgen.spec.reference --write README.md"
    )
