"""Delivery through Apprise (https://github.com/caronc/apprise): one library for DingTalk and
浙政钉 robots, WeCom (企业微信), Feishu (飞书), e-mail and about a hundred other services.

One channel per call, so a failing channel is known by name and does not stop the others.
Apprise's own log lines are captured (never printed as they come) and become the channel's
error, with every secret value masked.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from tracker.notify.channels import apprise_module, redact

_STAMP = re.compile(r"^\S+ \S+ - [A-Z]+ - ", re.M)  # "2024-07-06 01:00:00,123 - WARNING - "
MAX_ERROR = 300


@dataclass(frozen=True)
class Outcome:
    ok: bool
    error: str = ""


def deliver(url: str, title: str, body: str, secrets: tuple[str, ...] = ()) -> Outcome:
    """Send one message to one channel; never raises for a failure of the channel."""
    apprise = apprise_module()
    asset = apprise.AppriseAsset(app_id="tracker", app_desc="tracker 督办提醒")
    with apprise.LogCapture(level=logging.WARNING) as logs:
        box = apprise.Apprise(asset=asset)
        if not box.add(url):
            return Outcome(False, "Apprise 无法识别该网址(服务名或格式不对,见 docs/notify.md)")
        try:
            result = box.notify(body=body, title=title, body_format=apprise.NotifyFormat.TEXT)
        except Exception as exc:  # a plugin's fault must not stop the other channels
            return Outcome(False, _short(redact(f"{type(exc).__name__}: {exc}", secrets)))
        log = logs.getvalue()
    if result:
        return Outcome(True)
    detail = " ".join(line.strip() for line in _STAMP.sub("", log).splitlines() if line.strip())
    return Outcome(False, _short(redact(detail, secrets)) or "发送失败(服务未接受该消息)")


def _short(text: str) -> str:
    return text if len(text) <= MAX_ERROR else text[:MAX_ERROR] + "…"
