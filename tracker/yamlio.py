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
import stat
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
# Collections nest a few levels in every file tracker reads; a file nested deeper is refused
# before Python's recursion limit is reached (an internal error instead of a diagnostic).
MAX_DEPTH = 64

PathKey = tuple[str | int, ...]
Pos = tuple[int, int]

_NULL = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)\Z")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+\.[0-9]*|[0-9]+)([eE][-+]?[0-9]+)?\Z")
_LEADING_ZERO = re.compile(r"[-+]?0[0-9]")
_INF = float("inf")


def resolve_plain(text: str) -> Any:
    """Resolve a plain (unquoted) scalar by the YAML 1.2 core schema, conservatively.

    An integer with more digits than Python converts (4,300: converting is quadratic) raises
    NumberTooLong; the loader reports it where it is written."""
    if text in _NULL:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    first = text[0]
    if first.isdigit() or first in "+-.":
        if _INT.match(text):
            try:
                return int(text)
            except ValueError:
                raise NumberTooLong(text) from None
        if _FLOAT.match(text) and not _LEADING_ZERO.match(text):
            number = float(text)
            if number in (_INF, -_INF):
                raise NumberTooLong(text)
            return number
    return text


@dataclass
class Document:
    """A loaded YAML file: its data and the position of every node."""

    path: str  # how diagnostics name the file
    data: Any
    text: str = field(default="", repr=False)
    _marks: dict[PathKey, Any] | None = field(default=None, repr=False)
    _key_marks: dict[PathKey, Any] = field(default_factory=dict, repr=False)

    def _ensure_marks(self) -> None:
        # Marks are wanted only when something is reported, which is rare: the first pass
        # records none, and a file is read a second time, with marks, on first demand.
        if self._marks is None:
            builder, _ = _run(self.text, self.path, track=True)
            self._marks, self._key_marks = builder.marks, builder.key_marks

    @property
    def marks(self) -> dict[PathKey, Any]:
        self._ensure_marks()
        assert self._marks is not None
        return self._marks

    @property
    def key_marks(self) -> dict[PathKey, Any]:
        self._ensure_marks()
        return self._key_marks

    def pos(self, path: PathKey, *, key: bool = False) -> Pos:
        """Line and column of the node at `path` (or of its key), else of its nearest parent."""
        table = self.key_marks if key else self.marks
        probe = tuple(path)
        while probe:
            hit = table.get(probe) or self.marks.get(probe)
            if hit is not None:
                return _as_pos(hit)
            probe = probe[:-1]
        root = self.marks.get(())
        return _as_pos(root) if root is not None else (1, 1)


def _as_pos(mark: Any) -> Pos:
    """Parser marks are 0-based; people count lines and columns from 1."""
    if isinstance(mark, tuple):
        return mark
    return (mark.line + 1, mark.column + 1)


class _Stop(Exception):
    """A fatal problem in the event stream; the diagnostic is already recorded."""


class _Retrack(Exception):
    """The fast pass met something that needs marks to describe: read again with marks."""


class NumberTooLong(_Retrack, ValueError):
    """A plain number Python cannot hold: an integer with more digits than it converts
    (4,300), or a float past its range (1e400 would be read as infinity)."""

    def __init__(self, text: str) -> None:
        super().__init__(text[:40])
        self.text = text


def _too_long(path: str, pos: Pos, exc: NumberTooLong) -> Diagnostic:
    text = exc.text
    shown = f"有 {len(text.lstrip('+-')):,} 位" if len(text) > 40 else f"{text} 超出范围"
    return diag(path, pos, "schema-minimum", f"数字太大：{shown}",
                hint="填写实际的数值；任何数量都不会这么大。")


_Scalar = yaml.ScalarEvent
_MapStart = yaml.MappingStartEvent
_MapEnd = yaml.MappingEndEvent
_SeqStart = yaml.SequenceStartEvent
_SeqEnd = yaml.SequenceEndEvent
_Alias = yaml.AliasEvent
_DocStart = yaml.DocumentStartEvent


