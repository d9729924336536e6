"""`tracker fix-encoding`: convert a GBK/GB18030 or UTF-16 file to UTF-8, atomically.

It exists to change the user's file, so it writes to a temporary file beside it and renames it
into place: an interrupted run leaves the original untouched. Nothing is written when the
file is already UTF-8 or its encoding cannot be recognised with confidence.
"""

from __future__ import annotations

import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tracker.errors import TrackerError


@dataclass(frozen=True)
class Conversion:
    path: Path
    source_encoding: str  # "utf-8" when nothing was needed
    changed: bool


def detect(raw: bytes) -> str:
    """The encoding `raw` is in: utf-8, utf-8-sig, utf-16, gb18030; or raise TrackerError."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if b"\x00" in raw[:4096]:
        # UTF-16 without a BOM: ASCII characters leave a NUL on one side.
        even_nuls = raw[0:4096:2].count(0)
        odd_nuls = raw[1:4096:2].count(0)
        return "utf-16-le" if odd_nuls > even_nuls else "utf-16-be"
    try:
        raw.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        raw.decode("gb18030")
        return "gb18030"
    except UnicodeDecodeError:
        raise TrackerError(
            "无法识别文件的编码(既不是 UTF-8，也不是 GBK/GB18030 或 UTF-16)",
            hint="用编辑器打开确认内容，手工另存为 UTF-8。",
        ) from None


def convert_to_utf8(path: Path) -> Conversion:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise TrackerError(f"无法读取 {path}：{exc.strerror or exc}") from exc
    encoding = detect(raw)
    if encoding == "utf-8":
        return Conversion(path, "utf-8", False)
    text = raw.decode(encoding)
    if encoding == "utf-8-sig":
        return Conversion(path, encoding, False)  # a BOM is tolerated; leave the file alone
    data = text.lstrip("\ufeff").encode("utf-8")
    mode = stat.S_IMODE(path.stat().st_mode)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Conversion(path, encoding, True)
