"""Hostile input found by the attack pass (issue 15): bounded work and located errors."""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from diagramgen.cli import app
from diagramgen.errors import SpecError
from diagramgen.spec.loader import load, loads

ONE = "components: [{id: a, kind: service}]\n"


def _error(text: str, path: str = "x.yaml") -> str:
    with pytest.raises(SpecError) as info:
        loads(text, path=path)
    return str(info.value)


# ---------------------------------------------------------------- item 6: bounded parsing


def test_a_fifo_is_refused_without_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "spec.yaml"
    os.mkfifo(fifo)
    result: list[str] = []
    worker = threading.Thread(target=lambda: result.append(_load_error(fifo)), daemon=True)
    worker.start()
    worker.join(10)
    assert result and "not a regular file" in result[0]


def _load_error(path: Path) -> str:
    try:
        load(path)
    except SpecError as exc:
        return str(exc)
    return "loaded"


def test_devices_and_huge_sparse_files_are_refused_unread(tmp_path: Path) -> None:
    assert "not a regular file" in _load_error(Path("/dev/zero"))
    sparse = tmp_path / "big.yaml"
    with open(sparse, "wb") as f:
        f.truncate(4 << 30)  # 4 GB, no blocks: reading it would take 4 GB of memory
    start = time.monotonic()
    assert "larger than 20 MB" in _load_error(sparse)
    assert time.monotonic() - start < 2


def test_render_refuses_a_fifo_too(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "spec.yaml")
    result = CliRunner().invoke(app, ["render", str(tmp_path / "spec.yaml"), "-o", str(tmp_path)])
    assert result.exit_code == 1 and "not a regular file" in result.output


@pytest.mark.parametrize(
    "text",
    [
        "flows: [" + ",".join(["a"] * 1_000_000) + "]\n",  # 2 MB flow list
        "components:\n" + "".join(f"  - {{id: s{i}, kind: service}}\n" for i in range(100_000)),
    ],
    ids=["flow-list", "100k-components"],
)
def test_huge_documents_stop_at_the_value_limit_quickly(text: str) -> None:
    start = time.monotonic()
    message = _error(text)
    assert "more than 200,000 values" in message
    assert time.monotonic() - start < 15  # was 58 s and 48 s: the parse used to finish first


# ---------------------------------------------------------------- items 8, 9: numbers


@pytest.mark.parametrize(
    "value", ["1e40", "10000000000000000000000000000000000000000/s", "1.0e+300"]
)
def test_absurd_quantities_are_located_errors(value: str) -> None:
    text = f"workload: {{operations: [{{name: a, rate: {value}}}]}}\n{ONE}"
    assert _error(text).startswith("x.yaml:1:")


def test_json_1e300_and_giant_integers_are_located_errors() -> None:
    doc = '{"workload": {"operations": [{"name": "a", "size": 1e300}]}, "components": []}'
    assert "too large" in _error(doc, "x.json")
    giant = '{"components": [{"id": "a", "kind": "service", "replicas": ' + "9" * 5000 + "}]}"
    assert "x.json:1:" in _error(giant, "x.json") and "digits" in _error(giant, "x.json")
    assert "digits" in _error("components: [{id: a, kind: service, replicas: " + "9" * 5000 + "}]")


def test_key_space_inf_is_refused_so_export_json_stays_json() -> None:
    text = f"workload: {{operations: [{{name: a, rate: 5/s, key_space: .inf}}]}}\n{ONE}"
    assert "finite" in _error(text)


def test_huge_but_allowed_numbers_never_crash_notes(tmp_path: Path) -> None:
    spec = tmp_path / "big.yaml"
    spec.write_text(
        "workload: {operations: [{name: a, rate: 1e24, size: 1e24, retention: 1e24}]}\n"
        "components: [{id: db, kind: sql_database}]\n",
        "utf-8",
    )
    for command in (["notes"], ["notes", "--format", "json"], ["export", "--to", "json"]):
        result = CliRunner().invoke(app, [*command, str(spec)])
        assert result.exit_code == 0, result.output
    exported = CliRunner().invoke(app, ["export", "--to", "json", str(spec)]).output
    json.loads(exported, parse_constant=lambda c: pytest.fail(f"{c} is not JSON"))


# ---------------------------------------------------------------- item 10: control characters


@pytest.mark.parametrize(
    "text",
    [
        'title: "\\e[2J"\n' + ONE,
        'components: [{id: a, kind: service, label: "x\\u001b]0;owned\\u0007"}]\n',
        '{"title": "a\\u009bb", "components": []}',
        'components: [{id: a, kind: service, description: "\\u202eevil"}]\n',
    ],
)
def test_control_characters_written_as_escapes_are_refused(text: str) -> None:
    path = "x.json" if text.startswith("{") else "x.yaml"
    message = _error(text, path)
    assert "control character" in message and message.startswith(f"{path}:1:")


def test_newlines_stay_legal_text() -> None:
    design = loads('components: [{id: a, kind: service, label: "two\\nlines"}]\n')
    assert design.components[0].label == "two\nlines"


# ---------------------------------------------------------------- item 16: YAML tags


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("title: !!binary aGVsbG8gd29ybGQ=\n" + ONE, "!!binary"),
        ("title: !!set {a, b}\n" + ONE, "!!set"),
        ("title: !!timestamp 2024-01-01\n" + ONE, "!!timestamp"),
        ("title: !custom x\n" + ONE, "!custom"),
        ("title: !!python/object:os.system x\n" + ONE, "!!python/object:os.system"),
    ],
)
def test_odd_yaml_tags_are_refused_at_their_position(text: str, shown: str) -> None:
    assert _error(text) == f"x.yaml:1:8: YAML tag {shown} is not supported: write the plain value"


def test_yaml_1_1_is_refused_and_timestamps_keep_their_text() -> None:
    assert "%YAML 1.1 is not supported" in _error("%YAML 1.1\n---\ntitle: yes\n" + ONE)
    assert loads("title: 2024-01-01 10:00:00\n" + ONE).title == "2024-01-01 10:00:00"
    assert loads("title: !!str 123\n" + ONE).title == "123"
