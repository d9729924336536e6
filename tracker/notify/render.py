"""Reminder messages: short, in Chinese, one per recipient — the text that is sent — plus
Markdown and JSON renderings of the whole run for people and programs.

A message is a title (the robot's or e-mail's subject) and a body of one line per item, in the
order of `items.SECTIONS`, ending with a link to the recipient's page on the audit site when
`site_url` is set in tracker.yaml. Lists in the maintainers' summary stop after `LIST_LIMIT`
entries ("等 N 项"): a chat message is read on a phone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from tracker.mdtext import md_text
from tracker.model import Plan
from tracker.notify.items import MAINTAINERS, Item, Recipient, Reminders
from tracker.status import label
from tracker.text import one_line

LIST_LIMIT = 8
SEP = "、"


@dataclass(frozen=True)
class Message:
    title: str
    body: str

    @property
    def text(self) -> str:
        return f"{self.title}\n{self.body}"


def site_link(site_url: str, recipient: str) -> str:
    """The recipient's page on the audit site: a unit's scorecard, the home page for the
    maintainers. (The site's unit pages are units/<id>.html: tracker.site.pages.)"""
    if not site_url:
        return ""
    base = site_url.rstrip("/")
    return f"{base}/" if recipient == MAINTAINERS else f"{base}/units/{recipient}.html"


def message(recipient: Recipient, items: Sequence[Item], plan: Plan, as_of: date,
            site_url: str = "") -> Message:
    """The message for `recipient` about `items` (all of its items, or those not yet sent)."""
    if recipient.id == MAINTAINERS:
        title = f"【督办汇总】截至 {as_of.isoformat()}"
        lines = _summary_lines(items, plan)
    else:
        title = f"【督办提醒】{recipient.name}"
        lines = [f"截至 {as_of.isoformat()},请{recipient.name}关注:",
                 *(_unit_line(it, plan, as_of) for it in items)]
    link = site_link(site_url, recipient.id)
    if link:
        lines.append(f"详情:{link}")
    # Names and titles come from the plan: no control or bidi-override character reaches a
    # chat, a mailbox or a terminal, and no mention tag.
    return Message(_no_mention(one_line(title)),
                   "\n".join(_no_mention(one_line(line)) for line in lines))


# Feishu reads <at user_id="all"></at> in a robot's text message as @所有人 (WeCom and DingTalk
# take mentions from fields of their own): a zero-width space after the "<" keeps it text.
_MENTION_TAG = re.compile(r"<(?=\s*at\b)", re.IGNORECASE)


def _no_mention(text: str) -> str:
    return _MENTION_TAG.sub("<\u200b", text)


# --- a unit's lines -----------------------------------------------------------------------


def _target_title(plan: Plan, target: str) -> str:
    return plan.targets[target].title if target in plan.targets else target


def _task_title(plan: Plan, task: str) -> str:
    return f"任务 {task} {plan.tasks[task].title}" if task in plan.tasks else f"任务 {task}"


def _num(value: int | None) -> str:
    return "—" if value is None else str(value)


def _figures(it: Item, plan: Plan) -> str:
    unit_label = plan.targets[it.ref].unit_label if it.ref in plan.targets else ""
    parts = [f"实际 {_num(it.actual)}"]
    if it.code not in ("overdue", "done"):
        parts.append(f"序时进度 {_num(it.expected)}")
    parts.append(f"目标 {_num(it.goal)}{unit_label}")
    text = ",".join(parts)
    if it.units_total is not None:
        text += f",达标 {it.units_met}/{it.units_total} 个单位"
    return text


def _days(a: date, b: date) -> int:
    return (b - a).days


def _unit_line(it: Item, plan: Plan, as_of: date) -> str:
    assert it.due is not None or it.kind == "setup"
    if it.kind == "filing":
        assert it.due is not None
        if it.code == "upcoming":
            left = _days(as_of, it.due)
            when = "今天" if left == 0 else f"还有 {left} 天"
            return f"【待报送】{it.ref} 期报送于 {it.due.isoformat()} 截止,{when}。"
        late = _days(it.due, as_of)
        return f"【未报送】{it.ref} 期报送已于 {it.due.isoformat()} 截止(逾期 {late} 天),请尽快补报。"
    status = label(it.kind, it.code)
    soon = f"(临期,{it.due.isoformat()} 到期)" if it.due_soon and it.due else ""
    if it.kind == "target":
        name = _target_title(plan, it.ref)
        if it.section == "red":
            deadline = f",时限 {it.due.isoformat()}" if it.code == "overdue" and it.due else ""
            return f"【红灯】{name} {status}:{_figures(it, plan)}{deadline}{soon}。"
        assert it.due is not None
        return f"【蓝灯】{name} 临期:{it.due.isoformat()} 到期,{status},{_figures(it, plan)}。"
    name = _task_title(plan, it.ref)
    assert it.due is not None
    if it.section == "pending_review":
        claimed = it.claimed_on.isoformat() if it.claimed_on else "—"
        return f"【待审核销号】{name}:{claimed} 已申请销号,待审核。"
    if it.section == "red":
        return f"【红灯】{name} 逾期未完成(时限 {it.due.isoformat()})。"
    return f"【蓝灯】{name} 临期:{it.due.isoformat()} 到期,{status}。"


# --- the maintainers' summary -----------------------------------------------------------


def _listing(entries: Sequence[str]) -> str:
    shown = SEP.join(entries[:LIST_LIMIT])
    return shown if len(entries) <= LIST_LIMIT else f"{shown} 等 {len(entries)} 项"


def _scope(plan: Plan, unit: str | None) -> str:
    return "全市" if unit is None else plan.label(unit)


def _summary_lines(items: Iterable[Item], plan: Plan) -> list[str]:
    by: dict[str, list[Item]] = {}
    for it in items:
        by.setdefault(it.section, []).append(it)
    lines: list[str] = []
    upcoming: dict[tuple[str, date | None], list[str]] = {}
    for it in by.get("filing_upcoming", []):
        upcoming.setdefault((it.ref, it.due), []).append(_scope(plan, it.unit))
    for (period, due), names in upcoming.items():
        when = due.isoformat() if due else "—"
        lines.append(f"【待报送】{period} 期({when} 截止)尚有 {len(names)} 个单位未报:"
                     f"{_listing(names)}。")
    missing = by.get("filing_missing", [])
    if missing:
        names = [f"{_scope(plan, it.unit)} {it.ref}" for it in missing]
        lines.append(f"【未报送】{len(missing)} 份:{_listing(names)}。")
    red = by.get("red", [])
    red_targets = [f"{_scope(plan, it.unit)}·{_target_title(plan, it.ref)} {label('target', it.code)}"
                   for it in red if it.kind == "target"]
    if red_targets:
        lines.append(f"【红灯】指标 {len(red_targets)} 项:{_listing(red_targets)}。")
    red_tasks = [f"{_task_title(plan, it.ref)}(时限 {it.due.isoformat() if it.due else '—'})"
                 for it in red if it.kind == "task"]
    if red_tasks:
        lines.append(f"【红灯】逾期任务 {len(red_tasks)} 项:{_listing(red_tasks)}。")
    soon = [f"{_scope(plan, it.unit)}·{_target_title(plan, it.ref)}"
            f"({it.due.isoformat() if it.due else '—'} 到期)" if it.kind == "target" else
            f"{_task_title(plan, it.ref)}({it.due.isoformat() if it.due else '—'} 到期)"
            for it in by.get("due_soon", [])]
    if soon:
        lines.append(f"【蓝灯】临期 {len(soon)} 项:{_listing(soon)}。")
    pending = [f"{_task_title(plan, it.ref)}"
               f"({it.claimed_on.isoformat() if it.claimed_on else '—'} 申请)"
               for it in by.get("pending_review", [])]
    if pending:
        lines.append(f"【待审核销号】{len(pending)} 项,请审核(tracker review):{_listing(pending)}。")
    silent = [plan.label(it.ref) for it in by.get("no_channel", [])]
    if silent:
        lines.append(f"【提示】{_listing(silent)} 有待办事项,但未配置通知渠道"
                     "(plan/units.yaml 的 notify),收不到提醒。")
    return lines


# --- the whole run: Markdown and JSON ------------------------------------------------------

def item_json(it: Item) -> dict[str, Any]:
    return {
        "kind": it.kind, "code": it.code, "section": it.section, "ref": it.ref,
        "unit": it.unit, "due": it.due.isoformat() if it.due else None,
        "due_soon": it.due_soon, "actual": it.actual, "expected": it.expected, "goal": it.goal,
        "units_met": it.units_met, "units": it.units_total,
        "claimed_on": it.claimed_on.isoformat() if it.claimed_on else None,
        "reason": it.reason,
    }


def render_markdown(rem: Reminders, plan: Plan, site_url: str,
                    channels: dict[str, list[str]] | None = None) -> str:
    """The run as Markdown: one section per recipient with the message's lines as a list.
    `channels` maps a recipient to how its channels are shown (masked)."""
    out = [f"# 督办提醒(截至 {rem.as_of.isoformat()})", ""]
    if not rem.recipients:
        return "\n".join([*out, "今天没有需要提醒的事项。", ""])
    for r in rem.recipients:
        msg = message(r, r.items, plan, rem.as_of, site_url)
        heading = r.name if r.id == MAINTAINERS else f"{r.name} ({r.id})"
        out += [f"## {md_text(heading)}", ""]
        shown = (channels or {}).get(r.id, list(r.channels))
        out.append("通知渠道:" + (SEP.join(md_text(c) for c in shown) if shown else "未配置"))
        out.append("")
        # the items as a list; the opening line (the heading says who) and the link as text
        lines = msg.body.splitlines()
        out += [f"- {md_text(line)}" for line in lines if line.startswith("【")]
        links = [md_text(line) for line in lines if line.startswith("详情")]
        if links:
            out += ["", *links]
        out.append("")
    return "\n".join(out)
