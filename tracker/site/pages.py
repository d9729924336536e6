"""Page generation: the computed status (SPEC "Machine output" JSON) → Markdown pages.

Nothing here knows about MkDocs: the result is a `SiteContent` (pages with titles and bodies,
a navigation outline, files to ship), which `tracker.site.mkdocs_backend` turns into HTML; any
other static generator could do the same. Pages link to each other as `<path>.html`, the
mapping every static generator uses for `<path>.md` when directory URLs are off.

Figures (actuals, expected values, goals, statuses, scores) come from the status JSON only; the
Repository supplies words: task texts, unit names, filing notes and progress reports. No status
rule is computed here.

Bodies are raw HTML blocks rendered by Jinja2 with autoescape (see tracker.site.escape), with
fixed Markdown headings between them for the table of contents.

The site shows more than one date: a `Timeline` (tracker.site.timeline) holds the status at
every period end up to D. The live pages show D; each period end also gets a snapshot under
`archive/<period>/` (the overview, the targets, the task list and the unit list), with links
between the same page at every date.
"""

from __future__ import annotations

import functools
import itertools
import posixpath
import re
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import BuiltinMethodType, FunctionType, MethodType
from typing import Any
from urllib.parse import quote

import jinja2
import jinja2.runtime
from jinja2.utils import internalcode

from tracker.delta import Delta
from tracker.diagnostics import RULES, Severity
from tracker.errors import TrackerError
from tracker.forge import Forge
from tracker.model import Evidence, Filing, Repository, Target, Task
from tracker.periods import LABEL_ZH
from tracker.provenance import Commit, Provenance
from tracker.site import charts, labels
from tracker.site.escape import Markup, clean_text, escape, https_url, one_line, repo_path
from tracker.site.progress import quiet
from tracker.site.timeline import Moment, Timeline
from tracker.text import BIDI, BOM, C1, SEPARATORS
from tracker.yamlio import parse_text

TEMPLATES = Path(__file__).parent / "templates"
ASSETS = Path(__file__).parent / "assets"
DEMO_BANNER = "演示数据(虚构),截至 {as_of}:本站所有报送数据均为虚构,不代表任何单位的真实进展"
NAV_UNIT_LIMIT = 30  # above this many units, unit pages are linked from tables, not the nav
# A long list (the ledger, a task's timeline, a target's units, the overview's matrix …) is
# split into pages of about this many rows (weighted: a target page's unit has a chart and a
# row); see docs/site.md "Large sites". A page's first part stays where it was.
PAGE_ROWS = 200
EVIDENCE_PREFIX = "repo/"  # evidence files are shipped under repo/<their repository path>
ARCHIVE = "archive/"  # snapshots: archive/<period>/<page>
TEXTS = "texts/"  # every filing's text, one page per unit: texts/<unit>


# A later part of a split list is its own page, `<page>_<list>_<n>` ("ledger_rows_2",
# "tasks/1.1_timeline_3"): ids of units, targets and tasks never contain "_", so no such path
# is ever another page's.
_PART = re.compile(r"^(.+)_[a-z]+_[0-9]+$")


@functools.lru_cache(maxsize=1 << 14)
def part_base(path: str) -> str:
    """The page a part page continues (the path itself for any other page)."""
    m = _PART.match(path)
    return m.group(1) if m else path


def in_snapshot(path: str) -> bool:
    """Whether a snapshot carries this page (the rest of a snapshot links to the live site)."""
    path = part_base(path)
    return path in ("index", "targets/index", "tasks/index", "units/index") \
        or path.startswith("targets/")


@dataclass
class Part:
    """One page's share of a split list."""

    number: int  # 1-based
    count: int  # how many parts the list has
    path: str  # the logical page that shows it (the first part: the page itself)
    items: list[Any]
    label: str  # what it holds, for the pager ("第001县 至 第200县", "2025-Q4 至 2025-Q3")


@dataclass
class Pager:
    """A split list's pager, rendered when a template writes it (Jinja calls __html__)."""

    g: Generator
    parts: list[Part]
    current: Part
    anchor: str
    full: bool = True  # with the folded list of every part (else: where, previous, next)

    def __html__(self) -> str:
        return str(self.g.pager_html(self.parts, self.current, self.anchor, self.full))

    @property
    def short(self) -> Pager:
        """The same pager without the list of every part (under a list: a national ledger
        has some 230 parts, and that list is some 25 kB)."""
        return Pager(self.g, self.parts, self.current, self.anchor, full=False)


def split(items: Sequence[Any], budget: int, weight: Any = None, group: Any = None,
          first: int | None = None) -> list[list[Any]]:
    """`items` in order, cut into lists of total weight ≤ `budget` (≤ `first` for the first
    list, when given; an item heavier than that gets a list of its own). Consecutive items of
    the same `group` key stay together when they fit on one page: a list never starts a group
    it cannot finish, unless the group is larger than a page."""
    weigh = weight or (lambda _: 1)
    key = group or (lambda _: object())
    out: list[list[Any]] = [[]]
    used = 0
    limit = budget if first is None else first
    for _, run in itertools.groupby(items, key):
        members = list(run)
        total = sum(weigh(x) for x in members)
        if used and used + total > limit and total <= budget:
            out.append([])
            used, limit = 0, budget
        for x in members:
            w = weigh(x)
            if used and used + w > limit:
                out.append([])
                used, limit = 0, budget
            out[-1].append(x)
            used += w
    return out


@dataclass(frozen=True)
class Snapshot:
    period: str
    day: date

    @property
    def prefix(self) -> str:
        return f"{ARCHIVE}{self.period}/"


@dataclass
class Page:
    path: str  # site path without extension, '/'-separated: "index", "targets/<id>"
    title: str  # plain text (the backend escapes it)
    body: str  # Markdown: fixed headings and raw HTML blocks (kept compressed: see below)
    in_nav: bool = True
    wide: bool = False  # a wide table: the generator may drop side panels (table of contents)
    # False: left out of the search index (forms, snapshots, filing texts: not reading matter,
    # or the same words once per period)
    searchable: bool = True
    banner: str | None = None  # this page's banner, when not the site's (a snapshot's date)
    _body: bytes = field(default=b"", init=False, repr=False, compare=False)


def _get_body(page: Page) -> str:
    return zlib.decompress(page._body).decode("utf-8")


def _set_body(page: Page, text: str) -> None:
    page._body = zlib.compress(text.encode("utf-8"), 1)


# A page's body is held compressed (zlib, fastest level): every page of a site is generated
# before the generator backend writes the first, and at national scale the bodies as Python
# strings are most of the build's memory (issue 14: 238 MB → 13 MB at 360 units, 1.5 s of CPU).
Page.body = property(_get_body, _set_body)  # type: ignore[assignment]


@dataclass
class NavSection:
    title: str
    pages: list[str]  # page paths; the first is the section's index page


@dataclass
class ShippedFile:
    path: str  # path inside the site
    data: bytes | None = None
    source: Path | None = None  # a repository file (evidence), copied as is


@dataclass
class SiteContent:
    title: str
    pages: list[Page]
    nav: list[str | NavSection]
    files: list[ShippedFile]  # stylesheets and downloads: part of the generator's input
    copies: list[ShippedFile]  # evidence files: copied into the finished site
    css: list[str]
    demo: bool
    banner: str  # shown on every page when not empty
    warnings: list[str] = field(default_factory=list)
    js: list[str] = field(default_factory=list)  # scripts every page loads (site paths)


# --- reading the status JSON ---------------------------------------------------------------


