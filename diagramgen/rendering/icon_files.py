"""Icon files as Graphviz reads them: stock icons, spec icons and derived copies, one folder.

Graphviz runs in one folder (the icon root) and DOT names every image relative to it, so
DOT text never carries a machine path and is the same on every machine:

- `resources/...`: the stock icons of mingrammer `diagrams` (a link to its own folder);
- `custom/<hash>.png`: an icon from a spec, by content (SVG is rasterized here, since
  Graphviz's cairo renderer cannot draw SVG images into PNG or PDF);
- `derived/<recipe>/<path>`: a faded copy (muted nodes) or a stacked copy (replicas) of
  either, made deterministically with Pillow and kept, so each is made once.

The root is a per-user cache folder (`DIAGRAMGEN_CACHE_DIR`, else `$XDG_CACHE_HOME` or
`~/.cache`, else the temporary folder). Files are written to a temporary name and renamed,
so concurrent renders never see half-written images.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageChops

from diagramgen.atomic import write_bytes
from diagramgen.cachedir import cache_base, private
from diagramgen.errors import RenderError

RECIPES = "r1"  # bump when a derived image would change, so old copies are not reused
RASTER_SIZE = 256  # pixels of a rasterized SVG icon's longer side
FADE_ALPHA = 0.32  # opacity of a muted icon
STACK_OFFSET = 0.09  # how far each card of a stack sits behind the one in front, per side


def prepare_root(resources: Path, version: str) -> Path:
    """Create (once) the icon root for a `diagrams` version; return its path.

    Its images are inlined into every SVG, so the root must be ours alone: the per-user
    cache, else `$TMPDIR/diagramgen-<uid>` made with mode 0700, each used only when it
    is owned by this user and writable by nobody else. Otherwise (another user planted
    the predictable folder) a fresh private temporary folder is used for this process.
    """
    shared_tmp = Path(tempfile.gettempdir()) / f"diagramgen-{os.getuid()}"
    for base in (cache_base(), shared_tmp):
        root = base / f"icons-{version}-{RECIPES}"
        try:
            base.mkdir(mode=0o700, parents=True, exist_ok=True)
            root.mkdir(mode=0o700, exist_ok=True)
            strict = base == shared_tmp  # in a shared folder: ours alone, 0700
            if not (private(base, strict) and private(root, strict)):
                continue
            _link(root / "resources", resources)
            return root
        except OSError:
            continue
    try:
        root = Path(tempfile.mkdtemp(prefix="diagramgen-icons-")) / f"icons-{version}-{RECIPES}"
        root.mkdir()
        _link(root / "resources", resources)
    except OSError as exc:
        raise RenderError(f"cannot create an icon cache folder: {exc.strerror or exc}") from None
    return root


def ensure_root(root: Path, resources: Path) -> None:
    """Recreate the root and its link if they went away (a cache cleaned while running)."""
    if (root / "resources").is_dir():
        return
    try:
        root.mkdir(parents=True, exist_ok=True)
        _link(root / "resources", resources)
    except OSError as exc:
        raise RenderError(f"cannot prepare the icon folder {root}: {exc.strerror or exc}") from None


def _link(link: Path, target: Path) -> None:
    if link.is_symlink() and os.readlink(link) == str(target):
        return
    tmp = link.with_name(f".{link.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    os.symlink(target, tmp, target_is_directory=True)
    os.replace(tmp, link)


def custom_icon(root: Path, source: Path, digest: str | None = None) -> str:
    """Bring a spec's (checked) PNG or SVG icon into the root; its path relative to it.

    `digest` is the sha256 of the bytes checked when the spec was loaded: bytes that differ
    now (the file was swapped, perhaps for a link to something else) are refused.
    """
    from diagramgen.spec.assets import MAX_ICON_BYTES, read_bounded

    try:
        data = read_bounded(source, MAX_ICON_BYTES)
    except OSError as exc:
        raise RenderError(f"cannot read icon {source}: {exc.strerror or exc}") from None
    full = hashlib.sha256(data).hexdigest()
    if digest is not None and full != digest:
        raise RenderError(f"icon {source} changed since the spec was checked: load the spec again")
    rel = f"custom/{full[:20]}.png"
    _make(root / rel, lambda: _normalized_png(data, source))
    return rel


def derived_icon(root: Path, rel: str, *, faded: bool = False, stack: str | None = None) -> str:
    """A faded and/or stacked copy of the icon at `rel`; `stack` is the cards' color."""
    if not faded and stack is None:
        return rel
    recipe = "-".join(
        (["faded"] if faded else []) + ([f"stack{stack.lstrip('#').lower()}"] if stack else [])
    )
    out = f"derived/{recipe}/{rel}"

    def build() -> bytes:
        with Image.open(root / rel) as opened:
            image = opened.convert("RGBA")
        if faded:
            image = fade(image)
        if stack is not None:
            image = stacked(image, stack)
        return _png_bytes(image)

    _make(root / out, build)
    return out


