"""JSON Schemas (Draft 2020-12) shipped inside the package, and validation against them.

Validation uses jsonschema-rs when it is installed (about 100x faster than python-jsonschema,
which matters for a province with tens of thousands of register items) and python-jsonschema
otherwise. Both backends' errors are translated by one function from the same facts (the
keyword, the instance path and the schema), so the messages are identical whichever runs.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from tracker.atomic import atomic_write
from tracker.diagnostics import Diagnostic, diag
from tracker.yamlio import Document

KINDS = ("units", "tasks", "targets", "filing", "register", "review", "config")

_rs: Any
try:
    import jsonschema_rs as _rs
except ImportError:  # pragma: no cover - exercised by forcing the backend in tests
    _rs = None

BACKEND = os.environ.get("TRACKER_SCHEMA_BACKEND") or ("rs" if _rs else "python")


@cache
def schema(kind: str) -> dict[str, Any]:
    """The JSON Schema for one file kind."""
    name = f"{kind}.schema.json"
    try:  # beside this module: where every install but a zipped one puts it
        text = (Path(__file__).parent / "schemas" / name).read_text("utf-8")
    except OSError:  # pragma: no cover - a zipped install; importlib.resources costs ~5 ms
        from importlib import resources

        text = resources.files("tracker").joinpath("schemas", name).read_text("utf-8")
    return json.loads(text)  # type: ignore[no-any-return]


def export(out: Path) -> list[Path]:
    """Write every schema as `<kind>.schema.json` into `out` (created if needed)."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in KINDS:
        target = out / f"{kind}.schema.json"
        text = json.dumps(schema(kind), ensure_ascii=False, indent=2) + "\n"
        atomic_write(target, text.encode("utf-8"), exclusive=False)
        written.append(target)
    return written


def _is_date(text: str) -> bool:
    """`format: date` as Python reads dates: jsonschema-rs (RFC 3339) accepts year 0000, which
    no date object can hold (python-jsonschema refuses it, as here)."""
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


class _Validator:
    def __init__(self, kind: str, backend: str) -> None:
        self.kind = kind
        self.schema = schema(kind)
        self.backend = backend
        if backend == "rs" and _rs is not None:
            self._rs = _rs.Draft202012Validator(self.schema, validate_formats=True)
            self._rs_year_zero: Any = None
        else:
            import jsonschema

            self.backend = "python"
            self._py = jsonschema.Draft202012Validator(
                self.schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
            )

    def raw_errors(self, data: Any, year_zero: bool = False,
                   ) -> Iterator[tuple[tuple[Any, ...], tuple[Any, ...]]]:
        """(instance path, schema path) of each error. `year_zero`: the file may hold a date of
        year 0000, which jsonschema-rs's own date check accepts; a Python check of every date
        is used instead (it costs ~2 % of `validate`, so only for such files)."""
        if self.backend == "rs":
            validator = self._rs
            if year_zero:
                if self._rs_year_zero is None:
                    self._rs_year_zero = _rs.Draft202012Validator(
                        self.schema, validate_formats=True, formats={"date": _is_date})
                validator = self._rs_year_zero
            if validator.is_valid(data):
                return
            for err in validator.iter_errors(data):
                yield tuple(err.instance_path), tuple(err.schema_path)
        else:
            for err in self._py.iter_errors(data):
                yield from _flatten_python(err)


def _flatten_python(err: Any) -> Iterator[tuple[tuple[Any, ...], tuple[Any, ...]]]:
    yield tuple(err.absolute_path), tuple(err.absolute_schema_path)


@cache
def validator(kind: str, backend: str | None = None) -> _Validator:
    return _Validator(kind, backend or BACKEND)


# Problems listed per file. A real filing has a handful; a file with a hundred thousand unknown
# keys (a pasted export, or an attempt to stall CI) would otherwise take a minute to describe
# (a "did you mean" for each) and print a hundred thousand lines that say the same.
MAX_PER_FILE = 200


