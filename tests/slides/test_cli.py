"""`diagramgen slides`: formats by suffix, exit codes, messages, the public API."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from pptx import Presentation
from typer.testing import CliRunner

import diagramgen
from diagramgen.cli import app
from diagramgen.spec.loader import loads
from tests.conftest import SMALL_SPEC

runner = CliRunner()


def test_pptx_from_a_folder_of_specs(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    specs.mkdir()
    (specs / "a.yaml").write_text(SMALL_SPEC)
    (specs / "b.yaml").write_text(SMALL_SPEC.replace("name: small", "name: other"))
    out = tmp_path / "out" / "talk.pptx"
    result = runner.invoke(
        app, ["slides", str(specs), "-o", str(out), "--title", "Two designs", "--theme", "dark"]
    )
    assert result.exit_code == 0, result.output
    assert f"wrote {out} (2 designs)" in result.output
    prs = Presentation(str(out))
    assert len(prs.slides) == 1 + 2 * 3
    assert prs.slides[0].shapes[1].text_frame.text == "Two designs"


def test_html_and_markdown(tmp_path: Path, small_spec: Path) -> None:
    html = tmp_path / "deck.HTML"
    assert runner.invoke(app, ["slides", str(small_spec), "-o", str(html), "-q"]).exit_code == 0
    assert html.read_text().startswith("<!DOCTYPE html>")
    md = tmp_path / "deck.md"
    result = runner.invoke(app, ["slides", str(small_spec), "-o", str(md)])
    assert result.exit_code == 0, result.output
    assert "pictures in" in result.output and (tmp_path / "deck_assets").is_dir()


def test_unknown_suffix_is_a_usage_error(tmp_path: Path, small_spec: Path) -> None:
    result = runner.invoke(app, ["slides", str(small_spec), "-o", str(tmp_path / "deck.pdf")])
    assert result.exit_code == 2
    assert "deck.pdf" in result.output and ".pptx, .html, .md" in result.output
    assert not (tmp_path / "deck.pdf").exists()


def test_usage_errors(tmp_path: Path, small_spec: Path) -> None:
    assert runner.invoke(app, ["slides", str(small_spec)]).exit_code == 2  # no -o
    out = str(tmp_path / "d.pptx")
    result = runner.invoke(app, ["slides", str(small_spec), "-o", out, "--theme", "neon"])
    assert result.exit_code == 2 and "light, dark" in result.output
    result = runner.invoke(app, ["slides", str(tmp_path / "missing.yaml"), "-o", out])
    assert result.exit_code == 2 and "no such file" in result.output
    result = runner.invoke(app, ["slides", str(small_spec), "-o", str(tmp_path)])
    assert result.exit_code == 2


def test_invalid_spec_writes_nothing(tmp_path: Path, small_spec: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("components:\n  - {id: api, kind: servce}\n")
    out = tmp_path / "deck.pptx"
    result = runner.invoke(app, ["slides", str(small_spec), str(bad), "-o", str(out)])
    assert result.exit_code == 1
    assert f"{bad}:2:" in result.output and "did you mean 'service'" in result.output
    assert not out.exists()


def test_no_traceback_when_the_output_cannot_be_written(tmp_path: Path, small_spec: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    proc = subprocess.run(
        [sys.executable, "-m", "diagramgen", "slides", str(small_spec), "-o", f"{blocker}/d.html"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr and "cannot" in proc.stderr


def test_public_api(tmp_path: Path) -> None:
    out = tmp_path / "deck.html"
    assert diagramgen.deck(loads(SMALL_SPEC), out, theme="dark") == [out]
    assert "--bg: #0F172A" in out.read_text()
