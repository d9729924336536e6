"""The 督办通报 as a document: a title, headings, paragraphs and tables, in Chinese.

Pure: a Bulletin (three statuses of the engine, tracker.report.data) and the plan in, a
`Document` out, which the Word, Markdown and HTML renderers lay out alike. Every figure is
printed from a row of the engine — actual, expected (序时进度), goal, status, score, rank —
never worked out again; the only arithmetic here is presentation (a completion rate
actual ÷ goal to one decimal, counts of rows, the difference of two ranks). Every text is one
line without control or bidi-override characters (a title from the plan cannot break a
table, a Word file or the page).

Sections (numbered in order, those without content left out — docs/report.md):
一、总体情况 二、亮灯情况 三、指标完成情况 四、重点任务推进情况 五、报送情况 六、<index>排名
七、各单位情况 八、下步工作要求, then a note on the method and the signature placeholders.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from tracker.model import Plan
from tracker.periods import Period
from tracker.report.data import Bulletin
from tracker.status import (
    CITY,
    FILING_CODES,
    TARGET_CODES,
    TASK_CODES,
    FilingStatus,
    IndexEntry,
    TargetStatus,
    TaskStatus,
    label,
    light,
    round1,
)
from tracker.text import one_line

SEP = "、"
NONE = "—"


@dataclass(frozen=True)
class Heading:
    text: str
    level: int  # 0: the title; 1: 一、…; 2: (一)…


@dataclass(frozen=True)
class Para:
    text: str
    kind: str = "body"  # body | docno | salutation | demo | placeholder | note | signature | date


@dataclass(frozen=True)
class Table:
    key: str  # what the table is (tests and renderers address it by this)
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[int, ...]  # relative column widths


Block = Heading | Para | Table


@dataclass(frozen=True)
class Document:
    title: str
    blocks: tuple[Block, ...]
    issue: date
    demo: bool

    def table(self, key: str) -> Table | None:
        return next((b for b in self.blocks if isinstance(b, Table) and b.key == key), None)


# --- words and numbers --------------------------------------------------------------------

_DIGITS = "零一二三四五六七八九"
_QUARTERS = {1: "第一季度", 2: "第二季度", 3: "第三季度", 4: "第四季度"}


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九, 100 and more in digits."""
    if n < 10:
        return _DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")
    return str(n)


def zh_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def period_zh(period: Period) -> str:
    if period.cadence == "quarterly":
        return f"{period.year}年{_QUARTERS[period.number]}"
    if period.cadence == "monthly":
        return f"{period.year}年{period.number}月"
    return f"{period.year}年度"


def num(value: int | None) -> str:
    return NONE if value is None else str(value)


def rate(actual: int | None, goal: int) -> str:
    """完成率 actual ÷ goal in percent, one decimal (presentation only)."""
    if actual is None or goal <= 0:
        return NONE
    return f"{round1(Fraction(100 * actual, goal))}%"


def score(value: Fraction) -> str:
    shown = round1(value)
    return f"{shown:.1f}" if shown is not None else NONE


# How the 通报's sentences name filing statuses ("按时报送 5 个").
FILING_WORDS = {"on_time": "按时报送", "late": "逾期报送", "missing": "未报送", "upcoming": "待报送"}


def counts(codes: Iterable[str], order: Sequence[str], kind: str) -> str:
    """"已完成2项、正常推进5项" in the order of `order`, non-zero counts only (filings: 个)."""
    c = Counter(codes)
    if kind == "filing":
        return SEP.join(f"{FILING_WORDS[code]}{c[code]}个" for code in order if c[code])
    return SEP.join(f"{label(kind, code)}{c[code]}项" for code in order if c[code])


# --- the document -------------------------------------------------------------------------


