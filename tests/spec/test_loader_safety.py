"""Hostile and extreme inputs get a result or a clear SpecError, quickly."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from diagramgen.errors import SpecError
from diagramgen.spec.loader import load, loads


def test_alias_bomb_is_refused_quickly() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 12):
        prev = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([prev] * 10)}]")
    lines.append("components: *a11")
    start = time.monotonic()
    with pytest.raises(SpecError) as info:
        loads("\n".join(lines) + "\n", path="bomb.yaml")
    assert time.monotonic() - start < 10
    assert "bomb.yaml:6:10: the document has more than 200,000 values" in str(info.value)


def test_300_deep_group_nesting_loads() -> None:
    groups = "\n".join(
        f"  - {{id: g{i}" + (f", parent: g{i - 1}}}" if i else "}") for i in range(300)
    )
    design = loads(f"groups:\n{groups}\ncomponents:\n  - {{id: s, kind: service, group: g299}}\n")
    assert len(design.groups) == 300


def test_deeply_nested_yaml_is_an_error() -> None:
    with pytest.raises(SpecError) as info:
        loads("components: " + "[" * 5000 + "]" * 5000 + "\n", path="deep.yaml")
    assert "deep.yaml:1:" in str(info.value)


@pytest.mark.parametrize("content", [b"", b"   \n\n", b"# nothing\n"])
def test_empty_files(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.yaml"
    path.write_bytes(content)
    with pytest.raises(SpecError, match="the spec is empty"):
        load(path)


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "photo.yaml"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(SpecError, match="not a text file"):
        load(path)


def test_latin1_file_is_located(tmp_path: Path) -> None:
    path = tmp_path / "latin.yaml"
    path.write_bytes(b"title: caf\xe9\n")
    with pytest.raises(SpecError) as info:
        load(path)
    assert str(info.value).endswith("latin.yaml:1:11: not UTF-8 text")


def test_directory_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="is a directory"):
        load(tmp_path)
    with pytest.raises(SpecError, match="cannot read"):
        load(tmp_path / "nope.yaml")


def test_3000_components_load_fast() -> None:
    comps = "\n".join(f"  - {{id: s{i}, kind: service}}" for i in range(3000))
    conns = "\n".join(f"  - s{i} -> s{i + 1}" for i in range(2999))
    start = time.monotonic()
    design = loads(f"components:\n{comps}\nconnections:\n{conns}\n")
    assert len(design.components) == 3000
    assert time.monotonic() - start < 20


def test_python_tags_are_not_executed() -> None:
    with pytest.raises(SpecError):
        loads("name: !!python/object/apply:os.system ['echo pwned']\ncomponents: []\n")


def test_name_cannot_escape_output_folder() -> None:
    design = loads("name: ../../etc/passwd\ncomponents: []\n")
    assert design.slug == "etc-passwd"
    assert loads("name: '..'\n").slug == "design"
