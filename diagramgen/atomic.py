"""All-or-nothing file output that never replaces what diagramgen did not make.

Every writer of outputs and caches goes through here, so the guarantees and their error
message (`OutputError: cannot write ...`) are the same everywhere:

- a file is written to a unique temporary name beside it and renamed into place, so a
  reader (and a full disk) never leaves a half-written file;
- a folder is built in a staging folder (`.<name>.<random>.tmp`) and swapped in whole;
  an existing folder is replaced only when it carries our marker file (`MARK`, the render
  stamp) or is empty: a user's folder of the same name is refused, never deleted;
- swaps of one output root are serialised with `flock` on the root folder, so two
  processes (two renders, a render beside `watch`) never interleave their renames;
- a staging folder holds a lock on its marker for as long as it is in use, so a later run
  can tell one abandoned by a killed process (`sweep`) from one still being written;
- `SIGTERM`/`SIGHUP` (what CI cancellation sends) become `Cancelled`, raised at a point
  where no swap is half done (`cancel_on_signals`), so staging folders are removed.

Not promised: a `SIGKILL` or power cut leaves its staging folder until the next run into
the same root sweeps it, and a file written with `write_bytes` is not fsync'ed.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from types import FrameType

from diagramgen.errors import OutputError

MARK = ".diagramgen.hash"  # in every folder we make; its first line starts with MARK_HEADER
MARK_HEADER = "diagramgen "
STALE_EMPTY_SECONDS = 60.0  # an empty staging folder this old lost its run before marking


def _fail(path: Path, exc: OSError) -> OutputError:
    return OutputError(f"cannot write {path}: {exc.strerror or exc}")


# ---------------------------------------------------------------- cancellation


class Cancelled(BaseException):
    """The process was asked to stop (SIGTERM, SIGHUP, SIGINT); cleanup runs as it unwinds."""

    def __init__(self, signum: int) -> None:
        super().__init__(f"stopped by signal {signal.Signals(signum).name}")
        self.signum = signum


_cancel = threading.Event()
_cancel_signum = 0
_main_critical = 0  # how deep the main thread is in swaps that must not be interrupted


def check_cancelled() -> None:
    """Raise `Cancelled` when a stop signal arrived: workers call it between steps."""
    if _cancel.is_set():
        raise Cancelled(_cancel_signum)


@contextlib.contextmanager
def _critical() -> Iterator[None]:
    """A stretch (a swap) that a stop signal waits for rather than interrupts."""
    global _main_critical
    check_cancelled()
    main = threading.current_thread() is threading.main_thread()
    if main:  # only the main thread changes it, and the handler runs in the main thread
        _main_critical += 1
    try:
        yield
    finally:
        if main:
            _main_critical -= 1
    if main:
        check_cancelled()


def _on_signal(signum: int, frame: FrameType | None) -> None:
    global _cancel_signum
    first = not _cancel.is_set()
    _cancel_signum = _cancel_signum or signum
    _cancel.set()
    if first and _main_critical == 0:
        raise Cancelled(signum)


STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)


@contextlib.contextmanager
def cancel_on_signals() -> Iterator[None]:
    """Turn SIGTERM, SIGHUP and SIGINT into `Cancelled` for the duration (main thread only).

    The first signal raises in the main thread unless it is mid-swap (then right after the
    swap); worker threads stop at their next `check_cancelled`. Every `except BaseException`
    cleanup on the way removes its staging folder.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {s: signal.signal(s, _on_signal) for s in STOP_SIGNALS}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


# ---------------------------------------------------------------- files


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
        with _critical():
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


def replace_file(target: Path, data: bytes, ours: Callable[[bytes], bool]) -> None:
    """`write_bytes`, but refuse to replace an existing `target` unless `ours(its bytes)`."""
    with locked(target.parent):
        if target.is_symlink() or (target.exists() and not target.is_file()):
            raise OutputError(f"{target} exists and is not a file diagramgen wrote: not replaced")
        if target.exists():
            try:
                with open(target, "rb") as f:
                    head = f.read(64 * 1024)
            except OSError as exc:
                raise _fail(target, exc) from None
            if not ours(head):
                raise OutputError(
                    f"{target} exists and was not written by diagramgen: not replaced "
                    "(move it away or choose another output folder)"
                )
        write_bytes(target, data)


# ---------------------------------------------------------------- folders


@contextlib.contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold an exclusive `flock` on `folder` (serialises swaps of its entries across processes)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as exc:
        raise _fail(folder, exc) from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def is_ours(folder: Path) -> bool:
    """True when `folder` is a real folder holding our marker (not a link, not a user's)."""
    if folder.is_symlink() or not folder.is_dir():
        return False
    mark = folder / MARK
    if mark.is_symlink() or not mark.is_file():
        return False
    try:
        with open(mark, "rb") as f:
            return f.read(len(MARK_HEADER)) == MARK_HEADER.encode()
    except OSError:
        return False


