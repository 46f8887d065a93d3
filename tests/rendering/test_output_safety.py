"""Nothing lost: outputs replace only what diagramgen made, atomically, one swap at a time."""

from __future__ import annotations

import errno
import os
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from diagramgen import atomic
from diagramgen.cli import app
from diagramgen.errors import OutputError
from diagramgen.rendering import RenderOptions, render_design
from diagramgen.spec.loader import loads
from tests.conftest import SMALL_SPEC

DOT = RenderOptions(formats=["dot"])


def _spec(folder: Path, name: str, text: str = SMALL_SPEC) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.yaml"
    path.write_text(text, "utf-8")
    return path


def test_render_never_replaces_a_users_folder(tmp_path: Path, monkeypatch) -> None:
    # A spec named like the folder it sits in, rendered with `-o .`: the folder is the user's.
    monkeypatch.chdir(tmp_path)
    spec = _spec(tmp_path / "specs", "specs", SMALL_SPEC.replace("name: small", "name: specs"))
    result = CliRunner().invoke(app, ["render", str(spec), "-o", ".", "-f", "dot"])
    assert result.exit_code == 1
    assert "did not make" in result.output
    assert spec.read_text("utf-8").startswith("name: specs")


def test_render_replaces_its_own_and_empty_folders(tmp_path: Path) -> None:
    design = loads(SMALL_SPEC)
    (tmp_path / "small").mkdir()  # empty: nothing to lose
    render_design(design, tmp_path, DOT)
    render_design(design, tmp_path, DOT)  # its own, stamped
    assert (tmp_path / "small" / "overview.dot").is_file()
    for thing in ("file", "link"):
        other = tmp_path / thing
        other.mkdir()
        (other / "small").write_text("mine") if thing == "file" else (other / "small").symlink_to(
            tmp_path / "small"
        )
        with pytest.raises(OutputError, match="did not make"):
            render_design(design, other, DOT)


def test_gallery_never_replaces_a_users_readme(tmp_path: Path) -> None:
    spec = _spec(tmp_path / "specs", "small")
    out = tmp_path / "out"
    out.mkdir()
    (out / "README.md").write_text("# my notes\n", "utf-8")
    gallery = ["render", str(spec), "-o", str(out), "-f", "svg", "--gallery"]
    result = CliRunner().invoke(app, gallery)
    assert result.exit_code == 1 and "not written by diagramgen" in result.output
    assert (out / "README.md").read_text("utf-8") == "# my notes\n"
    (out / "README.md").unlink()
    CliRunner().invoke(app, gallery)
    result = CliRunner().invoke(app, gallery)
    assert result.exit_code == 0, result.output  # its own page is replaced


def test_slides_never_replace_a_users_assets_folder(tmp_path: Path) -> None:
    spec = _spec(tmp_path, "small")
    assets = tmp_path / "talk_assets"
    assets.mkdir()
    (assets / "photo.jpg").write_bytes(b"mine")
    result = CliRunner().invoke(app, ["slides", str(spec), "-o", str(tmp_path / "talk.md")])
    assert result.exit_code == 1 and "did not make" in result.output
    assert (assets / "photo.jpg").read_bytes() == b"mine"
    (assets / "photo.jpg").unlink()
    for _ in range(2):  # then its own folder is replaced, run after run
        result = CliRunner().invoke(app, ["slides", str(spec), "-o", str(tmp_path / "talk.md")])
        assert result.exit_code == 0, result.output


def test_a_leftover_old_folder_blocks_nothing(tmp_path: Path) -> None:
    design = loads(SMALL_SPEC)
    render_design(design, tmp_path, DOT)
    (tmp_path / ".small.old").write_text("a user's file that a failed clean-up left")
    (tmp_path / ".small.old.d").mkdir()
    render_design(design, tmp_path, DOT)
    render_design(design, tmp_path, DOT)
    assert (tmp_path / ".small.old").read_text().startswith("a user's")
    assert not [p for p in tmp_path.iterdir() if p.name.endswith((".tmp", ".old")) and p.is_dir()]