def validate(doc: Document, kind: str, backend: str | None = None) -> list[Diagnostic]:
    """Check a loaded document against its kind's schema; one diagnostic per problem (at most
    MAX_PER_FILE, then one that says more were not listed)."""
    v = validator(kind, backend or BACKEND)
    seen: set[tuple[Any, ...]] = set()
    out: list[Diagnostic] = []
    for instance_path, schema_path in v.raw_errors(doc.data, "0000-" in doc.text):
        for d in _translate(doc, v.schema, instance_path, schema_path):
            key = (d.line, d.column, d.rule, d.message)
            if key not in seen:
                if len(out) == MAX_PER_FILE:
                    out.append(diag(doc.path, None, "schema-invalid",
                                    f"不符合格式的问题太多：只列出了前 {MAX_PER_FILE} 个",
                                    hint="先改正列出的问题，再运行 tracker validate 查看其余问题。"))
                    break
                seen.add(key)
                out.append(d)
        if len(out) > MAX_PER_FILE:
            break
    # A date of the wrong form breaks both its pattern and its format: one mistake, one
    # message (the pattern's, which shows the form; a well-formed 2024-02-30 gets the format's).
    shapes = {(d.line, d.column) for d in out if d.rule == "schema-pattern"}
    return [d for d in out if not (d.rule == "schema-format" and (d.line, d.column) in shapes)]


def _full_width(text: str) -> bool:
    """Full-width digits, letters, punctuation or space, as a Chinese input method types them."""
    return any("\uff01" <= ch <= "\uff5e" or ch == "\u3000" for ch in text)


# --- translation -------------------------------------------------------------------------


def _walk_schema(root: dict[str, Any], path: tuple[Any, ...]) -> dict[str, Any]:
    node: Any = root
    for part in path:
        if isinstance(node, dict) and "$ref" in node and part not in node:
            node = _deref(root, node["$ref"])
        if part == "$ref" and isinstance(node, dict):
            node = _deref(root, node["$ref"])
            continue
        node = node[int(part)] if isinstance(node, list) else node.get(part, {})
    if isinstance(node, dict) and "$ref" in node:
        node = _deref(root, node["$ref"])
    return node if isinstance(node, dict) else {}


def _deref(root: dict[str, Any], ref: str) -> Any:
    node: Any = root
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return node


