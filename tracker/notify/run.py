"""`tracker remind` as a library call: settings in, what was (or would be) sent out.

Loads the repository, computes the status at D (tracker.status.compute: the figures of
`tracker status --as-of D`), selects each recipient's items (tracker.notify.items), and either
shows the messages (the default, a dry run) or sends them channel by channel, skipping what
each channel already received that day (tracker.notify.state).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Any

from tracker.errors import TrackerError
from tracker.model import Plan
from tracker.notify import channels as ch
from tracker.notify.items import MAINTAINERS, Recipient, Reminders, reminders
from tracker.notify.render import item_json, message, render_markdown
from tracker.notify.state import DEFAULT_PATH, SentState
from tracker.yamlio import DEFAULT_MAX_BYTES

FORMATS = ("text", "markdown", "json")

RESULT_ZH = {"dry_run": "演练,未发送", "sent": "已发送", "skipped": "今日已发送,跳过",
             "failed": "失败"}


@dataclass
class RemindSettings:
    root: Path = Path(".")
    as_of: date = field(default_factory=date.today)
    fmt: str = "text"
    send: bool = False
    to: tuple[str, ...] = ()  # unit ids and/or "maintainers"; empty: everyone
    state: Path | None = None  # default: <root>/.tracker/remind-state.json
    max_bytes: int = DEFAULT_MAX_BYTES


@dataclass(frozen=True)
class Delivery:
    recipient: str
    channel: str  # as shown: masked
    result: str  # "dry_run" | "sent" | "skipped" | "failed"
    items: int  # items in the message (0 when skipped)
    error: str = ""


@dataclass
class RemindResult:
    reminders: Reminders
    deliveries: list[Delivery]
    sent: bool
    state_path: Path | None = None

    @property
    def failed(self) -> list[Delivery]:
        return [d for d in self.deliveries if d.result == "failed"]


def state_path(settings: RemindSettings) -> Path:
    return settings.state if settings.state is not None else settings.root / DEFAULT_PATH


def execute(settings: RemindSettings, environ: Mapping[str, str],
            err: IO[str] | None = None) -> tuple[RemindResult, Plan, str]:
    """Compute (and with `send`, deliver) the reminders. Returns the result, the plan and the
    site address (for rendering)."""
    from tracker.status import compute
    from tracker.status_view import open_repository

    s = settings
    if s.fmt not in FORMATS:
        raise TrackerError(f"未知的输出格式 {s.fmt!r}", hint=f"可用: {', '.join(FORMATS)}")
    repo = open_repository(s.root, s.max_bytes, "zh", err)
    plan = repo.plan
    valid = [*plan.units, MAINTAINERS]
    unknown = [r for r in s.to if r not in valid]
    if unknown:
        raise TrackerError(f"没有编号为 {unknown[0]!r} 的单位 There is no unit {unknown[0]!r}.",
                           hint=f"可用 valid: {', '.join(valid)}")
    rem = reminders(compute(repo, s.as_of), plan)
    if s.to:
        rem = Reminders(rem.as_of, rem.remind_days,
                        tuple(r for r in rem.recipients if r.id in s.to))
    site_url = repo.config.site_url
    path = state_path(s) if s.send else None
    state = SentState.load(path) if path is not None else None
    deliveries: list[Delivery] = []
    for r in rem.recipients:
        for spec in r.channels:
            deliveries.append(_deliver(r, spec, rem, plan, site_url, environ, state))
    return RemindResult(rem, deliveries, s.send, path), plan, site_url


def _deliver(r: Recipient, spec: str, rem: Reminders, plan: Plan, site_url: str,
             environ: Mapping[str, str], state: SentState | None) -> Delivery:
    shown = ch.describe(spec)
    resolved = ch.resolve(spec, environ)
    if state is None:  # a dry run: say what would go, and what would fail
        return Delivery(r.id, shown, "dry_run", len(r.items), resolved.error)
    if resolved.url is None:
        return Delivery(r.id, shown, "failed", 0, resolved.error)
    key = ch.key(spec)
    done = state.already(rem.as_of, r.id, key)
    todo = [it for it in r.items if it.reason not in done]
    if not todo:
        return Delivery(r.id, shown, "skipped", 0)
    from tracker.notify.send import deliver

    msg = message(r, todo, plan, rem.as_of, site_url)
    outcome = deliver(resolved.url, msg.title, msg.body, resolved.secrets)
    if not outcome.ok:
        return Delivery(r.id, shown, "failed", 0, outcome.error)
    state.record(rem.as_of, r.id, key, [it.reason for it in todo])
    return Delivery(r.id, shown, "sent", len(todo))


# --- output -------------------------------------------------------------------------------


def render(result: RemindResult, plan: Plan, site_url: str, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(to_json(result, plan, site_url), ensure_ascii=False, indent=2) + "\n"
    if fmt == "markdown":
        shown = _shown_channels(result)
        text = render_markdown(result.reminders, plan, site_url, shown)
        if result.sent:
            text += "\n## 发送结果\n\n" + "".join(
                f"- {_delivery_line(d, result.reminders)}\n" for d in result.deliveries)
        return text
    return render_text(result, plan, site_url)


def _shown_channels(result: RemindResult) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for d in result.deliveries:
        out.setdefault(d.recipient, []).append(d.channel)
    return out


def _name(rem: Reminders, rid: str) -> str:
    r = rem.recipient(rid)
    return r.name if r else rid


def _delivery_line(d: Delivery, rem: Reminders) -> str:
    line = f"{_name(rem, d.recipient)} {d.channel}:{RESULT_ZH[d.result]}"
    if d.result == "sent":
        line += f"({d.items} 项)"
    if d.error:
        line += f" — {d.error}"
    return line


def render_text(result: RemindResult, plan: Plan, site_url: str) -> str:
    rem = result.reminders
    mode = "已发送" if result.sent else "演练 dry run:未发送,加 --send 发送"
    out = [f"督办提醒 截至 {rem.as_of.isoformat()}({mode};待报送提前 {rem.remind_days} 天提醒)", ""]
    if not rem.recipients:
        out.append("今天没有需要提醒的事项。")
        return "\n".join(out) + "\n"
    shown = _shown_channels(result)
    for r in rem.recipients:
        heading = r.name if r.id == MAINTAINERS else f"{r.name} ({r.id})"
        where = "、".join(shown.get(r.id, [])) or (
            "未配置通知渠道 (plan/units.yaml: maintainers_notify)" if r.id == MAINTAINERS
            else "未配置通知渠道 (plan/units.yaml: notify)")
        out.append(f"== {heading} → {where}")
        out.append(message(r, r.items, plan, rem.as_of, site_url).text)
        for d in result.deliveries:
            if d.recipient == r.id and (result.sent or d.error):
                count = f"({d.items} 项)" if d.result == "sent" else ""
                out.append(f"  [{RESULT_ZH[d.result]}{count}] {d.channel}"
                           + (f":{d.error}" if d.error else ""))
        out.append("")
    channels = len(result.deliveries)
    counts = {k: sum(d.result == k for d in result.deliveries) for k in RESULT_ZH}
    if result.sent:
        out.append(f"合计 {len(rem.recipients)} 个收件方、{channels} 个渠道:已发送 {counts['sent']},"
                   f"今日已发送(跳过){counts['skipped']},失败 {counts['failed']}。")
    else:
        out.append(f"合计 {len(rem.recipients)} 个收件方、{channels} 个渠道(演练,未发送)。")
    return "\n".join(out) + "\n"


def to_json(result: RemindResult, plan: Plan, site_url: str) -> dict[str, Any]:
    rem = result.reminders
    recipients = []
    for r in rem.recipients:
        msg = message(r, r.items, plan, rem.as_of, site_url)
        recipients.append({
            "id": r.id, "name": r.name,
            "items": [item_json(it) for it in r.items],
            "title": msg.title, "body": msg.body,
            "deliveries": [{"channel": d.channel, "result": d.result, "items": d.items,
                            "error": d.error or None}
                           for d in result.deliveries if d.recipient == r.id],
        })
    return {"as_of": rem.as_of.isoformat(), "remind_days": rem.remind_days,
            "send": result.sent, "recipients": recipients}
