"""What `tracker remind --send` has sent: never the same reason twice on one day.

A small JSON file (default `.tracker/remind-state.json` under the repository; `--state PATH`):

    {"version": 1,
     "sent": {"2024-07-06": {"east": {"<channel key>": ["filing:east:2024-Q2:upcoming", ...]}}}}

Keyed by the reminder's date (`--as-of`), the recipient and the channel (a hash of the channel
as written: tracker.notify.channels.key), listing the item reasons delivered there. A run sends
each channel only the items it has not received that day, and records them right after the
channel accepted them — written atomically each time, so an interrupted run loses nothing and a
re-run (after a failed channel) sends to the failed channel only. Days more than `KEEP_DAYS`
before the newest are dropped. In CI the file is kept between runs by the CI's cache
(docs/notify.md).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from tracker.errors import TrackerError

VERSION = 1
KEEP_DAYS = 14
DEFAULT_PATH = Path(".tracker") / "remind-state.json"


class StateError(TrackerError):
    """The state file cannot be read: sending might repeat today's reminders (exit 2)."""


@dataclass
class SentState:
    path: Path
    sent: dict[str, dict[str, dict[str, list[str]]]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> SentState:
        if not path.exists():
            return cls(path)
        try:
            data = json.loads(path.read_text("utf-8"))
            sent = data["sent"]
            ok = (data.get("version") == VERSION and isinstance(sent, dict) and all(
                isinstance(by_r, dict) and all(
                    isinstance(by_c, dict) and all(
                        isinstance(v, list) and all(isinstance(x, str) for x in v)
                        for v in by_c.values())
                    for by_c in by_r.values())
                for by_r in sent.values()))
            for day in sent:
                date.fromisoformat(day)
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            ok = False
        if not ok:
            raise StateError(
                f"提醒记录文件 {path} 无法读取(不是 tracker remind 写的,或已损坏)",
                hint="检查 --state 指定的路径；确认无误后删除该文件再运行"
                     "(今天已发送过的提醒会再发一次)。",
            )
        return cls(path, sent)

    def already(self, day: date, recipient: str, channel: str) -> set[str]:
        return set(self.sent.get(day.isoformat(), {}).get(recipient, {}).get(channel, []))

    def record(self, day: date, recipient: str, channel: str, reasons: list[str]) -> None:
        """Add `reasons` and write the file (atomically)."""
        bucket = self.sent.setdefault(day.isoformat(), {}).setdefault(recipient, {})
        done = bucket.setdefault(channel, [])
        done.extend(r for r in reasons if r not in done)
        self.save()

    def save(self) -> None:
        from tracker.atomic import atomic_write

        if self.sent:
            newest = max(date.fromisoformat(d) for d in self.sent)
            cut = newest - timedelta(days=KEEP_DAYS)
            self.sent = {d: v for d, v in sorted(self.sent.items())
                         if date.fromisoformat(d) >= cut}
        payload: dict[str, Any] = {"version": VERSION, "sent": self.sent}
        text = json.dumps(payload, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
        atomic_write(self.path, text.encode("utf-8"), exclusive=False)
