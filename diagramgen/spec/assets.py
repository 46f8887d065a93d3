"""Local files a spec refers to (custom icons): checked once, when the spec is loaded.

An icon is a PNG or SVG file given relative to the spec's folder. It must stay inside that
folder's tree (symbolic links are followed before checking), exist, be small, and really be
a PNG or SVG image. Nothing is ever fetched from the network.

An icon may also be inlined as a `data:image/png;base64,...` or `data:image/svg+xml;base64,...`
URI (what `export --to json` writes when the icon file lies outside the folder the JSON
goes to): the same checks apply to the decoded bytes, which are kept in the user's cache
folder, by content, for the renderers to read.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from pathlib import Path, PurePosixPath, PureWindowsPath
from xml.etree.ElementTree import ParseError, XMLPullParser

MAX_ICON_BYTES = 2 * 1024 * 1024
ICON_SUFFIXES = (".png", ".svg")
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_URL_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_DATA_URI = re.compile(r"^data:image/(png|svg\+xml);base64,(.*)$", re.DOTALL)
INLINE_SUFFIX = {"png": ".png", "svg+xml": ".svg"}


def data_uri(path: Path) -> str:
    """An icon file as the `data:` URI `icon:` accepts."""
    kind = "svg+xml" if path.suffix.lower() == ".svg" else "png"
    return f"data:image/{kind};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _inline(value: str) -> tuple[str, bytes] | None:
    """`(suffix, bytes)` of a `data:` icon, None when `value` is not one; ValueError if bad."""
    m = _DATA_URI.match(value.strip())
    if not m:
        return None
    try:
        data = base64.b64decode(re.sub(r"\s", "", m.group(2)), validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("icon data URI is not valid base64") from None
    if len(data) > MAX_ICON_BYTES:
        raise ValueError(f"icon data URI is larger than {MAX_ICON_BYTES >> 20} MB")
    suffix = INLINE_SUFFIX[m.group(1)]
    if suffix == ".png" and not _is_png(data):
        raise ValueError("icon data URI is not a PNG image")
    if suffix == ".svg" and not _is_svg(data):
        raise ValueError("icon data URI is not an SVG image")
    return suffix, data


def check_icon(value: str, base_dir: Path | str | None) -> str:
    """`value` when it names a PNG/SVG file inside `base_dir`'s tree; `ValueError` otherwise.

    `base_dir` is the spec's folder (the current folder when the spec has no file).
    """
    text = value.strip()
    if not text:
        raise ValueError("icon is empty: give a .png or .svg file relative to the spec")
    if _inline(text) is not None:
        return text
    if _URL_RE.match(text) and not PureWindowsPath(text).drive:
        raise ValueError(
            f"icon {value!r} must be a local file: icons are never downloaded "
            "(save it next to the spec and give its relative path)"
        )
    if PurePosixPath(text).is_absolute() or PureWindowsPath(text).is_absolute():
        raise ValueError(f"icon {value!r}: give the path relative to the spec's folder")
    if PurePosixPath(text).suffix.lower() not in ICON_SUFFIXES:
        raise ValueError(f"icon {value!r} must be a .png or .svg file")
    base = _base(base_dir)
    path = (base / text).resolve()
    if not path.is_relative_to(base):
        raise ValueError(f"icon {value!r} is outside the spec's folder")
    if not path.is_file():
        raise ValueError(f"icon {value!r} not found (paths are relative to the spec's folder)")
    try:
        size = path.stat().st_size
        if size > MAX_ICON_BYTES:
            raise ValueError(f"icon {value!r} is larger than {MAX_ICON_BYTES >> 20} MB")
        data = path.read_bytes()
    except OSError as exc:
        raise ValueError(f"icon {value!r} cannot be read: {exc.strerror or exc}") from None
    if path.suffix.lower() == ".png":
        if not _is_png(data):
            raise ValueError(f"icon {value!r} is not a PNG image")
    elif not _is_svg(data):
        raise ValueError(f"icon {value!r} is not an SVG image")
    return text


def icon_file(value: str, base_dir: Path | str | None) -> Path:
    """The absolute path of a checked icon (an inlined one is written to the cache first)."""
    inline = _inline(value)
    if inline is None:
        return (_base(base_dir) / value.strip()).resolve()
    from diagramgen.atomic import write_bytes
    from diagramgen.rendering.icon_files import cache_base

    suffix, data = inline
    path = cache_base() / "inline-icons" / (hashlib.sha256(data).hexdigest() + suffix)
    if not path.exists():
        write_bytes(path, data)
    return path


def _base(base_dir: Path | str | None) -> Path:
    return Path(base_dir if base_dir is not None else ".").resolve()


def _is_png(data: bytes) -> bool:
    if not data.startswith(PNG_MAGIC):
        return False
    import io

    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return False
    return True


def _is_svg(data: bytes) -> bool:
    """True when the document's root element is `svg` (the body is not parsed further)."""
    parser = XMLPullParser(events=("start",))
    try:
        # Feeding in slices stops at the root element; expat does not load external entities.
        for start in range(0, len(data), 4096):
            parser.feed(data[start : start + 4096])
            for _event, element in parser.read_events():
                return element.tag == "svg" or element.tag.endswith("}svg")
    except ParseError:
        return False
    return False
