"""Starting a filing (`tracker new`) and preparing an amendment of one (`tracker amend`).

A new filing is written as text, not dumped from data: it carries a `yaml-language-server`
schema line and a Chinese comment on every field, so an editor who has never seen YAML can
fill it in a web editor. What tracker knows is written in; what it does not know is left
for the editor in a way that validation catches:

* a target's `value` is pre-filled with the unit's latest earlier figure (values are
  cumulative, so the last figure is the best conservative start), with that figure and its
  period in a comment; a target with no earlier figure gets an empty `value:`, which
  `tracker validate` reports at its line until it is filled;
* a task's `progress` is pre-filled likewise from the latest earlier filing, else left empty
  (reported until chosen); `summary` starts empty: it is this period's narrative.

An amendment is made by editing the text of the merged file in place (revision + 1, an empty
`amendment_reason` to fill), so comments and layout survive; it is never round-tripped
through a YAML dumper.

Both write atomically (a temporary file in the same folder, then a rename).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from tracker.atomic import FileExists, atomic_write
from tracker.diagnostics import did_you_mean
from tracker.errors import TrackerError
from tracker.model import Filing, Plan, Target, Task
from tracker.periods import EXAMPLE, LABEL_ZH, Period, not_a_period_zh
from tracker.repository import Scope, display_path, load
from tracker.text import BOM, C1, SEPARATORS, one_line
from tracker.yamlio import DEFAULT_MAX_BYTES, NumberTooLong, parse_text, resolve_plain

SCHEMA_NAME = "filing.schema.json"
PROGRESS_ZH = {"not_started": "未启动", "in_progress": "推进中", "done": "已完成"}


# --- what a filing will contain -----------------------------------------------------------


@dataclass
class TargetDraft:
    target: Target
    value: int | None = None
    note: str = ""
    evidence: list[dict[str, str]] = field(default_factory=list)
    previous: tuple[str, int] | None = None  # (period, value) of the latest earlier figure


@dataclass
class TaskDraft:
    task: Task
    role: str  # 牵头 | 配合 | 责任单位
    progress: str | None = None
    summary: str = ""
    problems: str = ""
    next_steps: str = ""
    evidence: list[dict[str, str]] = field(default_factory=list)
    previous: tuple[str, str, str] | None = None  # (period, progress, summary)


@dataclass
class Draft:
    unit: str
    unit_label: str
    period: Period
    as_of: date
    reported_on: date
    targets: list[TargetDraft]
    tasks: list[TaskDraft]
    revision: int = 1
    amendment_reason: str | None = None  # None: no field; "": an empty field to fill
    generated_by: str = "tracker new"


@dataclass
class NewSettings:
    root: Path = Path(".")
    unit: str = ""
    period: str = ""
    as_of: date | None = None
    reported_on: date | None = None
    xlsx: Path | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    today: date | None = None  # tests pin the clock


def role_of(task: Task, unit: str) -> str:
    if task.lead is None:
        return "责任单位"
    return "牵头" if task.lead == unit else "配合"


def parse_period(plan: Plan, text: str) -> Period:
    """A period the plan accepts, or a TrackerError that says what to write instead."""
    cadence = plan.reporting.cadence
    period = Period.parse(text, cadence)
    if period is None:
        raise TrackerError(
            not_a_period_zh(text, cadence),
            hint=f"本计划按{LABEL_ZH[cadence]}报送，期次写成 {EXAMPLE[cadence]} 这样。",
        )
    if period.end < plan.info.start or period.start > plan.info.end:
        raise TrackerError(f"期次 {text} 不在计划期 {plan.info.start} 至 {plan.info.end} 内")
    return period


def check_unit(plan: Plan, unit: str) -> None:
    if unit not in plan.units:
        raise TrackerError(
            f"单位 {unit} 不存在",
            hint=did_you_mean(unit, plan.units) + "单位编号见 plan/units.yaml：" + "、".join(plan.units),
        )


def filing_path(root: Path, unit: str, period: Period) -> Path:
    return root / "submissions" / unit / f"{period}.yaml"


def make_draft(
    plan: Plan, filings: Iterable[Filing], unit: str, period: Period,
    as_of: date | None = None, reported_on: date | None = None, today: date | None = None,
) -> Draft:
    """Everything the unit reports for the period, with its latest earlier figures."""
    check_unit(plan, unit)
    if as_of is not None and not period.contains(as_of):
        raise TrackerError(f"--as-of {as_of} 不在期次 {period}({period.start} 至 {period.end})内",
                           hint="as_of 是数据截至日期，应在本期之内，通常为期末(默认)。")
    targets = [t for t in plan.targets.values() if plan.reports(t, unit)]
    tasks = plan.tasks_of(unit)
    if not targets and not tasks:
        raise TrackerError(f"单位 {unit} 没有需要报送的指标或任务",
                           hint="plan/targets.yaml 的 reported_by 和 plan/tasks.yaml 的 units 中都没有它。")
    earlier = sorted(
        (f for f in filings
         if f.unit == unit and (p := f.parsed_period) is not None and p < period),
        key=lambda f: (f.parsed_period, f.revision),
    )
    last_value: dict[str, tuple[str, int]] = {}
    last_task: dict[str, tuple[str, str, str]] = {}
    closing: dict[str, list[dict[str, str]]] = {}
    for f in earlier:  # oldest first: later ones overwrite
        for tid, rep in f.targets.items():
            last_value[tid] = (f.period, rep.value)
        for task_id, task_rep in f.tasks.items():
            last_task[task_id] = (f.period, task_rep.progress, task_rep.summary)
            # A task closed (销号) with evidence stays closed only if the evidence comes along.
            closing[task_id] = [
                {"title": e.title, **({"path": e.path} if e.path else {"url": e.url})}
                for e in task_rep.evidence
            ] if task_rep.progress == "done" else []
    draft_targets = []
    for t in targets:
        prev = last_value.get(t.id)
        draft_targets.append(TargetDraft(t, prev[1] if prev else None, previous=prev))
    draft_tasks = []
    for task in tasks:
        prev_task = last_task.get(task.id)
        draft_tasks.append(TaskDraft(task, role_of(task, unit),
                                     progress=prev_task[1] if prev_task else None,
                                     evidence=list(closing.get(task.id, [])),
                                     previous=prev_task))
    return Draft(
        unit=unit, unit_label=plan.units[unit].label, period=period,
        as_of=as_of or period.end, reported_on=reported_on or today or date.today(),
        targets=draft_targets, tasks=draft_tasks,
    )


def load_for_unit(root: Path, unit: str, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[Plan, list[Filing]]:
    """The plan and this unit's filings (only its folder is read)."""
    loaded = load(root, max_bytes=max_bytes,
                  scope=Scope(files=set(), units={unit}))
    if loaded.repo is None:
        raise TrackerError(
            "计划文件有错误，无法生成报送模板",
            hint="先运行 tracker validate 查看并改正 plan/ 中的错误。",
        )
    return loaded.repo.plan, [f for f in loaded.repo.filings if f.unit == unit]


