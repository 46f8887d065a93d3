"""The slides stage: designs to a deck (`.pptx`, `.html` or Marp `.md`, by the file's suffix).

    from diagramgen.slides import write_deck
    write_deck([design], "talk.pptx", theme="dark")

The pictures are rendered into a temporary folder (`deck.render_pictures`), the slides
are planned once as plain data (`deck.build_deck`), and a writer per format draws them
(`pptx`, `html`, `marp`). Every file is written atomically.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

from diagramgen import atomic
from diagramgen.atomic import replace_dir, write_bytes
from diagramgen.errors import OutputError
from diagramgen.slides.deck import Deck
from diagramgen.spec.models import Design

DECK_KINDS = (".pptx", ".html", ".md")
# The marker of a Marp deck's `<stem>_assets/` folder: one without it is never replaced.
ASSETS_MARK = "diagramgen slides assets\n"


def deck_kind(path: str | Path) -> str:
    """The deck format of `path` from its suffix; `ValueError` for any other suffix."""
    suffix = Path(path).suffix.lower()
    if suffix not in DECK_KINDS:
        raise ValueError(
            f"cannot tell the deck format of {str(path)!r}: "
            f"the file name must end in {', '.join(DECK_KINDS)}"
        )
    return suffix


def write_deck(
    designs: Sequence[Design],
    path: str | Path,
    theme: str | None = None,
    title: str | None = None,
    timeout: float = 120.0,
) -> list[Path]:
    """Write the deck of `designs` to `path`; return the files written.

    `theme` overrides the first design's `theme:` (default light). A `.md` deck also
    writes its pictures into `<stem>_assets/` next to it.
    """
    from diagramgen.rendering import theme_name
    from diagramgen.slides.deck import build_deck, render_pictures
    from diagramgen.view.themes import get_theme

    kind = deck_kind(path)
    if not designs:
        raise ValueError("a deck needs at least one design")
    target = Path(path)
    chosen = get_theme(theme_name(designs[0], theme))
    with tempfile.TemporaryDirectory(prefix="diagramgen-slides-") as scratch:
        pictures = [
            render_pictures(d, Path(scratch) / f"{i:02d}-{d.slug}", chosen, timeout)
            for i, d in enumerate(designs, start=1)
        ]
        deck = build_deck(designs, pictures, chosen, title)
        if kind == ".pptx":
            from diagramgen.slides.pptx import pptx_bytes

            write_bytes(target, pptx_bytes(deck))
            return [target]
        if kind == ".html":
            from diagramgen.slides.html import html_text

            write_bytes(target, html_text(deck).encode("utf-8"))
            return [target]
        return _write_marp(deck, target)


def _write_marp(deck: Deck, target: Path) -> list[Path]:
    from diagramgen.slides.marp import asset_name, marp_text

    assets: dict[int, str] = {}
    copies: list[tuple[Path, str]] = []
    for i, s in enumerate(deck.slides):
        if s.picture is not None:
            rel = asset_name(target.stem, i + 1, s.picture)
            assets[i] = rel.as_posix()
            copies.append((s.picture.svg, rel.name))
    folder = target.parent / f"{target.stem}_assets"
    written: list[Path] = []
    if copies:
        with atomic.staging(target.parent, folder.name, ASSETS_MARK) as box:
            try:
                for src, name in copies:
                    shutil.copyfile(src, box.path / name)
            except OSError as exc:
                raise OutputError(f"cannot write {folder}: {exc.strerror or exc}") from None
            replace_dir(box.path, folder)  # refused when `folder` is not ours
        written += [folder / name for _, name in copies]
    write_bytes(target, marp_text(deck, assets).encode("utf-8"))
    return [target, *written]
