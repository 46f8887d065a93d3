"""Which files are specs: a light module (no pydantic), so a no-op `render` stays fast."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

from diagramgen.errors import Problem, SpecError

SPEC_SUFFIXES = (".yaml", ".yml", ".json")
MAX_BYTES = 20 * 1024 * 1024  # no hand-written spec comes near; bounds memory and time


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given; folders become their `*.yaml`, `*.yml`, `*.json` files, sorted."""
    result: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            result.extend(
                sorted(f for f in p.iterdir() if f.suffix in SPEC_SUFFIXES and f.is_file())
            )
        else:
            result.append(p)
    return result


def read_spec_bytes(path: str | Path) -> bytes:
    """A spec file's bytes, refusing before reading what is not a small regular file.

    The type and size are checked on the open file (`fstat`), so a FIFO, a device such as
    `/dev/zero` or a huge sparse file costs nothing; the read itself stops at `MAX_BYTES`
    in case the file grows meanwhile. Raises `SpecError` located at the path.
    """
    shown = str(path)

    def fail(message: str) -> SpecError:
        return SpecError([Problem(shown, 0, 0, message)])

    try:
        # O_NONBLOCK: opening a FIFO with no writer must not hang; regular files ignore it.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except IsADirectoryError:
        raise fail("is a directory, not a spec file") from None
    except OSError as exc:
        raise fail(f"cannot read: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise fail("is a directory, not a spec file")
        if not stat.S_ISREG(info.st_mode):
            raise fail("is not a regular file (a pipe, socket or device): not read")
        if info.st_size > MAX_BYTES:
            raise fail(f"the file is larger than {MAX_BYTES >> 20} MB")
        chunks: list[bytes] = []
        left = MAX_BYTES + 1
        while left > 0 and (chunk := os.read(fd, min(left, 1 << 20))):
            chunks.append(chunk)
            left -= len(chunk)
        data = b"".join(chunks)
    except OSError as exc:
        raise fail(f"cannot read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if len(data) > MAX_BYTES:
        raise fail(f"the file is larger than {MAX_BYTES >> 20} MB")
    return data
