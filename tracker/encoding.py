"""`tracker fix-encoding`: convert a GBK/GB18030 or UTF-16 file to UTF-8, atomically.

It exists to change the user's file, so it writes only when the conversion is certain, and then
to a temporary file beside it that is renamed into place: an interrupted run leaves the original
untouched. Certain means: the bytes decode strictly in the encoding recognised and encode back
to the same bytes, the text has no NUL or other control character, and tracker's YAML loader
reads the result as a mapping (every file tracker reads is one). A UTF-8 file with a stray NUL,
a picture, or text in some other encoding that happens to decode as GB18030 (almost any bytes
do) is refused (`NotConverted`, exit 1) and left byte for byte as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tracker.atomic import atomic_write
from tracker.errors import EXIT_DATA, TrackerError
from tracker.yamlio import CONTROL_CHARACTERS, UTF16_BOMS, parse_text, utf16_text


@dataclass(frozen=True)
class Conversion:
    path: Path
    source_encoding: str  # "utf-8" when nothing was needed
    changed: bool


class NotConverted(TrackerError):
    """The file's encoding is not certain: nothing was written (exit 1)."""

    exit_code = EXIT_DATA


_BY_HAND = "用编辑器打开确认内容；如果确是文本，手工另存为 UTF-8。"


def _decoded(raw: bytes) -> tuple[str, str | None]:
    """(codec, text) of `raw`; text None when `raw` is UTF-8 already (BOM or not)."""
    if raw.startswith(b"\xef\xbb\xbf") and b"\x00" not in raw:
        return "utf-8-sig", None  # a BOM is tolerated; leave the file alone
    if raw.startswith(UTF16_BOMS) or b"\x00" in raw:
        found = utf16_text(raw)
        if found is None:
            raise NotConverted(
                "文件含有 NUL 字节(\\x00)，但不是 UTF-16 文本：可能是 UTF-8 文本中混入了 NUL，"
                "或者根本不是文本文件(例如图片)",
                hint="tracker validate 会指出 NUL 所在的行和列：在编辑器中删除它；" + _BY_HAND,
            )
        return found
    try:
        raw.decode("utf-8")
        return "utf-8", None
    except UnicodeDecodeError:
        pass
    try:
        return "gb18030", raw.decode("gb18030")
    except UnicodeDecodeError:
        raise NotConverted(
            "无法识别文件的编码(既不是 UTF-8，也不是 GBK/GB18030 或 UTF-16)", hint=_BY_HAND,
        ) from None


def _check_certain(raw: bytes, text: str, codec: str, path: Path) -> None:
    """Raise NotConverted unless `text` is certainly what `raw` says in `codec`."""
    name = "GBK/GB18030" if codec == "gb18030" else "UTF-16"
    body = raw[2:] if codec != "gb18030" and raw.startswith(UTF16_BOMS) else raw
    if text.encode(codec) != body:
        raise NotConverted(f"按 {name} 解码再编码得不到原来的字节，不能确定编码", hint=_BY_HAND)
    control = CONTROL_CHARACTERS.search(text)
    if control:
        line = text.count("\n", 0, control.start()) + 1
        raise NotConverted(f"按 {name} 解码后第 {line} 行有控制字符 {ascii(control.group())}，"
                           "不像文本，不能确定编码", hint=_BY_HAND)
    doc, problems = parse_text(text.lstrip("\ufeff"), path.name)
    syntax = [p for p in problems if p.rule == "yaml-syntax"]
    if syntax or (doc is not None and not isinstance(doc.data, dict)):
        where = f"第 {syntax[0].line} 行：{syntax[0].message}" if syntax else "内容不是“字段: 值”的形式"
        raise NotConverted(
            f"按 {name} 转换后不是 tracker 能读取的 YAML({where})，不能确定编码是否正确",
            hint=("如果确是 GBK 文件：在 VS Code 中点右下角编码 → 通过编码重新打开 → GB 18030，"
                  "改正后再点编码 → 通过编码保存 → UTF-8。" if codec == "gb18030" else _BY_HAND),
        )


def convert_to_utf8(path: Path) -> Conversion:
    """Convert `path` to UTF-8 in place when its encoding is certain; raise NotConverted (the
    file untouched) when it is not."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise TrackerError(f"无法读取 {path}：{exc.strerror or exc}") from exc
    codec, text = _decoded(raw)
    if text is None:
        return Conversion(path, codec, False)
    _check_certain(raw, text, codec, path)
    atomic_write(path, text.lstrip("\ufeff").encode("utf-8"), exclusive=False)
    return Conversion(path, "gb18030" if codec == "gb18030" else "utf-16", True)
