"""Which language status labels are printed in (`tracker status`, `tracker explain`).

Plan names (units, targets, tasks) always stay as the plan writes them; only tracker's own
labels (已完成 / done, 序时进度 / expected …) follow the label language. First that applies:

1. `--lang zh|en`;
2. a locale the user chose: the first of LC_ALL, LC_MESSAGES, LANG that is set, unless it is
   C, C.UTF-8 or POSIX — the default of servers, containers and CI runners, which nobody picks
   to read English (`LANG=en_US.UTF-8` is a choice, `LANG=C.UTF-8` is not);
3. the plan's language, `plan.language` in plan/tasks.yaml (labels then match the names);
4. the Windows display language (Windows sets no locale variable; a CI runner's is English);
5. English.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

LANGS = ("zh", "en")
_NOT_A_CHOICE = ("c", "posix")  # C, C.UTF-8, C.utf8, POSIX


def locale_language(environ: Mapping[str, str] | None = None) -> str | None:
    """zh or en when the locale was chosen (step 2 above); None when none was."""
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value:
            if value.split(".")[0].lower() in _NOT_A_CHOICE:
                return None  # the first variable set decides (POSIX); C decides nothing
            return "zh" if value.lower().startswith("zh") else "en"
    return None


def default_lang(environ: Mapping[str, str] | None = None, *, windows_lcid: int | None = None,
                 plan_language: str | None = None) -> str:
    """The label language without --lang (steps 2–5 above). `windows_lcid` stands in for the
    Windows display language in tests (used when `environ` is given)."""
    chosen = locale_language(environ)
    if chosen is not None:
        return chosen
    if plan_language in LANGS:
        return plan_language  # type: ignore[return-value]
    lcid = windows_lcid if environ is not None else _windows_ui_language()
    return "zh" if lcid is not None and lcid & 0x3FF == 0x04 else "en"  # LANG_CHINESE


def label_language(option: str | None, root: Path, max_bytes: int) -> str:
    """--lang, else the default (the plan's language read only when the locale leaves it open)."""
    if option:
        return option
    chosen = locale_language()
    return chosen if chosen is not None else default_lang(plan_language=plan_language(root, max_bytes))


def plan_language(root: Path, max_bytes: int) -> str | None:
    """`plan.language` of the repository at `root`; None when unset or unreadable (the command's
    own load reports why)."""
    from tracker.diagnostics import Report
    from tracker.repository import find_plan_dir, load_config
    from tracker.yamlio import load_file

    root = Path(root)
    if not root.is_dir():
        return None
    tasks = find_plan_dir(root, load_config(root, Report(), max_bytes)) / "tasks.yaml"
    if not tasks.is_file():
        return None
    doc, _ = load_file(tasks, str(tasks), max_bytes)
    plan = doc.data.get("plan") if doc is not None and isinstance(doc.data, dict) else None
    language = plan.get("language") if isinstance(plan, dict) else None
    return language if language in LANGS else None


def _windows_ui_language() -> int | None:
    """The Windows display language (an LCID such as 0x0804 for zh-CN); None elsewhere."""
    if sys.platform != "win32":
        return None
    try:
        import ctypes

        return int(ctypes.windll.kernel32.GetUserDefaultUILanguage())  # type: ignore[attr-defined]
    except (AttributeError, OSError):
        return None
