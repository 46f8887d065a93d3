"""Local files a spec refers to (custom icons): checked once, when the spec is loaded.

An icon is a PNG or SVG file given relative to the spec's folder. It must stay inside that
folder's tree (symbolic links are followed before checking), exist, be small, and really be
a PNG or SVG image of bounded size once decoded: a PNG's header gives its pixels without
decoding them, an SVG is parsed with defusedxml (no DTD, entities or external files) for
its width, height and viewBox. Nothing is ever fetched from the network.

The file is read once; its sha256 travels with the design (`CheckedIcon.digest`) and the
renderer refuses bytes with another digest, so a file swapped (or replaced by a link to
something outside the folder) between loading and rendering is never drawn.

An icon may also be inlined as a `data:image/png;base64,...` or `data:image/svg+xml;base64,...`
URI (what `export --to json` writes when the icon file lies outside the folder the JSON
goes to): the same checks apply to the decoded bytes, which are kept in the user's cache
folder, named by their digest, for the renderers to read.
"""

from __future__ import annotations

import base64
import binascii
import errno
import hashlib
import os
import re
import stat
import struct
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath

MAX_ICON_BYTES = 2 * 1024 * 1024
MAX_ICON_SIDE = 8192  # pixels of a decoded icon's longer side (it is drawn at ~256)
MAX_ICON_PIXELS = 4096 * 4096  # decoded pixels: 64 MB as RGBA, for a 37 KB PNG bomb
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
    try:
        if suffix == ".png":
            png_size(data)
        else:
            svg_size(data)
    except ValueError as exc:
        raise ValueError(f"icon data URI {exc}") from None
    return suffix, data


def _inline_file(suffix: str, data: bytes) -> Path:
    """Where an inlined icon's bytes are kept for the renderers (written once, atomically)."""
    from diagramgen.atomic import write_bytes
    from diagramgen.cachedir import cache_base

    path = cache_base() / "inline-icons" / (hashlib.sha256(data).hexdigest() + suffix)
    if not path.exists():
        write_bytes(path, data)
    return path


@dataclass(frozen=True)
class CheckedIcon:
    """An icon file that passed every check: where it is, its bytes, and their digest."""

    path: Path
    data: bytes = b""

    @property
    def digest(self) -> str:
        """The hex sha256 of the checked bytes."""
        return hashlib.sha256(self.data).hexdigest()


def check_icon(value: str, base_dir: Path | str | None) -> str:
    """`value` when it names a PNG/SVG file inside `base_dir`'s tree; `ValueError` otherwise.

    `base_dir` is the spec's folder (the current folder when the spec has no file).
    """
    read_icon(value, base_dir)
    return value.strip()


def read_icon(value: str, base_dir: Path | str | None) -> CheckedIcon:
    """Check the icon `value` names and read it once: `ValueError` saying what is wrong."""
    text = value.strip()
    if not text:
        raise ValueError("icon is empty: give a .png or .svg file relative to the spec")
    inline = _inline(text)
    if inline is not None:
        return CheckedIcon(_inline_file(*inline), inline[1])
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
    try:
        path = (base / text).resolve()
    except (OSError, RuntimeError) as exc:  # a loop of links, a name too long
        raise ValueError(f"icon {value!r} cannot be read: {exc}") from None
    if not path.is_relative_to(base):
        raise ValueError(f"icon {value!r} is outside the spec's folder")
    try:
        data = read_bounded(path, MAX_ICON_BYTES)
    except FileNotFoundError:
        raise ValueError(
            f"icon {value!r} not found (paths are relative to the spec's folder)"
        ) from None
    except OSError as exc:
        if exc.errno == errno.EFBIG:
            raise ValueError(f"icon {value!r} is larger than {MAX_ICON_BYTES >> 20} MB") from None
        raise ValueError(f"icon {value!r} cannot be read: {exc.strerror or exc}") from None
    try:
        if path.suffix.lower() == ".png":
            png_size(data)
        else:
            svg_size(data)
    except ValueError as exc:
        raise ValueError(f"icon {value!r} {exc}") from None
    return CheckedIcon(path, data)


