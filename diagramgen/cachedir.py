"""The per-user cache folder: derived icons, inline icons and the built spec validator.

`DIAGRAMGEN_CACHE_DIR`, else `$XDG_CACHE_HOME/diagramgen`, else `~/.cache/diagramgen`
(`$TMPDIR/diagramgen-<uid>` when there is no home folder).
What is read back from it is used only from a folder owned by this user and writable by
nobody else, so another user cannot plant files for us to trust.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

CACHE_ENV = "DIAGRAMGEN_CACHE_DIR"


def cache_base() -> Path:
    """The per-user cache folder of diagramgen.

    A relative `XDG_CACHE_HOME` is ignored, as the XDG spec asks; without a home folder
    (`~` unresolved) the cache is `$TMPDIR/diagramgen-<uid>`, never a `~` folder in the
    current one.
    """
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(xdg):
        return Path(xdg) / "diagramgen"
    home = Path.home()
    if home.is_absolute():
        return home / ".cache" / "diagramgen"
    import tempfile

    return Path(tempfile.gettempdir()) / f"diagramgen-{os.getuid()}"


def private(path: Path, strict: bool = False, folder: bool = True) -> bool:
    """Owned by this user, a real folder (or file), writable by nobody else (`strict`: nor
    readable)."""
    info = path.lstat()
    kind_ok = stat.S_ISDIR(info.st_mode) if folder else stat.S_ISREG(info.st_mode)
    if not kind_ok or info.st_uid != os.getuid():
        return False
    return info.st_mode & (0o077 if strict else 0o022) == 0
