"""The site's shared files: the page script and style once, and each icon once.

A rendered SVG carries its icons as data URIs (`rendering/svg.py`), so the same icon
appears in every view of every design; inlined into each view page, they made up most of
the site's bytes. The site's pages link one copy of the script and style in `_assets/`
and point the SVG's images at `_assets/icons/<sha256 prefix>.<ext>`, a name taken from
the icon's bytes: same icon, same file, same page bytes. (`render -f html` pages stay
self-contained: they use none of this.)
"""

from __future__ import annotations

import base64
import hashlib
import re
from importlib import resources
from pathlib import Path

from diagramgen import atomic
from diagramgen.errors import OutputError

ASSETS_DIR = "_assets"  # slugs never start with `_`, so no design's folder can clash
ICONS_DIR = "icons"
HEADER = "diagramgen site assets 1\n"  # the folder's marker: ours to write into
SHARED = ("viewer.css", "viewer.js", "site.js")  # from diagramgen/rendering/assets/
_EXT = {"image/png": "png", "image/svg+xml": "svg", "image/jpeg": "jpg"}
_DATA_URI = re.compile(
    r'xlink:href="data:(image/png|image/svg\+xml|image/jpeg);base64,([A-Za-z0-9+/=]+)"'
)


class Icons:
    """Icons taken out of SVGs in this run: file name -> bytes."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}

    def externalize(self, svg: str, prefix: str) -> tuple[str, set[str]]:
        """`svg` with each data-URI image replaced by `prefix` + its icon file's name.

        Returns the new text and the icon names it uses.
        """
        used: set[str] = set()

        def replace(m: re.Match[str]) -> str:
            data = base64.b64decode(m.group(2))
            name = f"{hashlib.sha256(data).hexdigest()[:20]}.{_EXT[m.group(1)]}"
            self.files.setdefault(name, data)
            used.add(name)
            return f'xlink:href="{prefix}{ICONS_DIR}/{name}"'

        return _DATA_URI.sub(replace, svg), used


def write_assets(site: Path, icons: Icons) -> list[Path]:
    """Write `site/_assets/` (script, style, the icons of `icons`); return what changed.

    A file is written (atomically) only when missing or different, so a no-op build
    touches nothing. The folder carries our marker; one without it is a user's and is
    refused (`OutputError`), never written into.
    """
    folder = site / ASSETS_DIR
    if folder.exists() or folder.is_symlink():
        if not atomic.is_ours(folder):
            raise OutputError(
                f"{folder} exists and was not made by diagramgen (no {atomic.MARK}): "
                "not written into; move it away or choose another output folder"
            )
    else:
        atomic.write_text(folder / atomic.MARK, HEADER)
    source = resources.files("diagramgen.rendering").joinpath("assets")
    wanted = {name: source.joinpath(name).read_bytes() for name in SHARED}
    wanted.update({f"{ICONS_DIR}/{name}": data for name, data in sorted(icons.files.items())})
    written = []
    for rel, data in wanted.items():
        path = folder / rel
        if path.is_file() and not path.is_symlink() and path.read_bytes() == data:
            continue
        atomic.write_bytes(path, data)
        written.append(path)
    return written
