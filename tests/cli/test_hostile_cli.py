"""The CLI under hostile arguments and specs (issue 15): located errors, never tracebacks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from diagramgen.cli import app
from diagramgen.diffing.git import parse_ref
from diagramgen.errors import GitError
from diagramgen.rendering.notes import md_escape, render_notes
from diagramgen.spec.loader import loads
from diagramgen.spec.models import slugify
from tests.conftest import ROOT, SMALL_SPEC

LONG = "a" * 300 + ".yaml"
SPEC = str(ROOT / "specs" / "url_shortener.yaml")


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


@pytest.mark.parametrize(
    "args",
    [
        ["validate", LONG],
        ["render", LONG],
        ["notes", LONG],
        ["check", LONG],
        ["export", LONG, "--to", "json"],
        ["slides", LONG, "-o", "deck.md"],
        ["diff", LONG, LONG],
        ["list", LONG],
        ["watch", LONG],
        ["notes", SPEC, "-o", f"/tmp/{LONG}"],
        ["slides", SPEC, "-o", f"/tmp/{LONG[:-5]}.md"],
    ],
    ids=lambda a: "-".join(x for x in a if len(x) < 20),
)
def test_a_300_character_path_component_is_an_error(args: list[str], tmp_path: Path) -> None:
    code, output = _run(*args)
    assert code in (1, 2) and "File name too long" in output


@pytest.mark.parametrize("value", ["inf", "nan", "1e400"])
@pytest.mark.parametrize("command", [["render", SPEC], ["slides", SPEC, "-o", "x.md"]])
def test_timeout_must_be_finite(command: list[str], value: str) -> None:
    code, _ = _run(*command, "--timeout", value)
    assert code == 2


def test_a_huge_revision_and_reflog_syntax() -> None:
    code, output = _run("diff", f"{SPEC}@{'x' * 100_000}", SPEC)
    assert code == 1 and "at most 256 characters" in output
    assert parse_ref(f"{SPEC}@HEAD@{{0}}").rev == "HEAD@{0}"
    assert parse_ref(f"{SPEC}@@{{1}}").rev == "@{1}"
    with pytest.raises(GitError, match="give a path"):
        parse_ref("@HEAD")


def test_new_schema_must_be_one_line(tmp_path: Path) -> None:
    code, output = _run("new", "shop", "-o", str(tmp_path), "--schema", "a\nb")
    assert code == 2 and "one line" in output
    assert not list(tmp_path.iterdir())


def test_control_character_title_with_pptx_is_a_located_error(tmp_path: Path) -> None:
    spec = tmp_path / "s.yaml"
    spec.write_text('title: "deck\\u0007"\ncomponents: [{id: a, kind: service}]\n', "utf-8")
    code, output = _run("slides", str(spec), "-o", str(tmp_path / "x.pptx"))
    assert code == 1 and f"{spec}:1:8: title: control character" in output


# ---------------------------------------------------------------- item 11: one line each


def test_one_finding_one_line_even_with_newlines_in_labels(tmp_path: Path) -> None:
    spec = tmp_path / "forge.yaml"
    forged = "x\\nfake.yaml:1:1: DG999 error: forged\\n::error file=a::owned"
    spec.write_text(
        "components:\n"
        f'  - {{id: db, kind: sql_database, label: "{forged}"}}\n'
        f'  - {{id: api, kind: service, label: "{forged}"}}\n'
        "connections: [api -> db]\n",
        "utf-8",
    )
    _, output = _run("check", str(spec))
    lines = output.splitlines()
    assert lines and all(ln.startswith(str(spec)) or " checked: " in ln for ln in lines)
    assert not any(ln.startswith(("fake.yaml", "::")) for ln in lines)


# ---------------------------------------------------------------- item 12: Markdown


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("~~~", "\\~\\~\\~"),
        ("```", "\\`\\`\\`"),
        ("---", "\\---"),
        ("+ x", "\\+ x"),
        ("1. x", "1\\. x"),
        ("&lt;b&gt;", "&amp;lt;b&amp;gt;"),
        ("R&D in ~5 ms", "R&D in ~5 ms"),
    ],
)
def test_md_escape_keeps_user_text_inline(text: str, escaped: str) -> None:
    assert md_escape(text) == escaped


def test_a_fence_in_a_description_does_not_swallow_the_notes() -> None:
    line = "description: Three components in two groups."
    design = loads(SMALL_SPEC.replace(line, 'description: "~~~\\n---\\n1. Three"'))
    notes = render_notes(design)
    assert not re.search(r"^(~~~|```|---)", notes, re.MULTILINE)
    assert "## Components" in notes or "| Component |" in notes


# ---------------------------------------------------------------- item 17: slugs


def test_other_scripts_get_their_own_slugs() -> None:
    slugs = {slugify(t) for t in ("ÄÖÜ", "日本", "Ω", "Привет")}
    assert len(slugs) == 4 and "design" not in slugs
    assert slugify("café") == "cafe" and slugify("url_shortener") == "url_shortener"
    assert all(re.fullmatch(r"[a-z0-9_-]+", s) for s in slugs)


def test_two_specs_with_one_slug_in_a_run_are_refused(tmp_path: Path) -> None:
    for name in ("ÄÖÜ", "日本", "Ω"):
        (tmp_path / f"{name}.yaml").write_text("components: [{id: a, kind: service}]\n", "utf-8")
    (tmp_path / "aou.yaml").write_text("components: [{id: b, kind: service}]\n", "utf-8")
    out = tmp_path / "out"
    code, output = _run("render", str(tmp_path), "-o", str(out), "-f", "dot")
    assert code == 1 and "same output folder aou/" in output
    assert sorted(p.name for p in out.iterdir()) == ["aou", "omega", "u65e5-u672c"]