class StatusView:
    """Lookups over the SPEC machine-output dict (tolerant of extra fields)."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.as_of = date.fromisoformat(str(data["as_of"]))
        self.targets = {(r["target"], r["scope"]): r for r in data.get("targets", [])}
        self.tasks = {r["task"]: r for r in data.get("tasks", [])}
        self.filings = {(r["unit"], r["period"]): r for r in data.get("filings", [])}
        # Per-unit views, built once: a page per unit must not scan every row (units × rows).
        self.filings_of: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in data.get("filings", []):
            self.filings_of[r["unit"]].append(r)
        self.targets_of_scope: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in data.get("targets", []):
            self.targets_of_scope[r.get("scope")].append(r)
        self.index = sorted(data.get("index", []), key=lambda r: (r.get("rank", 0), r["unit"]))
        self.index_of = {r["unit"]: r for r in self.index}
        # Every unit's actual at D, also for targets that have no per-unit status ("actuals"
        # is the engine's addition to SPEC's shape; absent, unit figures show only where a
        # unit status row exists).
        self.actuals = {(r["target"], r["unit"]): r for r in data.get("actuals", [])}

    def city(self, target: str) -> dict[str, Any] | None:
        return self.targets.get((target, "city"))

    def unit(self, target: str, unit: str) -> dict[str, Any] | None:
        return self.targets.get((target, unit))

    def actual(self, target: str, unit: str) -> dict[str, Any] | None:
        return self.actuals.get((target, unit))


_FILING_PATH = re.compile(r"(?:^|/)submissions/([^/]+)/([^/]+)\.yaml$")


def sources(row: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The filings a figure was taken from, as {unit, period, ...} dicts (may be empty)."""
    if not row:
        return []
    raw = row.get("source", row.get("sources"))
    items = [raw] if isinstance(raw, dict) else raw if isinstance(raw, list) else []
    out = []
    for item in items:
        if not isinstance(item, dict):
            continue
        unit, period = item.get("unit"), item.get("period")
        m = _FILING_PATH.search(str(item.get("path", "")))
        if m:
            unit, period = unit or m.group(1), period or m.group(2)
        if not unit and row.get("scope") not in (None, "city"):
            unit = row["scope"]
        if unit and period:
            out.append({**item, "unit": str(unit), "period": str(period)})
    return out


# --- formatting ---------------------------------------------------------------------------------


