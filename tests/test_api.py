"""The Python API: designs built in code, validated by the same models, rendered the same way."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

import diagramgen
from diagramgen import Client, Connection, Design, Service, SqlDatabase


def test_design_in_code_renders(tmp_path: Path) -> None:
    design = Design(
        name="shop",
        components=[Client(id="web"), Service(id="api", replicas=3), SqlDatabase(id="db")],
        connections=[Connection(source="web", target="api"), "api -> db: orders"],
    )
    assert design.connections[1].label == "orders"
    result = diagramgen.render(design, tmp_path, formats=["svg"])
    assert (result.directory / "overview.svg").exists()


def test_bad_reference_in_code_is_a_validation_error() -> None:
    with pytest.raises(ValidationError, match="unknown connection end 'b'"):
        Design(components=[Service(id="a")], connections=["a -> b"])


def test_extra_fields_forbidden_in_code() -> None:
    with pytest.raises(ValidationError):
        Service(id="a", replics=3)  # type: ignore[call-arg]
