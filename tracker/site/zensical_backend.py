"""The Zensical backend: SiteContent → a static HTML site, built by Zensical (optional).

Zensical (https://zensical.org, by the authors of Material for MkDocs) reads the MkDocs project
format: `mkdocs.yml`, a docs folder of Markdown pages with front matter, and a `custom_dir` of
template overrides, which it renders with MiniJinja (Jinja2's syntax; tracker's two overrides
work unchanged). So this backend writes the very project the MkDocs backend writes
(`mkdocs_backend.write_sources`) and changes only what Zensical reads differently:

- **Links to `.md` files inside raw HTML.** Zensical rewrites every relative `href`/`src` that
  ends in `.md` to `.html`, even in raw HTML, and even when no such page exists. Evidence files
  named `*.md` are shipped as they are (copied into the finished site, never rendered: they are
  the filer's Markdown, which may hold any HTML), so their links are written with the dot
  percent-encoded (`x%2Emd`): the same file for every web server and for `file://`, and
  Zensical leaves it alone.
- **Link validation off.** Zensical checks only links to `.md` pages (tracker's pages link to
  `.html`: nothing to check) and reports the evidence links above as missing pages, because
  evidence is not part of the sources. tracker's tests check every link of the built site.
- **`theme.variant: classic`**: the Material look the site's stylesheet was written against.
- **`search.js`**: opened from disk (`file://`), Zensical's script loads `search.js` instead of
  `search.json`, a file it does not write; its search cannot run from disk anyway (no worker
  from `file://`), so the site ships an empty one (no failed request, no console error), hides
  the search button there, and says why in the header, as on the MkDocs site.

Zensical runs as a child process (`python -m zensical build --strict`): its build is Rust that
prints straight to the terminal and keeps global state, and a child is stopped cleanly when the
build is interrupted (`subprocess.run` kills it on Ctrl-C or SIGTERM). Offline as the MkDocs
site (`theme.font: false`, no generator link); the search index is `search.json`, which
Zensical's search worker segments in the browser (`Intl.Segmenter`, for `lang: zh`), so jieba
is not used. See docs/site.md, "Generators".
"""

from __future__ import annotations

import dataclasses
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import yaml

from tracker.errors import TrackerError
from tracker.site import mkdocs_backend
from tracker.site.mkdocs_backend import SiteBuildError
from tracker.site.pages import SiteContent

NAME = "Zensical"
INSTALL = "pip install 'tracker[zensical]'"
# Zensical's own link checks (see the module's docstring): off.
VALIDATION = {"invalid_links": False, "invalid_link_anchors": False}
VARIANT = "classic"

# A relative href/src ending in .md (before any #fragment or ?query): what Zensical rewrites.
_MD_LINK = re.compile(r'\b(href|src)="(?![A-Za-z][A-Za-z0-9+.-]*:|/|#)([^"#?]*)\.md(?=["#?])')
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_LOCATION = re.compile(r"\[\s*(\S+:\d+:\d+)\s*\]")


class EngineUnavailable(TrackerError):
    """The generator is not installed (exit 2)."""


def check() -> None:
    """Raise EngineUnavailable, saying how to install it, when Zensical is not installed."""
    try:
        found = importlib.util.find_spec("zensical") is not None
    except (ImportError, ValueError):
        found = False
    if not found:
        raise EngineUnavailable(
            "没有安装 Zensical,不能用 --engine zensical 生成网站 / Zensical is not installed",
            hint=f"安装可选依赖:{INSTALL}(即经过测试的 zensical==0.0.73);"
                 "也可以不加 --engine,用默认的 MkDocs 生成。",
        )


def keep_md_links(body: str) -> str:
    """Percent-encode the dot of relative links to `.md` files, which Zensical would rewrite."""
    return _MD_LINK.sub(r'\1="\2%2Emd', body)


def write_sources(content: SiteContent, work: Path) -> Path:
    """Write the project (docs/, overrides/, mkdocs.yml) into `work`; return mkdocs.yml."""
    pages = [page if (body := keep_md_links(page.body)) is page.body
             else dataclasses.replace(page, body=body) for page in content.pages]
    config_file = mkdocs_backend.write_sources(dataclasses.replace(content, pages=pages), work)
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    config["validation"] = dict(VALIDATION)
    config["theme"]["variant"] = VARIANT
    config_file.write_text(
        yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return config_file


def problems(output: str, limit: int = 10) -> list[str]:
    """Zensical's warnings and errors in its output, one line each with file:line:col."""
    lines = [_ANSI.sub("", line).strip() for line in output.splitlines()]
    found: list[str] = []
    for i, line in enumerate(lines):
        if line.startswith(("Warning:", "Error:")):
            where = next((m[1] for m in map(_LOCATION.search, lines[i + 1:i + 3]) if m), "")
            found.append(f"{where} {line}" if where else line)
    if not found:  # a Python traceback: its last line says what went wrong
        found = [line for line in lines if line][-1:]
    return found[:limit]


def prune(site_dir: Path) -> None:
    """Drop theme files the site never loads (the stylesheets of the other variant), and write
    the empty `search.js` Zensical's script asks for on `file://` pages."""
    for variant in (site_dir / "assets" / "stylesheets").glob("*"):
        if variant.is_dir() and variant.name != VARIANT:
            shutil.rmtree(variant)
    (site_dir / "search.js").write_text(
        "// Search needs a web server (tracker serve): the worker does not run from file://.\n"
        'var __index = {"config": {"lang": ["zh"], "separator": "[\\\\s]+"}, "items": []};\n',
        encoding="utf-8")


def render(content: SiteContent, work: Path, site_dir: Path, as_of: str,
           say: Callable[[str], None] | None = None) -> None:
    """Build `content` into `site_dir` (replaced if present), using `work` for the sources.
    (`say`, for a progress line now and then, goes unused: Zensical builds in one run of its
    own, telling nothing until it is done.)"""
    check()
    # The child runs in `work`: every path it is given must not depend on the current folder.
    work, site_dir = work.resolve(), site_dir.resolve()
    config_file = write_sources(content, work)
    env = dict(os.environ, NO_COLOR="1")
    env["SOURCE_DATE_EPOCH"] = str(mkdocs_backend.source_date_epoch(as_of))
    try:
        done = subprocess.run(
            [sys.executable, "-m", "zensical", "build", "--config-file", str(config_file),
             "--strict", "--clean"],
            cwd=work, env=env, stdin=subprocess.DEVNULL, capture_output=True, check=False,
        )
    except OSError as exc:
        raise SiteBuildError(f"Zensical 无法启动:{exc}",
                             hint="原有的站点没有被改动。") from exc
    output = (done.stdout + done.stderr).decode("utf-8", "replace")
    if done.returncode != 0:
        raise SiteBuildError(
            "Zensical 构建失败(严格模式):" + "; ".join(problems(output)),
            hint="原有的站点没有被改动。这通常是 tracker 或 Zensical 的缺陷,请附 --debug "
                 "输出报告;也可以先不加 --engine,用默认的 MkDocs 生成。",
        )
    # Zensical writes into <project>/site (its site_dir must be inside the project).
    if site_dir.exists():
        shutil.rmtree(site_dir)
    os.replace(work / "site", site_dir)
    prune(site_dir)
