"""`diagramgen schema`: the JSON Schema of the spec, generated from the models."""

from __future__ import annotations

import typer


def schema() -> None:
    """Print the JSON Schema of the spec (generated from the models, never hand-written).

    Example: `diagramgen schema > design.schema.json`
    """
    from diagramgen.spec.schema import schema_json

    typer.echo(schema_json(), nl=False)
