"""What may change in merged data: filings only by amendment (their text, not only their
data), filings and registers never deleted or renamed, 销号 decisions (reviews/<task>.yaml)
only appended to."""

from __future__ import annotations

from typing import Any

from tracker.diagnostics import Diagnostic, diag
from tracker.gate.git import Change
from tracker.gate.paths import Where, kind_of
from tracker.model import Filing
from tracker.yamlio import Document, parse_text

_BOM = b"\xef\xbb\xbf"


def parse_blob(raw: bytes | None, shown: str) -> Document | None:
    if raw is None:
        return None
    # An unquoted numeric key is reported by validation; the comparison reads past it.
    doc, _ = parse_text(raw.decode("utf-8-sig", "replace"), shown, keep_text_keys=True)
    return doc if doc is not None and isinstance(doc.data, dict) else None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def immutability(changes: list[Change], where: Where,
                 blobs: dict[str, bytes | None]) -> list[Diagnostic]:
    """immutable-edit / immutable-delete for the net change of the pull request."""
    out = reviews_append_only(changes, where, blobs)
    for ch in changes:
        if ch.status in ("D", "R"):
            gone = ch.old_path if ch.status == "R" else ch.path
            kind = kind_of(where.rel(gone))
            if kind in ("filing", "register"):
                what = "报送" if kind == "filing" else "台账"
                how = f"改名为 {ch.path}" if ch.status == "R" else "删除"
                out.append(diag(where.shown(gone), None, "immutable-delete",
                                f"已合并的{what} {gone} 被{how}"))
            continue
        if ch.status not in ("M", "T") or kind_of(where.rel(ch.path)) != "filing":
            continue
        shown = where.shown(ch.path)
        old_raw, new_raw = blobs.get(ch.old_blob), blobs.get(ch.new_blob)
        new = parse_blob(new_raw, shown)
        if new is None or new_raw is None:
            continue  # unreadable: validation reports it
        old = parse_blob(old_raw, shown)
        if ch.status == "M" and old is not None and old_raw is not None and old.data == new.data:
            if filed_text(old_raw) == filed_text(new_raw):
                continue  # saved again as it was: a BOM, line endings, the final newline
            # The same data in other words: comments or layout. The site shows the text as
            # filed (texts/<unit>), so this too is a change of the record.
            line, column = first_difference(old_raw, new_raw)
            out.append(diag(
                shown, (line, column), "immutable-edit",
                f"已合并的报送的原文被修改：第 {line} 行与已合并的版本不同(数据没有变，改的是注释或书写格式)。"
                "网站按原文公布每份报送，原文的改动也必须作为修订",
                hint=f"把这处改回已合并的样子；确需修改时运行 tracker amend {ch.path}(revision 加 1)，"
                     "并在 amendment_reason 中说明。"))
            continue
        new_rev, new_reason = _int(new.data.get("revision")), new.data.get("amendment_reason")
        old_rev = _int(old.data.get("revision")) if old is not None else None
        old_reason = old.data.get("amendment_reason") if old is not None else None
        pos = new.pos(("revision",))
        if ch.status == "T":
            out.append(diag(shown, pos, "immutable-edit", f"已合并的报送 {ch.path} 的文件类型被改变"))
        elif old_rev is not None and new_rev != old_rev + 1:
            out.append(diag(
                shown, pos, "immutable-edit",
                f"已合并的报送被修改，revision 应从 {old_rev} 改为 {old_rev + 1}，实际是 {new_rev}",
                hint=f"修订已合并的报送：运行 tracker amend {ch.path}(revision 加 1)，再填写 amendment_reason。",
            ))
        elif old_rev is None and (new_rev or 0) < 2:
            out.append(diag(shown, pos, "immutable-edit",
                            f"已合并的报送 {ch.path} 被修改，但 revision 没有增加"))
        elif not isinstance(new_reason, str) or not new_reason.strip():
            out.append(diag(shown, new.pos(("amendment_reason",)) if "amendment_reason" in new.data else pos,
                            "immutable-edit",
                            f"修订已合并的报送(revision {new_rev})必须填写 amendment_reason"))
        elif isinstance(old_reason, str) and new_reason.strip() == old_reason.strip():
            out.append(diag(shown, new.pos(("amendment_reason",)), "immutable-edit",
                            "amendment_reason 与上一版相同：请说明本次修订的原因"))
        if old is not None and "reported_on" in new.data \
                and new.data.get("reported_on") != old.data.get("reported_on"):
            # The date the filing was made: on time / late is judged by it (docs/workflow.md).
            out.append(diag(
                shown, new.pos(("reported_on",)), "immutable-edit",
                f"修订不能改变报送日期 reported_on：已合并的版本是 {old.data.get('reported_on')}",
                hint="reported_on 是首次报送的日期，修订时保持不变；修订的日期由 git 提交记录。",
            ))
    return out


