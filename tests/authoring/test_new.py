"""`diagramgen new`: every template gives a spec that validates and renders, safely written."""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

import pytest
from typer.testing import CliRunner

from diagramgen.cli import app
from diagramgen.cli.cmd_new import Template
from diagramgen.spec.loader import load, loads
from diagramgen.spec.models import Design
from diagramgen.templates import (
    SCHEMA_URL,
    TEMPLATES,
    check_name,
    schema_reference,
    starter_spec,
    title_from_name,
)

runner = CliRunner()


def test_template_choices_match_the_shipped_files() -> None:
    shipped = {
        p.name.removesuffix(".yaml")
        for p in files("diagramgen.templates").iterdir()
        if p.name.endswith(".yaml")
    }
    assert shipped == set(TEMPLATES) == {t.value for t in Template}


@pytest.mark.parametrize("template", list(TEMPLATES))
def test_every_template_validates_and_renders(tmp_path: Path, template: str) -> None:
    specs = tmp_path / "specs"
    result = runner.invoke(app, ["new", "my-design", "-t", template, "-o", str(specs)])
    assert result.exit_code == 0, result.output
    spec = specs / "my-design.yaml"
    text = spec.read_text("utf-8")
    assert text.startswith("# yaml-language-server: $schema=")
    assert f'template "{template}' in text  # the comments say where it came from
    design = load(spec)
    assert design.name == "my-design" and design.title == "My design"
    assert design.components and design.connections

    validated = runner.invoke(app, ["validate", str(spec)])
    assert validated.exit_code == 0, validated.output
    out = tmp_path / "out"
    rendered = runner.invoke(app, ["render", str(spec), "-o", str(out), "-f", "svg"])
    assert rendered.exit_code == 0, rendered.output
    assert (out / "my-design" / "overview.svg").read_text("utf-8").lstrip().startswith("<")
    assert (out / "my-design" / "notes.md").is_file()
    for flow in design.flows:
        assert any(out.joinpath("my-design").glob("flow-*.svg")), flow.name
    # A starter teaches good practice: no warnings from the design rules (info is fine).
    checked = runner.invoke(app, ["check", "--strict", "--quiet", str(spec)])
    assert checked.exit_code == 0, (
        f"the {template} starter has findings; update diagramgen/templates/{template}.yaml:\n"
        + checked.output
    )


def test_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    args = ["new", "shop", "-o", str(tmp_path)]
    assert runner.invoke(app, args).exit_code == 0
    target = tmp_path / "shop.yaml"
    target.write_text("# my edits\n", "utf-8")
    again = runner.invoke(app, args)
    assert again.exit_code == 1
    assert "already exists" in again.stderr and "--force" in again.stderr
    assert target.read_text("utf-8") == "# my edits\n"
    forced = runner.invoke(app, [*args, "--force", "-t", "minimal"])
    assert forced.exit_code == 0, forced.output
    assert 'template "minimal"' in target.read_text("utf-8")


@pytest.mark.parametrize(
    "name", ["../evil", "a/b", "/etc/passwd", ".hidden", "", "x" * 65, "spaced name", "..", "-x"]
)
def test_unsafe_names_are_usage_errors(tmp_path: Path, name: str) -> None:
    result = runner.invoke(app, ["new", "-o", str(tmp_path / "specs"), "--", name])
    assert result.exit_code == 2
    assert "invalid name" in result.stderr
    assert not (tmp_path / "specs").exists()
    assert not (tmp_path / "evil.yaml").exists()


def test_name_forms() -> None:
    assert check_name("shop.yaml") == check_name("shop.yml") == "shop"
    assert title_from_name("checkout_service-v2") == "Checkout service v2"
    # Names YAML would read as something else stay text.
    for name in ("true", "null", "1e3", "0x10", "123"):
        design = load_text(starter_spec(name, "minimal"))
        assert design.name == name


def load_text(text: str) -> Design:
    return loads(text, path="starter.yaml")


def test_schema_line_points_at_the_nearest_local_schema(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "schemas").mkdir()
    (repo / "schemas" / "design.schema.json").write_text("{}", "utf-8")
    assert schema_reference(repo / "specs") == "../schemas/design.schema.json"
    assert schema_reference(repo / "docs" / "designs") == "../../schemas/design.schema.json"
    assert schema_reference(repo) == "schemas/design.schema.json"
    # Not above the repository root; no local copy means the published URL.
    outside = tmp_path / "other" / "specs"
    assert schema_reference(outside) == SCHEMA_URL
    result = runner.invoke(app, ["new", "svc", "-o", str(repo / "specs")])
    assert result.exit_code == 0, result.output
    first = (repo / "specs" / "svc.yaml").read_text("utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../schemas/design.schema.json"


def test_schema_option_overrides(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["new", "svc", "-o", str(tmp_path), "--schema", "https://example.org/s.json"]
    )
    assert result.exit_code == 0, result.output
    first = (tmp_path / "svc.yaml").read_text("utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=https://example.org/s.json"


def test_the_repository_specs_folder_gets_a_relative_schema_path() -> None:
    root = Path(__file__).resolve().parents[2]
    expected = "../schemas/design.schema.json"
    if (root / "schemas" / "design.schema.json").is_file():
        assert schema_reference(root / "specs") == expected
    else:
        assert schema_reference(root / "specs") == SCHEMA_URL


def test_default_folder_is_specs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["new", "checkout"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "specs" / "checkout.yaml").is_file()
    assert "diagramgen watch specs/checkout.yaml" in result.output
    assert os.listdir(tmp_path) == ["specs"]


def test_unwritable_target_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "specs").write_text("a file, not a folder", "utf-8")
    result = runner.invoke(app, ["new", "x", "-o", str(tmp_path / "specs")])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: cannot write") and "Traceback" not in result.output
