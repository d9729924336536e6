"""Notification channels as written in plan/units.yaml (`notify:`, `maintainers_notify:`).

A channel is an Apprise URL (dingtalk://…, wecombot://…, feishu://…, mailto://…, json://…).
A URL that holds a secret (a robot's token, a mail password) should not be committed, so a
channel may name environment variables instead — the CI's secret store sets them:

    notify: ["env:TRACKER_NOTIFY_ANJI"]               # the whole URL from one variable
    notify: ["dingtalk://${TRACKER_DINGTALK_ANJI}/"]  # a part of it

An unset (or empty) variable is an error of that channel only. Secrets are never printed: a
channel is shown as written when it names variables, and through Apprise's privacy rendering
(tokens and passwords masked, no query string) when it is a literal URL.
"""

from __future__ import annotations

import hashlib
import re
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_ENV = re.compile(r"env:([A-Za-z_][A-Za-z0-9_]*)\Z")


@dataclass(frozen=True)
class Resolved:
    spec: str  # as written
    url: str | None  # None when it could not be resolved
    error: str = ""
    secrets: tuple[str, ...] = ()  # values taken from the environment (to redact from logs)


def variables(spec: str) -> list[str]:
    """The environment variables a channel names."""
    m = _ENV.match(spec)
    return [m.group(1)] if m else _VAR.findall(spec)


def uses_environment(spec: str) -> bool:
    return bool(variables(spec))


def resolve(spec: str, environ: Mapping[str, str]) -> Resolved:
    """The channel's URL with its variables filled in from `environ`."""
    m = _ENV.match(spec)
    if m:
        value = environ.get(m.group(1), "").strip()
        if not value:
            return Resolved(spec, None, f"环境变量 {m.group(1)} 未设置(应在 CI 的密钥中设置)")
        return Resolved(spec, value, secrets=(value,))
    missing = [name for name in _VAR.findall(spec) if not environ.get(name, "").strip()]
    if missing:
        return Resolved(spec, None, f"环境变量 {'、'.join(missing)} 未设置(应在 CI 的密钥中设置)")
    values = tuple(environ[name].strip() for name in _VAR.findall(spec))
    url = _VAR.sub(lambda mm: environ[mm.group(1)].strip(), spec)
    return Resolved(spec, url, secrets=values)


def apprise_module() -> Any:
    """Apprise, imported on first use (~0.5 s: it loads its plugins). Its PGP support imports
    the deprecated `imghdr` when it loads plugins (Python < 3.13): imported here first with
    that warning silenced — Apprise's business, not the user's."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        try:
            import imghdr  # noqa: F401
        except ImportError:  # Python ≥ 3.13: gone, and Apprise brings a shim
            pass
        import apprise
    return apprise


def key(spec: str) -> str:
    """A short stable key for a channel (the state file's): a hash of the channel as written,
    so a literal URL's token is not copied into the state file."""
    return hashlib.sha256(spec.encode("utf-8")).hexdigest()[:16]


def describe(spec: str) -> str:
    """How a channel is shown: as written when it names environment variables (the value is
    the secret), else Apprise's privacy rendering of the URL without its query string."""
    from tracker.text import one_line

    if uses_environment(spec):
        return one_line(spec)
    scheme = one_line(spec.split("://", 1)[0])
    apprise = apprise_module()
    with apprise.LogCapture(level=100):  # quiet: a URL Apprise rejects is reported by us
        box = apprise.Apprise()
        if box.add(spec):
            return one_line(str(box[0].url(privacy=True)).split("?", 1)[0])
    return f"{scheme}://…(无法识别的网址)"


def redact(text: str, secrets: tuple[str, ...]) -> str:
    """`text` with every secret value (and each longer part of a secret URL) masked."""
    parts: set[str] = set()
    for secret in secrets:
        if not secret:
            continue
        parts.add(secret)
        # The pieces of a URL a log line might quote on their own: host, user, password, path.
        parts.update(p for p in re.split(r"[:/@?&=#]+", secret) if len(p) >= 6)
    for part in sorted(parts, key=len, reverse=True):
        text = text.replace(part, "***")
    return text
