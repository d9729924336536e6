"""`tracker review`: record a plan maintainer's 销号 decision in reviews/<task>.yaml.

Decisions are only ever appended (SPEC; `tracker check` refuses any other change), so this
module never rewrites what is there: it appends the new entry as text at the end of the file,
keeping comments and layout, then reads the result back and writes it (atomically) only if it
parses to exactly the old decisions plus the new one. A file in a shape where appending at the
end would not add to `decisions` is refused, with what to do, rather than reformatted.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from tracker.atomic import atomic_write
from tracker.errors import PlanUnusable, TrackerError
from tracker.model import build_review
from tracker.periods import today_in
from tracker.repository import display_path, load
from tracker.schema import validate
from tracker.status import DECISIONS, Claim, claim_at, compute, label
from tracker.yamlio import DEFAULT_MAX_BYTES, Document, load_file, parse_text


@dataclass
class ReviewSettings:
    root: Path
    task: str
    decision: str  # "approved" | "returned"
    note: str
    on: date | None  # None: today where the plan is
    by: str = ""
    max_bytes: int = DEFAULT_MAX_BYTES


@dataclass
class Recorded:
    path: Path
    on: date
    created: bool
    claim: Claim
    before: str  # the task's status just before the decision (as of its day)
    after: str  # … and with it


def review_path(root: Path, task: str) -> Path:
    return root / "reviews" / f"{task}.yaml"


def record(settings: ReviewSettings, today: date | None = None) -> Recorded:
    """Append one decision; raises TrackerError (exit 2) when it cannot be done safely."""
    if settings.decision not in DECISIONS:  # pragma: no cover - the CLI offers only these
        raise TrackerError(f"未知的决定 {settings.decision}")
    note = settings.note.strip()
    if not note:
        raise TrackerError("复核意见不能为空", hint="用 --note 写明同意的理由或退回的原因。")
    loaded = load(settings.root, max_bytes=settings.max_bytes)
    repo = loaded.repo
    if repo is None:
        raise PlanUnusable("计划文件有错误，无法记录复核决定",
                           hint=f"先运行 tracker validate --root {display_path(settings.root)}。")
    plan = repo.plan
    task = plan.tasks.get(settings.task)
    if task is None:
        raise TrackerError(f"任务 {settings.task} 不存在",
                           hint="可选任务：" + "、".join(plan.tasks))
    if plan.info.closure != "review":
        raise TrackerError(
            f"本计划的销号方式是 {plan.info.closure}：牵头单位报送“已完成”并附佐证材料即销号，无需复核",
            hint="要改为复核销号，请计划办在 plan/tasks.yaml 的 plan 下写 closure: review。")
    if today is None:
        today = today_in(plan.info.timezone)
    on = settings.on or today
    if on > today:
        raise TrackerError(f"决定日期 {on} 晚于今天 {today}",
                           hint="复核决定记在作出决定的当天(默认今天)，不能预先记录。")
    if on < plan.info.start:
        raise TrackerError(f"决定日期 {on} 早于计划开始日期 {plan.info.start}")
    claim = claim_at(plan, repo.filings, task.id, on)
    if claim is None or claim.on > on:
        who = plan.label(task.lead) if task.lead else "各责任单位"
        raise TrackerError(
            f"{on} 时任务 {task.id}({task.title})没有待复核的销号申请",
            hint=f"{who}报送 progress: done 并附佐证材料后，才有销号申请可以复核。")

    file = review_path(Path(settings.root), task.id)
    entry = {"on": on, "decision": settings.decision, "note": note}
    if settings.by.strip():
        entry["by"] = settings.by.strip()
    before = compute(repo, on).task(task.id)
    assert before is not None
    if file.exists() or file.is_symlink():
        text, existing = _read_existing(file, task.id, settings.max_bytes)
        last = max((date.fromisoformat(str(d["on"])) for d in existing), default=None)
        if last is not None and on < last:
            raise TrackerError(
                f"决定日期 {on} 早于已记录的最后一条决定({last})",
                hint="复核记录只能按时间先后追加；不能补记更早的决定。")
        new_text = _appended(text, entry, file)
        created = False
        crlf = b"\r\n" in file.read_bytes()
    else:
        new_text = _new_file(task.id, task.title, entry)
        existing = []
        created = crlf = False
    doc = _verify(new_text, file, task.id, [*existing, entry])
    body = new_text.replace("\r\n", "\n")
    # A file saved with Windows line endings keeps them.
    atomic_write(file, (body.replace("\n", "\r\n") if crlf else body).encode("utf-8"),
                 exclusive=created)
    # The status with the decision: the repository as loaded, this task's review as written
    # (not a second load of every file).
    review = build_review(doc)
    review.path = f"reviews/{task.id}.yaml"
    reviews = [r for r in repo.reviews if r.task != task.id] + [review]
    after = compute(plan, repo.filings, on, reviews=reviews).task(task.id)
    assert after is not None
    return Recorded(file, on, created, claim, before.status, after.status)


def _read_existing(file: Path, task: str, max_bytes: int) -> tuple[str, list[dict[str, Any]]]:
    shown = display_path(file)
    doc, problems = load_file(file, shown, max_bytes)
    if doc is None or problems:
        first = problems[0] if problems else None
        where = f"{first.path}:{first.line}:{first.column}: {first.message}" if first else shown
        raise TrackerError(f"{shown} 有错误，不能追加决定：{where}",
                           hint=f"先修正该文件(tracker validate {shown})。")
    schema_problems = validate(doc, "review")
    if schema_problems:
        p = schema_problems[0]
        raise TrackerError(f"{shown} 有错误，不能追加决定：{p.path}:{p.line}:{p.column}: {p.message}",
                           hint=f"先修正该文件(tracker validate {shown})。")
    if str(doc.data["task"]) != task:
        raise TrackerError(f"{shown} 中的 task 是 {doc.data['task']}，与文件名不一致")
    return doc.text, list(doc.data["decisions"])


def _scalar(text: str) -> str:
    """A YAML double-quoted scalar: JSON's string syntax is valid YAML 1.2."""
    return json.dumps(text, ensure_ascii=False)


