"""Text from data that stays text in Markdown (reminders, the 通报)."""

from __future__ import annotations

import re

from tracker.text import one_line

_MD = re.compile(r"([\\`*_\[\]~|])")
# A comment on a pull request (tracker check's summary, the status delta) escapes parentheses,
# `!` and `#` too: not even the text of a link or an image (`](`) or a heading is left in it.
# Reminders and the 通报 leave them plain, for chat apps that show the Markdown as it is.
_MD_COMMENT = re.compile(r"([\\`*_\[\]()!|~#])")


def md_text(text: str, *, comment: bool = False) -> str:
    """`text` on one line without control or bidi characters, HTML special characters as
    entities, and the characters that make emphasis, code, links or table cells escaped (with
    `[` and `]` escaped, parentheses are plain: no link can form; `comment=True`: they are
    escaped too), and no @mention (a zero-width space after each `@`, as Dependabot writes
    them: "@all" in a filing would notify a whole GitLab project)."""
    text = one_line(text)  # (no control or bidi character: U+202E reorders what is read)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return (_MD_COMMENT if comment else _MD).sub(r"\\\1", text).replace("@", "@&#8203;")
