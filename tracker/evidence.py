"""What an evidence path may name: shared by validation (tracker.checks) and the site.

The public site copies every cited repository file into itself, so a filing decides what is
published. Two kinds of file must never be, whatever the filing says:

* hidden files and folders (a path component starting with `.`): `.git/config` holds the CI
  token on many runners, `.env` files hold secrets;
* files a browser would open as an active document on the site's own origin (HTML, SVG, XML,
  scripts): an editor could run script on the public site. Only document, image, audio/video
  and archive types are shipped (`SAFE_SUFFIXES`); anything else is shown as text, not linked.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePosixPath

from tracker.text import BIDI, BOM, C1, SEPARATORS

SAFE_SUFFIXES = frozenset({
    # documents (ofd: the Chinese e-document format; wps/et/dps: WPS Office)
    ".pdf", ".ofd", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".wps", ".et", ".dps",
    ".odt", ".ods", ".odp", ".rtf", ".txt", ".md", ".csv",
    # images (not SVG: it can carry script)
    ".jpg", ".jpeg", ".png", ".gif", ".webp", ".bmp", ".tif", ".tiff", ".heic",
    # audio and video
    ".mp3", ".m4a", ".wav", ".mp4", ".mov",
    # archives
    ".zip", ".rar", ".7z",
})


def hidden_part(pure: PurePosixPath) -> str | None:
    """The first component that is hidden (starts with '.'), if any."""
    return next((part for part in pure.parts if part.startswith(".")), None)


def safe_type(pure: PurePosixPath) -> bool:
    """True when the file's type is one the site may ship (see SAFE_SUFFIXES)."""
    return pure.suffix.lower() in SAFE_SUFFIXES


# Control characters, line separators, bidi embeddings/overrides/isolates (U+202E can make a
# link read as something it is not) and whitespace never belong in a link. (The body of a
# regular-expression character class: the site's filing page applies the same one.)
URL_FORBIDDEN = f"\x00-\x20{C1}{SEPARATORS}{BIDI}{BOM}"
_BAD_URL_CHAR = re.compile(f"[{URL_FORBIDDEN}]")
_AUTHORITY_END = re.compile("[/?#]")
_PORT = re.compile("[0-9]*")
# What the host of a link may not hold, also once full-width forms are read as ASCII (NFKC, as
# browsers and IDNA read a host: "：" is ":" there): credentials ("@"), IPv6 literals ("[",
# "]"), and a ":", "/", "?" or "#" that only appears after that reading.
_HOST_FORBIDDEN = frozenset("@[]/?#:")


def is_https_link(url: str) -> bool:
    """True for a plain https link to a host: no other scheme, no credentials, no whitespace or
    control characters (quotes and brackets are escaped where the link is written). Validation,
    the site and the filing page (assets/filing.js, `isHttpsLink`) use these rules.

    The host part is judged here by explicit rules rather than by whatever `urlsplit` refuses:
    what urlsplit refuses changed between Python releases (bracketed hosts from 3.11.4), and
    `tracker validate` must answer the same on every machine and in the browser."""
    # url.split() != [url] exactly when the link holds any whitespace (str.isspace's, Unicode
    # included), tested in C rather than a character at a time.
    if not url.startswith("https://") or _BAD_URL_CHAR.search(url) or url.split() != [url]:
        return False
    authority = _AUTHORITY_END.split(url[8:], maxsplit=1)[0]
    host, _, port = authority.partition(":")
    if not host or not _PORT.fullmatch(port):
        return False
    folded = host if host.isascii() else unicodedata.normalize("NFKC", host)
    return not _HOST_FORBIDDEN.intersection(folded)