def _item(entry: dict[str, Any], indent: str) -> str:
    label_zh = label("decision", entry["decision"], "zh")
    lines = [f"{indent}- on: {entry['on'].isoformat()}",
             f"{indent}  decision: {entry['decision']}   # {label_zh}",
             f"{indent}  note: {_scalar(entry['note'])}"]
    if "by" in entry:
        lines.append(f"{indent}  by: {_scalar(entry['by'])}")
    return "\n".join(lines) + "\n"


def _new_file(task: str, title: str, entry: dict[str, Any]) -> str:
    return (f"# 任务 {task}({title})的销号复核记录 — 只追加，不修改、不删除。\n"
            "# 由 tracker review 写入；schema: schemas/review.schema.json\n"
            f"task: {_scalar(task)}\n"
            "decisions:\n" + _item(entry, "  "))


def _appended(text: str, entry: dict[str, Any], file: Path) -> str:
    """The file's text with the entry added as the last item of `decisions`."""
    doc, _ = parse_text(text, display_path(file))
    assert doc is not None
    # The new item is indented as the first one is (the dash on its line).
    lines = text.replace("\r\n", "\n").split("\n")
    line_no, _ = doc.pos(("decisions", 0))
    indent = " " * max(lines[line_no - 1].find("-"), 0)
    body = text.replace("\r\n", "\n")
    if not body.endswith("\n"):
        body += "\n"
    return body + _item(entry, indent)


def _verify(new_text: str, file: Path, task: str,
            decisions: list[dict[str, Any]]) -> Document:
    """The new text as a Document, if it is exactly the old decisions plus the new one."""
    shown = display_path(file)
    doc, problems = parse_text(new_text, shown)
    ok = doc is not None and not problems and not validate(doc, "review")
    if ok:
        assert doc is not None
        got = doc.data["decisions"]
        want = [{**d, "on": str(d["on"])} for d in decisions]
        ok = str(doc.data["task"]) == task and [
            {**d, "on": str(d["on"])} for d in got] == want
    if not ok:
        raise TrackerError(
            f"无法在 {shown} 末尾安全地追加决定(decisions 不是文件中最后一项，或不是逐行列表)",
            hint="把 decisions 放在文件最后，每条决定以 “- on:” 开头逐行书写，再运行本命令。")
    assert doc is not None
    return doc
