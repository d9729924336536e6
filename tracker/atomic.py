"""Writing a file a user keeps: whole or not at all, and never over one that must not be replaced.

Every command that writes into the repository or beside it (`tracker new`, `amend`, `import`,
`review`, `report`, `remind`'s state, `codeowners --out`) writes through `atomic_write`: a
temporary file in the same folder, flushed to disk, then renamed over the name (or linked to
it, when the name must not exist yet). An interrupted or failed write leaves the old file, or
no file, and no temporary one.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from tracker.diagnostics import display_path
from tracker.errors import TrackerError


class FileExists(TrackerError):
    """The file to create (a filing, a workbook) is already there: never overwritten."""


def atomic_write(path: Path, data: bytes, *, exclusive: bool) -> None:
    """Write `data` to `path` through a temporary file in the same folder.

    exclusive: never replace an existing file (a hard link fails if the name exists, so the
    check and the write are one step where the file system allows it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if exclusive and (path.exists() or path.is_symlink()):
        raise FileExists(f"{display_path(path)} 已存在，不会覆盖")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        # mkstemp creates the file 0600: a replaced file keeps its mode, a new one gets the
        # usual permissions (what open() would have given it).
        try:
            mode = path.stat().st_mode & 0o7777
        except OSError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if exclusive:
            try:
                os.link(tmp, path)
            except FileExistsError:
                raise FileExists(f"{display_path(path)} 已存在，不会覆盖") from None
            except OSError:  # no hard links here (some network or FAT file systems)
                if path.exists():
                    raise FileExists(f"{display_path(path)} 已存在，不会覆盖") from None
                os.replace(tmp, path)
        else:
            os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
