"""The one module that reads YAML files.

What it guarantees, whoever calls it:

* UTF-8 only (a BOM is tolerated). GBK/GB18030 — what a Chinese-locale Windows editor writes —
  and UTF-16 are recognised and rejected with the encoding named and how to convert.
* A size cap per file, checked before reading, so a huge file is an error rather than a hang.
* Duplicate keys, anchors, aliases and explicit tags are errors.
* Plain scalars are resolved by the YAML 1.2 core schema, not YAML 1.1: `NO`, `on`, `12:30`
  stay text and leading-zero numbers such as `010` stay text, so the schema, not the parser,
  decides whether they are acceptable. Dates stay text too (the schema checks `format: date`).
  Nothing is silently converted.
* Every node keeps its line and column (1-based) in `Document.marks`, keyed by its path.
* PyYAML's C parser is used when present; on a syntax error the message is taken from the
  pure-Python parser so it reads the same on every machine.

The result is plain JSON-compatible data (dict, list, str, int, float, bool, None), ready for
JSON Schema validation.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tracker.diagnostics import Diagnostic, diag

try:  # pragma: no cover - depends on how PyYAML was built
    from yaml import CSafeLoader as _FastLoader

    HAVE_C_LOADER = True
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _FastLoader  # type: ignore[assignment]

    HAVE_C_LOADER = False

DEFAULT_MAX_BYTES = 16 * 1024 * 1024

PathKey = tuple[str | int, ...]
Pos = tuple[int, int]

_NULL = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)\Z")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+\.[0-9]*|[0-9]+)([eE][-+]?[0-9]+)?\Z")
_LEADING_ZERO = re.compile(r"[-+]?0[0-9]")


def resolve_plain(text: str) -> Any:
    """Resolve a plain (unquoted) scalar by the YAML 1.2 core schema, conservatively."""
    if text in _NULL:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    first = text[0]
    if first.isdigit() or first in "+-.":
        if _INT.match(text):
            return int(text)
        if _FLOAT.match(text) and not _LEADING_ZERO.match(text):
            return float(text)
    return text


@dataclass
class Document:
    """A loaded YAML file: its data and the position of every node."""

    path: str  # repository-relative, '/'-separated
    data: Any
    marks: dict[PathKey, Pos] = field(default_factory=dict, repr=False)
    key_marks: dict[PathKey, Pos] = field(default_factory=dict, repr=False)

    def pos(self, path: PathKey, *, key: bool = False) -> Pos:
        """Line and column of the node at `path` (or of its key), else of its nearest parent."""
        table = self.key_marks if key else self.marks
        probe = tuple(path)
        while probe:
            hit = table.get(probe) or self.marks.get(probe)
            if hit:
                return hit
            probe = probe[:-1]
        return self.marks.get((), (1, 1))


class _Stop(Exception):
    """A fatal problem in the event stream; the diagnostic is already recorded."""


class _Builder:
    """Builds plain data from parser events, with marks, rejecting what YAML should not do."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.marks: dict[PathKey, Pos] = {}
        self.key_marks: dict[PathKey, Pos] = {}
        self.problems: list[Diagnostic] = []

    @staticmethod
    def _pos(event: Any) -> Pos:
        mark = event.start_mark
        return (mark.line + 1, mark.column + 1)

    def _check_node(self, event: Any) -> None:
        if getattr(event, "anchor", None):
            self.problems.append(
                diag(self.path, self._pos(event), "yaml-anchor",
                     f"不支持锚点 &{event.anchor}: 请把内容直接写出来")
            )
            raise _Stop
        tag = getattr(event, "tag", None)
        if isinstance(event, yaml.ScalarEvent):
            explicit = tag is not None and tag != "!"
        else:
            explicit = tag is not None and not event.implicit
        if explicit:
            self.problems.append(
                diag(self.path, self._pos(event), "yaml-tag", f"不支持 YAML 标签 {tag}")
            )
            raise _Stop

    def build(self, events: Iterator[Any]) -> Any:
        documents = 0
        result: Any = None
        for event in events:
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    self.problems.append(
                        diag(self.path, self._pos(event), "yaml-multiple-documents",
                             "文件中有第二个 YAML 文档(---)；每个文件只能有一个")
                    )
                    raise _Stop
            elif isinstance(event, yaml.NodeEvent | yaml.CollectionStartEvent):
                result = self._node(event, events, ())
        return result

    def _node(self, event: Any, events: Iterator[Any], path: PathKey) -> Any:
        if isinstance(event, yaml.AliasEvent):
            self.problems.append(
                diag(self.path, self._pos(event), "yaml-anchor",
                     f"不支持别名 *{event.anchor}: 请把内容直接写出来")
            )
            raise _Stop
        self._check_node(event)
        self.marks[path] = self._pos(event)
        if isinstance(event, yaml.ScalarEvent):
            if event.style:  # quoted, literal or folded: always text
                return event.value
            return resolve_plain(event.value)
        if isinstance(event, yaml.SequenceStartEvent):
            items: list[Any] = []
            for child in events:
                if isinstance(child, yaml.SequenceEndEvent):
                    return items
                items.append(self._node(child, events, (*path, len(items))))
            raise _Stop  # pragma: no cover - the parser always closes sequences
        if isinstance(event, yaml.MappingStartEvent):
            mapping: dict[str, Any] = {}
            for key_event in events:
                if isinstance(key_event, yaml.MappingEndEvent):
                    return mapping
                key = self._key(key_event, path)
                value_event = next(events)
                key_pos = self._pos(key_event)
                if key in mapping:
                    first = self.key_marks.get((*path, key), (0, 0))
                    self.problems.append(
                        diag(self.path, key_pos, "yaml-duplicate-key",
                             f"字段 {key!s} 重复出现(第一次在第 {first[0]} 行)")
                    )
                    # Keep reading so every duplicate in the file is reported; the first wins.
                    self._node(value_event, events, (*path, f"\0dup{key_pos[0]}"))
                    continue
                self.key_marks[(*path, key)] = key_pos
                mapping[key] = self._node(value_event, events, (*path, key))
            raise _Stop  # pragma: no cover
        raise _Stop  # pragma: no cover

    def _key(self, event: Any, path: PathKey) -> str:
        if not isinstance(event, yaml.ScalarEvent):
            self.problems.append(
                diag(self.path, self._pos(event), "yaml-key-type", "字段名必须是简单的文字")
            )
            raise _Stop
        self._check_node(event)
        if event.style:
            return str(event.value)
        value = resolve_plain(event.value)
        if not isinstance(value, str):
            self.problems.append(
                diag(self.path, self._pos(event), "yaml-key-type",
                     f'字段名 {event.value} 会被读成{_kind_zh(value)}，而不是文字',
                     hint=f'加引号：写成 "{event.value}":')
            )
        return str(event.value)


