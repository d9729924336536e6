"""What may change in merged data: filings only by amendment, filings and registers never
deleted or renamed."""

from __future__ import annotations

from typing import Any

from tracker.diagnostics import Diagnostic, diag
from tracker.gate.git import Change
from tracker.gate.paths import Where, kind_of
from tracker.yamlio import Document, parse_text


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
    out = []
    for ch in changes:
        if ch.status in ("D", "R"):
            gone = ch.old_path if ch.status == "R" else ch.path
            kind = kind_of(where.rel(gone))
            if kind:
                what = "报送" if kind == "filing" else "台账"
                how = f"改名为 {ch.path}" if ch.status == "R" else "删除"
                out.append(diag(where.shown(gone), None, "immutable-delete",
                                f"已合并的{what} {gone} 被{how}"))
            continue
        if ch.status not in ("M", "T") or kind_of(where.rel(ch.path)) != "filing":
            continue
        shown = where.shown(ch.path)
        new = parse_blob(blobs.get(ch.new_blob), shown)
        if new is None:
            continue  # unreadable: validation reports it
        old = parse_blob(blobs.get(ch.old_blob), shown)
        if old is not None and old.data == new.data:
            continue  # only comments or layout changed
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
