"""Text from a filing or the plan as every output shows it (the site, the 通报, reminders):
control characters and the bidi controls that make text read differently dropped, and on one
line where a title or a table cell needs it. Escaping for each format is the output's own
(tracker.site.escape, tracker.mdtext, tracker.report.docx)."""

from __future__ import annotations

import re

# Control characters (C0 but tab and line breaks, DEL, C1), line separators, and the bidi
# embeddings, overrides and isolates that make text read differently from what it is (U+202E
# shows "txt.exe" as "exe.txt"). Dropped from every string shown; a URL or path with one is
# never a link.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e"
                     "\u2066-\u2069]")
_SPACE = re.compile(r"\s+")


def clean_text(text: str) -> str:
    """Text as every output shows it: control and bidi override characters removed (see CONTROL),
    line breaks kept."""
    return CONTROL.sub("", text)


def one_line(text: object) -> str:
    """Collapse whitespace and drop control characters (titles, table cells that must be one line)."""
    return _SPACE.sub(" ", CONTROL.sub("", str(text))).strip()
