"""What may change in merged data: filings only by amendment (their text, not only their
data), filings and registers never deleted or renamed, evidence a merged filing cites only
with an amendment of a filing that cites it, 销号 decisions (reviews/<task>.yaml) only
appended to."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import PurePosixPath
from typing import Any

from tracker.diagnostics import Diagnostic, diag
from tracker.gate.git import Change, is_utf8
from tracker.gate.paths import Where, kind_of
from tracker.model import Filing
from tracker.yamlio import DEFAULT_MAX_BYTES, Document, parse_text

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


# --- evidence cited by merged filings --------------------------------------------------------


def changed_evidence(changes: list[Change], where: Where) -> dict[str, Change]:
    """The evidence files of the merge base (root-relative path under evidence/) whose content
    or place the pull request changes: other bytes, another file type, deleted or renamed (a
    change of mode alone changes nothing the site shows)."""
    out: dict[str, Change] = {}
    for ch in changes:
        if ch.status == "A" or (ch.status == "M" and ch.old_blob == ch.new_blob):
            continue
        rel = where.rel(ch.old_path if ch.status == "R" else ch.path)
        # (A name that is not UTF-8 cannot be written in a filing: nothing cites it.)
        if rel is not None and rel.startswith("evidence/") and is_utf8(rel):
            out[rel] = ch
    return out


_NOT_LITERAL = re.compile(r"[\s']+")


def citation_needles(paths: Iterable[str]) -> list[str]:
    """Fixed strings at least one of which is in the text of every filing that cites one of
    `paths` (for `git grep -F`, which then finds every such filing and a few more).

    A YAML scalar may spell a path in other characters than its own: a double-quoted one with
    escapes (`\\u0070`, a line continuation), any multi-line one by folding a line break into
    a space, a single-quoted one by doubling `'`; validation and the site read `a//b` and
    `./a` as `a`. Without a backslash, though, each run of a file name between spaces and
    quotes is in the text as it is: the longest run of each name, and a backslash."""
    needles = {"\\"}
    for path in paths:
        runs = _NOT_LITERAL.split(PurePosixPath(path).name)
        needles.add(max(runs, key=len))  # "" (every filing) for a name of spaces and quotes
    return sorted(needles)


def citations(doc: Document) -> set[str]:
    """The repository paths a filing cites as evidence, as validation and the site resolve
    them (`a//b` and `./a` are `a`), read leniently: whatever its other faults."""
    out: set[str] = set()
    for section in ("targets", "tasks"):
        reports = doc.data.get(section)
        for report in reports.values() if isinstance(reports, dict) else ():
            items = report.get("evidence") if isinstance(report, dict) else None
            for item in items if isinstance(items, list) else ():
                path = item.get("path") if isinstance(item, dict) else None
                if isinstance(path, str) and path:
                    out.add(PurePosixPath(path).as_posix())
    return out


def _amends(old: Document, new: Document) -> bool:
    old_rev, new_rev = _int(old.data.get("revision")), _int(new.data.get("revision"))
    reason = new.data.get("amendment_reason")
    return old_rev is not None and new_rev == old_rev + 1 \
        and isinstance(reason, str) and bool(reason.strip())


def cited_evidence(changes: list[Change], where: Where, evidence: dict[str, Change],
                   blobs: dict[str, bytes | None],
                   read_base: Callable[[list[str]], dict[str, bytes | None]],
                   max_bytes: int = DEFAULT_MAX_BYTES) -> list[Diagnostic]:
    """immutable-evidence: an evidence file of `evidence` (changed_evidence) that a filing on
    the base branch cites is changed, deleted or renamed only in a pull request that also
    amends (revision + 1, amendment_reason) a filing that cites it. The site shows whatever
    file is at the cited path: replaced quietly, it would change what a merged filing (and
    the 销号 approved on it) showed.

    `blobs`: the merge base's and HEAD's versions of the filings the pull request changes.
    Only for a file none of the filings it amends cites does the rule need every filing that
    might: `read_base(needles)` gives the base branch's filings whose text holds one of the
    `citation_needles` (toplevel path → text). An honest replacement (with its amendment)
    therefore reads nothing more than the check already does."""
    cited_by: dict[str, set[str]] = {rel: set() for rel in evidence}

    def note(git_path: str, doc: Document | None) -> None:
        if doc is not None:
            for rel in citations(doc) & cited_by.keys():
                cited_by[rel].add(git_path)

    amended: set[str] = set()
    for ch in changes:
        gone = ch.old_path if ch.status == "R" else ch.path
        if ch.status == "A" or kind_of(where.rel(gone)) != "filing":
            continue
        old = parse_blob(blobs.get(ch.old_blob), where.shown(gone))
        note(gone, old)
        new = parse_blob(blobs.get(ch.new_blob), where.shown(ch.path)) \
            if ch.status in ("M", "T") else None
        if old is not None and new is not None and _amends(old, new):
            amended.add(ch.path)
    uncovered = [rel for rel in evidence if not cited_by[rel] & amended]
    if uncovered:
        for git_path, raw in read_base(citation_needles(uncovered)).items():
            if raw is not None and len(raw) <= max_bytes:  # (a larger one is not read by tracker)
                note(git_path, parse_blob(raw, where.shown(git_path)))
    out = []
    for rel in uncovered:
        citing = sorted(cited_by[rel])
        if not citing:
            continue  # nobody cites it: an upload in progress
        ch = evidence[rel]
        how = {"D": "删除", "R": f"改名为 {where.rel(ch.path) or ch.path}",
               "T": "改成另一种文件类型"}.get(ch.status, "修改")
        named = "、".join(where.shown(p) for p in citing[:3]) + \
            (f" 等 {len(citing)} 份报送" if len(citing) > 3 else "")
        out.append(diag(
            where.shown(ch.old_path if ch.status == "R" else ch.path), None, "immutable-evidence",
            f"佐证材料 {rel} 被已合并的报送 {named} 引用，本合并请求中它被{how}，引用它的报送却没有修订："
            "网站会在原来的位置显示新的内容，已合并的记录被悄悄改变",
            hint="已被引用的佐证材料不要替换：新的材料用新的文件名上传，并修订引用它的报送"
                 "(tracker amend 报送文件，revision 加 1，在 amendment_reason 中说明换了哪份材料)，"
                 "改为引用新文件；确需替换原文件时，也要在同一个合并请求中修订引用它的报送。",
            related=tuple(where.shown(p) for p in citing)))
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