class _Builder:
    """Builds plain data from parser events, with marks, rejecting what YAML should not do.

    This is the hot path of every command (a province has hundreds of thousands of nodes), so
    it pulls events straight from the parser, dispatches on exact types and keeps the
    parser's mark objects, converting them to (line, column) only when a position is asked.
    """

    def __init__(self, path: str, track: bool = True) -> None:
        self.path = path
        self.track = track
        self.depth = 0  # nesting of the collection being read (see MAX_DEPTH)
        self.marks: dict[PathKey, Any] = {}
        self.key_marks: dict[PathKey, Any] = {}
        self.problems: list[Diagnostic] = []

    @staticmethod
    def _pos(event: Any) -> Pos:
        mark = event.start_mark
        return (mark.line + 1, mark.column + 1)

    def _reject(self, event: Any) -> None:
        """Anchors and explicit tags: record the problem and stop reading this file."""
        if getattr(event, "anchor", None):
            self.problems.append(
                diag(self.path, self._pos(event), "yaml-anchor",
                     f"不支持锚点 &{event.anchor}: 请把内容直接写出来")
            )
            raise _Stop
        tag = event.tag
        if type(event) is _Scalar:
            explicit = tag is not None and tag != "!"
        else:
            explicit = tag is not None and not event.implicit
        if explicit:
            self.problems.append(
                diag(self.path, self._pos(event), "yaml-tag", f"不支持 YAML 标签 {tag}")
            )
            raise _Stop

    def build(self, get: Any) -> Any:
        documents = 0
        result: Any = None
        while True:
            event = get()
            if event is None or type(event) is yaml.StreamEndEvent:
                return result
            if type(event) is _DocStart:
                documents += 1
                if documents > 1:
                    self.problems.append(
                        diag(self.path, self._pos(event), "yaml-multiple-documents",
                             "文件中有第二个 YAML 文档(---)；每个文件只能有一个")
                    )
                    raise _Stop
            elif type(event) in (_Scalar, _MapStart, _SeqStart, _Alias):
                result = (self._node(event, get, ()) if self.track
                          else _plain(event, get, 0))

    def _node(self, event: Any, get: Any, path: PathKey) -> Any:
        kind = type(event)
        if kind is _Alias:
            self.problems.append(
                diag(self.path, self._pos(event), "yaml-anchor",
                     f"不支持别名 *{event.anchor}: 请把内容直接写出来")
            )
            raise _Stop
        if event.anchor is not None or event.tag is not None:
            self._reject(event)
        self.marks[path] = event.start_mark
        if kind is _Scalar:
            if event.style:  # quoted, literal or folded: always text
                return event.value
            try:
                return resolve_plain(event.value)
            except NumberTooLong as exc:
                self.problems.append(_too_long(self.path, self._pos(event), exc))
                return None
        if self.depth >= MAX_DEPTH:
            self.problems.append(
                diag(self.path, self._pos(event), "yaml-too-deep",
                     f"内容嵌套超过 {MAX_DEPTH} 层(列表或字段套列表或字段)",
                     hint="报送、台账和计划文件只有几层；检查这里是否多写了 [ { 或缩进。")
            )
            raise _Stop
        self.depth += 1
        try:
            return self._collection(event, get, path)
        finally:
            self.depth -= 1

    def _collection(self, event: Any, get: Any, path: PathKey) -> Any:
        if type(event) is _SeqStart:
            items: list[Any] = []
            child = None
            try:
                while True:
                    child = get()
                    if type(child) is _SeqEnd:
                        return items
                    items.append(self._node(child, get, (*path, len(items))))
            except yaml.YAMLError as exc:
                _note_frame(exc, event, child)
                raise
        mapping: dict[str, Any] = {}
        key_marks = self.key_marks
        key_event = None
        try:
            while True:
                key_event = get()
                if type(key_event) is _MapEnd:
                    return mapping
                key = self._key(key_event)
                value_event = get()
                key_path = (*path, key)
                if key in mapping:
                    key_pos = self._pos(key_event)
                    first = key_marks[key_path]
                    self.problems.append(
                        diag(self.path, key_pos, "yaml-duplicate-key",
                             f"字段 {key!s} 重复出现(第一次在第 {first.line + 1} 行)")
                    )
                    # Keep reading so every duplicate in the file is reported; the first wins.
                    self._node(value_event, get, (*key_path[:-1], f"\0dup{key_pos[0]}"))
                    continue
                key_marks[key_path] = key_event.start_mark
                mapping[key] = self._node(value_event, get, key_path)
        except yaml.YAMLError as exc:
            _note_frame(exc, event, key_event)
            raise

    def _key(self, event: Any) -> str:
        if type(event) is not _Scalar:
            self.problems.append(
                diag(self.path, self._pos(event), "yaml-key-type", "字段名必须是简单的文字")
            )
            raise _Stop
        if event.anchor is not None or event.tag is not None:
            self._reject(event)
        text: str = event.value
        if event.style:
            return text
        try:
            value = resolve_plain(text)
        except NumberTooLong:
            value = 0  # a number all the same (described as one below)
        if type(value) is not str:
            shown = (text if len(text) <= 40 else text[:20] + "…") or '""'
            self.problems.append(
                diag(self.path, self._pos(event), "yaml-key-type",
                     f'字段名 {shown} 会被读成{_kind_zh(value)}，而不是文字',
                     hint=f'加引号：写成 "{shown}":' if text else "写上字段名。")
            )
        return text


