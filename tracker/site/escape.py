"""Escaping: every string that comes from a filing or the plan goes through here.

How the site stays safe by construction: page bodies are raw HTML blocks made by Jinja2 with
autoescape on (Markdown does not look inside block-level HTML, and the HTML escaping turns
`<`, `&`, quotes into entities), so a note containing `<script>`, `|`, `# x`, backticks, `*`,
`[x](javascript:…)` or `{: .attr}` is shown as the characters it is and changes nothing in the
page structure. Markdown syntax is only ever written by tracker itself (fixed section headings).

Three places bypass Jinja2 and use the helpers below directly:
- page titles, which MkDocs themes print without escaping (`title_html`);
- link targets (`https_url`, `repo_path`): only https URLs become links; a repository path
  becomes a link only when it names a regular file inside the repository, reached without
  symlinks and without `..`, not hidden, and of a type browsers do not run (tracker.evidence);
- the YAML front matter of each page (`yaml_string`).
"""

from __future__ import annotations

import json
import re
from pathlib import Path, PurePosixPath

from markupsafe import Markup, escape

from tracker.evidence import hidden_part, is_https_link, safe_type
from tracker.text import CONTROL as _CONTROL
from tracker.text import clean_text, one_line

__all__ = ["Markup", "escape", "title_html", "https_url", "repo_path", "yaml_string", "one_line",
           "clean_text"]


def title_html(text: object) -> str:
    """A page or nav title, HTML-escaped once.

    MkDocs and Material print `page.title` and `page.meta.title` raw (their Jinja environment
    does not autoescape), so the escaping must already be in the string. The browser then shows
    the original characters.
    """
    return str(escape(one_line(text)))


def yaml_string(text: str) -> str:
    """A YAML scalar holding `text` exactly: JSON with ASCII escapes is valid YAML 1.2."""
    return json.dumps(text, ensure_ascii=True)


def https_url(url: str) -> str | None:
    """The URL if it is a plain https link to a host; otherwise None (shown as text, not a link)."""
    return url if url and is_https_link(url) else None


def repo_path(root: Path, raw: str) -> str | None:
    """A repository-relative path to a regular file inside `root`, or None.

    Nothing outside the repository is ever read through a filing: no absolute paths, no `..`,
    no backslashes, no symlink anywhere on the way, and the resolved file must lie inside.
    """
    if not raw or "\\" in raw or _CONTROL.search(raw) or re.match(r"^[A-Za-z]:", raw):
        return None
    pure = PurePosixPath(raw)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts:
        return None
    # Nothing hidden (.git/config, .env) and nothing a browser runs as a page (HTML, SVG) is
    # ever published: see tracker.evidence.
    if hidden_part(pure) is not None or not safe_type(pure):
        return None
    current = root
    for part in pure.parts:
        current = current / part
        if current.is_symlink():
            return None
    if not current.is_file():
        return None
    try:
        resolved = current.resolve().relative_to(root.resolve())
    except ValueError:
        return None
    if hidden_part(PurePosixPath(resolved.as_posix())) is not None:  # GIT~1 on Windows is .git
        return None
    return pure.as_posix()