def read_bounded(path: Path, limit: int) -> bytes:
    """A regular file's bytes, opened without following a final link, at most `limit` long.

    `OSError` when it cannot be opened or is not a regular file; errno `EFBIG` beyond `limit`.
    """
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        if info.st_size > limit:
            raise OSError(errno.EFBIG, "file too large")
        chunks, left = [], limit + 1
        while left > 0 and (chunk := os.read(fd, min(left, 1 << 20))):
            chunks.append(chunk)
            left -= len(chunk)
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > limit:
        raise OSError(errno.EFBIG, "file too large")
    return data


def icon_file(value: str, base_dir: Path | str | None) -> Path:
    """The absolute path of a checked icon (an inlined one: its file in the cache)."""
    inline = _inline(value)
    if inline is not None:
        return _inline_file(*inline)
    return (_base(base_dir) / value.strip()).resolve()


def _base(base_dir: Path | str | None) -> Path:
    return Path(base_dir if base_dir is not None else ".").resolve()


def _check_pixels(width: float, height: float) -> tuple[int, int]:
    w, h = round(width), round(height)
    if w < 1 or h < 1:
        raise ValueError(f"has no size ({width:g} x {height:g})")
    if max(w, h) > MAX_ICON_SIDE or w * h > MAX_ICON_PIXELS:
        raise ValueError(
            f"is {w} x {h} pixels: at most {MAX_ICON_SIDE} on a side and "
            f"{MAX_ICON_PIXELS:,} in all (icons are drawn about 256 pixels wide)"
        )
    return w, h


def png_size(data: bytes) -> tuple[int, int]:
    """A PNG's width and height from its header (nothing decoded); `ValueError` if not one."""
    if not data.startswith(PNG_MAGIC) or data[12:16] != b"IHDR" or len(data) < 24:
        raise ValueError("is not a PNG image")
    # The size is the first thing in the file (IHDR): checked before Pillow sees it.
    _check_pixels(*struct.unpack(">II", data[16:24]))
    import io

    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            size = image.size  # from the header: the pixels are not decoded
            _check_pixels(*size)
            image.verify()  # chunk structure and checksums, still without decoding
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise ValueError("is not a PNG image") from None
    return size


_LENGTH = re.compile(r"^\s*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*(px|pt|pc|mm|cm|in|em|ex)?\s*$")
_PX_PER = {None: 1.0, "px": 1.0, "pt": 4 / 3, "pc": 16.0, "mm": 96 / 25.4, "cm": 96 / 2.54,
           "in": 96.0, "em": 16.0, "ex": 8.0}  # fmt: skip
DEFAULT_SVG_SIZE = (100.0, 100.0)  # what browsers draw an SVG without width, height or viewBox


def svg_size(data: bytes) -> tuple[float, float]:
    """The size an SVG declares, in CSS pixels; `ValueError` for a document we refuse.

    Parsed with defusedxml: a DTD (entity bombs, external entities) is refused outright.
    The size comes from `width`/`height` (absolute units), else the `viewBox`.
    """
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring

    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise ValueError("is an SVG with a DTD or entities, which are not allowed") from None
    except (ParseError, ValueError):
        raise ValueError("is not an SVG image") from None
    if not (root.tag == "svg" or root.tag.endswith("}svg")):
        raise ValueError("is not an SVG image")
    box = re.split(r"[\s,]+", (root.get("viewBox") or "").strip())
    try:
        vb = (float(box[2]), float(box[3])) if len(box) == 4 else None
    except ValueError:
        vb = None
    width, height = _length(root.get("width")), _length(root.get("height"))
    if width is None or height is None:
        if vb is not None and vb[0] > 0 and vb[1] > 0:
            ratio = vb[1] / vb[0]
            if width is None and height is None:
                width, height = vb
            elif width is None:
                width = height / ratio
            else:
                height = width * ratio
        else:
            width = width or DEFAULT_SVG_SIZE[0]
            height = height or DEFAULT_SVG_SIZE[1]
    _check_pixels(width, height)
    return width, height


def _length(text: str | None) -> float | None:
    """A length in CSS pixels; None when absent or relative (`%`, `auto`)."""
    m = _LENGTH.match(text or "")
    if not m:
        return None
    return float(m[1]) * _PX_PER[m[2]]
