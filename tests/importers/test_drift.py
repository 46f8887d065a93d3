"""`diagramgen drift`: no drift against the source a spec was imported from; an edit to
the source (a service removed, replicas changed, a dependency added) is exactly that."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from diagramgen.cli import app
from diagramgen.drift import drift, to_markdown
from diagramgen.importers import import_source, to_yaml
from diagramgen.spec.loader import loads

FIXTURES = Path(__file__).parent / "fixtures"
SOURCES = [
    FIXTURES / "voting-app" / "compose.yaml",
    FIXTURES / "online-boutique",
    FIXTURES / "three-tier-aws",
    FIXTURES / "three-tier-aws" / "plan.json",
    FIXTURES / "three-tier-aws" / "state.json",
]
runner = CliRunner()


def _spec(source: Path, tmp_path: Path) -> Path:
    spec = tmp_path / "spec.yaml"
    spec.write_text(to_yaml(import_source(source)))
    return spec


def _drift_json(spec: Path, source: Path) -> tuple[int, dict]:
    res = runner.invoke(
        app, ["drift", str(spec), "--against", str(source), "--format", "json", "--exit-code"]
    )
    assert res.exception is None or isinstance(res.exception, SystemExit), res.output
    return res.exit_code, json.loads(res.stdout)


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_import_then_drift_is_no_drift(source: Path, tmp_path: Path) -> None:
    code, report = _drift_json(_spec(source, tmp_path), source)
    assert code == 0
    assert report["drift"] is False
    assert report["design_only"] == {"components": [], "connections": []}
    assert report["deployed_only"] == {"components": [], "connections": []}
    assert report["changed"] == {}


def _only(report: dict, **expected: object) -> None:
    empty = {
        "design_only": {"components": [], "connections": []},
        "deployed_only": {"components": [], "connections": []},
        "changed": {},
    }
    for key, value in (empty | expected).items():
        assert report[key] == value, key
    assert report["drift"] is True


def test_removed_service(tmp_path: Path) -> None:
    src = tmp_path / "app" / "compose.yaml"
    src.parent.mkdir()
    shutil.copy(FIXTURES / "voting-app" / "compose.yaml", src)
    spec = _spec(src, tmp_path)
    text = src.read_text()
    start = text.index("  # this service runs once")
    src.write_text(text[:start] + text[text.index("volumes:\n  db-data:") :])
    code, report = _drift_json(spec, src)
    assert code == 1
    _only(report, design_only={"components": ["seed"], "connections": [["seed", "vote"]]})


def test_changed_replicas(tmp_path: Path) -> None:
    src = tmp_path / "shop"
    shutil.copytree(FIXTURES / "online-boutique", src)
    spec = _spec(src, tmp_path)
    manifest = src / "kubernetes-manifests.yaml"
    text = manifest.read_text()
    anchor = "kind: Deployment\nmetadata:\n  name: frontend\n  labels:\n    app: frontend\nspec:\n"
    assert text.count(anchor) == 1
    manifest.write_text(text.replace(anchor, anchor + "  replicas: 3\n"))
    code, report = _drift_json(spec, src)
    assert code == 1
    _only(report, changed={"frontend": {"replicas": [1, 3]}})


def test_added_dependency(tmp_path: Path) -> None:
    src = tmp_path / "compose.yaml"
    shutil.copy(FIXTURES / "voting-app" / "compose.yaml", src)
    spec = _spec(src, tmp_path)
    text = src.read_text()
    src.write_text(
        text.replace(
            "    depends_on:\n      db:\n        condition: service_healthy\n    volumes:\n"
            "      - ./result",
            "    depends_on:\n      db:\n        condition: service_healthy\n      redis:\n"
            "        condition: service_healthy\n    volumes:\n      - ./result",
        )
    )
    code, report = _drift_json(spec, src)
    assert code == 1
    _only(report, deployed_only={"components": [], "connections": [["result", "redis"]]})


def test_terraform_autoscaling_and_version_drift(tmp_path: Path) -> None:
    src = tmp_path / "tf"
    shutil.copytree(FIXTURES / "three-tier-aws", src)
    (src / "plan.json").unlink()
    spec = _spec(src, tmp_path)
    tf = src / "main.tf"
    text = tf.read_text()
    text = text.replace("max_size            = 8", "max_size            = 12")
    text = text.replace('engine_version         = "8.0"', 'engine_version         = "8.4"')
    tf.write_text(text)
    _code, report = _drift_json(spec, src)
    _only(
        report,
        changed={"app-asg": {"autoscaling.max": [8, 12]}, "db": {"version": ["8.0", "8.4"]}},
    )


def test_matching_by_source_then_name() -> None:
    source = FIXTURES / "voting-app" / "compose.yaml"
    imported = import_source(source)
    text = to_yaml(imported)
    # The designer renamed two components: one keeps its source, one keeps its name.
    text = text.replace("  - id: db\n", "  - id: votes-db\n").replace("to: db", "to: votes-db")
    text = text.replace("  - id: worker\n", "  - id: tally\n    label: Worker\n")
    text = text.replace("from: worker", "from: tally")
    lines = [ln for ln in text.splitlines() if "service/worker" not in ln]
    # Clients and unsourced externals are never deployed: not compared, not drift.
    lines.insert(lines.index("components:") + 1, "  - {id: browser, kind: client}")
    design = loads("\n".join(lines) + "\n", "spec.yaml")
    result = drift(design, imported.design())
    assert result.matched["db"] == "votes-db"
    assert result.matched["worker"] == "tally"
    assert not result.has_drift
    assert result.not_compared == ["browser"]
    assert "no drift" in to_markdown(result, "spec.yaml", "compose.yaml")


def test_cli_markdown_picture_and_errors(tmp_path: Path) -> None:
    source = FIXTURES / "voting-app" / "compose.yaml"
    spec = _spec(source, tmp_path)
    spec.write_text(spec.read_text().replace("  - id: seed\n", "  - id: seed\n    replicas: 2\n"))
    res = runner.invoke(
        app, ["drift", str(spec), "--against", str(source), "-o", str(tmp_path / "d")]
    )
    assert res.exit_code == 0, res.output
    assert "## Differs (design → deployed)" in res.stdout
    assert "`seed`: replicas `2` → `1`" in res.stdout
    assert (tmp_path / "d" / "drift.svg").read_text().count("<svg") >= 1
    assert (tmp_path / "d" / "drift.png").stat().st_size > 1000
    bad = tmp_path / "notes.yaml"
    bad.write_text("hello: world\n")
    res = runner.invoke(app, ["drift", str(spec), "--against", str(bad)])
    assert res.exit_code == 1
    assert "Traceback" not in res.output and "not a Compose file" in res.stderr
    res = runner.invoke(app, ["import", str(bad)])
    assert res.exit_code == 1 and res.stderr.count("\n") == 1


def test_cli_import_writes_and_updates(tmp_path: Path) -> None:
    source = FIXTURES / "three-tier-aws"
    out = tmp_path / "shop.yaml"
    res = runner.invoke(app, ["import", str(source), "-o", str(out)])
    assert res.exit_code == 0, res.output
    first = out.read_text()
    assert "source: main.tf:" in first
    res = runner.invoke(app, ["import", str(source), "-o", str(out)])
    assert res.exit_code == 0
    assert out.read_text() == first  # nothing new: nothing changes, nothing doubles
    res = runner.invoke(app, ["validate", str(out)])
    assert res.exit_code == 0
