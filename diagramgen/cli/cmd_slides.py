"""`diagramgen slides`: specs to a deck (.pptx, .html or Marp .md, by the output's suffix)."""

from __future__ import annotations

from pathlib import Path

import typer

from diagramgen.cli.common import (
    EXIT_INVALID,
    err,
    exists,
    print_spec_error,
    spec_paths,
    timeout_option,
    usage_error,
)


def slides(
    paths: list[Path] = typer.Argument(
        ..., help="Spec files or folders; a folder means every *.yaml, *.yml, *.json in it."
    ),
    out: Path = typer.Option(
        ...,
        "--out",
        "-o",
        help="The deck to write; its suffix picks the format: .pptx, .html or .md (Marp).",
    ),
    theme: str = typer.Option(
        None,
        "--theme",
        help="Color theme: light or dark. Default: the first spec's `theme:`, else light.",
        show_default=False,
    ),
    title: str = typer.Option(
        None,
        "--title",
        help="Title slide text. Default: the design's title (several designs: System designs).",
        show_default=False,
    ),
    timeout: float = timeout_option(),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print errors only."),
) -> None:
    """Build a slide deck: a title slide, then per design its overview, one slide per flow,
    a capacity and findings summary and its decisions; the notes go to the speaker notes.

    Examples:

    - `diagramgen slides specs/url_shortener.yaml -o talk.pptx`
    - `diagramgen slides specs/ -o designs.html --theme dark` (arrow keys page through it)
    - `diagramgen slides specs/url_shortener.yaml -o deck.md` (Marp; pictures in deck_assets/)
    """
    from diagramgen.errors import DiagramgenError, SpecError
    from diagramgen.slides import DECK_KINDS, write_deck
    from diagramgen.spec.loader import load
    from diagramgen.view.themes import THEMES

    if out.suffix.lower() not in DECK_KINDS:
        usage_error(
            f"cannot tell the deck format of {str(out)!r}: "
            f"the file name must end in {', '.join(DECK_KINDS)}"
        )
    if theme is not None and theme not in THEMES:
        usage_error(f"unknown theme {theme!r}: choose from {', '.join(THEMES)}")
    if exists(out) and out.is_dir():
        usage_error(f"{out} is a folder: give the deck's file name, e.g. {out / 'deck.pptx'}")
    designs = []
    failed = False
    for path in spec_paths(paths):
        try:
            designs.append(load(path))
        except SpecError as exc:
            failed = True
            print_spec_error(exc)
    if failed:
        raise typer.Exit(EXIT_INVALID)
    try:
        written = write_deck(designs, out, theme=theme, title=title, timeout=timeout)
    except DiagramgenError as exc:
        err(f"error: {exc}")
        raise typer.Exit(EXIT_INVALID) from None
    if not quiet:
        count = f"{len(designs)} design" + ("s" if len(designs) > 1 else "")
        if len(written) > 1:
            count += f", pictures in {written[1].parent}"
        typer.echo(f"wrote {written[0]} ({count})")