def test_sweep_removes_only_abandoned_folders_we_marked(tmp_path: Path) -> None:
    live = atomic.staging(tmp_path, "live", "diagramgen render cache 1\n")
    dead = atomic.staging(tmp_path, "dead", "diagramgen render cache 1\n")
    dead.close()  # as if its process was killed: the marker's lock is gone
    users = tmp_path / ".mine.tmp"
    users.mkdir()
    (users / "keep").write_text("x")
    removed = atomic.sweep(tmp_path)
    assert removed == [dead.path]
    assert live.path.is_dir() and (users / "keep").is_file()
    live.remove()


def _enospc_after(limit: int):
    real = os.fdopen

    class Full:
        def __init__(self, f) -> None:
            self.f = f

        def __enter__(self):
            return self

        def __exit__(self, *exc: object) -> None:
            self.f.close()

        def write(self, data: bytes) -> int:
            self.f.write(data[:limit])
            raise OSError(errno.ENOSPC, "No space left on device")

    def fdopen(fd: int, mode: str = "r", *args, **kwargs):  # type: ignore[no-untyped-def]
        f = real(fd, mode, *args, **kwargs)
        return Full(f) if "w" in mode else f

    return fdopen


@pytest.mark.parametrize("command", [["notes"], ["export", "--to", "json"]])
def test_notes_and_export_on_a_full_disk_keep_the_old_file(
    tmp_path: Path, monkeypatch, command: list[str]
) -> None:
    spec = _spec(tmp_path, "small")
    target = tmp_path / "out.txt"
    target.write_text("previous " * 2000, "utf-8")
    monkeypatch.setattr(atomic.os, "fdopen", _enospc_after(4096))
    result = CliRunner().invoke(app, [*command, str(spec), "-o", str(target)])
    assert result.exit_code == 1 and "No space left" in result.output
    assert target.read_text("utf-8") == "previous " * 2000
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt", "small.yaml"]


def _in_threads(fn, count: int) -> None:  # type: ignore[no-untyped-def]
    threads = [threading.Thread(target=fn, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def test_concurrent_swaps_of_one_folder_all_succeed(tmp_path: Path) -> None:
    design = loads(SMALL_SPEC)
    errors: list[BaseException] = []

    def loop() -> None:
        for _ in range(6):
            try:
                render_design(design, tmp_path, DOT)
            except BaseException as exc:
                errors.append(exc)

    _in_threads(lambda _: loop(), 3)
    assert errors == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["small"]


def test_empty_and_dangling_output_folders_are_clear_errors(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    spec = _spec(tmp_path / "specs", "small")
    result = CliRunner().invoke(app, ["render", str(spec), "-o", ""])
    assert result.exit_code == 2 and "empty" in result.output
    assert not (tmp_path / "small").exists()
    (tmp_path / "gone").symlink_to(tmp_path / "missing")
    result = CliRunner().invoke(app, ["render", str(spec), "-o", "gone", "-f", "dot"])
    assert result.exit_code == 1
    assert "symbolic link to a missing" in result.output and "File exists" not in result.output


def test_full_disk_while_inlining_icons_is_an_error_not_a_traceback(
    tmp_path: Path, monkeypatch
) -> None:
    from diagramgen import rendering

    def full(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError(errno.ENOSPC, "No space left on device")

    spec = _spec(tmp_path, "small")
    monkeypatch.setattr(rendering.Path, "write_text", full)
    result = CliRunner().invoke(app, ["render", str(spec), "-o", str(tmp_path / "o"), "-f", "svg"])
    assert result.exit_code == 1 and "No space left" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_concurrent_swaps_through_the_primitive_never_fail(tmp_path: Path) -> None:
    # The race itself, many times over: before the lock, two swaps shared `.<name>.old`.
    target = tmp_path / "out"
    errors: list[BaseException] = []

    def loop(worker: int) -> None:
        for i in range(150):
            staging = tmp_path / f".out.{worker}-{i}.tmp"
            staging.mkdir()
            (staging / atomic.MARK).write_text("diagramgen test\n")
            (staging / "file").write_text(f"{worker}-{i}")
            try:
                atomic.replace_dir(staging, target)
            except BaseException as exc:
                errors.append(exc)

    _in_threads(loop, 4)
    assert errors == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
