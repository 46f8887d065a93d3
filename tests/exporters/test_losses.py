"""Each exporter lists what its target cannot carry, for a spec that uses every feature.

The expected lists are written out here, kind by kind: a new loss (or a loss no longer
reported) changes this file on purpose. The CLI prints one warning line per kind.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from diagramgen.cli import app
from diagramgen.exporters import export
from diagramgen.spec.loader import load, loads

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
    '<rect width="10" height="10"/></svg>'
)

# Notes, a custom icon, tech icons, a legend with a colour meaning, a group with its own
# direction whose members link outside it, translucent colours on a group and an edge.
EVERYTHING = """\
name: everything
title: Every feature
description: One of each thing an exporter may or may not carry.
legend:
  colors: {"#b2222280": billing}
groups:
  - {id: app, label: App, direction: TB, color: "#4682b4aa", style: filled}
  - {id: data, label: Data, parent: app}
components:
  - {id: web, kind: client, label: Browser}
  - {id: api, kind: service, group: app, note: stateless, replicas: 3}
  - {id: jobs, kind: worker, group: app, icon: icons/jobs.svg}
  - {id: db, kind: sql_database, tech: postgresql, group: data, note: primary in eu-west-1}
  - {id: cache, kind: cache, tech: redis, group: data}
connections:
  - web -> api: HTTPS
  - api -> db
  - api ~> jobs
  - {from: jobs, to: web, label: receipt, color: "#b2222280"}
  - db -> cache
"""

EXPECTED: dict[str, dict[str, int]] = {
    "mermaid": {"notes": 2, "legend": 1, "icons": 5, "group-direction": 1},
    "d2": {
        "notes": 2,
        "legend": 1,
        "icons": 4,  # the custom icon is embedded
        "group-direction": 1,
        "colour-transparency": 2,
    },
    "drawio": {},  # notes, legend, icons, transparency: draw.io has a form for each
    "json": {},  # the spec itself
}


@pytest.fixture(scope="module")
def spec(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("everything")
    (folder / "icons").mkdir()
    (folder / "icons" / "jobs.svg").write_text(SVG, "utf-8")
    path = folder / "everything.yaml"
    path.write_text(EVERYTHING, "utf-8")
    return path


@pytest.mark.parametrize("fmt", list(EXPECTED))
def test_losses_of_every_feature(spec: Path, fmt: str) -> None:
    text = export(load(spec), fmt)
    assert {loss.kind: loss.count for loss in text.losses} == EXPECTED[fmt]
    for loss in text.losses:
        assert "\n" not in loss.line(fmt) and loss.line(fmt).startswith(f"{fmt} export: ")


@pytest.mark.parametrize("fmt", list(EXPECTED))
def test_cli_prints_one_warning_per_kind_of_loss(spec: Path, fmt: str) -> None:
    result = CliRunner().invoke(app, ["export", str(spec), "--to", fmt])
    assert result.exit_code == 0
    warnings = result.stderr.splitlines()
    assert len(warnings) == len(EXPECTED[fmt])
    for kind in EXPECTED[fmt]:
        assert sum(f"export: {kind} (" in w for w in warnings) == 1, kind
    assert all(w.startswith("warning: ") for w in warnings)


def test_what_is_carried_is_in_the_files(spec: Path) -> None:
    design = load(spec)
    d2 = export(design, "d2")
    assert 'icon: "data:image/svg+xml;base64,' in d2  # the custom icon
    assert 'tooltip: "stateless"' in d2
    assert "direction: down" in d2  # the group's own direction, for TALA
    mermaid = export(design, "mermaid")
    assert "classDef kind_store" in mermaid and "direction TB" in mermaid
    drawio = export(design, "drawio")
    assert "stateless" in drawio and "primary in eu-west-1" in drawio  # notes
    assert "billing" in drawio  # the legend
    assert "image=data:image/svg+xml," in drawio  # the custom icon
    assert "fillOpacity=67" in drawio and "strokeOpacity=50" in drawio  # alpha kept


def test_mermaid_keeps_a_direction_it_honours() -> None:
    """No loss when the group's members link only among themselves."""
    design = loads(
        "name: ok\ngroups: [{id: g, direction: TB}]\n"
        "components: [{id: a, kind: service, group: g}, {id: b, kind: service, group: g}]\n"
        "connections: [a -> b]\n",
        path="ok.yaml",
    )
    assert "group-direction" not in {loss.kind for loss in export(design, "mermaid").losses}


# ---------------------------------------------------------------- JSON and icons


def test_json_written_elsewhere_validates_there(spec: Path, tmp_path: Path) -> None:
    design = load(spec)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = elsewhere / "everything.json"
    result = CliRunner().invoke(app, ["export", str(spec), "--to", "json", "-o", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text("utf-8"))
    jobs = next(c for c in data["components"] if c["id"] == "jobs")
    assert jobs["icon"].startswith("data:image/svg+xml;base64,")  # outside: inlined
    check = CliRunner().invoke(app, ["validate", str(out)])
    assert check.exit_code == 0, check.output
    again = load(out)
    assert [c.id for c in again.components] == [c.id for c in design.components]
    assert next(c for c in again.components if c.id == "jobs").icon_file.read_text() == SVG


def test_json_written_beside_or_above_keeps_a_relative_path(spec: Path) -> None:
    design = load(spec)
    beside = json.loads(export(design, "json", dest=spec.parent))
    assert next(c for c in beside["components"] if c["id"] == "jobs")["icon"] == "icons/jobs.svg"
    above = json.loads(export(design, "json", dest=spec.parent.parent))
    icon = next(c for c in above["components"] if c["id"] == "jobs")["icon"]
    assert icon == f"{spec.parent.name}/icons/jobs.svg"
    (spec.parent.parent / "above.json").write_text(json.dumps(above), "utf-8")
    assert (
        load(spec.parent.parent / "above.json").components[2].icon_file
        == (spec.parent / "icons" / "jobs.svg").resolve()
    )


def test_bad_inline_icons_are_spec_errors(tmp_path: Path) -> None:
    for bad, message in [
        ("data:image/png;base64,AAAA", "not a PNG image"),
        ("data:image/svg+xml;base64,!!", "not valid base64"),
        ("data:text/html;base64,PGI+", "must be a local file"),
    ]:
        path = tmp_path / "bad.yaml"
        path.write_text(f"components: [{{id: a, kind: service, icon: '{bad}'}}]\n", "utf-8")
        result = CliRunner().invoke(app, ["validate", str(path)])
        assert result.exit_code == 1 and message in result.stderr, (bad, result.stderr)