def _plain(event: Any, get: Any, depth: int) -> Any:
    """The fast pass: plain data from well-formed events, nothing recorded.

    Anything out of the ordinary (an anchor, alias or tag, a key that is not simple text, a
    duplicate key, nesting past MAX_DEPTH) raises _Retrack, and the file is read again by
    _Builder with marks, which describes the problem. Almost every file never needs that."""
    kind = type(event)
    if kind is _Scalar:
        if event.anchor is not None or event.tag is not None:
            raise _Retrack
        return event.value if event.style else resolve_plain(event.value)
    if event.anchor is not None or event.tag is not None or depth >= MAX_DEPTH:
        raise _Retrack
    depth += 1
    # (A try block costs nothing until something is raised: Python ≥ 3.11.)
    if kind is _MapStart:
        mapping: dict[str, Any] = {}
        key_event = None
        try:
            while True:
                key_event = get()
                if type(key_event) is not _Scalar:
                    if type(key_event) is _MapEnd:
                        return mapping
                    raise _Retrack
                key = key_event.value
                if (key_event.anchor is not None or key_event.tag is not None or key in mapping
                        or (not key_event.style and type(resolve_plain(key)) is not str)):
                    raise _Retrack
                mapping[key] = _plain(get(), get, depth)
        except yaml.YAMLError as exc:
            _note_frame(exc, event, key_event)
            raise
    if kind is _SeqStart:
        items: list[Any] = []
        child = None
        try:
            while True:
                child = get()
                if type(child) is _SeqEnd:
                    return items
                items.append(_plain(child, get, depth))
        except yaml.YAMLError as exc:
            _note_frame(exc, event, child)
            raise
    raise _Retrack  # an alias


def _note_frame(exc: yaml.YAMLError, start: Any, entry: Any) -> None:
    """On a syntax error, remember (innermost first) each collection being read and the entry
    of it being read: where a re-read of the text around the error can start (_windows)."""
    frames = exc.__dict__.setdefault("tracker_frames", [])
    frames.append((start, entry))


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


# Characters no text file of tracker's holds (tab and line breaks aside): a decoding that
# yields them is a wrong guess, not a text.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def utf16_text(raw: bytes) -> tuple[str, str] | None:
    """(codec, text) of `raw` if it certainly is UTF-16: a byte-order mark, or NUL bytes on one
    side of the byte pairs only (the high half of ASCII characters) — not a stray NUL in a UTF-8
    file — and then a strict decoding into text without control characters. The codec
    (utf-16-le or utf-16-be) encodes the text back to `raw` without its byte-order mark."""
    if raw.startswith(UTF16_BOMS):
        encoding = "utf-16-le" if raw.startswith(b"\xff\xfe") else "utf-16-be"
        body = raw[2:]
    else:
        sample = raw[:4096]
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        most, least = max(even, odd), min(even, odd)
        # UTF-16 of a YAML file: keys, dates, numbers and line breaks are ASCII, one NUL each;
        # even long Chinese paragraphs leave far more than 1 in 20 pairs with one.
        if most * 20 < len(sample) // 2 or least * 10 > most:
            return None
        encoding = "utf-16-le" if odd > even else "utf-16-be"
        body = raw
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError:
        return None
    return None if CONTROL_CHARACTERS.search(text) else (encoding, text)