def fade(image: Image.Image) -> Image.Image:
    """A grey, see-through copy: reads as 'not part of this view' on any background."""
    grey = image.convert("LA").convert("RGBA")
    alpha = image.getchannel("A").point(lambda a: round(a * FADE_ALPHA))
    grey.putalpha(alpha)
    return grey


def stacked(image: Image.Image, color: str) -> Image.Image:
    """The icon in front of two offset silhouettes of itself: 'several of these'."""
    w, h = image.size
    d = max(2, round(STACK_OFFSET * max(w, h)))
    canvas = Image.new("RGBA", (w + 2 * d, h + 2 * d), (0, 0, 0, 0))
    rgb = tuple(int(color.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    alpha = image.getchannel("A")
    for (x, y), strength in (((2 * d, 0), 0.45), ((d, d), 0.8)):
        card = Image.new("RGBA", (w, h), (*rgb, 255))
        card.putalpha(alpha.point(lambda a, s=strength: round(a * s)))
        canvas.alpha_composite(card, (x, y))
    # The front icon hides the cards behind it, also where it is see-through.
    hole = Image.new("L", canvas.size, 0)
    hole.paste(alpha, (0, 2 * d))
    canvas.putalpha(ImageChops.subtract(canvas.getchannel("A"), hole))
    canvas.alpha_composite(image, (0, 2 * d))
    return canvas


def _normalized_png(data: bytes, source: Path) -> bytes:
    if source.suffix.lower() == ".svg":
        return _rasterize(data, source)
    from diagramgen.spec.assets import png_size

    try:
        png_size(data)  # the pixel bound again: this API may be given any file
    except ValueError as exc:
        raise RenderError(f"cannot draw icon {source.name}: it {exc}") from None
    with Image.open(io.BytesIO(data)) as opened:
        image = opened.convert("RGBA")
    if max(image.size) > RASTER_SIZE * 4:  # drawn ~256 wide: derived copies stay small
        image.thumbnail((RASTER_SIZE * 4, RASTER_SIZE * 4), Image.Resampling.LANCZOS)
    return _png_bytes(image)


def _rasterize(data: bytes, source: Path) -> bytes:
    import cairosvg

    from diagramgen.spec.assets import svg_size

    try:
        # The declared size, parsed safely (as at load): drawn once, at the target size,
        # never at its own (a 137-byte SVG may declare 32000 pixels).
        w, h = svg_size(data)
    except ValueError as exc:
        raise RenderError(f"cannot draw SVG icon {source.name}: it {exc}") from None
    scale = RASTER_SIZE / max(w, h, 1)
    try:
        png = cairosvg.svg2png(
            bytestring=data,
            output_width=max(1, round(w * scale)),
            output_height=max(1, round(h * scale)),
            unsafe=False,  # no external files, entities or URLs: only what is in the file
        )
    except Exception as exc:  # cairosvg raises many kinds for broken drawings
        raise RenderError(f"cannot draw SVG icon {source.name}: {exc}") from None
    with Image.open(io.BytesIO(png)) as opened:
        return _png_bytes(opened.convert("RGBA"))


def _png_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()


def _make(path: Path, build: Callable[[], bytes]) -> None:
    """Write `build()` to `path` unless it is already there, atomically."""
    if path.is_file():
        return
    write_bytes(path, build())
