"""The CLI around the commands: help with examples, completion, version, pre-commit hooks."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from typer.main import get_command
from typer.testing import CliRunner

from diagramgen import __version__
from diagramgen.cli import app

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]
OWN_COMMANDS = ("new", "watch", "list")
# The keys pre-commit accepts in a hook definition (pre-commit.com, "Creating new hooks").
HOOK_KEYS = {
    "id", "name", "entry", "language", "files", "exclude", "types", "types_or",
    "exclude_types", "always_run", "fail_fast", "verbose", "pass_filenames", "require_serial",
    "description", "language_version", "minimum_pre_commit_version", "args", "stages",
    "additional_dependencies", "log_file",
}  # fmt: skip


def _complete(words: str) -> list[str]:
    """What bash completion offers for the command line `words` (cursor at its end)."""
    parts = words.split(" ")
    result = runner.invoke(
        app,
        [],
        prog_name="diagramgen",
        env={
            "_DIAGRAMGEN_COMPLETE": "complete_bash",
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(parts) - 1),
        },
    )
    assert result.exit_code == 0, result.output
    return result.stdout.split()


@pytest.mark.parametrize("command", OWN_COMMANDS)
def test_own_commands_have_help_with_examples(command: str) -> None:
    result = runner.invoke(app, [command, "--help"], terminal_width=120)
    assert result.exit_code == 0, result.output
    assert "Examples" in result.output
    assert f"diagramgen {command}" in result.output


def test_every_command_is_listed_in_the_top_level_help() -> None:
    result = runner.invoke(app, ["--help"], terminal_width=120)
    for command in get_command(app).commands:  # type: ignore[attr-defined]
        assert command in result.output


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output == f"diagramgen {__version__}\n"


def test_shell_completion_of_commands_and_choices() -> None:
    assert {"new", "watch", "list", "render", "validate"} <= set(_complete("diagramgen "))
    assert _complete("diagramgen new shop --template ") == [
        "web", "pipeline", "event-driven", "minimal",
    ]  # fmt: skip
    assert _complete("diagramgen new shop -t ev") == ["event-driven"]
    assert _complete("diagramgen watch --theme ") == ["light", "dark"]
    help_text = runner.invoke(app, ["--help"], terminal_width=120).output
    assert "--install-completion" in help_text and "--show-completion" in help_text


def _hooks() -> list[dict[str, object]]:
    return YAML(typ="safe", pure=True).load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))


def test_pre_commit_hooks_point_at_real_commands() -> None:
    hooks = _hooks()
    assert {h["id"] for h in hooks} >= {"diagramgen-validate", "diagramgen-check"}
    commands = get_command(app).commands  # type: ignore[attr-defined]
    for hook in hooks:
        assert set(hook) <= HOOK_KEYS, hook["id"]
        assert {"id", "name", "entry", "language"} <= set(hook)
        assert hook["language"] == "python" and hook["pass_filenames"] is True
        program, command, *options = shlex.split(str(hook["entry"]))
        assert program == "diagramgen"  # the console script pyproject installs
        assert command in commands, f"{hook['id']}: no command {command!r}"
        known = {opt for param in commands[command].params for opt in param.opts}
        for option in (*options, *hook.get("args", [])):  # type: ignore[misc]
            assert option in known, f"{hook['id']}: {command} has no option {option}"
        result = runner.invoke(app, [command, *options, "--help"])
        assert result.exit_code == 0, result.output


def test_pre_commit_hooks_run_on_spec_files_only() -> None:
    for hook in _hooks():
        pattern = re.compile(str(hook["files"]))
        for path in ("specs/url_shortener.yaml", "specs/a.yml", "docs/specs/b.json"):
            assert pattern.search(path), (hook["id"], path)
        for path in (".github/workflows/ci.yml", "docker-compose.yaml", "specs/README.md"):
            assert not pattern.search(path), (hook["id"], path)


def test_a_hook_entry_works_as_pre_commit_calls_it(tmp_path: Path) -> None:
    good = tmp_path / "specs" / "good.yaml"
    bad = tmp_path / "specs" / "bad.yaml"
    good.parent.mkdir()
    good.write_text("components:\n  - {id: api, kind: service}\n", "utf-8")
    bad.write_text("components:\n  - {id: api, kind: servce}\n", "utf-8")
    entry = next(h["entry"] for h in _hooks() if h["id"] == "diagramgen-validate")
    _program, *args = shlex.split(str(entry))
    assert runner.invoke(app, [*args, str(good)]).exit_code == 0
    failed = runner.invoke(app, [*args, str(good), str(bad)])
    assert failed.exit_code == 1
    assert f"{bad}:2:21: unknown component kind 'servce'" in failed.stderr
