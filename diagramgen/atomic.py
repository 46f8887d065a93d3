"""All-or-nothing file output: a reader never sees a half-written file or folder.

Every writer of outputs and caches goes through here, so the guarantee and its error
message (`OutputError: cannot write ...`) are the same everywhere.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

from diagramgen.errors import OutputError


def _fail(path: Path, exc: OSError) -> OutputError:
    return OutputError(f"cannot write {path}: {exc.strerror or exc}")


def write_bytes(target: Path, data: bytes) -> None:
    """Write `data` to a unique temporary file next to `target`, then rename it into place."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # A unique name per writer: threads and processes may write the same file at once.
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise _fail(target, exc) from None
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        tmp.chmod(0o644)
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise _fail(target, exc) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_text(target: Path, text: str) -> None:
    """`write_bytes` for UTF-8 text."""
    write_bytes(target, text.encode("utf-8"))


def replace_dir(staging: Path, target: Path) -> None:
    """Put the folder `staging` in place of `target`, so files no longer produced go away."""
    try:
        os.chmod(staging, 0o755)
        if target.exists():
            old = target.with_name(f".{target.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            os.replace(target, old)
            os.replace(staging, target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(staging, target)
    except OSError as exc:
        raise _fail(target, exc) from None


def move_into(files: Iterable[Path], target: Path) -> list[Path]:
    """Rename finished files into the folder `target` (same file system), keeping the rest."""
    moved: list[Path] = []
    try:
        target.mkdir(parents=True, exist_ok=True)
        for f in files:
            f.chmod(0o644)
            os.replace(f, target / f.name)
            moved.append(target / f.name)
    except OSError as exc:
        raise _fail(target, exc) from None
    return moved
