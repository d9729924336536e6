"""What changed between two statuses: `diff(old, new) -> Delta`, and renderers for it.

Two uses: `tracker status --since D1 --as-of D2` (the same data at two dates) and a pull-request
check (two versions of the data at the same date: `diff(compute(base, D), compute(head, D))`,
then `render_delta_markdown(delta, plan, lang)` for the comment). Both are pure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from tracker import mdtext
from tracker.model import Plan
from tracker.status import CITY, Source, Status, label, light, round1


class TargetMove(NamedTuple):
    target: str
    scope: str
    old: str | None  # None: the row did not exist before (e.g. a unit goal was added)
    new: str | None  # None: the row is gone
    old_actual: int | None
    new_actual: int | None


class TaskMove(NamedTuple):
    task: str
    old: str | None
    new: str | None

    @property
    def closed(self) -> bool:
        return self.new == "done" and self.old != "done"


class FilingMove(NamedTuple):
    unit: str
    period: str
    old: str | None  # None: the period was not yet due
    new: str | None


class RankMove(NamedTuple):
    unit: str
    old_rank: int | None
    new_rank: int | None
    old_score: float | None
    new_score: float | None


@dataclass(frozen=True)
class Delta:
    old_as_of: date
    new_as_of: date
    targets: tuple[TargetMove, ...]
    tasks: tuple[TaskMove, ...]
    filings: tuple[FilingMove, ...]
    arrived: tuple[Source, ...]  # filings (or revisions) present in new but not in old
    index: tuple[RankMove, ...]

    @property
    def closed(self) -> tuple[TaskMove, ...]:
        return tuple(m for m in self.tasks if m.closed)

    def is_empty(self) -> bool:
        return not (self.targets or self.tasks or self.filings or self.arrived or self.index)


def diff(old: Status, new: Status) -> Delta:
    """Every status that moved from `old` to `new`, in `new`'s order (then rows only in old).

    Filing rows that merely became due are listed only when they are not on time (a filing
    that arrived on time is already in `arrived`); index entries only when the rank moved."""
    targets = [
        TargetMove(t, s, o.status if o else None, n.status if n else None,
                   o.actual if o else None, n.actual if n else None)
        for (t, s), o, n in _pairs(old.targets, new.targets, lambda r: (r.target, r.scope))
        if (o.status if o else None) != (n.status if n else None)
    ]
    tasks = [
        TaskMove(k, o.status if o else None, n.status if n else None)
        for k, o, n in _pairs(old.tasks, new.tasks, lambda r: r.task)
        if (o.status if o else None) != (n.status if n else None)
    ]
    filings = []
    for (unit, period), o, n in _pairs(old.filings, new.filings, lambda r: (r.unit, r.period)):
        before, after = (o.status if o else None), (n.status if n else None)
        if before == after or (before is None and after == "on_time"):
            continue
        filings.append(FilingMove(unit, period, before, after))
    seen = {(s.path, s.revision) for s in old.received}
    arrived = tuple(s for s in new.received if (s.path, s.revision) not in seen)
    index = [
        RankMove(u, o.rank if o else None, n.rank if n else None,
                 round1(o.score) if o else None, round1(n.score) if n else None)
        for u, o, n in _pairs(old.index, new.index, lambda r: r.unit)
        if (o.rank if o else None) != (n.rank if n else None)
    ]
    return Delta(old.as_of, new.as_of, tuple(targets), tuple(tasks), tuple(filings), arrived,
                 tuple(index))


def _pairs(old: Any, new: Any, key: Any) -> list[tuple[Any, Any, Any]]:
    before = {key(r): r for r in old}
    after = {key(r): r for r in new}
    keys = list(after) + [k for k in before if k not in after]
    return [(k, before.get(k), after.get(k)) for k in keys]


def delta_to_json(delta: Delta) -> dict[str, Any]:
    return {
        "since": delta.old_as_of.isoformat(),
        "as_of": delta.new_as_of.isoformat(),
        "targets": [
            {"target": m.target, "scope": m.scope, "from": m.old, "to": m.new,
             "actual_from": m.old_actual, "actual_to": m.new_actual}
            for m in delta.targets
        ],
        "tasks": [{"task": m.task, "from": m.old, "to": m.new, "closed": m.closed}
                  for m in delta.tasks],
        "filings": [{"unit": m.unit, "period": m.period, "from": m.old, "to": m.new}
                    for m in delta.filings],
        "arrived": [{"unit": s.unit, **s.to_json()} for s in delta.arrived],
        "index": [{"unit": m.unit, "rank_from": m.old_rank, "rank_to": m.new_rank,
                   "score_from": m.old_score, "score_to": m.new_score} for m in delta.index],
    }


# --- Markdown (pull-request comments, the site) -----------------------------------------

EMOJI = {"green": "🟢", "yellow": "🟡", "red": "🔴", "grey": "⚪"}

TEXT = {
    "zh": {
        "title": "状态变化", "none": "没有状态变化。", "targets": "指标", "scope": "范围",
        "before": "之前", "after": "现在", "actual": "实际值", "tasks": "任务",
        "filings": "报送", "period": "期次", "arrived": "新收到的报送", "unit": "单位",
        "file": "文件", "revision": "版本", "index": "指数排名", "rank": "排名",
        "city": "全市", "absent": "—", "closed": "已销号",
    },
    "en": {
        "title": "Status changes", "none": "No status changes.", "targets": "Targets",
        "scope": "Scope", "before": "Before", "after": "Now", "actual": "Actual",
        "tasks": "Tasks", "filings": "Filings", "period": "Period",
        "arrived": "Filings received", "unit": "Unit", "file": "File", "revision": "Revision",
        "index": "Index ranking", "rank": "Rank", "city": "City", "absent": "—",
        "closed": "closed",
    },
}


def scope_label(plan: Plan, scope: str, lang: str) -> str:
    return TEXT[_lang(lang)]["city"] if scope == CITY else plan.label(scope)


def _lang(lang: str) -> str:
    return lang if lang in TEXT else "en"


def md_text(text: str) -> str:
    """Text for a Markdown table cell of a pull-request comment that stays text (mdtext)."""
    return mdtext.md_text(text, comment=True)


def _badge(kind: str, code: str | None, lang: str) -> str:
    if code is None:
        return TEXT[_lang(lang)]["absent"]
    return f"{EMOJI[light(kind, code)]} {label(kind, code, lang)}"


def _num(value: int | None) -> str:
    return "—" if value is None else str(value)


def render_delta_markdown(delta: Delta, plan: Plan, lang: str = "zh") -> str:
    """The delta as GitHub-flavoured Markdown (a heading, then one table per kind)."""
    t = TEXT[_lang(lang)]
    span = (delta.new_as_of.isoformat() if delta.old_as_of == delta.new_as_of
            else f"{delta.old_as_of.isoformat()} → {delta.new_as_of.isoformat()}")
    out = [f"### {t['title']} ({span})", ""]
    if delta.is_empty():
        return "\n".join([*out, t["none"], ""])

    def title_of(target: str) -> str:
        return plan.targets[target].title if target in plan.targets else target

    if delta.targets:
        out += [f"**{t['targets']}**", "",
                f"| {t['targets']} | {t['scope']} | {t['before']} | {t['after']} | {t['actual']} |",
                "|---|---|---|---|---|"]
        for m in delta.targets:
            out.append(
                f"| {md_text(title_of(m.target))} | {md_text(scope_label(plan, m.scope, lang))} | "
                f"{_badge('target', m.old, lang)} | {_badge('target', m.new, lang)} | "
                f"{_num(m.old_actual)} → {_num(m.new_actual)} |"
            )
        out.append("")
    if delta.tasks:
        out += [f"**{t['tasks']}**", "", f"| {t['tasks']} | {t['before']} | {t['after']} |",
                "|---|---|---|"]
        for tm in delta.tasks:
            name = f"{tm.task} {plan.tasks[tm.task].title}" if tm.task in plan.tasks else tm.task
            out.append(f"| {md_text(name)} | {_badge('task', tm.old, lang)} | "
                       f"{_badge('task', tm.new, lang)} |")
        out.append("")
    if delta.filings:
        out += [f"**{t['filings']}**", "",
                f"| {t['unit']} | {t['period']} | {t['before']} | {t['after']} |",
                "|---|---|---|---|"]
        for fm in delta.filings:
            out.append(f"| {md_text(plan.label(fm.unit))} | {fm.period} | "
                       f"{_badge('filing', fm.old, lang)} | {_badge('filing', fm.new, lang)} |")
        out.append("")
    if delta.arrived:
        out += [f"**{t['arrived']}**", "",
                f"| {t['unit']} | {t['period']} | {t['revision']} | {t['file']} |",
                "|---|---|---|---|"]
        for s in delta.arrived:
            out.append(f"| {md_text(plan.label(s.unit))} | {s.period} | {s.revision} | `{s.path}` |")
        out.append("")
    if delta.index:
        out += [f"**{t['index']}**", "", f"| {t['unit']} | {t['rank']} |", "|---|---|"]
        for rm in delta.index:
            out.append(f"| {md_text(plan.label(rm.unit))} | {_num(rm.old_rank)} → {_num(rm.new_rank)} "
                       f"({_score(rm.old_score)} → {_score(rm.new_score)}) |")
        out.append("")
    return "\n".join(out)


def _score(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"
