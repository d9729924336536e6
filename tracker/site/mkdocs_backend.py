"""The only module that knows about MkDocs: SiteContent → a static HTML site.

MkDocs runs as a library (`mkdocs.config.load_config` + `mkdocs.commands.build.build`) in
strict mode, with Material for MkDocs as the theme. Another generator could replace this
module: it receives a `SiteContent` and a target directory, nothing else.

Choices made here (see docs/site.md):
- `use_directory_urls: false`: every page is a `.html` file, so the site also works opened
  from disk or from a plain file share on an internal network (search needs a web server);
- offline: `theme.font: false` (no Google Fonts), no CDN, no analytics, no generator link;
  Material ships its JavaScript and CSS inside the site;
- Chinese: `theme.language: zh`, built-in search with `lang: zh`; Material segments Chinese
  with jieba (a dependency) when it builds the search index;
- reproducible: SOURCE_DATE_EPOCH is set from the status date while MkDocs runs, so the
  sitemap's dates and its gzip header do not depend on when the build ran.
"""

from __future__ import annotations

import contextlib
import functools
import io
import logging
import os
import re
import shutil
import zlib
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import markdown
import markdown.extensions
import markdown.preprocessors
import yaml
from mkdocs.plugins import BasePlugin, event_priority

from tracker.errors import TrackerError
from tracker.site.escape import title_html, yaml_string
from tracker.site.pages import ARCHIVE, TEMPLATES, TEXTS, NavSection, SiteContent, part_base
from tracker.site.progress import Ticker

# Chinese search: split on whitespace, the zero-width space jieba's segments are joined with,
# full-width punctuation and hyphens (Material's default for zh, written out so it is visible).
SEARCH_SEPARATOR = r"[\s\u200b\u3000\-、。，．？！；：“”‘’《》（）()【】,.;:!?]+"


# Folders whose pages are never in the navigation (Material renders the whole navigation into
# every page: snapshots and filing texts there would make every page large).
FOLDERS_NOT_IN_NAV = (ARCHIVE, TEXTS)


class RawHtmlBlocks(markdown.extensions.Extension):
    """Put tracker's raw HTML blocks into Markdown's stash before Markdown parses them.

    A page body is fixed Markdown headings and raw HTML blocks separated by blank lines (no
    data brings a newline into a page: tracker.site.pages). Python-Markdown would run an HTML
    parser over every block to find where it ends (and MkDocs another, to collect anchors for
    Markdown links, of which these pages have none): most of the build time of a large site.
    A block that starts with `<` is stored as is instead: the pages come out the same, but for
    blank lines between blocks, and Markdown can see even less of the data than before.
    """

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown's API
        # After normalize_whitespace (30), before MkDocs' raw-HTML anchor scan (21) and
        # Python-Markdown's html_block (20).
        md.preprocessors.register(_StashBlocks(md), "tracker_raw_html", 25)