def decode(raw: bytes, path: str) -> tuple[str | None, Diagnostic | None]:
    """Bytes → text, or a diagnostic naming the encoding the bytes look like."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    convert = f"tracker fix-encoding {path}"
    if raw.startswith(UTF16_BOMS) or b"\x00" in raw:
        if utf16_text(raw) is not None:
            return None, diag(
                path, (1, 1), "encoding-utf16",
                "文件是 UTF-16 编码(Windows 记事本“Unicode”)，tracker 只读 UTF-8",
                hint=f"运行 {convert} 转换为 UTF-8；或在编辑器中“另存为”并选择 UTF-8 编码。",
            )
        if b"\x00" in raw:  # a stray NUL (or a binary file): no encoding to convert from
            pos = _line_col(raw, raw.index(b"\x00"))
            return None, diag(
                path, pos, "encoding-invalid",
                f"第 {pos[0]} 行第 {pos[1]} 列有 NUL 字节(\\x00)：文本文件中不应有这个字符",
                hint="在编辑器中删除这个字符后保存(VS Code 显示为红色的 NUL)；"
                     "如果这不是文本文件(例如图片)，请不要以 .yaml 命名。",
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


# A syntax error is worded by the pure-Python parser, whose messages are the same on every
# machine (libyaml words some differently). That parser reads about 0.2 MB a second, and takes
# quadratic time in the depth of nested [ and {: the whole text is re-read only when it is
# small; otherwise a window around the error, starting where the collection being read when
# the error came has its current entry (_windows); without one, libyaml's own words are used.
FULL_REPARSE_CHARS = 64 * 1024
WINDOW_CHARS = 64 * 1024


def _python_error(text: str) -> yaml.YAMLError | None:
    """The pure-Python parser's first error in `text` (None if it reads it all)."""
    try:
        for _ in yaml.parse(text, Loader=yaml.SafeLoader):
            pass
    except yaml.YAMLError as exc:
        return exc
    return None


def _error_pos(exc: yaml.YAMLError) -> tuple[Any, Pos]:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    return mark, ((mark.line + 1, mark.column + 1) if mark else (1, 1))


def _bracket_depth(text: str) -> int:
    """The deepest nesting of [ and { in `text`, counting every bracket (also in quotes and
    comments: an overestimate, which only ever costs the pure-Python wording)."""
    depth = deepest = 0
    for ch in _BRACKETS.sub("", text):
        depth += 1 if ch in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


_BRACKETS = re.compile(r"[^\[\]{}]+")


def _windows(text: str, exc: yaml.YAMLError, mark: Any) -> Iterator[tuple[str, int, int]]:
    """Windows of `text` to re-read for the error at libyaml's `mark`, innermost first, as
    (window, offset, line): the window is the file's text from `offset` on, its first line
    being line `line` (0-based) of the file. Each starts at the entry (a key of a mapping, the
    "-" of a list item) being read in a block collection open when the error came, indented as
    in the file, so that the pure-Python parser meets the same text in the same context; it
    ends two lines after the error."""
    end = mark.index
    for _ in range(3):
        found = text.find("\n", end)
        end = len(text) if found < 0 else found + 1
    for start, entry in getattr(exc, "tracker_frames", ()):
        if entry is None or start.flow_style or type(entry) in (_MapEnd, _SeqEnd):
            continue  # inside [ ] or { } no entry can be read alone
        at, list_column = entry.start_mark, start.start_mark.column
        index, column = at.index, at.column
        if type(start) is _SeqStart:  # start at the item's "-", in the list's column
            dash = index - (column - list_column)
            if dash >= index or text[dash] != "-" or text[dash + 1:index].strip(" "):
                continue
            index, column = dash, list_column
        if end - index > WINDOW_CHARS:
            return  # the windows further out are larger still
        if _leaves_column(text[index:mark.index], column, type(start) is _SeqStart):
            continue  # the error is past this entry (libyaml reads a line ahead)
        yield " " * column + text[index:end], index - column, at.line


def _leaves_column(text: str, column: int, dashes: bool) -> bool:
    """Does a line after the first of `text` start left of `column` (or, in a list, at it
    without a "-")? Then the text is not all within the entry that starts it."""
    for line in text.split("\n")[1:]:
        body = line.lstrip(" ")
        if not body or body.startswith("#"):
            continue
        indent = len(line) - len(body)
        if indent < column or (dashes and indent == column and not body.startswith("-")):
            return True
    return False