def _value_at(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


def _field(path: tuple[Any, ...]) -> str:
    if not path:
        return "文件顶层"
    parts = []
    for p in path:
        if isinstance(p, int):
            parts.append(f"[{p + 1}]")  # people count from 1
        else:
            name = f'"{p}"' if "." in str(p) else str(p)
            parts.append(("." if parts else "") + name)
    return "".join(parts).lstrip(".")


_TYPE_ZH = {
    "string": "文字",
    "integer": "整数",
    "number": "数字",
    "object": "一组字段(键: 值)",
    "array": "列表(- 开头的多行)",
    "boolean": "true 或 false",
    "null": "空",
}

# A character that is not whitespace (the schema's pattern for text that must say something).
BLANK_PATTERN = (r"[^\u0009-\u000d \u001c-\u001f\u0085\u00a0\u1680\u2000-\u200a"
                 r"\u2028\u2029\u202f\u205f\u3000\ufeff]")
_PATTERN_ZH = {
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$": "日期格式 YYYY-MM-DD，例如 2024-06-30",
    r"^[a-z0-9]+(-[a-z0-9]+)*$": "编号只能用小写字母、数字和连字符，例如 east、service-points",
    r"^[0-9A-Z]+(\.[0-9]+)*$": '任务编号，例如 "1.2"、"S.1"(要加引号)',
    r"^[0-9]{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$": "期次：季度 2024-Q2、月度 2024-06 或年度 2024",
    r"^[0-9A-Za-z-]+$": "编码只能含数字、字母和连字符(要加引号)",
    r"^[0-9]{6,12}$": "区划代码：6 到 12 位数字(要加引号)",
    r"^(env:[A-Za-z_][A-Za-z0-9_]*|[A-Za-z][A-Za-z0-9+.-]*://\S+|\$\{[A-Za-z_][A-Za-z0-9_]*\}\S*)$":
        "通知渠道：Apprise 网址(如 dingtalk://…、mailto://…)，或 env:变量名(如 env:TRACKER_NOTIFY_ANJI)，"
        "网址中可写 ${变量名}；不能有空格",
    r"^https?://[^\s?#]+$": "网址以 https:// 或 http:// 开头，不含空格、? 和 #",
    # Text that must say something (summary, amendment_reason, an evidence title): a character
    # that is not whitespace, spelt out rather than \S, whose meaning differs between Python,
    # Rust (jsonschema-rs) and the browser's JavaScript (U+FEFF, U+001C–U+001F, U+0085).
    BLANK_PATTERN: "这里要写实际内容：只有空格(包括全角空格)或空行不算填写。",
}


def _type_name(value: Any) -> str:
    if value is None:
        return "空值"
    if isinstance(value, bool):
        return "布尔值"
    if isinstance(value, int):
        return "整数"
    if isinstance(value, float):
        return "小数"
    if isinstance(value, str):
        return "文字"
    if isinstance(value, list):
        return "列表"
    return "一组字段"


def _show(value: Any) -> str:
    if isinstance(value, dict | list):
        return _type_name(value)
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "…"


def _translate(
    doc: Document, root: dict[str, Any], ipath: tuple[Any, ...], spath: tuple[Any, ...]
) -> Iterator[Diagnostic]:
    keyword = spath[-1] if spath else ""
    sub = _walk_schema(root, spath[:-1])
    try:
        value = _value_at(doc.data, ipath)
    except (KeyError, IndexError, TypeError):
        value = None
    where = _field(ipath)
    pos = doc.pos(ipath)
    path = doc.path

    if "propertyNames" in spath or (keyword == "pattern" and isinstance(value, dict)):
        # A key of a mapping has the wrong form. (jsonschema-rs reports the schema path of
        # the referenced definition, without "propertyNames", hence the second test.)
        if "propertyNames" in spath:
            names_schema = _walk_schema(root, spath[: spath.index("propertyNames") + 1])
        else:
            names_schema = sub
        pattern = names_schema.get("pattern", "")
        for key in value if isinstance(value, dict) else []:
            if pattern and not re.search(pattern, str(key)):
                yield diag(
                    path, doc.pos((*ipath, key), key=True), "schema-pattern",
                    f"{where} 下的编号 {_show(key)} 格式不对",
                    hint=_PATTERN_ZH.get(pattern, f"应匹配 {pattern}"),
                )
        return
    if keyword == "required":
        for name in sub.get("required", []):
            if isinstance(value, dict) and name not in value:
                yield diag(path, pos, "schema-required", f"{where} 缺少必填字段 {name}",
                           hint=_describe(sub, name))
        return
    if keyword in ("additionalProperties", "unevaluatedProperties"):
        allowed = set(sub.get("properties", {}))
        for key in value if isinstance(value, dict) else []:
            if key not in allowed:
                close = _closest(key, allowed)
                if _full_width(str(key)) and str(key).strip(" \u3000") in allowed:
                    close = f"{str(key).strip(' ' + chr(0x3000))}(字段名前后有全角空格“　”，请删掉)"
                yield diag(
                    path, doc.pos((*ipath, key), key=True), "schema-unknown-key",
                    f"{where} 中有不认识的字段 {key}",
                    hint=(f"是不是 {close}？" if close else "")
                    + "允许的字段：" + "、".join(sorted(allowed)),
                )
        return
    if keyword == "type":
        expected = sub.get("type")
        names = [expected] if isinstance(expected, str) else list(expected or [])
        want = " 或 ".join(_TYPE_ZH.get(n, n) for n in names)
        hint = None
        if "string" in names and isinstance(value, int | float | bool):
            hint = f"加引号，写成 \"{_source_text(doc, ipath, value)}\"。"
        elif names == ["integer"] and isinstance(value, str) and _SIGNED_DIGITS.fullmatch(value):
            hint = f"写成不带引号、不带前导零的整数，例如 {_number_text(value)}。"
        elif names == ["integer"] and isinstance(value, float):
            hint = "这里只能填整数(个数)，不能有小数。"
        elif set(names) <= {"integer", "number"} and isinstance(value, str):
            hint = _number_only_hint(value)
        if value is None:
            # `value:` left empty (as `tracker new` leaves what it cannot know): say so plainly.
            yield diag(path, pos, "schema-type", f"{where} 没有填写(应为{want})",
                       hint=f"在冒号后填写{want}" + _describe_here(sub))
            return
        yield diag(path, pos, "schema-type",
                   f"{where} 应为{want}，实际是{_type_name(value)} {_show(value)}", hint=hint)
        return
    if keyword in ("enum", "const"):
        options = sub.get("enum") or [sub.get("const")]
        choices = "可选：" + "、".join(str(o) for o in options)
        if value is None:
            yield diag(path, pos, "schema-enum", f"{where} 没有填写", hint=f"在冒号后填写，{choices}")
            return
        yield diag(path, pos, "schema-enum",
                   f"{where} 的值 {_show(value)} 不是允许的取值", hint=choices)
        return
    if keyword == "pattern":
        pattern = sub.get("pattern", "")
        if pattern == BLANK_PATTERN and value == "":
            return  # (one mistake, one message: minLength says it is empty)
        hint = _PATTERN_ZH.get(pattern, f"应匹配 {pattern}")
        if _full_width(str(value)) and pattern != BLANK_PATTERN:
            hint = f"含有全角字符(中文输入法下的数字、空格或符号)，请切换到英文输入法。{hint}"
        yield diag(path, pos, "schema-pattern", f"{where} 的值 {_show(value)} 格式不对",
                   hint=hint)
        return
    if keyword == "format":
        if str(value).startswith("0000-"):
            yield diag(path, pos, "schema-format",
                       f"{where} 的值 {_show(value)} 不是有效的日期：公历没有 0000 年",
                       hint="年份从 0001 开始；这里多半是笔误，请写上实际的年份，例如 2024-06-30。")
            return
        yield diag(path, pos, "schema-format", f"{where} 的值 {_show(value)} 不是有效的日期",
                   hint="含有全角字符(中文输入法下的数字、空格或符号)：请切换到英文输入法，"
                        "写成 2024-06-30 这样。" if _full_width(str(value)) else None)
        return
    if keyword in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
        bound = sub.get(keyword)
        word = {"minimum": "不小于", "exclusiveMinimum": "大于",
                "maximum": "不大于", "exclusiveMaximum": "小于"}[keyword]
        yield diag(path, pos, "schema-minimum", f"{where} 的值 {_show(value)} 应{word} {bound}")
        return
    if keyword in ("minItems", "minLength", "minProperties"):
        # A required text left empty: say what belongs there, not "fill it in or delete it".
        desc = sub.get("description", "").split(" / ")[0] if keyword == "minLength" else ""
        yield diag(path, pos, "schema-empty", f"{where} 不能为空",
                   hint=f"填写内容：{desc}" if desc else None)
        return
    if keyword in ("maxLength", "maxItems"):
        # Text far longer than any report: an accident (a pasted file) or an attempt to stall
        # the site build, whose Chinese search segmentation grows with the text.
        bound = sub.get(keyword)
        size = len(value) if isinstance(value, str | list) else 0
        what = "个字" if keyword == "maxLength" else "项"
        yield diag(path, pos, "schema-too-long", f"{where} 太长：{size} {what}，上限 {bound} {what}",
                   hint="精简内容；详细材料请作为佐证材料(evidence)附上文件。")
        return
    if keyword == "uniqueItems":
        dups = sorted({_show(x) for x in value if value.count(x) > 1}) if isinstance(value, list) else []
        yield diag(path, pos, "schema-unique", f"{where} 有重复项：{'、'.join(dups)}")
        return
    if keyword in ("oneOf", "anyOf") and _is_evidence(sub):
        yield diag(path, pos, "schema-evidence",
                   f"{where} 的佐证材料要写 title，再写 path 或 url 其中之一(不能都写，也不能都不写)")
        return
    if keyword in ("oneOf", "anyOf", "not"):
        yield diag(path, pos, "schema-invalid",
                   f"{where} 的写法不符合约定：{sub.get('description', '').split(chr(10))[0]}".rstrip("："),
                   hint=_one_of_hint(sub))
        return
    yield diag(path, pos, "schema-invalid", f"{where} 不符合约定({keyword})")


# A whole number in quotes or with leading zeros ("12", 012, +5). (Digits after two signs, --5,
# are no number.)
_SIGNED_DIGITS = re.compile(r"[+-]?[0-9]+")


def _number_text(digits: str) -> str:
    """The whole number `digits` ([+-]?[0-9]+) writes, as a hint shows it: worked out as text,
    since int() refuses more than 4,300 digits, and shortened as values are (_show)."""
    try:
        text = str(int(digits))  # (also reads digits of other scripts, as _number_only_hint finds)
    except ValueError:
        sign = "-" if digits.startswith("-") else ""
        number = digits.lstrip("+-").lstrip("0")
        text = sign + number if number else "0"
    return text if len(text) <= 60 else text[:57] + "…"
# A count as an editor may type it: digits (thousands separated by commas) and a unit after.
_NUMBER_WITH_EXTRAS = re.compile(r"\s*(\d{1,3}(?:[,，]\d{3})+|\d+)\s*[^\d\s]{0,4}\s*")


def _number_only_hint(value: str) -> str:
    """`value: 8个` or `1,300`: no quotes were typed, so the hint must not talk about them."""
    if _full_width(value):
        return "只写数字：含有全角字符(中文输入法下的数字或符号)，请切换到英文输入法，写阿拉伯数字。"
    match = _NUMBER_WITH_EXTRAS.fullmatch(value)
    if match:
        number = _number_text(re.sub("[,，]", "", match.group(1)))
        return f"只写数字，写成 {number}：不要带单位、逗号(千位分隔符)或其他文字。"
    return "只写数字(阿拉伯数字)，例如 12：不要写单位、逗号(千位分隔符)、汉字数字或其他文字。"


def _source_text(doc: Document, path: tuple[Any, ...], value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _describe_here(sub: dict[str, Any]) -> str:
    """The Chinese half of a field's schema description, as a short reminder."""
    desc = str(sub.get("description", "")).split(" / ")[0].strip()
    return f"：{desc}" if desc else "。"


def _describe(sub: dict[str, Any], name: str) -> str:
    desc = sub.get("properties", {}).get(name, {}).get("description", "")
    return f"{name}：{desc}" if desc else "补上该字段。"


def _one_of_hint(sub: dict[str, Any]) -> str:
    options = []
    for alt in sub.get("oneOf", sub.get("anyOf", [])):
        req = alt.get("required") or list(alt.get("properties", {}))
        if req:
            options.append(" + ".join(req))
    return ("只写其中一种：" + " | ".join(options)) if options else "对照模板检查该字段。"


def _is_evidence(sub: dict[str, Any]) -> bool:
    alternatives = sub.get("oneOf", sub.get("anyOf", []))
    keys = {k for alt in alternatives for k in alt.get("required", [])}
    return {"path", "url"} <= keys or ("path" in sub.get("properties", {}) and "url" in sub.get("properties", {}))


def _closest(word: str, options: set[str]) -> str | None:
    import difflib

    match = difflib.get_close_matches(word, sorted(options), n=1, cutoff=0.6)
    return match[0] if match else None