# --- rendering ----------------------------------------------------------------------------


_YAML_BREAKS = re.compile(f"[{C1}{SEPARATORS}{BOM}\ufffe\uffff]")


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML). Characters JSON leaves as they
    are but YAML would fold (NEL, U+2028, U+2029) or refuse (DEL, C1, BOM, and the
    noncharacters U+FFFE and U+FFFF, which a YAML reader refuses anywhere in a file) are
    escaped, so the filing reads back exactly as written."""
    return _YAML_BREAKS.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(text, ensure_ascii=False))


def _key(text: str) -> str:
    try:
        plain = resolve_plain(text) if text else None
    except NumberTooLong:
        plain = None
    if isinstance(plain, str) and re.fullmatch(r"[a-z0-9][a-z0-9-]*", text):
        return text
    return _q(text)


_NONCHARACTERS = re.compile("[\ufffe\uffff]")


def comment_text(text: str) -> str:
    """Text from the plan or an earlier filing, fit for a comment line: YAML ends a comment at
    any line break (LF, CR, NEL, U+2028, U+2029), after which the rest of a title would be read
    as data, and refuses control characters and U+FFFE/U+FFFF anywhere in a file. Line breaks
    and runs of space become one space; the rest is dropped, as every output shows text
    (tracker.text.one_line)."""
    return _NONCHARACTERS.sub("", one_line(text))


def _one_line(text: str, limit: int = 60) -> str:
    flat = comment_text(text)
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def schema_reference(root: Path, file: Path) -> str:
    """Relative path from `file`'s folder to the nearest schemas/filing.schema.json.

    Looked for in the repository root and its parents (a demo inside the tool's own
    repository uses the tool's schemas/); without one, the path it would have in the root."""
    root = root.resolve()
    probe = root
    found = None
    while True:
        if (probe / "schemas" / SCHEMA_NAME).is_file():
            found = probe / "schemas" / SCHEMA_NAME
            break
        if (probe / ".git").exists() or probe.parent == probe:
            break
        probe = probe.parent
    target = found or root / "schemas" / SCHEMA_NAME
    return Path(os.path.relpath(target, file.resolve().parent)).as_posix()


class Lines:
    """Text being built line by line, remembering which data path each line carries."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.paths: dict[int, tuple[Any, ...]] = {}  # 1-based line → data path

    def add(self, text: str, path: tuple[Any, ...] | None = None) -> None:
        self.lines.append(text)
        if path is not None:
            self.paths[len(self.lines)] = path

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def _field(lines: Lines, indent: str, name: str, value: str, comment: str,
           path: tuple[Any, ...]) -> None:
    body = f"{indent}{name}: {value}" if value else f"{indent}{name}:"
    lines.add(f"{body:<28}  # {comment}" if comment else body, path)


def _evidence(lines: Lines, indent: str, items: list[dict[str, str]], path: tuple[Any, ...],
              example: str) -> None:
    if not items:
        lines.add(f"{indent}# evidence:                 # 佐证材料(可选)：每项写 title，再写 path(仓库内文件)或 url(https 链接)")
        lines.add(f"{indent}#   - {{title: 验收文件, path: {example}}}")
        return
    lines.add(f"{indent}evidence:", (*path, "evidence"))
    for j, item in enumerate(items):
        parts = [f"title: {_q(item['title'])}"]
        parts += [f"{k}: {_q(item[k])}" for k in ("path", "url") if item.get(k)]
        lines.add(f"{indent}  - {{{', '.join(parts)}}}", (*path, "evidence", j))


def target_head(plan: Plan, target: Target, unit: str) -> str:
    """The comment line above a target in a filing: its title, unit, the unit's and the
    city's goal (the site's filing form writes the same line: site/filing_page.py)."""
    goal = plan.unit_goal(target, unit)
    about = [f"计量单位：{comment_text(target.unit_label)}"]
    if goal is not None:
        about.append(f"本单位目标 {goal}")
    about.append(f"全市目标 {target.goal}(截至 {target.deadline})")
    return f"  # {comment_text(target.title)} —— {'，'.join(about)}"


def task_head(task: Task, role: str) -> str:
    """The comment line above a task in a filing (the filing form writes the same line)."""
    return f"  # {task.id} {comment_text(task.title)} —— 本单位：{role}"


def render(draft: Draft, plan: Plan, schema_ref: str) -> Lines:
    """The filing as commented YAML text."""
    out = Lines()
    p = draft.period
    out.add(f"# yaml-language-server: $schema={schema_ref}")
    out.add(f"# {comment_text(draft.unit_label)} {p} 报送 —— 由 {draft.generated_by} 生成。"
            "填写说明见仓库中的 submissions/README.md。")
    out.add("# 以 # 开头的是注释，不影响内容，可以保留。改完后运行 tracker validate 检查。")
    if draft.generated_by == "tracker new":
        out.add("# 已按上一期预填数值和进度(见各行注释)，请改为本期实际情况；空着的项必须填写。")
    period_text = str(p) if p.cadence != "annual" else _q(str(p))
    _field(out, "", "unit", _key(draft.unit), "报送单位编号(与文件夹名一致，不要改)", ("unit",))
    _field(out, "", "period", period_text, "报送期次(与文件名一致，不要改)", ("period",))
    _field(out, "", "as_of", draft.as_of.isoformat(),
           f"数据截至日期：须在 {p.start} 至 {p.end} 之内，通常为期末", ("as_of",))
    _field(out, "", "reported_on", draft.reported_on.isoformat(), "报送日期：提交报送的日期",
           ("reported_on",))
    _field(out, "", "revision", str(draft.revision),
           "修订次数：新报送为 1；修改已合并的报送请运行 tracker amend", ("revision",))
    if draft.amendment_reason is not None:
        _field(out, "", "amendment_reason", _q(draft.amendment_reason),
               "修订原因(必填)：说明改了什么、为什么", ("amendment_reason",))
    unit_id = draft.unit
    if draft.targets:
        out.add("targets:                      # 指标：填截至 as_of 的累计值(整数)，不是本期新增",
                ("targets",))
        for t in draft.targets:
            target = t.target
            out.add(target_head(plan, target, unit_id))
            out.add(f"  {_key(target.id)}:", ("targets", target.id))
            if t.previous:
                comment = f"上期 {t.previous[0]}：{t.previous[1]}"
                if draft.generated_by == "tracker new":
                    comment += "(已预填，请改为本期累计值)"
            else:
                comment = "必填：截至 as_of 的累计值(整数)"
            value = "" if t.value is None else str(t.value)
            _field(out, "    ", "value", value, comment, ("targets", target.id, "value"))
            if t.note:
                _field(out, "    ", "note", _q(t.note), "说明", ("targets", target.id, "note"))
            else:
                out.add("    # note: 说明(可选)，例如口径、增减原因")
            _evidence(out, "    ", t.evidence, ("targets", target.id),
                      f"evidence/{unit_id}/{p}/{target.id}.pdf")
    if draft.tasks:
        out.add("tasks:                        # 任务进展：本单位列为责任单位的任务", ("tasks",))
        for task_draft in draft.tasks:
            task = task_draft.task
            out.add(task_head(task, task_draft.role))
            out.add(f"  {_q(task.id)}:", ("tasks", task.id))
            choices = "not_started 未启动 | in_progress 推进中 | done 已完成"
            if task_draft.previous:
                prev = task_draft.previous
                comment = f"{choices}；上期 {prev[0]}：{prev[1]}"
            else:
                comment = f"必填，选一个：{choices}"
            _field(out, "    ", "progress", task_draft.progress or "", comment,
                   ("tasks", task.id, "progress"))
            _field(out, "    ", "summary", _q(task_draft.summary), "进展情况(必填)：本期做了什么",
                   ("tasks", task.id, "summary"))
            if task_draft.previous and task_draft.previous[2] and not task_draft.summary:
                out.add(f"    # 上期进展：{_one_line(task_draft.previous[2])}")
            for name, label in (("problems", "存在问题"), ("next_steps", "下步措施")):
                text = getattr(task_draft, name)
                if text:
                    _field(out, "    ", name, _q(text), label, ("tasks", task.id, name))
                else:
                    out.add(f"    # {name}: {label}(可选)")
            if task.lead == unit_id:
                out.add("    # 牵头单位标记 done(已完成/销号)时须附至少一项佐证材料")
            _evidence(out, "    ", task_draft.evidence, ("tasks", task.id),
                      f"evidence/{unit_id}/{p}/task-{task.id.replace('.', '-')}.pdf")
    return out


# --- writing ------------------------------------------------------------------------------


def new_filing(settings: NewSettings) -> tuple[Path, Draft]:
    """`tracker new` (YAML): write submissions/<unit>/<period>.yaml; never overwrite."""
    plan, filings = load_for_unit(settings.root, settings.unit, settings.max_bytes)
    check_unit(plan, settings.unit)
    period = parse_period(plan, settings.period)
    path = filing_path(settings.root, settings.unit, period)
    if path.exists():
        raise FileExists(
            f"{display_path(path)} 已存在，不会覆盖",
            hint=f"要修改已合并的报送，请运行 tracker amend {display_path(path)}。",
        )
    draft = make_draft(plan, filings, settings.unit, period, settings.as_of,
                       settings.reported_on, settings.today)
    text = render(draft, plan, schema_reference(settings.root, path)).text()
    atomic_write(path, text.encode("utf-8"), exclusive=True)
    return path, draft


# --- amendments ---------------------------------------------------------------------------

_REVISION = re.compile(r"^revision:[ \t]*(\d+)[ \t]*(#.*)?$", re.M)
_REASON = re.compile(r"^amendment_reason:.*$", re.M)


@dataclass
class Amendment:
    path: Path
    old_revision: int
    new_revision: int


def _committed_state(file: Path) -> int | str:
    """What git HEAD holds for `file`: its revision, or "no-git", "absent" or "unreadable"."""
    try:
        out = subprocess.run(
            ["git", "-c", "core.quotepath=off", "show", f"HEAD:./{file.name}"],
            cwd=file.resolve().parent, capture_output=True, timeout=30,
        )
        if out.returncode != 0:
            inside = subprocess.run(["git", "rev-parse", "--is-inside-work-tree"],
                                    cwd=file.resolve().parent, capture_output=True, timeout=30)
            return "absent" if inside.stdout.strip() == b"true" else "no-git"
    except (OSError, subprocess.SubprocessError):
        return "no-git"
    doc, _ = parse_text(out.stdout.decode("utf-8-sig", "replace"), file.name)
    rev = doc.data.get("revision") if doc is not None and isinstance(doc.data, dict) else None
    return rev if isinstance(rev, int) and not isinstance(rev, bool) else "unreadable"


def amend_text(text: str) -> tuple[str, int, int]:
    """Raise `revision` by one and open an empty `amendment_reason`, editing only those lines.

    A previous reason is kept as a comment (the history is in git too)."""
    newline = "\r\n" if "\r\n" in text else "\n"
    body = text.replace("\r\n", "\n")
    m = _REVISION.search(body)
    if m is None:
        raise TrackerError(
            "找不到顶格的 revision: 行，无法自动修订",
            hint="手工把 revision 加 1，并加一行 amendment_reason: 修订原因。",
        )
    old = int(m.group(1))
    new = old + 1
    reason_line = f'amendment_reason: ""  # 必填：说明本次(第 {new} 版)修订了什么、为什么'
    rev_line = body[m.start():m.end()]
    rev_line = rev_line[: m.start(1) - m.start()] + str(new) + rev_line[m.end(1) - m.start():]
    r = _REASON.search(body)
    if r is None:
        body = body[: m.start()] + rev_line + "\n" + reason_line + body[m.end():]
    else:
        # The old value may continue on indented lines (a block or a long plain scalar).
        lines = body[r.end():].split("\n")[1:]
        taken = 0
        for i, line in enumerate(lines):
            if line[:1] in (" ", "\t"):
                taken = i + 1
            elif line.strip():
                break
        old_reason = "\n".join([body[r.start(): r.end()], *lines[:taken]])
        stop = r.start() + len(old_reason) + 1
        kept = "\n".join(f"# 上一版(第 {old} 版)的{line}" if i == 0 else f"#   {line}"
                         for i, line in enumerate(old_reason.split("\n")))
        replacement = kept + "\n" + reason_line + "\n"
        body = body[: r.start()] + replacement + body[stop:]
        m = _REVISION.search(body)
        assert m is not None
        body = body[: m.start()] + rev_line + body[m.end():]
    return body.replace("\n", newline), old, new


def amended_text(text: str, data: dict[str, Any]) -> tuple[str, int, int] | None:
    """`amend_text(text)` when it reads back as `data` with revision + 1 and an empty reason;
    None when the filing is laid out in a way the line edit does not follow (a quoted reason
    continued at column 0, a line break YAML sees inside a line: valid YAML all the same).
    `tracker amend` then asks for the edit by hand; the site's filing form writes the filing
    anew (site/filing_page.py)."""
    try:
        new_text, old, new = amend_text(text)
    except TrackerError:
        return None
    check, _ = parse_text(new_text, "amended")
    expected = {**data, "revision": new, "amendment_reason": ""}
    return (new_text, old, new) if check is not None and check.data == expected else None


def amend_file(path: Path) -> Amendment:
    """`tracker amend PATH`: prepare an amendment of a merged filing, in place."""
    if not path.is_file():
        raise TrackerError(f"找不到文件 {path}")
    raw = path.read_bytes()
    bom = raw.startswith(b"\xef\xbb\xbf")
    try:
        text = raw[3 if bom else 0:].decode("utf-8")
    except UnicodeDecodeError:
        raise TrackerError(f"{display_path(path)} 不是 UTF-8 编码",
                           hint=f"先运行 tracker fix-encoding {display_path(path)}。") from None
    doc, problems = parse_text(text, display_path(path))
    if doc is None or not isinstance(doc.data, dict) or not isinstance(doc.data.get("revision"), int):
        first = problems[0].message if problems else "没有整数 revision 字段"
        raise TrackerError(f"{display_path(path)} 不是可读的报送文件：{first}",
                           hint="先运行 tracker validate 改正错误，再修订。")
    current = doc.data["revision"]
    committed = _committed_state(path)
    if isinstance(committed, int) and current > committed:
        raise TrackerError(
            f"{display_path(path)} 已在修订中：revision 是 {current}，已提交的版本是 {committed}",
            hint="直接编辑 amendment_reason 和需要更正的数值即可，不要再运行 tracker amend。",
        )
    if committed == "absent":
        raise TrackerError(
            f"{display_path(path)} 还没有提交过，不需要修订",
            hint="尚未合并的报送可以直接修改，revision 保持 1。",
        )
    amended = amended_text(text, doc.data)
    if amended is None:
        raise TrackerError("自动修订失败(文本结构不寻常)",
                           hint="请手工把 revision 加 1，并填写 amendment_reason。")
    new_text, old, new = amended
    atomic_write(path, (b"\xef\xbb\xbf" if bom else b"") + new_text.encode("utf-8"),
                 exclusive=False)
    return Amendment(path, old, new)