def filed_text(raw: bytes) -> bytes:
    """A filing's text as the site shows it, without what saving it again may change: a UTF-8
    BOM (Notepad), CRLF line endings (Windows, where git does not convert them) and the
    newlines at the end. Any other byte is the record."""
    if raw.startswith(_BOM):
        raw = raw[len(_BOM):]
    return raw.replace(b"\r\n", b"\n").rstrip(b"\n")


def first_difference(old: bytes, new: bytes) -> tuple[int, int]:
    """Line and column (from 1) in `new` where its text (`filed_text`) first differs from
    `old`'s; past the end of `new`'s last line when only `old` goes on."""
    before = filed_text(old).decode("utf-8", "replace").split("\n")
    after = filed_text(new).decode("utf-8", "replace").split("\n")
    for i, (a, b) in enumerate(zip(before, after, strict=False)):
        if a != b:
            same = next((j for j, (x, y) in enumerate(zip(a, b, strict=False)) if x != y),
                        min(len(a), len(b)))
            return i + 1, same + 1
    if len(after) > len(before):
        return len(before) + 1, 1
    return len(after), len(after[-1]) + 1


def new_filings(changes: list[Change], where: Where, filings: list[Filing]) -> list[Diagnostic]:
    """immutable-edit for a filing the pull request adds with a revision other than 1 (SPEC:
    1 for a new filing): it would read as an amended record of a filing main never held. Added
    is also renamed into place (a stray `2024-Q3.yml` on main renamed to `.yaml`; or git
    pairing the new filing with a similar file the pull request deletes)."""
    by_path = {f.path: f for f in filings}
    out = []
    for ch in changes:
        filing = by_path.get(where.rel(ch.path) or "") if ch.status in ("A", "R") else None
        if filing is None or filing.revision == 1:
            continue  # not a new filing, or not valid (validation says why), or as it should be
        out.append(diag(
            where.shown(ch.path), filing.source.pos(("revision",)) if filing.source else None,
            "immutable-edit",
            f"新的报送 revision 应为 1，实际是 {filing.revision}：main 上还没有这份报送，没有可修订的版本",
            hint="新报送写 revision: 1，不写 amendment_reason；合并后需要更正时再用 tracker amend 修订。"))
    return out


# --- 销号 decisions ---------------------------------------------------------------------------


def _decisions(doc: Document | None) -> list[Any] | None:
    if doc is None:
        return None
    decisions = doc.data.get("decisions")
    return decisions if isinstance(decisions, list) else None


def reviews_append_only(changes: list[Change], where: Where,
                        blobs: dict[str, bytes | None]) -> list[Diagnostic]:
    """immutable-review: a review file (reviews/<task>.yaml) that exists at the merge base is
    never deleted or renamed, and its `decisions` at the base are an exact prefix of HEAD's:
    decisions are appended, never edited, reordered or removed.

    Read from the two versions' text with tracker.yamlio, independently of how the reviews are
    loaded for status: a decision is compared as the mapping it is (comments and layout may
    change)."""
    out = []
    hint = "销号决定只能追加：在 decisions 列表末尾加一条新的决定(如 returned 退回 或新的 approved)，不修改、不删除已有的。"
    for ch in changes:
        old_rel = where.rel(ch.old_path or ch.path)
        if ch.status in ("D", "R") and kind_of(old_rel) == "review":
            gone = ch.old_path or ch.path
            how = f"改名为 {ch.path}" if ch.status == "R" else "删除"
            out.append(diag(where.shown(gone), None, "immutable-review",
                            f"已合并的销号决定文件 {gone} 被{how}", hint=hint))
            continue
        if ch.status not in ("M", "T") or kind_of(where.rel(ch.path)) != "review":
            continue
        shown = where.shown(ch.path)
        old = parse_blob(blobs.get(ch.old_blob), shown + "(基准版本)")
        before = _decisions(old)
        if not before:
            continue  # nothing decided at the base: nothing to keep
        new = parse_blob(blobs.get(ch.new_blob), shown)
        after = _decisions(new)
        if after is None or new is None:
            out.append(diag(shown, new.pos(("decisions",)) if new is not None else None,
                            "immutable-review",
                            f"无法读取 {ch.path} 的 decisions 列表，不能确认已有的 {len(before)} 条销号决定未被改动",
                            hint=hint))
            continue
        for i, decision in enumerate(before):
            where_old = old.pos(("decisions", i))[0] if old is not None else 0
            if i >= len(after):
                out.append(diag(shown, new.pos(("decisions",), key=True), "immutable-review",
                                f"已合并的第 {i + 1} 条销号决定(基准版本第 {where_old} 行)被删除",
                                hint=hint))
                break
            if after[i] != decision:
                out.append(diag(shown, new.pos(("decisions", i)), "immutable-review",
                                f"已合并的第 {i + 1} 条销号决定(基准版本第 {where_old} 行)被修改",
                                hint=hint))
    return out
