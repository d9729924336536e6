"""Text from data that stays text in Markdown (reminders, the 通报)."""

from __future__ import annotations

import re

from tracker.text import one_line

_MD = re.compile(r"([\\`*_\[\]~|])")


def md_text(text: str) -> str:
    """`text` on one line without control or bidi characters, HTML special characters as
    entities, and the characters that make emphasis, code, links or table cells escaped (with
    `[` and `]` escaped, parentheses are plain: no link can form), and no @mention (a
    zero-width space after each `@`)."""
    text = one_line(text)  # (no control or bidi character: U+202E reorders what is read)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD.sub(r"\\\1", text).replace("@", "@&#8203;")