def fmt_num(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return str(int(value))
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def fmt_pct(part: Any, whole: Any) -> str:
    try:
        if part is None or not whole:
            return "—"
        return f"{100 * float(part) / float(whole):.1f}%"
    except (TypeError, ValueError):
        return "—"


def ratio(part: Any, whole: Any) -> float:
    try:
        return max(0.0, min(1.0, float(part) / float(whole))) if whole else 0.0
    except (TypeError, ValueError):
        return 0.0


class PageStructureError(TrackerError):
    """A page body broke its own contract (a defect of tracker, never of the data)."""


@functools.cache
def template_headings(template: str) -> frozenset[str]:
    """The Markdown heading lines a template writes (literal text, no data)."""
    text = (TEMPLATES / template).read_text(encoding="utf-8")
    return frozenset(line for line in text.splitlines() if line.startswith("#"))


def check_blocks(body: str, headings: frozenset[str], page: str) -> None:
    """A page body is raw HTML blocks and the template's fixed headings, separated by blank
    lines: every block starts with `<` (escaped data never does: `<` becomes `&lt;`) or is one
    of the template's heading lines. A block of anything else means a line break from data
    reached the page source, where Markdown could read what follows as Markdown; the build
    stops instead of publishing such a page."""
    for block in re.split(r"\n[ \t]*\n", body):
        block = block.strip("\n")
        if not block or block.startswith("<") or block in headings:
            continue
        raise PageStructureError(
            f"页面 {page} 的结构不符合约定(数据中的换行进入了页面源文件):{block[:60]!r}",
            hint="这是 tracker 的缺陷,请附 --debug 输出报告;原有的网站没有被改动。",
        )


@functools.lru_cache(maxsize=1 << 16)
def relative(folder: str, path: str) -> str:
    """`path` relative to `folder`, both site paths ('/'-separated, normalised, no '..'):
    posixpath.relpath's answer without its calls to the file system's current folder."""
    here = folder.split("/") if folder else []
    there = path.split("/")
    common = 0
    while common < len(here) and common < len(there) - 1 and here[common] == there[common]:
        common += 1
    return "../" * (len(here) - common) + "/".join(there[common:])


def anchor_filing(unit: str, period: str) -> str:
    return f"f-{unit}-{period}"


def _finalize(value: Any) -> Any:
    """Every `{{ }}` output, before the template escapes it (autoescape writes
    escape(finalize(value))): None → empty; text with a line break or a control character →
    its lines cleaned, escaped and joined by <br> (never a raw newline); other text as it is.

    Data never brings a newline into the page, so nothing a filing says can end a raw HTML block
    or start a Markdown construct.
    """
    if value is None:
        return ""
    if isinstance(value, Markup):
        return value
    if isinstance(value, str):
        if _PLAIN.fullmatch(value):  # most values: nothing to drop, no line to break; the
            return value  # template escapes it (autoescape writes escape(finalize(value)))
        return Markup("<br>").join(escape(clean_text(line)) for line in value.splitlines())
    return value


# A string with no control character, line break (of any kind str.splitlines knows) or bidi
# control: _finalize's answer for it is plain escaping.
_PLAIN = re.compile(f"[^\x00-\x1f{C1}{SEPARATORS}{BIDI}{BOM}]*")


def pre_text(text: str) -> Markup:
    """Text for a <pre>: escaped, line breaks as `&#10;` character references, so the page
    source holds no raw newline from data (a blank line would end the raw HTML block).

    The lines are cut as str.splitlines cuts them, and the whole text escaped at once: neither
    cleaning nor escaping touches "\n" (a whole filing's text, line by line, was a tenth of the
    page generation's calls)."""
    escaped = str(escape(clean_text("\n".join(text.splitlines()))))  # (Markup.replace escapes)
    return Markup(escaped.replace("\n", "&#10;"))


class _Context(jinja2.runtime.Context):
    """Jinja's template context with a shorter way to call a plain method.

    The templates call the generator's methods (g.link, g.unit_link, …) over a million times
    in a national site's build; Jinja's Context.call looks each callable over for a request to
    be passed the context (four attribute lookups, two of them failing) before calling it: 7 µs
    a call against 1.4 µs here. A built-in method, or a bound method whose function asks for
    nothing, is called at once; anything else goes Jinja's way (issue 14)."""

    @internalcode
    def call(__self, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 - as Jinja's
        kind = type(__obj)
        func = __obj.__func__ if kind is MethodType else None
        if type(func) is not FunctionType:  # (a callable object as a method: Jinja's way)
            func = None
        # (a built-in method — dict.get, date.isoformat — cannot carry Jinja's mark)
        if kind is BuiltinMethodType or (func is not None and func in _PLAIN_METHODS):
            kwargs.pop("_loop_vars", None)
            kwargs.pop("_block_vars", None)
            try:
                return __obj(*args, **kwargs)
            except StopIteration:
                return __self.environment.undefined(
                    "value was undefined because a callable raised a StopIteration exception")
        if func is not None and not hasattr(func, "jinja_pass_arg"):
            _PLAIN_METHODS.add(func)
        return super().call(__obj, *args, **kwargs)


# The functions of bound methods the templates called that take no context (see _Context).
_PLAIN_METHODS: set[Any] = set()


class _Environment(jinja2.Environment):
    context_class = _Context


def _env() -> jinja2.Environment:
    env = _Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_finalize,
        # `{#id}` is Markdown's attribute-list syntax for heading ids, so Jinja comments are
        # written {## … ##} instead.
        comment_start_string="{##",
        comment_end_string="##}",
    )
    env.filters["num"] = fmt_num
    env.filters["one_line"] = one_line
    env.filters["pre"] = pre_text
    env.globals["pct"] = fmt_pct
    env.globals["ratio"] = ratio
    return env


# --- the generator ------------------------------------------------------------------------------


class Generator:
    def __init__(
        self,
        repo: Repository,
        timeline: Timeline | dict[str, Any],
        provenance: Provenance,
        downloads: Sequence[tuple[str, str]] = (),
        nav_unit_limit: int = NAV_UNIT_LIMIT,
        reports: Sequence[tuple[str, str]] = (),
        forge: Forge | None = None,
        snapshot: Snapshot | None = None,
        parent: Generator | None = None,
        page_rows: int | None = None,
    ) -> None:
        self.repo = repo
        self.parent = parent
        self.plan = repo.plan
        self.root = Path(repo.root)
        if isinstance(timeline, dict):  # the status JSON alone: one date, no history
            timeline = Timeline([Moment(date.fromisoformat(str(timeline["as_of"])), None,
                                        timeline)])
        self.timeline = timeline
        self.st = StatusView(timeline.last.payload)
        self.as_of = self.st.as_of
        self.prov = provenance
        self.forge = forge
        self.snapshot = snapshot
        self.downloads = list(downloads)  # (site path, label)
        self.reports = list(reports)  # each period's 督办通报 (site path, label), newest first
        self.units_in_nav = len(self.plan.units) <= nav_unit_limit
        # Rows per page of a split list (docs/site.md "Large sites").
        rows: int = PAGE_ROWS if page_rows is None else page_rows
        self.page_rows: int = max(1, parent.page_rows if parent is not None else rows)
        # A large site keeps its bulky tables (every unit's figures) out of the search index,
        # which Material loads whole on every page: names, headings and the plan's words stay.
        self.large: bool = parent.large if parent is not None else not self.units_in_nav
        self.extra: list[Page] = []  # part pages made while rendering a page (taken by generate)
        self._layouts: dict[str, dict[str, str]] = {}  # page → {anchor: part page holding it}
        self._ledger_parts: list[Part] | None = None
        self._target_parts: dict[str, list[Part]] = {}
        # No unit has a goal for any index component: nothing to rank (said, not a table of 0s).
        self.index_ranks = self.plan.index_ranks()
        self.env: jinja2.Environment = parent.env if parent else _env()
        # Shared with the snapshots' generators: evidence to copy, amendment diffs.
        self.copies: dict[str, ShippedFile] = parent.copies if parent else {}
        self._changes: dict[str, list[dict[str, Any]]] = parent._changes if parent else {}
        # The period ends that have a snapshot, newest first (the date links on every page).
        self.archive: list[Moment] = (parent.archive if parent else
                                      list(reversed(timeline.snapshots)))
        self.live_as_of: date = parent.live_as_of if parent else self.as_of
        self.visible = sorted(
            (f for f in repo.filings if f.as_of <= self.as_of),
            key=lambda f: (f.as_of, f.period, f.revision, f.unit),
        )
        self.by_unit: dict[str, list[Filing]] = defaultdict(list)
        for f in self.visible:
            self.by_unit[f.unit].append(f)
        self.by_path = {f.path: f for f in repo.filings}
        self.unit_order = {u: i for i, u in enumerate(self.plan.units)}
        self._latest: dict[str, dict[str, Filing]] | None = None
        self.page = "index"  # the page being rendered (its full site path, for relative links)
        # Links by (folder, linked page, text, anchor, class): tables repeat the same links on many
        # pages of a folder (a unit's latest filing on every target page), and a link costs a
        # layout lookup, a relative path and two escapes (issue 14).
        self._links: dict[tuple[str, str, str, str, str], Markup] = {}
        self.logical = "index"  # the same page's path in the live site

    # -- links -----------------------------------------------------------------------------

    @property
    def page(self) -> str:
        return self._page

    @page.setter
    def page(self, path: str) -> None:
        self._page = path
        self.folder = posixpath.dirname(path)  # what every relative link starts from

    def _dest(self, to: str) -> str:
        """Where a link to page `to` goes: inside this snapshot when it carries the page."""
        if self.snapshot is not None and in_snapshot(to):
            return self.snapshot.prefix + to
        return to

    def url(self, to: str, anchor: str = "") -> str:
        """Relative URL from the page being rendered to page `to` (a site path); an anchor in
        a split list leads to the part page that holds it."""
        if anchor:
            to = self.holder(to, anchor)
        rel = relative(self.folder, self._dest(to) + ".html")
        return rel + (f"#{anchor}" if anchor else "")

    def live_url(self, to: str, anchor: str = "") -> str:
        """Relative URL to a page of the live site (never a snapshot's)."""
        rel = relative(self.folder, to + ".html")
        return rel + (f"#{anchor}" if anchor else "")

    # -- split lists (docs/site.md "Large sites") ------------------------------------------

    def holder(self, to: str, anchor: str) -> str:
        """The page that holds `anchor` of page `to`: a part page when the list it is in was
        split (the ledger's rows, a target's units), else `to` itself."""
        if self.snapshot is not None and not in_snapshot(to) and self.parent is not None:
            return self.parent.holder(to, anchor)  # the live site's page and its parts
        layout = self._layouts.get(to)
        if layout is None:
            layout = {}
            if to == "ledger":
                for part in self.ledger_parts():
                    for f in part.items:
                        layout[anchor_filing(f.unit, f.period)] = part.path
                        layout.setdefault(f"u-{f.unit}", part.path)
            elif to.startswith("targets/") and to[len("targets/"):] in self.plan.targets:
                for part in self.target_parts(self.plan.targets[to[len("targets/"):]]):
                    for unit in part.items:
                        layout[f"u-{unit}"] = part.path
            self._layouts[to] = layout
        return layout.get(anchor, to)

    def parts(self, page: str, name: str, items: Sequence[Any], label: Any = None,
              weight: Any = None, group: Any = None, share: int = 1) -> list[Part]:
        """`items` split into parts of about `page_rows` rows: the first stays on `page`, the
        n-th is the page `<page>_<name>_<n>`. `label(items)` says what a part holds (default:
        which items, "第 1–200 项"). A page that shows the first part of `share` lists gives
        each 1/share of a page."""
        first = max(1, self.page_rows // share) if share > 1 else None
        chunks = split(items, self.page_rows, weight, group, first)
        out = []
        start = 1
        for n, chunk in enumerate(chunks, 1):
            if not chunk:
                text = ""
            elif label is None:
                text = f"第 {start}–{start + len(chunk) - 1} 项"
            else:
                text = label(chunk)
            out.append(Part(n, len(chunks), page if n == 1 else f"{page}_{name}_{n}", chunk,
                            text))
            start += len(chunk)
        return out

    def pager(self, parts: list[Part], current: Part, anchor: str) -> Pager:
        """Links to every part of a split list ('' when it was not split), at `anchor`; written
        when the template writes it (links are relative to the page being rendered)."""
        return Pager(self, parts, current, anchor)

    def pager_html(self, parts: list[Part], current: Part, anchor: str,
                   full: bool = True) -> Markup:
        if len(parts) < 2:
            return Markup("")

        def href(part: Part) -> str:
            return escape(self.url(part.path) + f"#{anchor}")

        items = []
        for part in parts if full else ():
            label = f'<span class="tk-meta">{escape(part.label)}</span>'
            if part is current:
                items.append(f"<li><strong>第 {part.number} 页</strong> {label}</li>")
            else:
                items.append(f'<li><a href="{href(part)}">第 {part.number} 页</a> {label}</li>')
        steps = []
        if current.number > 1:
            steps.append(f'<a href="{href(parts[current.number - 2])}">上一页</a>')
        if current.number < len(parts):
            steps.append(f'<a href="{href(parts[current.number])}">下一页</a>')
        every = (f'<details><summary>全部 {len(parts)} 页</summary><ol>{"".join(items)}</ol>'
                 f'</details>') if full else ""
        return Markup(
            f'<nav class="tk-pager" data-search-exclude><p>共 {len(parts)} 页,本页是第 '
            f'{current.number} 页({escape(current.label)}) · {" · ".join(steps)}</p>'
            f'{every}</nav>')

    def unit_range(self, units: Sequence[str]) -> str:
        first, last = self.plan.label(units[0]), self.plan.label(units[-1])
        return first if first == last else f"{first} 至 {last}"

    def few(self, items: Sequence[Any]) -> tuple[Sequence[Any], int]:
        """A list written inline (the units of a task, of a target): at most a quarter of
        `page_rows` items, and how many more there are (each page that cuts such a list says
        where the full list is)."""
        cap = max(1, self.page_rows // 4)
        if len(items) <= cap:
            return items, 0
        return items[:cap], len(items) - cap

    def take_extra(self) -> list[Page]:
        out, self.extra = self.extra, []
        return out

    def skip_search(self) -> Markup:
        """The attribute that keeps a bulky block out of a large site's search index."""
        return Markup(" data-search-exclude") if self.large else Markup("")

    def file_url(self, path: str) -> str:
        return relative(self.folder, path)

    def link(self, to: str, text: Any, anchor: str = "", cls: str = "") -> Markup:
        if type(text) is not str:  # (1, 1.0 and True are one key, and read differently)
            return self._link(to, text, anchor, cls)
        key = (self.folder, to, text, anchor, cls)
        found = self._links.get(key)
        if found is None:
            found = self._links[key] = self._link(to, text, anchor, cls)
        return found

    def _link(self, to: str, text: Any, anchor: str, cls: str) -> Markup:
        attr = f' class="{escape(cls)}"' if cls else ""
        return Markup(f'<a href="{escape(self.url(to, anchor))}"{attr}>{escape(one_line(text))}</a>')

    def unit_link(self, unit: str) -> Markup:
        # (written thousands of times, once per folder: link's cache)
        if unit in self.plan.units:
            return self.link(f"units/{unit}", self.plan.label(unit))
        return Markup(escape(unit))

    def scope_link(self, scope: str) -> Markup:
        return Markup("全市") if scope == "city" else self.unit_link(scope)

    def task_link(self, task: str, with_title: bool = True) -> Markup:
        t = self.plan.tasks.get(task)
        if t is None:
            return Markup(escape(task))
        return self.link(f"tasks/{task}", f"{task} {t.title}" if with_title else task)

    def target_link(self, target: str, anchor: str = "") -> Markup:
        t = self.plan.targets.get(target)
        return self.link(f"targets/{target}", t.title if t else target, anchor)

    def filing_link(self, unit: str, period: str, text: Any | None = None) -> Markup:
        return self.link("ledger", period if text is None else text, anchor_filing(unit, period))

    def text_link(self, unit: str, period: str, text: str = "原文") -> Markup:
        return self.link(f"{TEXTS}{unit}", text, anchor_text(unit, period))

    def light(self, kind: str, code: str | None) -> Markup:
        text, colour = labels.status(kind, code)
        # The coloured dot is drawn by CSS (.tk-status::before): a light is written on many
        # rows of many pages, so its markup is kept short.
        return Markup(f'<span class="tk-status tk-{colour}">{escape(text)}</span>')

    def label(self, kind: str, code: str | None) -> str:
        return labels.status(kind, code)[0]

    def light_of(self, kind: str, code: str | None) -> str:
        return labels.status(kind, code)[1]

    def row_light(self, kind: str, row: dict[str, Any] | None) -> Markup:
        """A status row's light, the blue 临期 light beside it when it is due soon, and for a
        per-unit minimum's city row how many units have met it."""
        if row is None:
            return self.light(kind, None)
        out = self.light(kind, row.get("status"))
        if row.get("due_soon"):
            out += Markup(' <span class="tk-status tk-blue" title="期限在预警天数之内且未完成">'
                          '临期</span>')
        if row.get("units") is not None and row.get("units_met") is not None \
                and kind == "target":
            out += Markup(f' <span class="tk-meta tk-nw">达标 {int(row["units_met"])}/'
                          f'{int(row["units"])} 个单位</span>')
        return out

    def bar(self, part: Any, whole: Any, label: bool = True) -> Markup:
        width = f"{100 * ratio(part, whole):.1f}"
        text = fmt_pct(part, whole)
        return Markup(
            f'<span class="tk-nw"><span class="tk-bar" role="img" aria-label="{escape(text)}">'
            f'<span style="width:{width}%"></span></span>'
            + (f" {escape(text)}" if label else "") + "</span>"
        )

    # -- the plan's words and this tool's settings ---------------------------------------------

    def setting(self, name: str, what: str = "") -> Markup:
        """The label beside a setting of the plan files: the plan text's own (plan.from_text)
        or this tool's (原文未规定 · 本工具设定), linked to where the methodology explains it."""
        if self.plan.info.quotes(name):
            return Markup('<span class="tk-plan-words" title="计划原文规定">(计划原文)</span>')
        title = f"{what}:实施方案原文未规定,是本工具(计划维护人员)的设定" if what else \
            "实施方案原文未规定,是本工具(计划维护人员)的设定"
        return Markup(
            f'<a class="tk-setting" href="{escape(self.live_url("methodology", "settings"))}" '
            f'title="{escape(title)}">(原文未规定 · 本工具设定)</a>'
        )

    def settings_summary(self) -> list[tuple[str, str, str]]:
        """(what, value, setting name) of every setting that decides a light or a due date."""
        plan = self.plan
        r = plan.reporting
        th = plan.thresholds
        cadence = labels.CADENCE.get(r.cadence, r.cadence)
        if th.points is not None:
            lag, off = (fmt_num(x) for x in th.points)
            thresholds = f"落后序时进度 {lag} 个百分点起为滞后,{off} 个百分点起为严重滞后"
        else:
            thresholds = f"实际值低于序时进度为滞后,低于其 {fmt_num(round(th.lagging * 100, 1))}% 为严重滞后"
        out = [
            ("报送周期", f"{cadence}一期", "cadence"),
            ("报送期限", f"期末后 {r.due_days} 天内", "due_days"),
            ("预警阈值", thresholds, "thresholds"),
            ("按时的判断依据", "报送合并进主分支的日期" if r.timeliness == "received"
             else "报送文件中填写的报送日期(reported_on)", "timeliness"),
            ("临期预警", f"期限前 {th.warn_days} 天内", "warn_days"),
            ("销号方式", "牵头单位申请、计划维护人员复核" if plan.info.closure == "review"
             else "牵头单位报送已完成并附佐证即销号", "closure"),
        ]
        return out

    # -- provenance: commits, forge links, filing texts ---------------------------------------

    def commit_ref(self, commit: Commit, path: str = "") -> Markup:
        """A commit: with a forge, linked to the forge's commit view (the diff) and to the file
        at that commit; without one, the full hash (nothing to link to)."""
        who = f'{escape(one_line(commit.author))} <span class="tk-nw">{escape(commit.day)}</span>'
        if self.forge is None:
            return Markup(f'<code class="tk-hash">{escape(commit.sha)}</code><br>{who}')
        links = (f'<a class="tk-ext" href="{escape(self.forge.commit_url(commit.sha))}" '
                 f'rel="noopener noreferrer" target="_blank" title="{escape(commit.sha)}">'
                 f'<code>{escape(commit.short)}</code></a>')
        if path:
            links += (f' <a class="tk-ext" href="{escape(self.forge.file_url(self.repo_rel(path), commit.sha))}" '
                      f'rel="noopener noreferrer" target="_blank">文件</a>')
        return Markup(f"{links}<br>{who}")

    def history_link(self, path: str) -> Markup:
        if self.forge is None:
            return Markup("")
        return Markup(f'<a class="tk-ext" href="{escape(self.forge.history_url(self.repo_rel(path)))}" '
                      f'rel="noopener noreferrer" target="_blank">全部修改记录</a>')

    def repo_rel(self, path: str) -> str:
        """A path inside the repository root as the forge sees it (from the git top level)."""
        return self.prov.prefix + path

    def changes(self, f: Filing) -> list[dict[str, Any]]:
        """What the latest amendment of a filing changed: [{what, key, old, new}], from the
        text of its previous version in git (empty when git has no earlier version)."""
        cached = self._changes.get(f.path)
        if cached is not None:
            return cached
        versions = [v for v in (self.prov.versions(f.path) if self.prov.available else [])
                    if v.on_main]  # the version before, as main held it
        out: list[dict[str, Any]] = []
        if versions and versions[-1].text is not None:
            out = value_changes(versions[-1].text, f, self.plan)
        self._changes[f.path] = out
        return out

    def change_of(self, f: Filing | None, target: str) -> dict[str, Any] | None:
        if f is None or f.revision < 2:
            return None
        return next((c for c in self.changes(f) if c["kind"] == "target" and c["key"] == target),
                    None)

    # -- evidence and figures ---------------------------------------------------------------

    def evidence(self, items: Iterable[Evidence]) -> Markup:
        parts = []
        for ev in items:
            title = one_line(ev.title) or "佐证材料"
            if ev.url:
                url = https_url(ev.url)
                if url:
                    parts.append(
                        f'<a class="tk-ext" href="{escape(url)}" rel="noopener noreferrer nofollow" '
                        f'target="_blank">{escape(title)}</a>'
                    )
                else:
                    parts.append(
                        f'<span class="tk-bad" title="不是 https 链接,不提供链接">{escape(title)}</span>'
                    )
                continue
            rel = repo_path(self.root, ev.path)
            if rel is None:
                parts.append(
                    f'<span class="tk-bad" title="路径未通过检查,不提供链接">{escape(title)}</span>'
                )
                continue
            site_path = EVIDENCE_PREFIX + rel
            self.copies.setdefault(site_path, ShippedFile(site_path, source=self.root / rel))
            # Percent-encoded: '#', '?' or '%2e%2e' in a file name must not change the target.
            href = quote(self.file_url(site_path), safe="/.")
            parts.append(f'<a href="{escape(href)}">{escape(title)}</a>')
        return Markup("、".join(parts))

    def figure(self, t: Target, unit: str) -> dict[str, Any]:
        """A unit's figure for a target: status row (if any), actual, the filing it came from."""
        row = self.st.unit(t.id, unit)
        act = self.st.actual(t.id, unit)
        found = sources(row) or sources(act)
        src = found[0] if found else None
        filing = self.filing_at(src) if src else None
        value = row.get("actual") if row else (act.get("value") if act else None)
        return {
            "unit": unit, "t": t, "row": row, "value": value, "source": src, "filing": filing,
            "report": filing.targets.get(t.id) if filing else None,
            "goal": row.get("goal") if row else self.plan.unit_goal(t, unit),
            "change": self.change_of(filing, t.id),
        }

    def figure_link(self, fig: dict[str, Any]) -> Markup:
        """A unit figure linked to the ledger row of the filing it came from (its provenance);
        an amended figure also says what it was before the amendment."""
        text = fmt_num(fig["value"])
        src = fig["source"]
        if src is None or fig["value"] is None:
            return Markup(escape(text))
        out = self.link("ledger", text, anchor_filing(src["unit"], src["period"]),
                        cls="tk-figure-link")
        change = fig.get("change")
        if change:
            out += Markup(f'<br><span class="tk-meta tk-nw" title="第 {int(fig["filing"].revision)} 版修订">'
                          f'修订前 {escape(fmt_num(change["old"]))}</span>')
        return out

    def filing_at(self, src: dict[str, Any]) -> Filing | None:
        path = src.get("path")
        if path and path in self.by_path:
            return self.by_path[path]
        return self.filing_of(src["unit"], src["period"])

    # -- helpers over filings (display only: which report to show, not what status it gives) -

    def latest_task_reports(self, task: Task) -> dict[str, Filing]:
        """Each unit's latest filing (as_of ≤ D) that reports the task."""
        if self._latest is None:
            self._latest = defaultdict(dict)
            for f in self.visible:
                for task_id in f.tasks:
                    self._latest[task_id][f.unit] = f
        return self._latest.get(task.id, {})

    def silent_units(self, task: Task) -> list[str]:
        """The task's units with no report on it (as_of ≤ D), in the task's order."""
        reported = self.latest_task_reports(task)
        return [u for u in task.units if u not in reported]

    def filing_of(self, unit: str, period: str) -> Filing | None:
        for f in self.by_unit.get(unit, []):
            if f.period == period:
                return f
        return None

    def unit_targets(self, unit: str) -> list[Target]:
        return [t for t in self.plan.targets.values() if self.plan.reports(t, unit)]

    def goal_text(self, target: Target) -> str:
        rule = target.per_unit
        if rule is None:
            return "仅考核全市总数,不分解到单位"
        if rule.kind == "from":
            return f"各单位目标为其自身的 {rule.count} 数(按单位分解)"
        if rule.kind == "allocations":
            return "按计划分配到各单位"
        return f"每个报送单位至少 {rule.minimum}{target.unit_label}"

    # -- charts -------------------------------------------------------------------------------

    def unit_chart(self, t: Target, unit: str, goal: Any, row: dict[str, Any] | None) -> Markup:
        points = [(p.by, float(p.value)) for p in t.points]
        expected = charts.unit_expected(points, None if goal is None else float(goal),
                                        float(t.goal))
        actual = [(d, float(v)) for d, v in self.timeline.series(t.id, unit)]
        status = row.get("status") if row else None
        label = f"{self.plan.label(unit)} · {t.title}:各期末实际值" + \
            ("与本单位预期进度" if expected else "")
        return Markup(charts.panel(
            label=label, expected=expected, actual=actual,
            goal=None if goal is None else float(goal), as_of=self.as_of,
            start=self.plan.info.start, end=self.plan.info.end,
            light=self.light_of("target", status) if row else "grey",
        ))

    # -- rendering ------------------------------------------------------------------------

    def render(self, template: str, page: str, **context: Any) -> str:
        self.logical = page
        self.page = self._dest(page)
        tpl = self.env.get_template(template)
        # `part`: on a part page of a split list, that list's name (the template writes only
        # it); None on the page itself.
        context.setdefault("part", None)
        body = tpl.render(g=self, plan=self.plan, st=self.st, as_of=self.as_of, **context)
        out = self.datebar() + body.rstrip("\n") + "\n\n" + self.footer() + "\n"
        check_blocks(out, template_headings(template), page)
        return out

    def datebar(self) -> str:
        """Which date this page shows, and the same page at every other date (snapshots); a
        part page of a split list links to the page it continues at other dates (its parts
        differ from date to date). Out of the search index: the same words on every page."""
        page = part_base(self.logical)
        if self.snapshot is None:
            here = f"本页显示截至 <strong>{escape(self.as_of.isoformat())}</strong> 的情况(最新)。"
        else:
            here = (f"本页是 <strong>{escape(self.snapshot.period)}</strong> 期末快照,显示截至 "
                    f"<strong>{escape(self.as_of.isoformat())}</strong> 的情况(固定链接,"
                    f"按现有数据计算)。")
        if not self.archive:
            return f'<div class="tk-datebar" data-search-exclude><p>{here}</p></div>\n\n'
        target = page if in_snapshot(page) else "index"
        links = []
        live = escape(self.live_url(page))
        links.append(f'<a href="{live}">最新({escape(self.live_as_of.isoformat())})</a>'
                     if self.snapshot is not None else
                     f'<strong>最新({escape(self.live_as_of.isoformat())})</strong>')
        for m in self.archive:
            assert m.period is not None
            if self.snapshot is not None and m.period == self.snapshot.period:
                links.append(f"<strong>{escape(m.period)}</strong>")
                continue
            href = escape(self.live_url(f"{ARCHIVE}{m.period}/{target}"))
            links.append(f'<a href="{href}">{escape(m.period)}</a>')
        other = "其他日期" if in_snapshot(page) else "其他日期(快照只含总览、指标和列表页)"
        return (f'<div class="tk-datebar" data-search-exclude><p>{here}</p><details class="tk-dates"><summary>{other}'
                f'</summary><p>{" · ".join(links)}</p></details></div>\n\n')

    def footer(self) -> str:
        parts = [f"数据截至 {self.as_of.isoformat()}"]
        if self.prov.head is not None:
            parts.append(f"数据版本 {self.prov.head.sha}({self.prov.head.day})")
            if self.prov.dirty:
                parts.append("含未提交的修改")
        parts.append("由 tracker 根据仓库中的计划和报送文件生成")
        text = " · ".join(parts)
        return f'<div class="tk-footer" data-search-exclude>{escape(text)} · {self.link("methodology", "计算方法")}</div>'

    def site_title(self) -> str:
        return self.repo.config.title or self.plan.info.title

    def generate(self, archive: bool = True,
                 progress: Callable[[int], None] = quiet) -> SiteContent:
        pages: list[Page] = []
        plan = self.plan

        def add(page: Page) -> None:
            pages.append(page)
            pages.extend(self.take_extra())  # the part pages of its split lists
            progress(len(pages))

        add(Page("index", "首页", self.home()))
        add(Page("targets/index", "指标", self.targets_index()))
        for t in plan.targets.values():
            add(Page(f"targets/{t.id}", t.title, self.target_page(t)))
        add(Page("tasks/index", "任务", self.tasks_index()))
        for task in plan.tasks.values():
            add(Page(f"tasks/{task.id}", f"{task.id} {task.title}", self.task_page(task)))
        add(Page("units/index", "单位", self.units_index()))
        for unit in plan.units:
            add(Page(f"units/{unit}", plan.units[unit].name, self.unit_page(unit),
                     self.units_in_nav))
        add(Page("ledger", "报送台账", self.ledger(), wide=True))
        for unit in plan.units:
            if self.by_unit.get(unit):
                add(Page(f"{TEXTS}{unit}", f"{plan.units[unit].name} 报送原文",
                         self.texts_page(unit), in_nav=False, searchable=False))
        add(Page("methodology", "计算方法", self.methodology()))
        add(Page("downloads", "下载", self.render("downloads.html", "downloads",
                                                downloads=self.downloads,
                                                reports=self.reports)))
        if archive:
            for moment in self.timeline.snapshots:
                pages.extend(self.snapshot_pages(moment))
                progress(len(pages))
        nav: list[str | NavSection] = [
            "index",
            NavSection("指标", ["targets/index", *(f"targets/{t}" for t in plan.targets)]),
            NavSection("任务", ["tasks/index", *(f"tasks/{t}" for t in plan.tasks)]),
            NavSection(
                "单位",
                ["units/index", *((f"units/{u}" for u in plan.units) if self.units_in_nav else ())],
            ),
            "ledger",
            "methodology",
            "downloads",
        ]
        css = (ASSETS / "tracker.css").read_bytes()
        js = (ASSETS / "tracker.js").read_bytes()
        warnings = list(self.prov.warnings)
        return SiteContent(
            title=self.site_title(),
            pages=pages,
            nav=nav,
            files=[ShippedFile("assets/tracker.css", css), ShippedFile("assets/tracker.js", js)],
            copies=[self.copies[k] for k in sorted(self.copies)],
            css=["assets/tracker.css"],
            demo=self.repo.config.demo,
            banner=DEMO_BANNER.format(as_of=self.as_of.isoformat()) if self.repo.config.demo else "",
            warnings=warnings,
            js=["assets/tracker.js"],
        )

    def snapshot_pages(self, moment: Moment) -> list[Page]:
        """A period end's snapshot: the overview, the targets, the task list and the unit list
        as they stood on that day (out of the navigation and the search index)."""
        assert moment.period is not None
        snap = Generator(self.repo, self.timeline.upto(moment.day), self.prov, (),
                         forge=self.forge, snapshot=Snapshot(moment.period, moment.day),
                         parent=self)
        tag = f"({moment.period} 期末)"
        prefix = snap.snapshot.prefix if snap.snapshot else ""
        out: list[Page] = []

        def add(path: str, title: str, body: str) -> None:
            out.append(Page(f"{prefix}{path}", f"{title}{tag}", body))
            for page in snap.take_extra():
                page.path, page.title = f"{prefix}{page.path}", f"{page.title}{tag}"
                out.append(page)

        add("index", "总览", snap.home())
        add("targets/index", "指标", snap.targets_index())
        for t in self.plan.targets.values():
            add(f"targets/{t.id}", t.title, snap.target_page(t))
        add("tasks/index", "任务", snap.tasks_index())
        add("units/index", "单位", snap.units_index())
        for page in out:
            page.in_nav = False
            page.searchable = False
            if self.repo.config.demo:
                page.banner = DEMO_BANNER.format(as_of=moment.day.isoformat())
        return out

    # -- the pages --------------------------------------------------------------------------

    def delta(self) -> Delta | None:
        """What changed since the previous period end (tracker.delta.diff, as `--since`)."""
        return self.timeline.last.delta if self.timeline.previous is not None else None

    def home(self) -> str:
        plan, st = self.plan, self.st
        target_rows = [(t, st.city(t.id)) for t in plan.targets.values()]
        task_rows = [(t, st.tasks.get(t.id)) for t in plan.tasks.values()]
        filing_rows = list(st.filings.values())
        unit_rows = [r for r in st.data.get("targets", []) if r.get("scope") != "city"]

        def count(kind: str, codes: Iterable[str | None]) -> dict[str, int]:
            c = {light: 0 for light in labels.LIGHT_ORDER}
            for code in codes:
                c[labels.status(kind, code)[1]] += 1
            return c

        counts = {
            "target": count("target", [r.get("status") if r else None for _, r in target_rows]),
            "unit": count("target", [r.get("status") for r in unit_rows]),
            "task": count("task", [r.get("status") if r else None for _, r in task_rows]),
            "filing": count("filing", [r.get("status") for r in filing_rows]),
        }
        cards = [("target", "量化指标(全市)", "targets/index"),
                 ("unit", "量化指标(各单位)", "index")]
        cards = cards if unit_rows else cards[:1]
        cards += [("task", "重点任务", "tasks/index"), ("filing", "按期报送(已到截止日)", "ledger")]

        # The unit × target matrix: every unit with a goal of its own × every such target.
        matrix_targets = [t for t in plan.targets.values()
                          if any(r["target"] == t.id for r in unit_rows)]
        with_goal = {r["scope"] for r in unit_rows}
        matrix_units = [u for u in plan.units if u in with_goal]
        matrix = [(u, [(t, st.unit(t.id, u)) for t in matrix_targets]) for u in matrix_units]

        # Filings: every missing and upcoming one; late ones of the two latest due periods.
        due_periods = sorted({(r["due"], r["period"]) for r in filing_rows}, reverse=True)
        recent = [p for _, p in due_periods[:2]]

        def by_period(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
            return sorted(rows, key=lambda r: (r["period"], -self.unit_order.get(r["unit"], 0)),
                          reverse=True)

        missing = by_period(r for r in filing_rows if r.get("status") == "missing")
        late = by_period(r for r in filing_rows
                         if r.get("status") == "late" and r["period"] in recent)
        older_late = sum(1 for r in filing_rows
                         if r.get("status") == "late" and r["period"] not in recent)
        upcoming = by_period(r for r in filing_rows if r.get("status") == "upcoming")
        ranking = st.index if len(st.index) <= NAV_UNIT_LIMIT else st.index[:10]
        delta = self.delta()
        # A period that became due (— → 待报送) and a filing that then came in on time
        # (待报送 → 按时) happen to every unit every period: counted, not listed.
        routine: dict[tuple[str | None, str | None], int] = {
            (None, "upcoming"): 0, ("upcoming", "on_time"): 0}
        moves = []
        for m in delta.filings if delta else ():
            if (m.old, m.new) in routine:
                routine[(m.old, m.new)] += 1
            else:
                moves.append(m)
        problems = self.problems()
        # The long lists are split; the overview shows the first part of each (a fifth of a
        # page each), the rest are part pages of their own (index_<list>_<n>).
        share = 5
        lists = {
            "matrix": self.parts("index", "matrix", matrix,
                                 lambda rows: self.unit_range([u for u, _ in rows]),
                                 weight=lambda _: 1 + len(matrix_targets) // 8, share=share),
            "problems": self.parts("index", "problems", problems, share=share),
            "filings": self.parts("index", "filings", missing + late + upcoming, share=share),
            "moves": self.parts("index", "moves", delta.targets if delta else [], share=share),
            "filingmoves": self.parts("index", "filingmoves", moves, share=share),
        }
        arrived, more_arrived = self.few(delta.arrived if delta else [])
        index_moves, more_index = self.few(delta.index if delta else [])
        common = dict(
            delta=delta, became_due=routine[(None, "upcoming")],
            came_on_time=routine[("upcoming", "on_time")], target_rows=target_rows,
            counts=counts, cards=cards, matrix_targets=matrix_targets, problems_total=len(problems),
            due_soon=self.due_soon(), pending=self.pending(), missing=missing, late=late,
            older_late=older_late, upcoming=upcoming, recent=recent,
            previous=self.timeline.previous, ranking=ranking,
            ranking_all=len(ranking) == len(st.index), light_zh=labels.LIGHT_ZH,
            lights=labels.LIGHT_ORDER, settings=self.settings_summary(),
            arrived=arrived, more_arrived=more_arrived, index_moves=index_moves,
            more_index=more_index,
        )
        titles = {"matrix": "各单位 × 指标", "problems": "红黄灯清单", "filings": "报送",
                  "moves": "本期变化:指标", "filingmoves": "本期变化:报送"}
        anchors = {"matrix": "matrix", "problems": "problems", "filings": "filings",
                   "moves": "changes", "filingmoves": "changes"}

        def body(path: str, part: str | None, shown: dict[str, Part]) -> str:
            pagers = {name: self.pager(lists[name], shown[name], anchors[name])
                      for name in lists}
            return self.render(
                "home.html", path, part=part, pagers=pagers, matrix=shown["matrix"].items,
                problems=shown["problems"].items, filing_rows=shown["filings"].items,
                target_moves=shown["moves"].items, filing_moves=shown["filingmoves"].items,
                **common)

        firsts = {name: parts[0] for name, parts in lists.items()}
        for name, parts in lists.items():
            for part in parts[1:]:
                self.extra.append(Page(part.path, f"{titles[name]}(第 {part.number} 页)",
                                       body(part.path, name, {**firsts, name: part}),
                                       in_nav=False, searchable=False))
        return body("index", None, firsts)

    def problems(self) -> list[dict[str, Any]]:
        """The 红黄灯清单: every target scope and task with a red or yellow light, red first,
        then the longest-standing first, with since when it has not been green."""
        items: list[dict[str, Any]] = []
        order = 0
        for row in self.st.data.get("targets", []):
            light = self.light_of("target", row.get("status"))
            if light not in ("red", "yellow"):
                continue
            t = self.plan.targets.get(row["target"])
            actual, expected, goal = row.get("actual"), row.get("expected"), row.get("goal")
            gap = points = None
            if actual is not None and expected is not None and expected > actual:
                gap = expected - actual
                points = 100 * gap / goal if goal else None
            short = None
            if actual is not None and goal is not None and row.get("status") == "overdue":
                short = goal - actual
            items.append({
                "kind": "target", "light": light, "row": row, "t": t, "scope": row["scope"],
                "gap": gap, "points": points, "short": short, "order": order,
                "since": self.timeline.since("target", f"{row['target']}\x00{row['scope']}"),
            })
            order += 1
        for row in self.st.data.get("tasks", []):
            light = self.light_of("task", row.get("status"))
            if light not in ("red", "yellow"):
                continue
            task = self.plan.tasks.get(row["task"])
            items.append({
                "kind": "task", "light": light, "row": row, "task": task,
                "scope": row.get("lead"), "order": order,
                "silent": self.silent_units(task) if task else [],
                "since": self.timeline.since("task", row["task"]),
            })
            order += 1
        far = date.max
        items.sort(key=lambda i: (i["light"] != "red", i["since"] or far, i["order"]))
        return items

    def due_soon(self) -> list[dict[str, Any]]:
        """The 蓝灯 临期 list: target scopes and tasks not done whose deadline is near."""
        out = []
        for row in self.st.data.get("targets", []):
            if row.get("due_soon"):
                deadline = date.fromisoformat(str(row["deadline"]))
                out.append({"kind": "target", "row": row, "scope": row["scope"],
                            "deadline": deadline, "days": (deadline - self.as_of).days})
        for row in self.st.data.get("tasks", []):
            task = self.plan.tasks.get(row["task"])
            if row.get("due_soon") and task is not None:
                out.append({"kind": "task", "row": row, "task": task, "scope": row.get("lead"),
                            "deadline": task.due, "days": (task.due - self.as_of).days})
        out.sort(key=lambda i: i["deadline"])
        return out

    def pending(self) -> list[dict[str, Any]]:
        """The 待审核销号 list: tasks whose lead has claimed them done and await a decision."""
        out = []
        for row in self.st.data.get("tasks", []):
            if row.get("status") != "pending_review":
                continue
            task = self.plan.tasks.get(row["task"])
            if task is None:
                continue
            claimed = row.get("claimed_on")
            latest = self.latest_task_reports(task)
            claim_filing = latest.get(task.lead) if task.lead else None
            out.append({
                "row": row, "task": task, "claimed_on": claimed,
                "waiting": (self.as_of - date.fromisoformat(claimed)).days if claimed else None,
                "filing": claim_filing, "review": row.get("review"),
            })
        return out

    def targets_index(self) -> str:
        return self.render("targets_index.html", "targets/index")

    def target_parts(self, t: Target) -> list[Part]:
        """A target's reporting units, split into pages (the charts and the table of each)."""
        found = self._target_parts.get(t.id)
        if found is None:
            # A live page draws a chart per unit beside its row: three rows' worth.
            weight = 3 if self.snapshot is None else 1
            found = self.parts(f"targets/{t.id}", "units", list(t.reported_by), self.unit_range,
                               weight=lambda _: weight)
            self._target_parts[t.id] = found
        return found

    def target_page(self, t: Target) -> str:
        city = self.st.city(t.id)
        live = self.snapshot is None
        chart = None
        if live:
            expected = [(p.by, float(p.value)) for p in t.points]
            actual = [(d, float(v)) for d, v in self.timeline.series(t.id, "city")]
            chart = Markup(charts.progress_chart(
                title=t.title, unit_label=t.unit_label, expected=expected, actual=actual,
                as_of=self.as_of, start=self.plan.info.start, end=self.plan.info.end,
            ))
        parts = self.target_parts(t)
        reporting, more = self.few(t.reported_by)
        bodies = []
        for part in parts:
            rows = [self.figure(t, unit) for unit in part.items]
            panels = ([(r, self.unit_chart(t, r["unit"], r["goal"], r["row"])) for r in rows]
                      if live else None)
            bodies.append(self.render(
                "target.html", part.path, t=t, city=city, chart=chart, panels=panels,
                rows=rows, goal_text=self.goal_text(t), reporting=reporting, more=more,
                part="units" if part.number > 1 else None,
                pager=self.pager(parts, part, "unit-charts" if panels else "units")))
        for part, body in zip(parts[1:], bodies[1:], strict=True):
            self.extra.append(Page(part.path, f"{t.title}(各单位 第 {part.number} 页)", body,
                                   in_nav=False, searchable=False))
        return bodies[0]

    def tasks_index(self) -> str:
        rows = []
        for task in self.plan.tasks.values():
            silent = self.silent_units(task)
            shown, more = self.few(silent)
            rows.append({"task": task, "row": self.st.tasks.get(task.id), "silent": silent,
                         "shown": shown, "more": more})
        return self.render("tasks_index.html", "tasks/index", rows=rows)

    def task_page(self, task: Task) -> str:
        latest = self.latest_task_reports(task)
        entries = sorted((f for f in self.visible if task.id in f.tasks),
                         key=lambda f: self.unit_order.get(f.unit, 0))
        entries.sort(key=lambda f: f.period, reverse=True)
        targets = [t for t in self.plan.targets.values() if t.task == task.id]
        page = f"tasks/{task.id}"
        # The task page shows the first part of both lists: half a page each.
        unit_parts = self.parts(page, "units", list(task.units), self.unit_range, share=2)

        def periods_label(fs: list[Filing]) -> str:
            first, last = fs[0], fs[-1]
            if first.period != last.period:
                return (f"{first.period} {self.plan.label(first.unit)} 至 "
                        f"{last.period} {self.plan.label(last.unit)}")
            return f"{first.period}:{self.unit_range([f.unit for f in fs])}"

        timeline_parts = self.parts(page, "timeline", entries, periods_label,
                                    group=lambda f: f.period, share=2)
        silent = self.silent_units(task)
        shown_silent, more_silent = self.few(silent)
        supporting, more_supporting = self.few(task.supporting)
        common = dict(task=task, row=self.st.tasks.get(task.id), latest=latest, targets=targets,
                      progress=labels.PROGRESS, silent=silent, shown_silent=shown_silent,
                      more_silent=more_silent, supporting=supporting,
                      more_supporting=more_supporting)

        def body(units: Part, timeline: Part, part: str | None, path: str) -> str:
            grouped: dict[str, list[Filing]] = defaultdict(list)
            for f in timeline.items:
                grouped[f.period].append(f)
            return self.render(
                "task.html", path, units=units.items, timeline=grouped,
                periods=list(grouped), part=part, **common,
                units_pager=self.pager(unit_parts, units, "latest"),
                timeline_pager=self.pager(timeline_parts, timeline, "timeline"))

        first = body(unit_parts[0], timeline_parts[0], None, page)
        title = f"{task.id} {task.title}"
        for part in unit_parts[1:]:
            self.extra.append(Page(part.path, f"{title}(各单位最新进展 第 {part.number} 页)",
                                   body(part, timeline_parts[0], "units", part.path),
                                   in_nav=False, searchable=False))
        for part in timeline_parts[1:]:
            self.extra.append(Page(part.path, f"{title}(进展时间线 第 {part.number} 页)",
                                   body(unit_parts[0], part, "timeline", part.path),
                                   in_nav=False, searchable=False))
        return first

    def units_index(self) -> str:
        rows = []
        for unit_id, unit in self.plan.units.items():
            fr = self.st.filings_of.get(unit_id, [])
            own = self.st.targets_of_scope.get(unit_id, [])
            lights = {light: 0 for light in labels.LIGHT_ORDER}
            for r in own:
                lights[self.light_of("target", r.get("status"))] += 1
            rows.append({
                "unit": unit, "index": self.st.index_of.get(unit_id) if self.index_ranks else None,
                "on_time": sum(1 for r in fr if r.get("status") == "on_time"),
                "late": sum(1 for r in fr if r.get("status") == "late"),
                "missing": sum(1 for r in fr if r.get("status") == "missing"),
                "due": len(fr), "filed": len(self.by_unit.get(unit_id, [])),
                "lights": lights, "targets": len(own),
            })
        parts = self.parts("units/index", "units", rows,
                           lambda rs: self.unit_range([r["unit"].id for r in rs]))
        bodies = [self.render("units_index.html", part.path, rows=part.items, kinds=labels.KIND,
                              pager=self.pager(parts, part, "units"))
                  for part in parts]
        for part, body in zip(parts[1:], bodies[1:], strict=True):
            self.extra.append(Page(part.path, f"单位(第 {part.number} 页)", body, in_nav=False,
                                   searchable=False))
        return bodies[0]

    def unit_page(self, unit_id: str) -> str:
        unit = self.plan.units[unit_id]
        targets = [self.figure(t, unit_id) for t in self.unit_targets(unit_id)]
        panels = [(r, self.unit_chart(r["t"], unit_id, r["goal"], r["row"])) for r in targets
                  if r["value"] is not None or r["row"] is not None]
        tasks = []
        for task in self.plan.tasks_of(unit_id):
            latest = self.latest_task_reports(task).get(unit_id)
            tasks.append({
                "task": task, "role": "牵头" if task.lead == unit_id else "配合",
                "row": self.st.tasks.get(task.id), "latest": latest,
                "report": latest.tasks[task.id] if latest else None,
            })
        tasks.sort(key=lambda r: r["role"] != "牵头")
        periods = sorted(
            {r["period"] for r in self.st.filings_of.get(unit_id, [])}
            | {f.period for f in self.by_unit.get(unit_id, [])},
            reverse=True,
        )
        record = []
        for p in periods:
            record.append({
                "period": p, "row": self.st.filings.get((unit_id, p)),
                "filing": self.filing_of(unit_id, p),
                "required": unit_id in self.plan.reporting.required,
            })
        value_targets = [t for t in self.plan.targets.values()
                         if any(t.id in f.targets for f in self.by_unit.get(unit_id, []))]
        return self.render(
            "unit.html", f"units/{unit_id}", unit=unit, kinds=labels.KIND, targets=targets,
            panels=panels, tasks=tasks, record=record, value_targets=value_targets,
            index=self.st.index_of.get(unit_id) if self.index_ranks else None,
            index_count=len(self.st.index),
            progress=labels.PROGRESS,
        )

    def ledger_parts(self) -> list[Part]:
        """The ledger's rows (filings, per unit in the plan's order, newest period first), split
        into pages of whole units (a unit with more rows than a page is split)."""
        if self._ledger_parts is None:
            grouped: dict[str, list[Filing]] = defaultdict(list)
            for f in self.visible:
                grouped[f.unit].append(f)
            order = sorted(grouped, key=lambda u: (self.unit_order.get(u, len(self.unit_order)), u))
            filings = [f for u in order
                       for f in sorted(grouped[u], key=lambda f: f.period, reverse=True)]
            # A row with its commits weighs two (a commit is a hash, an author and a date).
            weight = 2 if self.prov.available else 1
            self._ledger_parts = self.parts(
                "ledger", "rows", filings, lambda fs: self.unit_range([f.unit for f in fs]),
                weight=lambda _: weight, group=lambda f: f.unit)
        return self._ledger_parts

    def ledger(self) -> str:
        parts = self.ledger_parts()
        seen: set[str] = set()
        bodies = []
        for part in parts:
            rows = []
            for f in part.items:
                rows.append({
                    "f": f, "first": f.unit not in seen,
                    "row": self.st.filings.get((f.unit, f.period)),
                    "history": self.prov.of(f.path) if self.prov.available else None,
                    "uncommitted": f.path in self.prov.uncommitted,
                    "required": f.unit in self.plan.reporting.required,
                    "changes": self.changes(f),
                    "compared": bool(self.prov.available and self.prov.versions(f.path)),
                })
                seen.add(f.unit)
            bodies.append(self.render(
                "ledger.html", part.path, rows=rows, prov=self.prov,
                received=self.plan.reporting.timeliness == "received",
                part="rows" if part.number > 1 else None,
                pager=self.pager(parts, part, "rows")))
        for part, body in zip(parts[1:], bodies[1:], strict=True):
            self.extra.append(Page(part.path, f"报送台账(第 {part.number} 页)", body,
                                   in_nav=False, wide=True, searchable=False))
        return bodies[0]

    def texts_page(self, unit_id: str) -> str:
        """Every filing of a unit as filed: its YAML text (escaped), newest first, with each
        earlier version git has and what the amendment changed."""
        items = []
        for f in sorted(self.by_unit.get(unit_id, []), key=lambda f: f.period, reverse=True):
            # (The site build releases the loaded texts: the file is read here, one at a time.)
            text = f.source.text if f.source is not None and f.source.text else None
            if text is None:
                try:
                    text = (self.root / f.path).read_text(encoding="utf-8-sig")
                except (OSError, UnicodeDecodeError):
                    text = None
            versions = self.prov.versions(f.path) if self.prov.available else []
            items.append({"f": f, "text": text, "versions": list(reversed(versions)),
                          "changes": self.changes(f) if versions else [],
                          "history": self.prov.of(f.path) if self.prov.available else None})
        return self.render("texts.html", f"{TEXTS}{unit_id}", unit=self.plan.units[unit_id],
                           items=items, progress=labels.PROGRESS)

    def methodology(self) -> str:
        plan = self.plan
        rules = sorted(RULES.values(), key=lambda r: r.id)
        reporting = plan.reporting
        baselines = [t for t in plan.targets.values()]
        return self.render(
            "methodology.html", "methodology", lagging=plan.lagging,
            lagging_pct=fmt_num(round(plan.lagging * 100, 1)),
            points=plan.thresholds.points, warn_days=plan.thresholds.warn_days,
            review=plan.info.closure == "review",
            cadence=labels.CADENCE.get(reporting.cadence, reporting.cadence),
            period_label=LABEL_ZH.get(reporting.cadence, reporting.cadence),
            required=[self.plan.label(u) for u in reporting.required], rules=rules,
            error=Severity.ERROR, target_labels=labels.TARGET, task_labels=labels.TASK,
            filing_labels=labels.FILING, light_zh=labels.LIGHT_ZH, prov=self.prov,
            baselines=baselines, settings=self.settings_summary(),
            inferred=[t for t in plan.tasks.values() if t.units_source == "inferred"],
            undated=[t for t in plan.tasks.values() if not t.due_given],
        )


def anchor_text(unit: str, period: str) -> str:
    return f"t-{unit}-{period}"


def _read_old(text: str) -> dict[str, Any]:
    doc, _ = parse_text(text, "old")
    return doc.data if doc is not None and isinstance(doc.data, dict) else {}


def value_changes(old_text: str, f: Filing, plan: Any) -> list[dict[str, Any]]:
    """What a filing's latest version changed against an earlier version's text: each target
    value and task progress that differs ({kind, key, title, old, new}); None where one side
    has no such entry."""
    old = _read_old(old_text)
    out: list[dict[str, Any]] = []
    raw = old.get("targets")
    old_targets: dict[str, Any] = raw if isinstance(raw, dict) else {}
    for key in [*f.targets, *(k for k in old_targets if k not in f.targets)]:
        entry = old_targets.get(key)
        before: Any = entry.get("value") if isinstance(entry, dict) else None
        after: Any = f.targets[key].value if key in f.targets else None
        if before != after:
            t = plan.targets.get(key)
            out.append({"kind": "target", "key": key, "title": t.title if t else key,
                        "old": before, "new": after})
    raw = old.get("tasks")
    old_tasks: dict[str, Any] = raw if isinstance(raw, dict) else {}
    for key in [*f.tasks, *(k for k in old_tasks if k not in f.tasks)]:
        entry = old_tasks.get(key)
        before = entry.get("progress") if isinstance(entry, dict) else None
        after = f.tasks[key].progress if key in f.tasks else None
        if before != after:
            task = plan.tasks.get(key)
            out.append({"kind": "task", "key": key,
                        "title": f"{key} {task.title}" if task else key,
                        "old": labels.PROGRESS.get(str(before), before) if before else None,
                        "new": labels.PROGRESS.get(str(after), after) if after else None})
    return out


def generate(
    repo: Repository,
    status: dict[str, Any],
    provenance: Provenance,
    *,
    timeline: Timeline | None = None,
    downloads: Sequence[tuple[str, str]] = (),
    nav_unit_limit: int | None = None,
    reports: Sequence[tuple[str, str]] = (),
    archive: bool = True,
    page_rows: int | None = None,
    progress: Callable[[int], None] = quiet,
) -> SiteContent:
    """Every page of the site, from the status JSON (and, when given, the timeline of statuses
    at every period end, whose last moment is that status), the repository and its provenance.
    `progress` is told the number of pages made after each (a Ticker: tracker.site.progress)."""
    limit = NAV_UNIT_LIMIT if nav_unit_limit is None else nav_unit_limit
    if timeline is None:
        timeline = Timeline([Moment(date.fromisoformat(str(status["as_of"])), None, status)])
    forge = Forge.from_config(repo.config.forge) if repo.config.forge else None
    generator = Generator(repo, timeline, provenance, downloads, limit, reports, forge,
                          page_rows=page_rows)
    if not archive:
        generator.archive = []  # no snapshots: no links to other dates
    return generator.generate(archive, progress)