class _Composer:
    def __init__(self, b: Bulletin, plan: Plan, site_url: str, demo: bool) -> None:
        self.b, self.plan, self.site_url, self.demo = b, plan, site_url, demo
        self.d = b.dates
        self.blocks: list[Block] = []
        self.section = 0
        self.period = str(self.d.period)
        self.period_rows = [f for f in b.filings if f.period == self.period]
        self.prev_index = {e.unit: e for e in b.previous.index} if self.d.has_previous else {}

    # helpers
    def h1(self, text: str) -> None:
        self.section += 1
        self.blocks.append(Heading(one_line(f"{cn_number(self.section)}、{text}"), 1))

    def h2(self, text: str) -> None:
        self.blocks.append(Heading(one_line(text), 2))

    def p(self, text: str, kind: str = "body") -> None:
        self.blocks.append(Para(one_line(text), kind))

    def table(self, key: str, header: Sequence[str], rows: Iterable[Sequence[str]],
              widths: Sequence[int]) -> None:
        self.blocks.append(Table(key, tuple(header), tuple(tuple(one_line(c) for c in r)
                                                           for r in rows), tuple(widths)))

    def target_name(self, target: str) -> str:
        t = self.plan.targets.get(target)
        return t.title if t else target

    def task_name(self, task: str) -> str:
        t = self.plan.tasks.get(task)
        return f"{task} {t.title}" if t else task

    def lead_name(self, t: TaskStatus) -> str:
        return self.plan.label(t.lead) if t.lead else "(无牵头单位)"

    def scope_name(self, scope: str) -> str:
        return "全市" if scope == CITY else self.plan.label(scope)

    # sections
    def compose(self) -> Document:
        period_text = period_zh(self.d.period)
        title = one_line(f"关于{period_text}《{self.plan.info.title}》推进情况的通报")
        self.p(f"××〔{self.d.issue.year}〕×号", "docno")
        self.blocks.append(Heading(title, 0))
        if self.demo:
            self.p("演示数据(虚构),不代表真实进展", "demo")
        self.p("各责任单位:", "salutation")
        draft = (f"(报送截止日为{zh_date(self.d.due)},本稿报送情况截至{zh_date(self.d.issue)},"
                 "尚未报送的单位列为待报送。)") if self.d.draft else ""
        self.p(f"现将{period_text}《{self.plan.info.title}》推进情况通报如下。指标和任务数据截至"
               f"{zh_date(self.d.end)}(期末),报送情况截至{zh_date(self.d.issue)}。{draft}")
        self.overview()
        self.lights()
        self.targets()
        self.tasks()
        self.filings()
        self.index()
        self.units()
        self.h1("下步工作要求")
        self.p("(请督办办公室填写:针对红灯、黄灯事项的督办要求和责任单位。)", "placeholder")
        self.note()
        self.p("(发文单位)", "signature")
        self.p(zh_date(self.d.issue), "date")
        return Document(title, tuple(self.blocks), self.d.issue, self.demo)

    def overview(self) -> None:
        fig = self.b.figures
        self.h1("总体情况")
        city = [t for t in fig.targets if t.scope == CITY]
        parts = []
        if city:
            soon = sum(t.due_soon for t in city)
            parts.append(f"截至{zh_date(self.d.end)},全市{len(city)}项量化指标中,"
                         f"{counts((t.status for t in city), _TARGET_ORDER, 'target')}"
                         + (f";{soon}项临期(蓝灯)" if soon else "") + "。")
        if fig.tasks:
            closed = len(self.b.delta.closed)
            parts.append(f"{len(fig.tasks)}项重点任务中,"
                         f"{counts((t.status for t in fig.tasks), TASK_CODES, 'task')};"
                         f"本期销号{closed}项。")
        if self.period_rows:
            parts.append(f"本期({self.period})应报送{len(self.period_rows)}个单位,截至"
                         f"{zh_date(self.d.issue)}"
                         f"{counts((f.status for f in self.period_rows), FILING_CODES, 'filing')}。")
        if self.plan.index is not None and fig.index_has_goals:
            top = [e for e in fig.index if e.rank <= 3]
            parts.append(f"{self.plan.index.title}排名前列的是"
                         + SEP.join(f"{self.plan.label(e.unit)}({score(e.score)}分)" for e in top)
                         + "。")
        moves = [m for m in self.b.delta.targets if m.scope == CITY and m.old and m.new]
        if moves and self.d.has_previous:
            parts.append("与上期相比," + ";".join(
                f"{self.target_name(m.target)}由{label('target', m.old or '')}转为"
                f"{label('target', m.new or '')}" for m in moves) + "。")
        self.p("".join(parts) if parts else "本期没有可通报的数据。")

    def lights(self) -> None:
        fig, issue = self.b.figures, self.b.filings
        scopes: dict[str, dict[str, list[str]]] = {}

        def add(scope: str, colour: str, text: str) -> None:
            scopes.setdefault(scope, {"red": [], "yellow": [], "blue": []})[colour].append(text)

        for t in fig.targets:
            colour = light("target", t.status)
            text = f"{self.target_name(t.target)}({label('target', t.status)})"
            if colour in ("red", "yellow"):
                add(t.scope, colour, text)
            if t.due_soon:
                add(t.scope, "blue", f"{self.target_name(t.target)}({t.deadline.isoformat()}到期)")
        for task in fig.tasks:
            scope = task.lead or CITY
            colour = light("task", task.status)
            if colour in ("red", "yellow"):
                add(scope, colour, f"任务{task.task}({label('task', task.status)})")
            if task.due_soon:
                add(scope, "blue", f"任务{task.task}({task.due.isoformat()}到期)")
        for f in issue:
            # the period's own lights, and older filings still missing
            if f.period == self.period or f.status == "missing":
                colour = light("filing", f.status)
                if colour in ("red", "yellow"):
                    add(f.unit, colour, f"{f.period}报送({label('filing', f.status)})")
        self.h1("亮灯情况")
        order = [CITY, *self.plan.units]
        rows = [(self.scope_name(s), SEP.join(v["red"]) or NONE, SEP.join(v["yellow"]) or NONE,
                 SEP.join(v["blue"]) or NONE)
                for s in order if (v := scopes.get(s)) is not None]
        red = sum(len(v["red"]) for v in scopes.values())
        yellow = sum(len(v["yellow"]) for v in scopes.values())
        blue = sum(len(v["blue"]) for v in scopes.values())
        self.p(f"本期红灯{red}项、黄灯{yellow}项、蓝灯(临期){blue}项,按单位列示如下(全市指标和"
               "无牵头单位的任务列在“全市”)。" if rows else "本期没有红灯、黄灯或蓝灯事项。")
        if rows:
            self.table("lights", ("单位", "红灯", "黄灯", "蓝灯(临期)"), rows, (3, 7, 7, 5))

    def targets(self) -> None:
        city = [t for t in self.b.figures.targets if t.scope == CITY]
        if not city:
            return
        self.h1("指标完成情况")
        self.p(f"截至{zh_date(self.d.end)}各项指标的实际值、序时进度(按计划节点间日历天数直线"
               "插值,取整数)和状态如下。")
        rows = []
        for i, t in enumerate(city, 1):
            target = self.plan.targets.get(t.target)
            name = self.target_name(t.target) + (f"({target.unit_label})" if target else "")
            rows.append((str(i), name, str(t.goal), t.deadline.isoformat(), num(t.actual),
                         str(t.expected), rate(t.actual, t.goal), self.target_status(t)))
        self.table("targets", ("序号", "指标", "目标值", "完成时限", "实际值", "序时进度", "完成率",
                               "状态"), rows, (2, 9, 3, 5, 3, 3, 3, 5))

    def target_status(self, t: TargetStatus) -> str:
        text = label("target", t.status)
        if t.due_soon:
            text += "(临期)"
        if t.units_total is not None:
            text += f",达标{t.units_met}/{t.units_total}个单位"
        return text

    def tasks(self) -> None:
        fig = self.b.figures
        if not fig.tasks:
            return
        self.h1("重点任务推进情况")
        by_id = {t.task: t for t in fig.tasks}
        self.p(f"截至{zh_date(self.d.end)},{len(fig.tasks)}项重点任务中,"
               f"{counts((t.status for t in fig.tasks), TASK_CODES, 'task')}。")
        sub = 0

        def h2(text: str) -> None:
            nonlocal sub
            sub += 1
            self.h2(f"({cn_number(sub)}){text}")

        closed = [by_id[m.task] for m in self.b.delta.closed if m.task in by_id]
        h2("本期销号任务")
        if closed:
            self.table("tasks_closed", ("序号", "任务", "牵头单位", "销号申请日期", "销号日期"), [
                (str(i), self.task_name(t.task), self.lead_name(t),
                 t.claim.on.isoformat() if t.claim else NONE, self.closed_on(t))
                for i, t in enumerate(closed, 1)], (2, 10, 5, 4, 4))
        else:
            self.p("本期没有销号的任务。")
        if fig.closure == "review":
            pending = [t for t in fig.tasks if t.status == "pending_review"]
            h2("待审核销号任务")
            if pending:
                self.table("tasks_pending", ("序号", "任务", "牵头单位", "销号申请日期"), [
                    (str(i), self.task_name(t.task), self.lead_name(t),
                     t.claim.on.isoformat() if t.claim else NONE)
                    for i, t in enumerate(pending, 1)], (2, 12, 6, 5))
            else:
                self.p("没有待审核销号的任务。")
        late = [t for t in fig.tasks if t.status == "overdue" or t.due_soon]
        h2("逾期和临期任务")
        if late:
            self.table("tasks_late", ("序号", "任务", "牵头单位", "完成时限", "状态"), [
                (str(i), self.task_name(t.task), self.lead_name(t), t.due.isoformat(),
                 label("task", t.status) + ("(临期)" if t.due_soon else ""))
                for i, t in enumerate(late, 1)], (2, 10, 5, 4, 4))
        else:
            self.p("没有逾期或临期的任务。")

    def closed_on(self, t: TaskStatus) -> str:
        if t.decision is not None and t.decision.decision == "approved":
            return t.decision.on.isoformat()
        return t.claim.on.isoformat() if t.claim else NONE

    def filings(self) -> None:
        rows_now = self.period_rows
        older = [f for f in self.b.filings
                 if f.period != self.period and f.status == "missing"]
        if not rows_now and not older:
            return
        self.h1("报送情况")
        c = Counter(f.status for f in rows_now)
        text = (f"本期({self.period},报送截止日{zh_date(self.d.due)})应报送{len(rows_now)}个"
                f"单位,截至{zh_date(self.d.issue)}按时报送{c['on_time']}个、逾期报送{c['late']}个、"
                f"未报送{c['missing']}个")
        if c["upcoming"]:
            text += f"、待报送{c['upcoming']}个"
        text += "。"
        if older:
            text += f"此前各期仍未报送{len(older)}份。"
        listed = [f for f in rows_now if f.status != "on_time"] + older
        self.p(text + ("逾期报送和未报送的列示如下。" if listed else "各单位均按时报送。"))
        if listed:
            self.table("filings", ("序号", "单位", "期次", "截止日期", "报送日期", "状态"),
                       [self.filing_row(i, f) for i, f in enumerate(listed, 1)],
                       (2, 6, 4, 5, 5, 4))

    def filing_row(self, i: int, f: FilingStatus) -> tuple[str, ...]:
        return (str(i), self.plan.label(f.unit), f.period, f.due.isoformat(),
                f.reported_on.isoformat() if f.reported_on else NONE,
                label("filing", f.status))

    def index(self) -> None:
        ix = self.plan.index
        fig = self.b.figures
        if ix is None or not fig.index:
            return
        self.h1(f"{ix.title}排名")
        if not fig.index_has_goals:
            self.p("各单位尚无单位目标,本期不排名。")
            return
        weights = SEP.join(f"{self.target_name(c.target)}{c.weight:g}" for c in ix.components)
        prev = (f"上期为{zh_date(self.d.previous)}的排名。" if self.d.has_previous
                else "本期为计划首期,没有上期排名。")
        self.p(f"{ix.title}按各单位指标完成率(不超过100%)加权计算,满分100分(权重:{weights})。{prev}")
        rows = [self.index_row(e) for e in fig.index]
        self.table("index", ("排名", "单位", "得分", "上期排名", "上期得分", "排名变化"), rows,
                   (3, 7, 4, 4, 4, 4))

    def index_row(self, e: IndexEntry) -> tuple[str, ...]:
        before = self.prev_index.get(e.unit)
        if before is None:
            change = NONE
        elif before.rank > e.rank:
            change = f"上升{before.rank - e.rank}位"
        elif before.rank < e.rank:
            change = f"下降{e.rank - before.rank}位"
        else:
            change = "持平"
        return (str(e.rank), self.plan.label(e.unit), score(e.score),
                str(before.rank) if before else NONE, score(before.score) if before else NONE,
                change)

    def units(self) -> None:
        fig, issue = self.b.figures, self.b.filings
        # Each unit's rows, grouped in one pass (a scan per unit is quadratic: issue 14).
        rows_of: dict[str, list[TargetStatus]] = defaultdict(list)
        for t in fig.targets:
            rows_of[t.scope].append(t)
        led_of: dict[str | None, list[TaskStatus]] = defaultdict(list)
        for task in fig.tasks:
            led_of[task.lead].append(task)
        filed_of: dict[str, list[FilingStatus]] = defaultdict(list)
        for f in issue:
            if f.period == self.period or f.status == "missing":
                filed_of[f.unit].append(f)
        ranks = {e.unit: e for e in fig.index} if fig.index_has_goals else {}
        entries = []
        for unit in self.plan.units:
            rows = rows_of.get(unit, [])
            led = led_of.get(unit, [])
            filed = filed_of.get(unit, [])
            rank = ranks.get(unit)
            if not (rows or led or filed):
                continue
            parts = []
            if rows:
                detail = ";".join(
                    f"{self.target_name(t.target)}实际{num(t.actual)}、序时进度{t.expected}、"
                    f"目标{t.goal}({self.target_status(t)})"
                    for t in rows if t.status != "done")
                parts.append(f"指标{len(rows)}项:"
                             f"{counts((t.status for t in rows), _TARGET_ORDER, 'target')}"
                             + (f"。其中{detail}" if detail else ""))
            if led:
                open_ = SEP.join(f"{self.task_name(t.task)}({label('task', t.status)})"
                                 for t in led if light("task", t.status) != "green")
                parts.append(f"牵头任务{len(led)}项:"
                             f"{counts((t.status for t in led), TASK_CODES, 'task')}"
                             + (f",其中{open_}" if open_ else ""))
            for f in filed:
                when = f"({f.reported_on.isoformat()})" if f.reported_on else ""
                parts.append(f"{f.period}报送:{FILING_WORDS[f.status]}{when}")
            if rank is not None and self.plan.index is not None:
                before = self.prev_index.get(unit)
                prev = f"(上期第{before.rank}位)" if before else ""
                parts.append(f"{self.plan.index.title}{score(rank.score)}分,"
                             f"排名第{rank.rank}位{prev}")
            entries.append((unit, "。".join(parts) + "。"))
        if not entries:
            return
        self.h1("各单位情况")
        for i, (unit, text) in enumerate(entries, 1):
            self.h2(f"({cn_number(i)}){self.plan.label(unit)}")
            self.p(text)

    def note(self) -> None:
        th = self.plan.thresholds
        rule = (f"落后序时进度{th.points[0]:g}个百分点以内为正常推进,{th.points[1]:g}个百分点以内"
                "为滞后,其余为严重滞后" if th.points else
                f"实际值不低于序时进度为正常推进,不低于序时进度的{th.lagging:g}倍为滞后,其余为严重滞后")
        site = f"详细数据见 {self.site_url}。" if self.site_url else ""
        self.p(f"附注:本通报由 tracker 根据各单位报送计算,与 tracker status --as-of "
               f"{self.d.end.isoformat()}(指标、任务、排名)和 --as-of {self.d.issue.isoformat()}"
               f"(报送)的结果一致。{rule};红灯为严重滞后、逾期,黄灯为滞后、未启动、待审核销号、"
               f"逾期报送、待报送,蓝灯为{th.warn_days}天内到期尚未完成(临期)。{site}", "note")


# Status counts list targets best first, as 通报 do (已完成, 正常推进, 滞后, …).
_TARGET_ORDER = ("done", "on_track", "lagging", "off_track", "overdue", "not_reported")
assert set(_TARGET_ORDER) == set(TARGET_CODES)


def compose(b: Bulletin, plan: Plan, *, site_url: str = "", demo: bool = False) -> Document:
    """The 通报 of a Bulletin as a document."""
    return _Composer(b, plan, site_url, demo).compose()