class _StashBlocks(markdown.preprocessors.Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        block: list[str] = []

        def flush() -> None:
            if block and block[0].startswith("<"):
                out.append(self.md.htmlStash.store("\n".join(block)))
            else:
                out.extend(block)
            block.clear()

        for line in lines:
            if line.strip():
                block.append(line)
            else:
                flush()
                out.append(line)
        flush()
        return out


def makeExtension(**kwargs: Any) -> RawHtmlBlocks:  # noqa: N802 - Markdown's API
    return RawHtmlBlocks(**kwargs)


class ReleasePages(BasePlugin):  # type: ignore[type-arg, no-untyped-call]
    """Keep one page's HTML in memory at a time, not the whole site's (issue 14: ≤ 2 GB).

    MkDocs converts every page's Markdown before it writes the first page, and keeps each
    page's source and HTML to the end of the build: at national scale that is several times
    the site's text in memory. This plugin drops the source once converted, keeps the HTML
    compressed (zlib, ~10× smaller) until the page's turn comes (before the search plugin
    reads it and the theme renders it), and drops it once the page is written. The search
    plugin is given the page's search view (search_view), the theme the whole page after it
    (RestorePage).
    """

    def __init__(self, say: Callable[[str], None] | None = None, pages: int = 0) -> None:
        self._stored: dict[str, bytes] = {}
        self.whole: dict[str, str] = {}  # the page being rendered, while search reads its view
        # (a line now and then on a long build: tracker.site.progress)
        tell = say or (lambda _line: None)
        self._converted = Ticker(tell, "MkDocs 已处理 {done}/{total} 个页面", pages)
        self._written = Ticker(tell, "MkDocs 已输出 {done}/{total} 个页面", pages)

    def on_page_content(self, html: str, *, page: Any, **_: Any) -> str:
        page.markdown = ""
        self._stored[page.file.src_uri] = zlib.compress(html.encode("utf-8"), 1)
        self._converted.step()
        return ""

    @event_priority(100)  # before the search plugin indexes page.content
    def on_page_context(self, context: Any, *, page: Any, **_: Any) -> Any:
        stored = self._stored.pop(page.file.src_uri, None)
        if stored is not None:
            html = zlib.decompress(stored).decode("utf-8")
            page.content = html
            if not (page.meta.get("search") or {}).get("exclude"):
                # The search plugin reads the page without its excluded blocks; the theme,
                # after it, the whole page again (RestorePage).
                view = search_view(html)
                if view is not html:
                    page.content = view
                    self.whole[page.file.src_uri] = html
        return context

    def on_post_page(self, output: str, *, page: Any, **_: Any) -> str:
        page.content = ""
        self._written.step()
        return output


class RestorePage(BasePlugin):  # type: ignore[type-arg, no-untyped-call]
    """Give the theme the whole page after the search plugin has indexed its search view."""

    def __init__(self, whole: dict[str, str]) -> None:
        self.whole = whole

    @event_priority(-100)  # after the search plugin, before the theme renders the page
    def on_page_context(self, context: Any, *, page: Any, **_: Any) -> Any:
        html = self.whole.pop(page.file.src_uri, None)
        if html is not None:
            page.content = html
        return context


# The attribute as tracker's templates write it, last in its tag: data, escaped, never holds a
# "<" or ">", so no text from a filing can form it, even inside an attribute's value.
_EXCLUDED = re.compile(r"<([A-Za-z][A-Za-z0-9]*)\b[^<>]*?\sdata-search-exclude>")


@functools.cache
def _same_tag(tag: str) -> re.Pattern[str]:
    return re.compile(rf"<(/?){tag}[\s>/]", re.IGNORECASE)


def search_view(html: str) -> str:
    """`html` without the elements marked `data-search-exclude` (each from its start tag to
    the end tag that closes it): what the search plugin is given to index.

    Material's search plugin walks the whole page with Python's HTMLParser and drops what is
    inside such an element as it goes: at national scale that walk was a third of MkDocs'
    time, most of it through tables that are then dropped (issue 14). Cut here first (regular
    expressions over tracker's own markup, in which data never forms a tag: it is escaped),
    it walks the rest only. It also keeps out the rest of an excluded block after a nested
    element of the same tag closes, which Material's parser lets through (its elements compare
    by tag name: docs/site.md). The page itself is unchanged; `html` is returned as it is when
    nothing is marked (or a marked element is never closed: then the plugin sees it all). An
    element marked in another way (`data-search-exclude=""`, another attribute after it) is left
    to the plugin, which drops it as before."""
    if "data-search-exclude" not in html:
        return html
    kept: list[str] = []
    pos = 0
    while (start := _EXCLUDED.search(html, pos)) is not None:
        tags = _same_tag(start.group(1))
        depth, at, end = 1, start.end(), -1
        while (tag := tags.search(html, at)) is not None:
            if tag.group(1):
                depth -= 1
                if depth == 0:
                    end = html.index(">", tag.end() - 1) + 1
                    break
            else:
                depth += 1
            at = tag.end()
        if end < 0:
            break
        kept.append(html[pos:start.start()])
        pos = end
    if not kept:
        return html
    kept.append(html[pos:])
    return "".join(kept)


NAME = "MkDocs"


class SiteBuildError(TrackerError):
    """The generator refused to build the site (strict mode: any warning is an error)."""


def check() -> None:
    """MkDocs and Material are dependencies of tracker: always installed."""


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def source_date_epoch(as_of: str) -> int:
    """SOURCE_DATE_EPOCH for a build as of `as_of` (midnight UTC of that day)."""
    epoch = int(datetime.fromisoformat(as_of).replace(tzinfo=UTC).timestamp())
    # The gzip header (sitemap.xml.gz) holds an unsigned 32-bit time: 1970 to 2106.
    return min(max(epoch, 0), 2**32 - 1)


@contextlib.contextmanager
def _source_date(as_of: str) -> Iterator[None]:
    epoch = source_date_epoch(as_of)
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old


def _nav(content: SiteContent, titles: dict[str, str]) -> list[Any]:
    def entry(path: str) -> Any:
        return {titles[path]: f"{path}.md"}

    nav: list[Any] = []
    for item in content.nav:
        if isinstance(item, NavSection):
            nav.append({title_html(item.title): [entry(p) for p in item.pages]})
        else:
            nav.append(entry(item))
    return nav


def write_sources(content: SiteContent, work: Path) -> Path:
    """Write the MkDocs project (docs/, overrides/, mkdocs.yml) into `work`; return mkdocs.yml.

    Each page's body is released once written (`page.body` becomes empty): at national scale
    the bodies are most of the build's memory, and MkDocs reads them back from the files."""
    docs = work / "docs"
    overrides = work / "overrides"
    docs.mkdir(parents=True)
    overrides.mkdir()
    shutil.copyfile(TEMPLATES / "mkdocs_main.html", overrides / "main.html")
    (overrides / "partials").mkdir()
    shutil.copyfile(TEMPLATES / "mkdocs_nav.html", overrides / "partials" / "nav.html")
    titles = {}
    in_nav = set()
    for item in content.nav:
        in_nav.update(item.pages if isinstance(item, NavSection) else [item])
    not_in_nav: list[str] = []
    not_in_nav_set: set[str] = set()
    for page in content.pages:
        titles[page.path] = title_html(page.title)
        file = docs / f"{page.path}.md"
        file.parent.mkdir(parents=True, exist_ok=True)
        hide = "hide: [toc]\n" if page.wide else ""
        # Material's search plugin leaves a page out of the index with search.exclude.
        search = "" if page.searchable else "search:\n  exclude: true\n"
        # Pages outside the navigation's folders of many pages get only its top level
        # (overrides/partials/nav.html): the full one would be most of each page.
        compact = "tracker_compact_nav: true\n" if page.path.split("/", 1)[0] + "/" in \
            FOLDERS_NOT_IN_NAV else ""
        banner = f"tracker_banner: {yaml_string(title_html(page.banner))}\n" if page.banner \
            else ""
        front = (f"---\ntitle: {yaml_string(title_html(page.title))}\n{hide}{search}{compact}"
                 f"{banner}---\n\n")
        file.write_text(front + page.body, encoding="utf-8")
        page.body = ""  # written: the pages are MkDocs' input now (memory, issue 14)
        if page.path not in in_nav:
            # One pattern per folder (a page of that folder that is in the navigation stays in
            # it: the pattern only silences MkDocs' "not included in nav" notice), not one line
            # per page: MkDocs matches every file against every pattern (files × patterns).
            # The part pages of a split top-level list (ledger_rows_2 …) share one pattern.
            base = part_base(page.path)
            pattern = f"/{page.path.split('/', 1)[0]}/" if "/" in page.path \
                else f"/{base}_*.md" if base != page.path else f"/{page.path}.md"
            if pattern not in not_in_nav_set:
                not_in_nav_set.add(pattern)
                not_in_nav.append(pattern)
    for shipped in content.files:
        file = docs / shipped.path
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_bytes(shipped.data or b"")
    config: dict[str, Any] = {
        "site_name": title_html(content.title),
        "docs_dir": "docs",
        "use_directory_urls": False,
        "strict": True,
        "theme": {
            "name": "material",
            "custom_dir": "overrides",
            "language": "zh",
            "font": False,
            "features": ["navigation.indexes", "navigation.top", "toc.follow"],
            "palette": {"scheme": "default", "primary": "indigo", "accent": "indigo"},
        },
        "plugins": [{"search": {"lang": list(SEARCH_LANGS), "separator": SEARCH_SEPARATOR}}],
        "markdown_extensions": ["attr_list", {"toc": {"permalink": True}},
                                "tracker.site.mkdocs_backend"],
        "extra_css": list(content.css),
        "extra_javascript": list(content.js),
        "extra": {
            "generator": False,
            "tracker_banner": title_html(content.banner) if content.banner else "",
        },
        "nav": _nav(content, titles),
        "validation": {
            "omitted_files": "warn", "absolute_links": "warn",
            "unrecognized_links": "warn", "anchors": "warn",
        },
    }
    if not_in_nav:
        config["not_in_nav"] = "\n".join(not_in_nav)
    config_file = work / "mkdocs.yml"
    config_file.write_text(
        yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return config_file


SEARCH_LANGS = ("zh",)


def prune(site_dir: Path, langs: tuple[str, ...] = SEARCH_LANGS) -> None:
    """Drop theme files the site never loads: source maps and other languages' search code.

    Material ships lunr stemmers for ~30 languages plus Thai and Japanese segmenters (1 MB);
    the search worker loads only `lunr.stemmer.support`, `lunr.multi` and the configured
    languages. Source maps are for debugging Material itself.
    """
    assets = site_dir / "assets"
    for file in sorted(assets.rglob("*.map")):
        file.unlink()
    lunr = assets / "javascripts" / "lunr"
    keep = {"stemmer.support", "multi", *langs}
    for file in sorted((lunr / "min").glob("lunr.*.min.js")):
        if file.name[len("lunr."):-len(".min.js")] not in keep:
            file.unlink()
    for name in ("wordcut.js", "tinyseg.js"):
        (lunr / name).unlink(missing_ok=True)


def render(content: SiteContent, work: Path, site_dir: Path, as_of: str,
           say: Callable[[str], None] | None = None) -> None:
    """Build `content` into `site_dir` (which MkDocs empties first), using `work` for sources;
    `say` gets a progress line now and then on a long build (tracker.site.progress)."""
    import jieba
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    jieba.setLogLevel(logging.WARNING)
    # MkDocs resolves a relative site_dir against the config file's folder (here a temporary
    # one), so the output folder must be absolute.
    site_dir = site_dir.resolve()
    config_file = write_sources(content, work)
    handler = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    # MkDocs' own log lines (INFO) would go to the root logger's last-resort handler only at
    # WARNING and above; tracker prints its own progress, and reports warnings itself.
    propagate = logger.propagate
    logger.propagate = False
    try:
        with _source_date(as_of), contextlib.redirect_stdout(io.StringIO()):
            config = load_config(str(config_file), site_dir=str(site_dir), strict=True)
            release = ReleasePages(say, len(content.pages))
            config.plugins["tracker-release-pages"] = release
            config.plugins["tracker-restore-page"] = RestorePage(release.whole)
            build(config)
        prune(site_dir)
    except (Abort, ConfigurationError) as exc:
        detail = "; ".join(handler.messages[:10]) or str(exc)
        raise SiteBuildError(
            f"MkDocs 构建失败(严格模式):{detail}",
            hint="原有的站点没有被改动。这通常是 tracker 的缺陷,请附 --debug 输出报告。",
        ) from exc
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate
