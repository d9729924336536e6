"""Helpers for the site tests: building a site, reading its pages, checking its links."""

from __future__ import annotations

import os
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from tracker.site.build import DEFAULT_ENGINE, BuildResult, BuildSettings, execute

HERE = Path(__file__).parent
REPO = HERE.parent
DEMO = REPO / "examples" / "demo"
DEMO_AS_OF = date(2024, 6, 30)


def engine_under_test() -> str:
    """The generator the site tests build with: TRACKER_ENGINE (as `tracker build` reads it),
    else the default. `TRACKER_ENGINE=zensical pytest tests/` runs every site test against
    Zensical (docs/site.md, "Generators", lists those that do not hold there)."""
    return os.environ.get("TRACKER_ENGINE") or DEFAULT_ENGINE


def build(root: Path, out: Path, as_of: date = DEMO_AS_OF, provenance: bool = True,
          engine: str | None = None) -> BuildResult:
    return execute(BuildSettings(root=root, out=out, as_of=as_of, provenance=provenance,
                                 engine=engine or engine_under_test()))


def html_pages(site: Path) -> dict[str, str]:
    """Every HTML page of a built site, by its site path."""
    return {
        p.relative_to(site).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(site.rglob("*.html"))
        if not p.relative_to(site).as_posix().startswith("repo/")
    }


def main_content(html: str) -> str:
    """The page's article (what tracker generated), without the theme's chrome."""
    m = re.search(r'<article class="md-content__inner md-typeset">(.*?)</article>', html, re.S)
    assert m, "no article in page"
    return m.group(1)


def text_of(fragment: str) -> str:
    """Visible text of an HTML fragment, entities decoded, whitespace collapsed."""

    class P(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.parts: list[str] = []

        def handle_data(self, data: str) -> None:
            self.parts.append(data)

    p = P()
    p.feed(fragment)
    return re.sub(r"\s+", " ", " ".join(p.parts)).strip()


class Links(HTMLParser):
    """Collects href/src attributes and element ids."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.refs: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in ("href", "src"):
                self.refs.append((tag, name, value))
            if name == "id":
                self.ids.add(value)


def parse_links(html: str) -> Links:
    p = Links()
    p.feed(html)
    return p


def broken_links(site: Path) -> list[str]:
    """Relative links (and their #anchors) that point at nothing in the built site.

    404.html is skipped: MkDocs writes it with root-absolute links (/assets/…) because a
    server shows it for any missing path."""
    pages = {k: v for k, v in html_pages(site).items() if k != "404.html"}
    parsed = {path: parse_links(html) for path, html in pages.items()}
    broken = []
    for path, links in parsed.items():
        for tag, _attr, value in links.refs:
            parts = urlsplit(value)
            if parts.scheme or value.startswith("//"):
                continue
            target = (Path(path).parent / unquote(parts.path)).as_posix() if parts.path else path
            target_file = (site / target).resolve()
            if not target_file.exists():
                broken.append(f"{path}: {tag} {value}")
                continue
            if parts.fragment and target.endswith(".html"):
                rel = target_file.relative_to(site.resolve()).as_posix()
                ids = parsed[rel].ids if rel in parsed else set()
                if parts.fragment not in ids:
                    broken.append(f"{path}: {value} (no #{parts.fragment})")
    return broken


def search_index(site: Path) -> tuple[dict, list[dict]]:
    """The search index of a built site, whichever generator built it: (config, entries), each
    entry with location, title and text. MkDocs writes search/search_index.json ("docs"),
    Zensical search.json ("items")."""
    import json

    mkdocs = site / "search" / "search_index.json"
    if mkdocs.exists():
        data = json.loads(mkdocs.read_text(encoding="utf-8"))
        return data["config"], data["docs"]
    data = json.loads((site / "search.json").read_text(encoding="utf-8"))
    return data["config"], data["items"]