def _kind_zh(value: Any) -> str:
    if value is None:
        return "空值"
    if isinstance(value, bool):
        return "布尔值"
    return "数字"


def _line_col(raw: bytes, offset: int) -> Pos:
    line = raw.count(b"\n", 0, offset) + 1
    start = raw.rfind(b"\n", 0, offset) + 1
    return (line, len(raw[start:offset].decode("utf-8", "replace")) + 1)


def decode(raw: bytes, path: str) -> tuple[str | None, Diagnostic | None]:
    """Bytes → text, or a diagnostic naming the encoding the bytes look like."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    convert = f"tracker fix-encoding {path}"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in raw[:4096]:
        return None, diag(
            path, (1, 1), "encoding-utf16",
            "文件是 UTF-16 编码(Windows 记事本“Unicode”)，tracker 只读 UTF-8",
            hint=f"运行 {convert} 转换为 UTF-8；或在编辑器中“另存为”并选择 UTF-8 编码。",
        )
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        pos = _line_col(raw, exc.start)
        try:
            raw.decode("gb18030")
        except UnicodeDecodeError:
            return None, diag(
                path, pos, "encoding-invalid",
                f"第 {pos[0]} 行有无法识别的字节(不是 UTF-8 编码的文本)",
            )
        return None, diag(
            path, pos, "encoding-gbk",
            "文件看起来是 GBK/GB18030 编码(中文 Windows 的默认编码)，tracker 只读 UTF-8",
            hint=(
                f"运行 {convert} 转换为 UTF-8；或在 VS Code 中点右下角编码 → 通过编码重新打开 → "
                "GB 18030，再点编码 → 通过编码保存 → UTF-8；"
                "或 iconv -f GB18030 -t UTF-8 旧文件 > 新文件。"
            ),
        )


def _syntax_diagnostic(text: str, path: str, exc: yaml.YAMLError) -> Diagnostic:
    """Describe a syntax error with the pure-Python parser's wording (same on every machine)."""
    if HAVE_C_LOADER:
        try:
            for _ in yaml.parse(text, Loader=yaml.SafeLoader):
                pass
        except yaml.YAMLError as py_exc:
            exc = py_exc
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    pos = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    detail = f"{problem}" + (f"({context})" if context else "")
    hint = RULE_HINT_SYNTAX
    if "\t" in text.splitlines()[pos[0] - 1] if 0 < pos[0] <= len(text.splitlines()) else False:
        hint = "这一行含有 Tab 字符：YAML 只能用空格缩进，请把 Tab 换成空格。"
    return diag(path, pos, "yaml-syntax", f"YAML 格式错误：{detail}", hint=hint)


RULE_HINT_SYNTAX = (
    "检查这一行及上一行：缩进只能用空格且要对齐；冒号后要有空格；含冒号或 # 的文字要加引号；引号要成对。"
)


def parse_text(text: str, path: str) -> tuple[Document | None, list[Diagnostic]]:
    """Parse YAML text into a Document; problems are returned, never raised."""
    builder = _Builder(path)
    try:
        data = builder.build(iter(yaml.parse(text, Loader=_FastLoader)))
    except _Stop:
        return None, builder.problems
    except yaml.YAMLError as exc:
        return None, [*builder.problems, _syntax_diagnostic(text, path, exc)]
    if builder.problems:
        return None, builder.problems
    if data is None:
        return None, [diag(path, (1, 1), "yaml-empty", "文件没有内容")]
    return Document(path, data, builder.marks, builder.key_marks), []


def read_bytes(
    file: Path, path: str, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[bytes | None, Diagnostic | None]:
    """Read a file's bytes, refusing symlinks and files over the size cap."""
    try:
        if file.is_symlink():
            return None, diag(path, None, "file-symlink", "这是一个符号链接，tracker 不读取链接")
        size = file.stat().st_size
        if size > max_bytes:
            return None, diag(
                path, None, "file-too-large",
                f"文件有 {size:,} 字节，超过上限 {max_bytes:,} 字节",
            )
        with open(file, "rb") as handle:
            return handle.read(max_bytes + 1), None
    except OSError as exc:
        return None, diag(path, None, "file-unreadable", f"无法读取文件：{exc.strerror or exc}")


def load_file(
    file: Path, path: str, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[Document | None, list[Diagnostic]]:
    """Read, decode and parse one YAML file. `path` is how diagnostics name it."""
    raw, problem = read_bytes(file, path, max_bytes)
    if raw is None:
        return None, [problem] if problem else []
    text, problem = decode(raw, path)
    if text is None:
        return None, [problem] if problem else []
    return parse_text(text, path)


def to_posix(path: str | os.PathLike[str]) -> str:
    return Path(path).as_posix()