def _python_wording(text: str, exc: yaml.YAMLError) -> tuple[yaml.YAMLError, int]:
    """libyaml's error `exc` as the pure-Python parser words it, and the number of lines its
    marks are to be moved down by; `exc` itself (0) when that cannot be had cheaply."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if len(text) <= FULL_REPARSE_CHARS:
        if _bracket_depth(text) <= MAX_DEPTH:
            return _python_error(text) or exc, 0
        return exc, 0
    if mark is None:
        return exc, 0
    budget = 2 * WINDOW_CHARS  # in all, however many windows are tried
    for window, offset, line in _windows(text, exc, mark):
        budget -= len(window)
        if budget < 0 or _bracket_depth(window) > MAX_DEPTH:
            break
        found = _python_error(window)
        if found is None:
            continue  # read without an error here: try a larger window
        at = getattr(found, "problem_mark", None) or getattr(found, "context_mark", None)
        if at is None or (at.index >= len(window) and offset + len(window) < len(text)):
            continue  # the end of the window, not of the file: say nothing from it
        return found, line
    return exc, 0


def _too_deep(text: str, path: str, mark: Any) -> Diagnostic | None:
    """Is the text nested more than MAX_DEPTH levels before libyaml's error at `mark`? Read it
    again up to there: the diagnostic points where the 65th level opens, as it does for a
    file nested less deeply. (libyaml reads up to a line ahead of the events it gives, so an
    error on a line can come before the nesting on that line reaches the builder.)"""
    if mark is None or not 0 < mark.index <= len(text):
        return None
    builder = _Builder(path, track=True)
    loader = _FastLoader(text[:mark.index])
    try:
        builder.build(loader.get_event)
    except (_Stop, yaml.YAMLError):
        pass
    finally:
        loader.dispose()
    return next((p for p in builder.problems if p.rule == "yaml-too-deep"), None)


def _syntax_diagnostic(text: str, path: str, exc: yaml.YAMLError) -> Diagnostic:
    """Describe a syntax error with the pure-Python parser's wording (same on every machine)."""
    mark, pos = _error_pos(exc)
    problem = getattr(exc, "problem", None) or str(exc)
    from_libyaml = mark is not None and not isinstance(mark, yaml.Mark)
    if "maximum nesting depth" in problem:
        # libyaml refuses nesting deeper than 1,000 levels itself, before tracker's limit.
        found = _too_deep(text.removeprefix("\ufeff"), path, mark) if from_libyaml else None
        return found or diag(path, pos, "yaml-too-deep",
                             f"内容嵌套超过 {MAX_DEPTH} 层(列表或字段套列表或字段)",
                             hint="报送、台账和计划文件只有几层；检查这里是否多写了 [ { 或缩进。")
    if from_libyaml:
        body = text.removeprefix("\ufeff")  # libyaml's marks count from after a BOM
        open_now = len(getattr(exc, "tracker_frames", ()))
        if open_now + _bracket_depth(body[max(0, mark.index - 2048):mark.index]) > MAX_DEPTH:
            found = _too_deep(body, path, mark)
            if found is not None:
                return found
        exc, shift = _python_wording(body, exc)
        mark, pos = _error_pos(exc)
        pos = (pos[0] + shift, pos[1])
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    if "maximum nesting depth" in problem:
        # PyYAML ≥ 6.0.4 stops deep nesting itself, before tracker's own limit does.
        return diag(path, pos, "yaml-too-deep",
                    f"内容嵌套超过 {MAX_DEPTH} 层(列表或字段套列表或字段)",
                    hint="报送、台账和计划文件只有几层；检查这里是否多写了 [ { 或缩进。")
    detail = f"{problem}" + (f", {context}" if context else "")
    hint = RULE_HINT_SYNTAX
    lines = text.splitlines()
    if "\t" in lines[pos[0] - 1] if 0 < pos[0] <= len(lines) else False:
        hint = "这一行含有 Tab 字符：YAML 只能用空格缩进，请把 Tab 换成空格。"
    else:
        # A Chinese input method types ： and the full-width space: the parser reports the
        # line after, so look at the line of the error and the two before it.
        for i in range(min(pos[0], len(lines)) - 1, max(pos[0] - 4, -1), -1):
            colon = _FULL_WIDTH_COLON.match(lines[i])
            if colon:
                pos = (i + 1, colon.end())
                hint = ("这一行的“：”是中文(全角)冒号：字段名后要用英文冒号 : 再加一个空格，"
                        "例如 as_of: 2024-06-30。")
                break
            if lines[i].lstrip(" ").startswith("\u3000"):
                pos = (i + 1, 1)
                hint = "这一行开头有全角空格“　”：缩进只能用半角空格，请删掉全角空格。"
                break
    # In Chinese first; the parser's English stays behind it, in brackets. (Imported here:
    # only a broken file pays for compiling its table.)
    from tracker.yaml_messages import syntax_sentence

    return diag(path, pos, "yaml-syntax",
                f"YAML 格式错误，{syntax_sentence(problem, context)}(parser: {detail})", hint=hint)


