"""`path@REV` and `--since` against a real temporary git repository."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from diagramgen.cli import app
from diagramgen.diffing.git import parse_ref, read_at
from diagramgen.errors import GitError
from tests.diffing.conftest import NEW_SPEC, OLD_SPEC

runner = CliRunner()


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository with specs/shop.yaml and specs/other.yaml committed, then shop edited."""
    root = tmp_path / "repo"
    (root / "specs").mkdir(parents=True)
    git(root, "init", "-q")
    (root / "specs" / "shop.yaml").write_text(OLD_SPEC, "utf-8")
    (root / "specs" / "other.yaml").write_text("components: [{id: a, kind: service}]\n")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "first")
    git(root, "tag", "v1.0")
    (root / "specs" / "shop.yaml").write_text(NEW_SPEC, "utf-8")
    monkeypatch.chdir(root)
    return root


def test_diff_working_file_against_head(repo: Path) -> None:
    result = runner.invoke(app, ["diff", "specs/shop.yaml@HEAD", "specs/shop.yaml"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(
        "# Changes to Shop\n\n`specs/shop.yaml@HEAD` → `specs/shop.yaml`"
    )
    assert "- **changed** `db`: replicas `1` → `3`" in result.stdout


def test_revision_forms_and_paths_from_another_folder(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo / "specs")
    result = runner.invoke(app, ["diff", "shop.yaml@v1.0", "shop.yaml", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["components"]["changed"]["db"] == {"replicas": [1, 3]}
    assert read_at(parse_ref(str(repo / "specs" / "shop.yaml@HEAD~0"))).decode() == OLD_SPEC


def test_bad_revision_and_unknown_path_exit_1_with_one_line(repo: Path) -> None:
    bad_rev = runner.invoke(app, ["diff", "specs/shop.yaml@nope", "specs/shop.yaml"])
    assert bad_rev.exit_code == 1
    assert bad_rev.stderr.startswith("error: specs/shop.yaml@nope: unknown git revision 'nope'")
    assert len(bad_rev.stderr.splitlines()) == 1 and "Traceback" not in bad_rev.output
    missing = runner.invoke(app, ["diff", "specs/shopp.yaml@HEAD", "specs/shop.yaml"])
    assert missing.exit_code == 1
    assert missing.stderr == (
        "error: specs/shopp.yaml@HEAD: 'specs/shopp.yaml' does not exist at HEAD "
        "(did you mean 'specs/shop.yaml'?)\n"
    )
    folder = runner.invoke(app, ["diff", "specs@HEAD", "specs/shop.yaml"])
    assert folder.exit_code == 1 and "is a folder at HEAD" in folder.stderr
    option = runner.invoke(app, ["diff", "specs/shop.yaml@--output=x", "specs/shop.yaml"])
    assert option.exit_code == 1 and "invalid git revision" in option.stderr


def test_outside_a_repository(tmp_path: Path) -> None:
    spec = tmp_path / "lonely" / "a.yaml"
    spec.parent.mkdir()
    spec.write_text(OLD_SPEC)
    with pytest.raises(GitError, match="not inside a git repository"):
        read_at(parse_ref(f"{spec}@HEAD"))


def test_invalid_spec_at_a_revision_is_located(repo: Path) -> None:
    (repo / "specs" / "shop.yaml").write_text("components:\n  - {id: a, kind: servce}\n")
    git(repo, "commit", "-q", "-am", "broken")
    result = runner.invoke(app, ["diff", "specs/shop.yaml@HEAD", "specs/other.yaml"])
    assert result.exit_code == 1
    assert result.stderr.startswith("specs/shop.yaml@HEAD:2:19: unknown component kind 'servce'")


def test_since_reports_added_deleted_and_changed_specs(repo: Path, tmp_path: Path) -> None:
    (repo / "specs" / "new.yaml").write_text("components: [{id: b, kind: worker}]\n")
    (repo / "specs" / "other.yaml").unlink()
    result = runner.invoke(app, ["diff", "--since", "HEAD", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["added"] == ["specs/new.yaml"] and data["deleted"] == ["specs/other.yaml"]
    assert list(data["modified"]) == ["specs/shop.yaml"]
    assert data["modified"]["specs/shop.yaml"]["components"]["added"] == ["search"]

    out = tmp_path / "review"
    markdown = runner.invoke(
        app, ["diff", "--since", "v1.0", "specs", "-o", str(out), "-f", "svg", "--exit-code"]
    )
    assert markdown.exit_code == 1
    assert "- **added** spec `specs/new.yaml`" in markdown.stdout
    assert "- **deleted** spec `specs/other.yaml`" in markdown.stdout
    assert "## Changes to Shop" in markdown.stdout
    assert sorted(p.name for p in (out / "shop").iterdir()) == ["diff.svg"]


def test_since_without_changes_exits_0_with_exit_code(repo: Path) -> None:
    git(repo, "commit", "-q", "-am", "second")
    result = runner.invoke(app, ["diff", "--since", "HEAD", "--exit-code"])
    assert result.exit_code == 0, result.output
    assert "No spec changed since `HEAD` (2 compared)." in result.stdout


def test_since_bad_revision(repo: Path) -> None:
    result = runner.invoke(app, ["diff", "--since", "v9", "specs"])
    assert result.exit_code == 1 and "unknown git revision 'v9'" in result.stderr
