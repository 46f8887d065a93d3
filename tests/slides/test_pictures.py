"""Slide-ready pictures: themes, the spec's `theme:`, --dpi, --transparent, explicit fonts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from diagramgen.cli import app
from diagramgen.rendering import PNG_WIDTH, RenderOptions, png_dpi, render_design, theme_name
from diagramgen.spec.loader import loads
from diagramgen.view.themes import DARK, LIGHT, THEMES, get_theme
from tests.conftest import SMALL_SPEC

runner = CliRunner()


def luminance(rgb: tuple[int, ...]) -> float:
    """Relative luminance, 0 (black) to 1 (white)."""

    def channel(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two `#rrggbb` colors."""
    la, lb = (luminance(tuple(bytes.fromhex(c.lstrip("#")[:6]))) for c in (a, b))
    hi, lo = max(la, lb), min(la, lb)
    return (hi + 0.05) / (lo + 0.05)


def render_png(tmp_path: Path, spec: str = SMALL_SPEC, **options: object) -> Path:
    options = {"views": ["overview"], **options}
    result = render_design(loads(spec), tmp_path, RenderOptions(formats=["png"], **options))
    return result.directory / "overview.png"


def test_themes_are_data_with_readable_text() -> None:
    assert set(THEMES) >= {"light", "dark"}
    for theme in THEMES.values():
        assert theme.font == "DejaVu Sans"
        assert contrast(theme.text, theme.background) >= 7, theme.name
        assert contrast(theme.subtle_text, theme.background) >= 4.5, theme.name
        for fill in theme.cluster_fills:
            assert contrast(theme.text, fill) >= 4.5, (theme.name, fill)
    assert luminance((15, 23, 42)) < 0.05 and DARK.background == "#0F172A"
    assert DARK.node_fill != "none", "dark icons need a light plate on a dark background"
    with pytest.raises(KeyError, match="light, dark"):
        get_theme("sepia")


def test_dark_png_is_dark_with_light_text_and_icon_plates(tmp_path: Path) -> None:
    image = Image.open(render_png(tmp_path, theme="dark")).convert("RGB")
    width, height = image.size
    assert image.getpixel((2, 2)) == (15, 23, 42)  # the theme's background
    colors = image.getcolors(maxcolors=width * height)
    assert colors is not None
    dark = sum(n for n, c in colors if luminance(c) < 0.05)
    light = sum(n for n, c in colors if luminance(c) > 0.7)
    assert dark > 0.5 * width * height  # mostly background and cluster fills
    assert light > 0.01 * width * height  # text and the plates behind the icons


def test_light_png_is_light(tmp_path: Path) -> None:
    image = Image.open(render_png(tmp_path)).convert("RGB")
    assert image.getpixel((2, 2)) == (255, 255, 255)


def test_transparent_png_has_no_background_but_keeps_the_drawing(tmp_path: Path) -> None:
    image = Image.open(render_png(tmp_path, transparent=True))
    assert image.mode == "RGBA"
    alpha = image.getchannel("A")
    width, height = image.size
    assert alpha.getpixel((0, 0)) == 0 and alpha.getpixel((width - 1, height - 1)) == 0
    histogram = alpha.histogram()
    clear, opaque = histogram[0], histogram[255]
    assert clear > 0.3 * width * height  # the background
    assert opaque > 0.05 * width * height  # clusters, icons and text


def test_default_png_is_slide_wide_and_dpi_overrides(tmp_path: Path) -> None:
    auto = Image.open(render_png(tmp_path / "auto")).size
    assert abs(auto[0] - PNG_WIDTH) <= 2
    fixed = Image.open(render_png(tmp_path / "fixed", dpi=48)).size
    double = Image.open(render_png(tmp_path / "double", dpi=96)).size
    assert abs(double[0] - 2 * fixed[0]) <= 2 and abs(double[1] - 2 * fixed[1]) <= 2


def test_png_dpi_stays_within_bounds() -> None:
    def svg(width: float) -> str:
        return f'<svg width="{width}pt" height="10pt" viewBox="0.00 0.00 {width} 10.00">'

    assert png_dpi(svg(1440)) == 96  # 1440 pt at 96 dpi is 1920 px
    assert png_dpi(svg(100)) == 300  # small drawings are not blown up past the icons
    assert png_dpi(svg(20000)) == 72  # huge ones keep at least a pixel per point
    assert png_dpi("<svg>") == 96


def test_png_options_leave_svg_bytes_alone(tmp_path: Path) -> None:
    design = loads(SMALL_SPEC)
    plain = render_design(design, tmp_path / "a", RenderOptions(formats=["svg"]))
    fancy = render_design(
        design,
        tmp_path / "b",
        RenderOptions(formats=["svg", "png"], dpi=150, transparent=True),
    )
    for name in ("overview.svg", "flow-read.svg"):
        assert (plain.directory / name).read_bytes() == (fancy.directory / name).read_bytes()


def test_fonts_are_explicit(tmp_path: Path) -> None:
    result = render_design(loads(SMALL_SPEC), tmp_path, RenderOptions(formats=["svg", "dot"]))
    dot = (result.directory / "overview.dot").read_text()
    assert 'fontname="DejaVu Sans"' in dot
    svg = (result.directory / "overview.svg").read_text()
    families = set(re.findall(r'font-family="([^"]+)"', svg))
    assert families and all(f.startswith("DejaVu Sans") for f in families), families


def test_spec_theme_is_used_and_cli_flag_overrides(tmp_path: Path) -> None:
    spec = tmp_path / "dark.yaml"
    spec.write_text("theme: dark\n" + SMALL_SPEC)
    assert theme_name(loads(spec.read_text())) == "dark"
    assert theme_name(loads(spec.read_text()), "light") == "light"
    assert theme_name(loads(SMALL_SPEC)) == "light"

    def corner(out: Path) -> tuple[int, ...]:
        image = Image.open(out / "small" / "overview.png").convert("RGB")
        return image.getpixel((1, 1))

    args = ["render", str(spec), "-f", "png", "--dpi", "20", "--view", "overview"]
    result = runner.invoke(app, [*args, "-o", str(tmp_path / "a")])
    assert result.exit_code == 0, result.output
    assert corner(tmp_path / "a") == (15, 23, 42)
    result = runner.invoke(app, [*args, "-o", str(tmp_path / "b"), "--theme", "light"])
    assert result.exit_code == 0, result.output
    assert corner(tmp_path / "b") == (255, 255, 255)


def test_unknown_spec_theme_is_a_located_error(tmp_path: Path) -> None:
    spec = tmp_path / "bad.yaml"
    spec.write_text("theme: sepia\ncomponents: [{id: a, kind: service}]\n")
    result = runner.invoke(app, ["validate", str(spec)])
    assert result.exit_code == 1
    assert f"{spec}:1:8:" in result.output and "light, dark" in result.output


def test_render_cli_png_options(tmp_path: Path, small_spec: Path) -> None:
    out = tmp_path / "out"
    args = ["render", str(small_spec), "-o", str(out), "-f", "png", "--dpi", "50"]
    result = runner.invoke(app, [*args, "--transparent"])
    assert result.exit_code == 0, result.output
    image = Image.open(out / "small" / "overview.png")
    assert image.getchannel("A").getpixel((0, 0)) == 0
    assert image.size[0] < PNG_WIDTH / 2
    result = runner.invoke(app, [*args[:-1], "0"])
    assert result.exit_code == 2


def test_light_theme_is_the_default() -> None:
    assert RenderOptions().theme is None and theme_name(loads(SMALL_SPEC)) == LIGHT.name