def _replaceable(target: Path) -> bool:
    """May `target` be replaced? Absent, an empty real folder, or a folder we made."""
    if not target.exists() and not target.is_symlink():
        return True
    if target.is_symlink() or not target.is_dir():
        return False
    try:
        if not any(target.iterdir()):
            return True
    except OSError:
        return False
    return is_ours(target)


def _refuse(target: Path) -> OutputError:
    what = "a file" if target.exists() and not target.is_dir() else "a folder"
    if target.is_symlink():
        what = "a symbolic link"
    return OutputError(
        f"{target} is {what} diagramgen did not make (no {MARK}): not replaced; "
        "move it away or choose another output folder"
    )


class Staging:
    """A hidden staging folder `.<name>.<random>.tmp` in `parent`, marked and locked as ours.

    The marker (`MARK`, holding `header`) stays locked while this object is open, which is
    how `sweep` tells a folder abandoned by a killed process from one being written.
    """

    def __init__(self, parent: Path, name: str, header: str) -> None:
        try:
            parent.mkdir(parents=True, exist_ok=True)
            self.path = Path(tempfile.mkdtemp(prefix=f".{name}.", suffix=".tmp", dir=parent))
        except OSError as exc:
            raise _fail(parent / name, exc) from None
        try:
            self._fd: int | None = os.open(self.path / MARK, os.O_RDWR | os.O_CREAT, 0o644)
            fcntl.flock(self._fd, fcntl.LOCK_EX)
            os.write(self._fd, header.encode())
        except OSError as exc:
            self.remove()
            raise _fail(parent / name, exc) from None

    def close(self) -> None:
        """Release the marker's lock (the folder itself stays)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def remove(self) -> None:
        """Delete the staging folder (whatever is left of it) and release the lock."""
        shutil.rmtree(self.path, ignore_errors=True)
        self.close()

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()  # a no-op once swapped in: the folder is no longer there


def staging(parent: Path, name: str, header: str) -> Staging:
    """A new `Staging` folder for what will become `parent/name`."""
    return Staging(parent, name, header)


def replace_dir(staging: Path, target: Path) -> None:
    """Put the folder `staging` in place of `target`, so files no longer produced go away.

    `target` must be absent, an empty folder, or a folder carrying our marker; anything
    else (a user's folder, a file, a link) is refused with `OutputError`. The old folder
    is renamed to a unique `.<name>.<random>.old` and deleted; if deleting fails, the next
    `sweep` removes it, and nothing blocks later swaps.
    """
    parent = target.parent
    with locked(parent), _critical():
        if not _replaceable(target):
            raise _refuse(target)
        try:
            os.chmod(staging, 0o755)
            old: Path | None = None
            if target.exists():
                old = parent / f".{target.name}.{os.urandom(6).hex()}.old"
                os.replace(target, old)
                try:
                    os.replace(staging, target)
                except OSError:
                    os.replace(old, target)  # put the previous output back
                    raise
            else:
                os.replace(staging, target)
        except OSError as exc:
            raise _fail(target, exc) from None
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def move_into(files: Iterable[Path], target: Path, mark: str | None = None) -> list[Path]:
    """Rename finished files into the folder `target` (same file system), keeping the rest.

    With `mark`, `target` must be absent, empty or ours (as for `replace_dir`) and its
    marker is rewritten to `mark`.
    """
    moved: list[Path] = []
    with locked(target.parent), _critical():
        if mark is not None and not _replaceable(target):
            raise _refuse(target)
        try:
            target.mkdir(parents=True, exist_ok=True)
            if mark is not None:  # first: a stamp never describes files it did not see
                write_bytes(target / MARK, mark.encode())
            for f in files:
                f.chmod(0o644)
                os.replace(f, target / f.name)
                moved.append(target / f.name)
        except OSError as exc:
            raise _fail(target, exc) from None
    return moved


def sweep(root: Path) -> list[Path]:
    """Remove staging (`.*.tmp`) and old (`.*.old`) folders of `root` that killed runs left.

    Only folders holding our marker whose lock nobody holds are removed (a live staging
    folder keeps its marker locked); an empty staging folder (killed before its marker was
    written) goes too, since removing it loses nothing. Returns what was removed.
    """
    removed: list[Path] = []
    try:
        entries = [e for e in os.scandir(root) if e.name.startswith(".")]
    except OSError:
        return removed
    for entry in entries:
        if not entry.name.endswith((".tmp", ".old")) or not entry.is_dir(follow_symlinks=False):
            continue
        folder = Path(entry.path)
        with contextlib.suppress(OSError):
            age = time.time() - entry.stat(follow_symlinks=False).st_mtime
            if age > STALE_EMPTY_SECONDS and not any(folder.iterdir()):
                folder.rmdir()
                removed.append(folder)
                continue
        if is_ours(folder) and _abandoned(folder / MARK):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def _abandoned(mark: Path) -> bool:
    try:
        fd = os.open(mark, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False  # held: a live run is writing this folder
    finally:
        os.close(fd)
    return True