# A key followed by a full-width colon (before any ASCII colon): `as_of：2024-06-30`.
_FULL_WIDTH_COLON = re.compile(r"^[ \u3000]*(?:- )?[^\s#:：'\"]+[ \u3000]*：")


RULE_HINT_SYNTAX = (
    "检查这一行及上一行：缩进只能用空格且要对齐；冒号后要有空格；含冒号或 # 的文字要加引号；引号要成对。"
)


def parse_text(text: str, path: str, *, keep_text_keys: bool = False,
               ) -> tuple[Document | None, list[Diagnostic]]:
    """Parse YAML text into a Document; problems are returned, never raised.

    With `keep_text_keys`, a file whose only problems are keys YAML would read as numbers or
    booleans (`1.1:`, `true:`) is returned too, keys kept as written, so the rest of the file is
    checked in the same run instead of after the editor adds the quotes. The problems are
    returned all the same; validation fails."""
    try:
        try:
            builder, data = _run(text, path, track=False)
        except _Retrack:  # something to describe: read again, with marks
            builder, data = _run(text, path, track=True)
    except _Failed as failed:
        return None, failed.problems
    if builder.problems:
        if keep_text_keys and data is not None and all(
                p.rule == "yaml-key-type" for p in builder.problems):
            return Document(path, data, text=text), builder.problems
        return None, builder.problems
    if data is None:
        return None, [diag(path, (1, 1), "yaml-empty", "文件没有内容")]
    return Document(path, data, text=text), []


class _Failed(Exception):
    def __init__(self, problems: list[Diagnostic]) -> None:
        self.problems = problems


def _run(text: str, path: str, track: bool) -> tuple[_Builder, Any]:
    builder = _Builder(path, track)
    loader = _FastLoader(text)
    try:
        return builder, builder.build(loader.get_event)
    except _Stop:
        raise _Failed(builder.problems) from None
    except yaml.YAMLError as exc:
        raise _Failed([*builder.problems, _syntax_diagnostic(text, path, exc)]) from None
    finally:
        loader.dispose()


def read_bytes(
    file: Path, path: str, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[bytes | None, Diagnostic | None]:
    """Read a file's bytes, refusing symlinks and files over the size cap."""
    try:
        if file.is_symlink():
            return None, diag(path, None, "file-symlink", "这是一个符号链接，tracker 不读取链接")
        info = file.stat()
        if not stat.S_ISREG(info.st_mode):
            # A folder named *.yaml, a named pipe (opening it would wait forever), a device.
            return None, diag(path, None, "file-unreadable",
                              "这不是普通文件(是文件夹、管道或设备)，tracker 不读取")
        size = info.st_size
        if size > max_bytes:
            return None, diag(
                path, None, "file-too-large",
                f"文件有 {size:,} 字节，超过上限 {max_bytes:,} 字节",
            )
        with open(file, "rb") as handle:
            # Read what the file holds, not the cap (which may be far larger); a file that grew
            # since stat() is read on, up to one byte past the cap.
            data = handle.read(size + 1)
            if len(data) > size:
                data += handle.read(max(0, max_bytes + 1 - len(data)))
            if len(data) > max_bytes:
                return None, diag(path, None, "file-too-large",
                                  f"文件超过上限 {max_bytes:,} 字节")
            return data, None
    except OSError as exc:
        return None, diag(path, None, "file-unreadable", f"无法读取文件：{exc.strerror or exc}")


def load_file(
    file: Path, path: str, max_bytes: int = DEFAULT_MAX_BYTES, *, keep_text_keys: bool = False,
) -> tuple[Document | None, list[Diagnostic]]:
    """Read, decode and parse one YAML file. `path` is how diagnostics name it."""
    raw, problem = read_bytes(file, path, max_bytes)
    if raw is None:
        return None, [problem] if problem else []
    text, problem = decode(raw, path)
    if text is None:
        return None, [problem] if problem else []
    return parse_text(text, path, keep_text_keys=keep_text_keys)


def to_posix(path: str | os.PathLike[str]) -> str:
    return Path(path).as_posix()
