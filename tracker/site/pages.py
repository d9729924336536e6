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
"""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2

from tracker.diagnostics import RULES, Severity
from tracker.model import Evidence, Filing, Repository, Target, Task
from tracker.periods import LABEL_ZH
from tracker.provenance import Provenance
from tracker.site import charts, labels
from tracker.site.escape import Markup, clean_text, escape, https_url, one_line, repo_path

TEMPLATES = Path(__file__).parent / "templates"
ASSETS = Path(__file__).parent / "assets"
DEMO_BANNER = "演示数据(虚构):本站所有报送数据均为虚构,不代表任何单位的真实进展"
NAV_UNIT_LIMIT = 30  # above this many units, unit pages are linked from tables, not the nav
EVIDENCE_PREFIX = "repo/"  # evidence files are shipped under repo/<their repository path>


@dataclass
class Page:
    path: str  # site path without extension, '/'-separated: "index", "targets/<id>"
    title: str  # plain text (the backend escapes it)
    body: str  # Markdown: fixed headings and raw HTML blocks
    in_nav: bool = True
    wide: bool = False  # a wide table: the generator may drop side panels (table of contents)


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


def anchor_filing(unit: str, period: str) -> str:
    return f"f-{unit}-{period}"


def _finalize(value: Any) -> Any:
    """Every `{{ }}` output: None → empty; text → escaped, newlines → <br> (never a raw newline).

    Data never brings a newline into the page, so nothing a filing says can end a raw HTML block
    or start a Markdown construct.
    """
    if value is None:
        return ""
    if isinstance(value, Markup):
        return value
    if isinstance(value, str):
        return Markup("<br>").join(escape(clean_text(line)) for line in value.splitlines())
    return value


def _env() -> jinja2.Environment:
    env = jinja2.Environment(
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
    env.globals["pct"] = fmt_pct
    env.globals["ratio"] = ratio
    return env


# --- the generator ------------------------------------------------------------------------------


class Generator:
    def __init__(
        self,
        repo: Repository,
        status: dict[str, Any],
        provenance: Provenance,
        history: dict[str, list[tuple[date, float]]] | None = None,
        downloads: Sequence[tuple[str, str]] = (),
        nav_unit_limit: int = NAV_UNIT_LIMIT,
    ) -> None:
        self.repo = repo
        self.plan = repo.plan
        self.root = Path(repo.root)
        self.st = StatusView(status)
        self.as_of = self.st.as_of
        self.prov = provenance
        self.history = history or {}
        self.downloads = list(downloads)  # (site path, label)
        self.units_in_nav = len(self.plan.units) <= nav_unit_limit
        self.env = _env()
        self.copies: dict[str, ShippedFile] = {}
        self.visible = sorted(
            (f for f in repo.filings if f.as_of <= self.as_of),
            key=lambda f: (f.as_of, f.period, f.revision, f.unit),
        )
        self.by_unit: dict[str, list[Filing]] = defaultdict(list)
        for f in self.visible:
            self.by_unit[f.unit].append(f)
        self.by_path = {f.path: f for f in repo.filings}
        self.unit_order = {u: i for i, u in enumerate(self.plan.units)}
        self.page = "index"  # the page being rendered (for relative links)

    # -- links -----------------------------------------------------------------------------

    def url(self, to: str, anchor: str = "") -> str:
        """Relative URL from the page being rendered to page `to` (a site path)."""
        here = posixpath.dirname(self.page)
        rel = posixpath.relpath(to + ".html", here or ".")
        return rel + (f"#{anchor}" if anchor else "")

    def file_url(self, path: str) -> str:
        here = posixpath.dirname(self.page)
        return posixpath.relpath(path, here or ".")

    def link(self, to: str, text: Any, anchor: str = "", cls: str = "") -> Markup:
        attr = f' class="{escape(cls)}"' if cls else ""
        return Markup(f'<a href="{escape(self.url(to, anchor))}"{attr}>{escape(one_line(text))}</a>')

    def unit_link(self, unit: str) -> Markup:
        if unit in self.plan.units:
            return self.link(f"units/{unit}", self.plan.label(unit))
        return Markup(escape(unit))

    def task_link(self, task: str, with_title: bool = True) -> Markup:
        t = self.plan.tasks.get(task)
        if t is None:
            return Markup(escape(task))
        return self.link(f"tasks/{task}", f"{task} {t.title}" if with_title else task)

    def target_link(self, target: str) -> Markup:
        t = self.plan.targets.get(target)
        return self.link(f"targets/{target}", t.title if t else target)

    def filing_link(self, unit: str, period: str, text: Any | None = None) -> Markup:
        return self.link("ledger", period if text is None else text, anchor_filing(unit, period))

    def light(self, kind: str, code: str | None) -> Markup:
        text, colour = labels.status(kind, code)
        return Markup(
            f'<span class="tk-status tk-{colour}"><span class="tk-dot" aria-hidden="true"></span>'
            f"{escape(text)}</span>"
        )

    def row_light(self, kind: str, row: dict[str, Any] | None) -> Markup:
        """A status row's light, the blue 临期 light beside it when it is due soon, and for a
        per-unit minimum's city row how many units have met it."""
        if row is None:
            return self.light(kind, None)
        out = self.light(kind, row.get("status"))
        if row.get("due_soon"):
            out += Markup(' <span class="tk-status tk-blue" title="期限在预警天数之内且未完成">'
                          '<span class="tk-dot" aria-hidden="true"></span>临期</span>')
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
        }

    def figure_link(self, fig: dict[str, Any]) -> Markup:
        """A unit figure linked to the ledger row of the filing it came from (its provenance)."""
        text = fmt_num(fig["value"])
        src = fig["source"]
        if src is None or fig["value"] is None:
            return Markup(escape(text))
        return self.link("ledger", text, anchor_filing(src["unit"], src["period"]),
                         cls="tk-figure-link")

    def filing_at(self, src: dict[str, Any]) -> Filing | None:
        path = src.get("path")
        if path and path in self.by_path:
            return self.by_path[path]
        return self.filing_of(src["unit"], src["period"])

    # -- helpers over filings (display only: which report to show, not what status it gives) -

    def latest_task_reports(self, task: Task) -> dict[str, Filing]:
        latest: dict[str, Filing] = {}
        for f in self.visible:
            if task.id in f.tasks:
                latest[f.unit] = f
        return latest

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

    # -- rendering ------------------------------------------------------------------------

    def render(self, template: str, page: str, **context: Any) -> str:
        self.page = page
        tpl = self.env.get_template(template)
        body = tpl.render(g=self, plan=self.plan, st=self.st, as_of=self.as_of, **context)
        return body.rstrip("\n") + "\n\n" + self.footer() + "\n"

    def footer(self) -> str:
        parts = [f"数据截至 {self.as_of.isoformat()}"]
        if self.prov.head is not None:
            parts.append(f"数据版本 {self.prov.head.short}({self.prov.head.day})")
            if self.prov.dirty:
                parts.append("含未提交的修改")
        parts.append("由 tracker 根据仓库中的计划和报送文件生成")
        text = " · ".join(parts)
        return f'<div class="tk-footer">{escape(text)} · {self.link("methodology", "计算方法")}</div>'

    def site_title(self) -> str:
        return self.repo.config.title or self.plan.info.title

    def generate(self) -> SiteContent:
        pages: list[Page] = []
        plan = self.plan
        pages.append(Page("index", "首页", self.home()))
        pages.append(Page("targets/index", "指标", self.render("targets_index.html", "targets/index")))
        for t in plan.targets.values():
            pages.append(Page(f"targets/{t.id}", t.title, self.target_page(t)))
        pages.append(Page("tasks/index", "任务", self.render("tasks_index.html", "tasks/index")))
        for task in plan.tasks.values():
            pages.append(Page(f"tasks/{task.id}", f"{task.id} {task.title}", self.task_page(task)))
        pages.append(Page("units/index", "单位", self.units_index()))
        for unit in plan.units:
            pages.append(
                Page(f"units/{unit}", plan.units[unit].name, self.unit_page(unit), self.units_in_nav)
            )
        pages.append(Page("ledger", "报送台账", self.ledger(), wide=True))
        pages.append(Page("methodology", "计算方法", self.methodology()))
        pages.append(Page("downloads", "下载", self.render("downloads.html", "downloads",
                                                          downloads=self.downloads)))
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
            banner=DEMO_BANNER if self.repo.config.demo else "",
            warnings=warnings,
            js=["assets/tracker.js"],
        )

    # -- the pages --------------------------------------------------------------------------

    def home(self) -> str:
        plan, st = self.plan, self.st
        target_rows = [(t, st.city(t.id)) for t in plan.targets.values()]
        task_rows = [(t, st.tasks.get(t.id)) for t in plan.tasks.values()]
        filing_rows = list(st.filings.values())

        def count(kind: str, codes: Iterable[str | None]) -> dict[str, int]:
            c = {light: 0 for light in labels.LIGHT_ORDER}
            for code in codes:
                c[labels.status(kind, code)[1]] += 1
            return c

        counts = {
            "target": count("target", [r.get("status") if r else None for _, r in target_rows]),
            "task": count("task", [r.get("status") if r else None for _, r in task_rows]),
            "filing": count("filing", [r.get("status") for r in filing_rows]),
        }
        # Missing and late filings of the most recent due periods, all of them listed.
        due_periods = sorted({(r["due"], r["period"]) for r in filing_rows}, reverse=True)
        recent = [p for _, p in due_periods[:2]]
        problems = sorted(
            (r for r in filing_rows if r.get("status") in ("missing", "late") and r["period"] in recent),
            key=lambda r: (r["period"], r.get("status") != "missing",
                           self.unit_order.get(r["unit"], 0)),
            reverse=False,
        )
        problems.sort(key=lambda r: r["period"], reverse=True)
        older = sum(
            1 for r in filing_rows
            if r.get("status") in ("missing", "late") and r["period"] not in recent
        )
        latest = sorted(self.visible, key=lambda f: (f.reported_on, f.as_of, f.unit), reverse=True)[:10]
        ranking = st.index if len(st.index) <= NAV_UNIT_LIMIT else st.index[:10]
        return self.render(
            "home.html", "index", target_rows=target_rows, counts=counts, problems=problems,
            recent=recent, older=older, latest=latest, ranking=ranking,
            ranking_all=len(ranking) == len(st.index), light_zh=labels.LIGHT_ZH,
            lights=labels.LIGHT_ORDER, task_rows=task_rows,
        )

    def target_page(self, t: Target) -> str:
        city = self.st.city(t.id)
        expected = [(p.by, float(p.value)) for p in t.points]
        actual = [(d, float(v)) for d, v in self.history.get(t.id, []) if v is not None]
        chart = charts.progress_chart(
            title=t.title, unit_label=t.unit_label, expected=expected, actual=actual,
            as_of=self.as_of, start=self.plan.info.start, end=self.plan.info.end,
        )
        rows = [self.figure(t, unit) for unit in t.reported_by]
        return self.render(
            "target.html", f"targets/{t.id}", t=t, city=city, chart=Markup(chart), rows=rows,
            goal_text=self.goal_text(t),
        )

    def task_page(self, task: Task) -> str:
        latest = self.latest_task_reports(task)
        timeline: dict[str, list[Filing]] = defaultdict(list)
        for f in self.visible:
            if task.id in f.tasks:
                timeline[f.period].append(f)
        periods = sorted(timeline, reverse=True)
        for p in periods:
            timeline[p].sort(key=lambda f: self.unit_order.get(f.unit, 0))
        targets = [t for t in self.plan.targets.values() if t.task == task.id]
        return self.render(
            "task.html", f"tasks/{task.id}", task=task, row=self.st.tasks.get(task.id),
            latest=latest, timeline=timeline, periods=periods, targets=targets,
            progress=labels.PROGRESS,
        )

    def units_index(self) -> str:
        rows = []
        for unit_id, unit in self.plan.units.items():
            fr = [r for (u, _), r in self.st.filings.items() if u == unit_id]
            rows.append({
                "unit": unit, "index": self.st.index_of.get(unit_id),
                "on_time": sum(1 for r in fr if r.get("status") == "on_time"),
                "late": sum(1 for r in fr if r.get("status") == "late"),
                "missing": sum(1 for r in fr if r.get("status") == "missing"),
                "due": len(fr), "filed": len(self.by_unit.get(unit_id, [])),
            })
        return self.render("units_index.html", "units/index", rows=rows, kinds=labels.KIND)

    def unit_page(self, unit_id: str) -> str:
        unit = self.plan.units[unit_id]
        targets = [self.figure(t, unit_id) for t in self.unit_targets(unit_id)]
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
            {p for (u, p) in self.st.filings if u == unit_id}
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
            tasks=tasks, record=record, value_targets=value_targets,
            index=self.st.index_of.get(unit_id), index_count=len(self.st.index),
            progress=labels.PROGRESS,
        )

    def ledger(self) -> str:
        rows = []
        filings = sorted(
            self.visible,
            key=lambda f: (self.unit_order.get(f.unit, len(self.unit_order)), f.unit, f.period),
        )
        # Per unit, newest period first; the first row of each unit carries the unit anchor.
        grouped: dict[str, list[Filing]] = defaultdict(list)
        for f in filings:
            grouped[f.unit].append(f)
        for items in grouped.values():
            for i, f in enumerate(sorted(items, key=lambda f: f.period, reverse=True)):
                rows.append({
                    "f": f, "first": i == 0, "row": self.st.filings.get((f.unit, f.period)),
                    "history": self.prov.of(f.path) if self.prov.available else None,
                    "uncommitted": f.path in self.prov.uncommitted,
                    "required": f.unit in self.plan.reporting.required,
                })
        return self.render("ledger.html", "ledger", rows=rows, prov=self.prov)

    def methodology(self) -> str:
        plan = self.plan
        rules = sorted(RULES.values(), key=lambda r: r.id)
        reporting = plan.reporting
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
        )


def generate(
    repo: Repository,
    status: dict[str, Any],
    provenance: Provenance,
    *,
    history: dict[str, list[tuple[date, float]]] | None = None,
    downloads: Sequence[tuple[str, str]] = (),
    nav_unit_limit: int | None = None,
) -> SiteContent:
    """Every page of the site, from the status JSON, the repository and its provenance."""
    limit = NAV_UNIT_LIMIT if nav_unit_limit is None else nav_unit_limit
    return Generator(repo, status, provenance, history, downloads, limit).generate()
