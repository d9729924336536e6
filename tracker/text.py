"""Text from a filing or the plan as every output shows it (the site, the 通报, reminders):
control characters and the bidi controls that make text read differently dropped, and on one
line where a title or a table cell needs it. Escaping for each format is the output's own
(tracker.site.escape, tracker.mdtext, tracker.report.docx)."""

from __future__ import annotations

import re

# The invisible characters that make text read differently from what it is, as parts of a
# regular-expression character class, written once: every output, the gate's file names and
# the links of evidence use these (each adds what its own medium needs, such as tab and line
# breaks for a terminal).
# - BIDI: the bidi controls: the Arabic letter mark, the left-to-right and right-to-left marks,
#   the embeddings and overrides (U+202E shows "txt.exe" as "exe.txt") and the isolates;
# - SEPARATORS: the line and paragraph separators, a line break to YAML, JavaScript and CI logs;
# - C1: DEL and the C1 controls (U+0085 is a line break too; U+009B starts a terminal sequence);
# - BOM: the byte-order mark, a zero-width no-break space inside text.
BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
SEPARATORS = "\u2028\u2029"
C1 = "\x7f-\x9f"
BOM = "\ufeff"
# Dropped from every string shown (C0 controls but tab and line breaks, and all of the above);
# a URL or path with one is never a link.
CONTROL = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f{C1}{SEPARATORS}{BIDI}{BOM}]")
_SPACE = re.compile(r"\s+")


def clean_text(text: str) -> str:
    """Text as every output shows it: control and bidi override characters removed (see CONTROL),
    line breaks kept."""
    return CONTROL.sub("", text)


def one_line(text: object) -> str:
    """Collapse whitespace and drop control characters (titles, table cells that must be one line)."""
    return _SPACE.sub(" ", CONTROL.sub("", str(text))).strip()
