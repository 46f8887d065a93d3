"""`diagramgen import`: a spec from Compose, Kubernetes or Terraform."""

from __future__ import annotations

from pathlib import Path

import typer

from diagramgen.cli.common import EXIT_INVALID, err


def import_(
    source: Path = typer.Argument(
        ...,
        help="A Compose file, Kubernetes manifests (file or folder), `terraform show -json` "
        "output (plan or state) or a folder of `.tf` files; told apart by content.",
    ),
    out: Path | None = typer.Option(
        None,
        "--out",
        "-o",
        help="Write the spec here; an existing spec is updated (matched by id, source, "
        "name), never overwritten. Default: print it.",
    ),
) -> None:
    """Start a spec from what is deployed: components, groups and connections, each with the
    `source` it came from, and comments saying what to fill in next.

    Examples:

    - `diagramgen import compose.yaml -o specs/shop.yaml`
    - `diagramgen import k8s/ -o specs/shop.yaml` (every manifest under k8s/)
    - `terraform show -json plan.out > plan.json && diagramgen import plan.json`
    """
    from diagramgen.atomic import write_text
    from diagramgen.errors import DiagramgenError
    from diagramgen.importers import import_source, merge, to_yaml
    from diagramgen.spec.loader import loads

    try:
        imported = import_source(source)
        for warning in imported.warnings:
            err(f"warning: {warning}")
        if out is not None and out.exists():
            text, notes = merge(out.read_text("utf-8"), imported)
            for note in notes:
                err(note)
        else:
            text = to_yaml(imported, str(out) if out else "SPEC", str(source))
        loads(text, str(out or "<import>"))  # what is written must load
        if out is None:
            typer.echo(text, nl=False)
        else:
            write_text(out, text)
            err(f"wrote {out}")
    except DiagramgenError as exc:
        err(f"error: {exc}")
        raise typer.Exit(EXIT_INVALID) from None
