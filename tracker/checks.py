"""Cross-file rules: what a schema cannot see because it needs more than one file.

`check_plan` works on the schema-valid plan documents (before the model is built, so a broken
reference is reported instead of crashing). `check_submissions` works on the built repository.
Both yield diagnostics located at the exact node they are about.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

from tracker.diagnostics import Diagnostic, diag, did_you_mean
from tracker.evidence import hidden_part, is_https_link, safe_type
from tracker.model import Config, Evidence, Filing, Repository
from tracker.periods import EXAMPLE, LABEL_ZH, Period, not_a_period_zh
from tracker.yamlio import Document

MAX_PLAN_YEARS = 100


def _known_zone(name: str) -> bool:
    from zoneinfo import ZoneInfo  # only for a plan that names its time zone

    try:
        ZoneInfo(name)
    except (ValueError, OSError, KeyError):  # ZoneInfoNotFoundError is a KeyError
        return False
    return True


def check_plan(
    units: Document, tasks: Document, targets: Document, config: Config
) -> Iterator[Diagnostic]:
    u, t, g = units.data, tasks.data, targets.data
    # Membership is tested in sets: thousands of units (a national plan) made every `in` on a
    # list here a scan, and check_plan quadratic (issue 14).
    unit_set = {x["id"] for x in u["units"]}
    group_ids = [x["id"] for x in u.get("groups", [])]
    refs = unit_set | set(group_ids)

    # Positions are looked up only for a duplicate: reading them costs a second parse.
    seen: dict[str, tuple[str, int]] = {}
    for kind, items in (("units", u["units"]), ("groups", u.get("groups", []))):
        for i, item in enumerate(items):
            if item["id"] in seen:
                first = units.pos((*seen[item["id"]], "id"))[0]
                yield diag(units.path, units.pos((kind, i, "id")), "plan-duplicate-id",
                           f"单位/分组编号 {item['id']} 重复(第一次在第 {first} 行)")
            seen.setdefault(item["id"], (kind, i))
    for i, group in enumerate(u.get("groups", [])):
        for j, member in enumerate(group["members"]):
            if member not in unit_set:
                yield diag(units.path, units.pos(("groups", i, "members", j)), "plan-unknown-unit",
                           f"分组 {group['id']} 的成员 {member} 不是已登记的单位")

    zone = t["plan"].get("timezone")
    if zone is not None and not _known_zone(zone):
        yield diag(tasks.path, tasks.pos(("plan", "timezone")), "plan-timezone",
                   f"时区 {zone} 不存在",
                   hint="写 IANA 时区名，如 Asia/Shanghai(区分大小写)；不写时默认 Asia/Shanghai。")
    start = date.fromisoformat(t["plan"]["start"])
    end = date.fromisoformat(t["plan"]["end"])
    if end < start:
        yield diag(tasks.path, tasks.pos(("plan", "end")), "plan-date-range",
                   f"计划结束日期 {end} 早于开始日期 {start}")
    elif end.year - start.year > MAX_PLAN_YEARS:
        # Every period of the plan is computed (the 报送 calendar, the site's charts): a plan
        # from 0001 to 9999 would take hours. Real plans run a few years.
        yield diag(tasks.path, tasks.pos(("plan", "end")), "plan-date-range",
                   f"计划期 {start} 至 {end} 超过 {MAX_PLAN_YEARS} 年",
                   hint="检查 plan.start 和 plan.end 的年份是否写错。")
    task_ids: dict[str, int] = {}
    for i, task in enumerate(t["tasks"]):
        if task["id"] in task_ids:
            first = tasks.pos(("tasks", task_ids[task["id"]], "id"))[0]
            yield diag(tasks.path, tasks.pos(("tasks", i, "id")), "plan-duplicate-id",
                       f"任务编号 {task['id']} 重复(第一次在第 {first} 行)")
        task_ids.setdefault(task["id"], i)
        for j, ref in enumerate(task["units"]):
            if ref not in refs:
                yield _unknown_ref(tasks, ("tasks", i, "units", j), ref, refs)
        if "due" in task and not start <= date.fromisoformat(task["due"]) <= end:
            yield diag(tasks.path, tasks.pos(("tasks", i, "due")), "plan-date-range",
                       f"任务 {task['id']} 的完成时限 {task['due']} 不在计划期 {start} 至 {end} 内")

    for j, ref in enumerate(g["reporting"]["required"]):
        if ref not in refs:
            yield _unknown_ref(targets, ("reporting", "required", j), ref, refs)
    target_ids: dict[str, int] = {}
    groups = {x["id"]: x["members"] for x in u.get("groups", [])}
    counts_given = {x["id"]: {**x.get("counts", {}), **config.counts.get(x["id"], {})}
                    for x in u["units"]}
    for i, target in enumerate(g["targets"]):
        if target["id"] in target_ids:
            first = targets.pos(("targets", target_ids[target["id"]], "id"))[0]
            yield diag(targets.path, targets.pos(("targets", i, "id")), "plan-duplicate-id",
                       f"指标编号 {target['id']} 重复(第一次在第 {first} 行)")
        target_ids.setdefault(target["id"], i)
        if target["task"] not in task_ids:
            yield diag(targets.path, targets.pos(("targets", i, "task")), "plan-unknown-task",
                       f"指标 {target['id']} 所属任务 {target['task']} 不存在",
                       hint=did_you_mean(target["task"], task_ids) + "可选任务：" + "、".join(task_ids))
        for j, ref in enumerate(target.get("reported_by", [])):
            if ref not in refs:
                yield _unknown_ref(targets, ("targets", i, "reported_by", j), ref, refs)
        yield from _check_points(targets, i, target, start, end)
        per_unit = target.get("per_unit", {})
        reporting = _expand(target.get("reported_by") or g["reporting"]["required"], groups)
        for unit in per_unit.get("allocations", {}):
            if unit not in unit_set:
                yield _unknown_ref(targets, ("targets", i, "per_unit", "allocations", unit),
                                   unit, unit_set, key=True)
            elif unit not in reporting:
                # Its goal would never be measured: the unit does not file this target.
                yield diag(targets.path,
                           targets.pos(("targets", i, "per_unit", "allocations", unit), key=True),
                           "plan-allocation-not-reporting",
                           f"指标 {target['id']} 给 {unit} 分配了目标，但 {unit} 不报送这个指标")
        if "from" in per_unit:
            reporters = reporting
            have = {x for x in reporters if per_unit["from"] in counts_given.get(x, {})}
            if have and len(have) < len(reporters):
                lacking = [x for x in reporters if x not in have]
                yield diag(targets.path, targets.pos(("targets", i, "per_unit", "from")),
                           "plan-count-missing",
                           f"指标 {target['id']} 按 counts.{per_unit['from']} 分解，但 "
                           f"{'、'.join(lacking)} 没有这个基数")
    points = (g.get("thresholds") or {}).get("points")
    if points and not points["lagging"] < points["off_track"]:
        yield diag(targets.path, targets.pos(("thresholds", "points", "off_track")),
                   "plan-thresholds",
                   f"points.off_track({points['off_track']})须大于 points.lagging"
                   f"({points['lagging']})：差距越大越严重")
    for j, comp in enumerate((g.get("index") or {}).get("components", [])):
        if comp["target"] not in target_ids:
            yield diag(targets.path, targets.pos(("index", "components", j, "target")),
                       "plan-unknown-target", f"指数成分引用的指标 {comp['target']} 不存在",
                       hint=did_you_mean(comp["target"], target_ids)
                       + "可选指标：" + "、".join(target_ids))
    for unit in config.counts:
        if unit not in unit_set and config.source is not None:
            doc = config.source
            yield diag(doc.path, doc.pos(("counts", unit), key=True), "config-invalid",
                       f"tracker.yaml 的 counts 中的单位 {unit} 不存在",
                       hint="counts 下只能写 plan/units.yaml 中的单位编号。")


def _expand(refs: list[str], groups: dict[str, list[str]]) -> dict[str, None]:
    """Unit and group references → unit ids, in order, without repeats (a dict: ordered, and
    `in` is a lookup)."""
    out: dict[str, None] = {}
    for ref in refs:
        out.update(dict.fromkeys(groups.get(ref, [ref])))
    return out


def _check_points(
    doc: Document, i: int, target: dict[str, Any], start: date, end: date
) -> Iterator[Diagnostic]:
    previous = date.fromisoformat(target["baseline"]["date"]) if "baseline" in target else start
    for j, point in enumerate(target["milestones"]):
        by = date.fromisoformat(point["by"])
        if by <= previous:
            yield diag(doc.path, doc.pos(("targets", i, "milestones", j, "by")),
                       "plan-milestone-order",
                       f"指标 {target['id']} 的节点日期 {by} 不晚于前一个节点/基期 {previous}")
        if by > end:
            yield diag(doc.path, doc.pos(("targets", i, "milestones", j, "by")), "plan-date-range",
                       f"指标 {target['id']} 的节点日期 {by} 晚于计划结束日期 {end}")
        previous = by


def _unknown_ref(
    doc: Document, path: tuple[Any, ...], ref: str, known: set[str], key: bool = False
) -> Diagnostic:
    return diag(doc.path, doc.pos(path, key=key), "plan-unknown-unit",
                f"引用的单位或分组 {ref} 不存在",
                hint=did_you_mean(ref, sorted(known)) + "请使用 plan/units.yaml 中的编号。")


# --- submissions -------------------------------------------------------------------------


def check_submissions(repo: Repository, root: Path) -> Iterator[Diagnostic]:
    plan = repo.plan
    by_unit: dict[str, list[Filing]] = defaultdict(list)
    listings: dict[str, frozenset[str]] = {}  # folder → its names, for the evidence checks
    for filing in repo.filings:
        yield from _check_filing(repo, filing, root, listings)
        by_unit[filing.unit].append(filing)
    for unit_filings in by_unit.values():
        yield from _check_decreases(unit_filings)
    yield from _check_registers(repo, by_unit)
    yield from check_reviews(repo)
    del plan


# Reviews of the last claims come after the plan's end (Q4's filings are due in January):
# decisions up to a year after it are in range (docs/decisions.md).
REVIEW_GRACE_DAYS = 366


def check_reviews(repo: Repository, today: date | None = None) -> Iterator[Diagnostic]:
    """reviews/<task>.yaml: the task exists and matches the file name, dates are in range and in
    order, and each decision answers a claim that existed on its day."""
    from datetime import timedelta

    from tracker.status import claim_at

    plan = repo.plan
    if not repo.reviews:
        return
    if today is None:  # "today" where the plan is, as tracker check and tracker review judge it
        from tracker.periods import today_in

        today = today_in(plan.info.timezone)
    grace = date.max - plan.info.end  # a plan ending in 9999 has no year after it
    last_day = min(today, plan.info.end + min(timedelta(days=REVIEW_GRACE_DAYS), grace))
    if repo.reviews and plan.info.closure != "review":
        first = repo.reviews[0]
        doc = _doc(first)
        yield diag(doc.path, doc.pos(("task",)), "review-closure-self",
                   f"计划的销号方式是 {plan.info.closure}(牵头单位报送即销号)，"
                   f"reviews/ 下的 {len(repo.reviews)} 份复核记录不起作用")
    for review in sorted(repo.reviews, key=lambda r: r.path):
        doc = _doc(review)
        stem = review.path.rsplit("/", 1)[-1].removesuffix(".yaml")
        if review.task != stem:
            yield diag(doc.path, doc.pos(("task",)), "review-task-mismatch",
                       f"task 写的是 {review.task}，但文件名是 {stem}.yaml")
        if review.task not in plan.tasks:
            close = _closest(review.task, set(plan.tasks))
            yield diag(doc.path, doc.pos(("task",)), "review-unknown-task",
                       f"任务 {review.task} 不存在",
                       hint=(f"是不是 {close}？" if close else "") + "可选任务："
                       + "、".join(plan.tasks))
            continue
        previous: date | None = None
        for d in review.decisions:
            where = _Lazy(doc, ("decisions", d.seq, "on"))
            if d.on < plan.info.start or d.on > last_day:
                why = ("晚于今天" if d.on > today else
                       f"早于计划开始日期 {plan.info.start}" if d.on < plan.info.start else
                       f"晚于计划结束日期 {plan.info.end} 一年以上")
                yield diag(doc.path, where, "review-date-range", f"复核日期 {d.on} {why}")
            if previous is not None and d.on < previous:
                yield diag(doc.path, where, "review-out-of-order",
                           f"复核日期 {d.on} 早于上一条决定的 {previous}")
            previous = d.on if previous is None else max(previous, d.on)
            claim = claim_at(plan, repo.filings, review.task, d.on)
            if claim is None or claim.on > d.on:
                lead = plan.tasks[review.task].lead
                who = plan.label(lead) if lead else "各责任单位"
                yield diag(doc.path, where, "review-before-claim",
                           f"{d.on} 时{who}还没有就任务 {review.task} 申请销号"
                           "(报送“已完成”并附佐证材料)，这条决定没有对应的申请")


def _closest(word: str, options: set[str]) -> str | None:
    import difflib

    match = difflib.get_close_matches(word, sorted(options), n=1, cutoff=0.6)
    return match[0] if match else None


class _Lazy:
    """A position looked up only when a diagnostic is made (marks cost a second read)."""

    __slots__ = ("doc", "path", "key")

    def __init__(self, doc: Document, path: tuple[Any, ...], key: bool = False) -> None:
        self.doc, self.path, self.key = doc, path, key

    def resolve(self) -> tuple[int, int]:
        return self.doc.pos(self.path, key=self.key)

    @property
    def line(self) -> int:
        return self.resolve()[0]


def _doc(item: Any) -> Document:
    assert item.source is not None
    return item.source  # type: ignore[no-any-return]


def _check_filing(repo: Repository, f: Filing, root: Path,
                  listings: dict[str, frozenset[str]]) -> Iterator[Diagnostic]:
    plan = repo.plan
    doc = _doc(f)
    here = doc.path
    parts = f.path.split("/")
    folder, stem = parts[1], Path(parts[-1]).stem
    if folder not in plan.units:
        yield diag(here, doc.pos(("unit",)), "filing-unknown-unit",
                   f"文件夹 submissions/{folder}/ 不是已登记的单位",
                   hint=did_you_mean(folder, plan.units)
                   + "单位编号见 plan/units.yaml：" + "、".join(plan.units))
    elif f.unit != folder:
        yield diag(here, doc.pos(("unit",)), "filing-unit-mismatch",
                   f"unit 写的是 {f.unit}，但文件在 submissions/{folder}/ 下")
    if str(f.period) != stem:
        yield diag(here, doc.pos(("period",)), "filing-period-mismatch",
                   f"period 写的是 {f.period}，但文件名是 {stem}.yaml")
    cadence = plan.reporting.cadence
    period = Period.parse(f.period, cadence)
    if period is None:
        yield diag(here, doc.pos(("period",)), "filing-period-cadence",
                   not_a_period_zh(f.period, cadence),
                   hint=f"本计划按{LABEL_ZH[cadence]}报送，期次写成 {EXAMPLE[cadence]} 这样。")
    else:
        if period.end < plan.info.start or period.start > plan.info.end:
            yield diag(here, doc.pos(("period",)), "filing-period-outside-plan",
                       f"期次 {f.period} 不在计划期 {plan.info.start} 至 {plan.info.end} 内")
        if not period.contains(f.as_of):
            yield diag(here, doc.pos(("as_of",)), "filing-as-of-outside-period",
                       f"as_of {f.as_of} 不在期次 {f.period}({period.start} 至 {period.end})内")
    if f.reported_on < f.as_of:
        yield diag(here, doc.pos(("reported_on",)), "filing-reported-before-as-of",
                   f"报送日期 {f.reported_on} 早于数据截至日期 {f.as_of}")
    if f.revision > 1 and not f.amendment_reason.strip():
        yield diag(here, doc.pos(("revision",)), "filing-amendment-reason",
                   f"revision 为 {f.revision}，但没有填写 amendment_reason")

    known_unit = f.unit in plan.units
    raw_targets = doc.data.get("targets") or {}
    for tid, report in f.targets.items():
        if isinstance(raw_targets[tid]["value"], float):
            # JSON Schema counts 3.0 as an integer; a count written with a decimal point is
            # still a typing slip worth pointing out.
            yield diag(here, _Lazy(doc, ("targets", tid, "value")), "schema-type",
                       f"targets.{tid}.value 应为整数，实际是小数 {raw_targets[tid]['value']}",
                       hint="这里只能填整数(个数)，不要写小数点。")
        key = _Lazy(doc, ("targets", tid), key=True)
        target = plan.targets.get(tid)
        if target is None:
            yield diag(here, key, "plan-unknown-target", f"指标 {tid} 不存在",
                       hint=did_you_mean(tid, plan.targets) + "本单位可报指标：" + "、".join(
                           t.id for t in plan.targets.values() if plan.reports(t, f.unit)))
        elif known_unit and not plan.reports(target, f.unit):
            yield diag(here, key, "filing-target-not-reported",
                       f"{plan.label(f.unit)} 不报送指标 {tid}({target.title})")
        for j, ev in enumerate(report.evidence):
            yield from _check_evidence(doc, ("targets", tid, "evidence", j), ev, root, listings)
    for task_id, task_report in f.tasks.items():
        key = _Lazy(doc, ("tasks", task_id), key=True)
        task = plan.tasks.get(task_id)
        if task is None:
            yield diag(here, key, "plan-unknown-task", f"任务 {task_id} 不存在",
                       hint=did_you_mean(task_id, plan.tasks)
                       + "本单位的任务：" + "、".join(t.id for t in plan.tasks_of(f.unit)))
        elif known_unit and not plan.names(task, f.unit):
            yield diag(here, key, "filing-task-not-named",
                       f"{plan.label(f.unit)} 不是任务 {task_id}({task.title})的责任单位",
                       hint="本单位的任务：" + ("、".join(t.id for t in plan.tasks_of(f.unit)) or "无"))
        for j, ev in enumerate(task_report.evidence):
            yield from _check_evidence(doc, ("tasks", task_id, "evidence", j), ev, root, listings)


_WINDOWS_ABS = re.compile(r"^[A-Za-z]:")


def _misspelt(root: Path, parts: tuple[str, ...],
              listings: dict[str, frozenset[str]]) -> tuple[str, str | None] | None:
    """The first of `parts` (a path that exists) that is not a name of its folder as written,
    and the name it was found under if one differs only by case or Unicode normalisation; None
    when every part is. A Windows or macOS checkout finds `PHOTO.JPG`, `photo.jpg.` (Windows)
    or a short name `PHOTO~1.JPG` for `photo.jpg`; Linux (CI, the site) finds nothing, and the
    gate, which looks for a file's citations by its name as git stores it (immutable-evidence),
    would miss such a citation. `listings` keeps each folder's names (by its path as text)."""
    folder = str(root)
    for part in parts:
        names = listings.get(folder)
        if names is None:
            try:
                names = listings[folder] = frozenset(os.listdir(folder))
            except OSError:
                return None  # (whatever is wrong, the checks before say so)
        if part not in names:
            def fold(name: str) -> str:  # as tracker.gate.paths.fold: how those systems compare
                return unicodedata.normalize("NFC", name).casefold()

            return part, next((n for n in sorted(names) if fold(n) == fold(part)), None)
        folder = f"{folder}/{part}"
    return None


def _check_evidence(
    doc: Document, path: tuple[Any, ...], ev: Evidence, root: Path,
    listings: dict[str, frozenset[str]],
) -> Iterator[Diagnostic]:
    if ev.url:
        if not ev.url.startswith("https://"):
            yield diag(doc.path, doc.pos((*path, "url")), "evidence-url-not-https",
                       f"链接 {ev.url[:80]} 不是 https 链接")
        elif not is_https_link(ev.url):
            yield diag(doc.path, doc.pos((*path, "url")), "evidence-url-not-https",
                       f"链接 {ev.url[:80]} 不是有效的 https 链接(含空格、控制字符、"
                       "用户名密码、方括号或全角标点，或没有网站地址)，网站上不会显示为链接",
                       hint="从浏览器地址栏复制完整的链接，例如 https://www.example.gov.cn/a.html。")
        return
    raw = ev.path
    pos = _Lazy(doc, (*path, "path"))
    # An example path in this filing's own unit and period folder.
    sample = f"evidence/{doc.data.get('unit', '单位编号')}/{doc.data.get('period', '期次')}/验收.pdf"
    if "\\" in raw:
        yield diag(doc.path, pos, "evidence-missing", f"路径 {raw} 中有反斜杠 \\",
                   hint=f"仓库内路径一律用 / 分隔，例如 {sample}。")
        return
    pure = PurePosixPath(raw)
    if pure.is_absolute() or _WINDOWS_ABS.match(raw) or ".." in pure.parts:
        yield diag(doc.path, pos, "evidence-outside-repo",
                   f"路径 {raw} 指向仓库之外(不能以 / 开头、不能含 ..)")
        return
    hidden = hidden_part(pure)
    if hidden is not None:
        yield diag(doc.path, pos, "evidence-hidden",
                   f"路径 {raw} 含隐藏的文件或文件夹 {hidden}(以 . 开头)，不能作为佐证材料")
        return
    resolved_root = root.resolve()
    current = root
    for part in pure.parts:
        current = current / part
        if current.is_symlink():
            yield diag(doc.path, pos, "evidence-symlink", f"路径 {raw} 经过符号链接 {part}")
            return
    if not current.exists():
        yield diag(doc.path, pos, "evidence-missing", f"佐证材料 {raw} 在仓库中不存在")
        return
    if not current.is_file() or not pure.parts:
        yield diag(doc.path, pos, "evidence-missing", f"佐证材料 {raw} 不是文件(是文件夹或特殊文件)",
                   hint=f"path 写到具体的文件，例如 {sample}。")
        return
    misspelt = _misspelt(root, pure.parts, listings)
    if misspelt is not None:
        part, stored = misspelt
        yield diag(doc.path, pos, "evidence-missing",
                   f"佐证材料 {raw} 在仓库中不存在：没有名为 {part} 的文件或文件夹"
                   + (f"(仓库中是 {stored}，大小写或写法不同)" if stored else ""),
                   hint="路径要与仓库中的文件名一字不差(区分大小写)：在 Windows 或 macOS 上能打开的"
                        "写法，在检查和网站上找不到文件。")
        return
    try:
        resolved = current.resolve().relative_to(resolved_root)
    except ValueError:
        yield diag(doc.path, pos, "evidence-outside-repo", f"路径 {raw} 指向仓库之外")
        return
    hidden = hidden_part(PurePosixPath(resolved.as_posix()))
    if hidden is not None:  # a Windows short name (GIT~1 is .git) passes the name check
        yield diag(doc.path, pos, "evidence-hidden",
                   f"路径 {raw} 实际指向隐藏的文件或文件夹 {hidden}，不能作为佐证材料")
        return
    if not safe_type(pure):
        yield diag(doc.path, pos, "evidence-file-type",
                   f"佐证材料 {raw} 的文件类型({pure.suffix or '无扩展名'})不会在网站上提供")


def _check_decreases(filings: list[Filing]) -> Iterator[Diagnostic]:
    ordered = sorted(filings, key=lambda f: (f.as_of, f.period))
    last: dict[str, tuple[int, str, str]] = {}
    for f in ordered:
        doc = _doc(f)
        for tid, rep in f.targets.items():
            if tid in last and rep.value < last[tid][0]:
                prev_value, prev_period, prev_path = last[tid]
                yield diag(doc.path, doc.pos(("targets", tid, "value")), "filing-value-decreased",
                           f"指标 {tid} 的累计值 {rep.value} 少于上一期 {prev_period} 的 {prev_value}",
                           related=(prev_path,))
            last[tid] = (rep.value, f.period, doc.path)


def _check_registers(repo: Repository, by_unit: dict[str, list[Filing]]) -> Iterator[Diagnostic]:
    plan = repo.plan
    first_seen: dict[tuple[str, str], tuple[Document, int]] = {}
    for reg in sorted(repo.registers, key=lambda r: r.path):
        doc = _doc(reg)
        parts = reg.path.split("/")
        folder, stem = parts[1], Path(parts[-1]).stem
        if reg.unit != folder:
            yield diag(doc.path, doc.pos(("unit",)), "register-unit-mismatch",
                       f"台账 unit 写的是 {reg.unit}，但文件在 submissions/{folder}/registers/ 下")
        if reg.target != stem:
            yield diag(doc.path, doc.pos(("target",)), "register-target-mismatch",
                       f"台账 target 写的是 {reg.target}，但文件名是 {stem}.yaml")
        if folder not in plan.units:
            yield diag(doc.path, doc.pos(("unit",)), "filing-unknown-unit",
                       f"文件夹 submissions/{folder}/ 不是已登记的单位",
                       hint=did_you_mean(folder, plan.units)
                       + "单位编号见 plan/units.yaml：" + "、".join(plan.units))
        if reg.target not in plan.targets:
            yield diag(doc.path, doc.pos(("target",)), "plan-unknown-target",
                       f"台账所属指标 {reg.target} 不存在",
                       hint=did_you_mean(reg.target, plan.targets)
                       + "使用 plan/targets.yaml 中已有的指标编号。")
        elif folder in plan.units and not plan.reports(plan.targets[reg.target], folder):
            # A register is an itemised filing: a unit keeps one only for a target it reports.
            yield diag(doc.path, doc.pos(("target",)), "filing-target-not-reported",
                       f"{plan.label(folder)} 不报送指标 {reg.target}"
                       f"({plan.targets[reg.target].title})，不需要这份台账")
        unit = plan.units.get(folder)
        prefix = unit.region_code if unit else ""
        for i, item in enumerate(reg.items):
            code_pos = _Lazy(doc, ("items", i, "code"))
            key = (reg.target, item.code)
            if key in first_seen:
                other, index = first_seen[key]
                line = _Lazy(other, ("items", index, "code")).line
                yield diag(doc.path, code_pos, "register-duplicate-code",
                           f"编码 {item.code} 已在 {other.path} 第 {line} 行出现",
                           related=(other.path,))
            else:
                first_seen[key] = (doc, i)
            if prefix and not item.code.startswith(prefix):
                yield diag(doc.path, code_pos, "register-code-region",
                           f"编码 {item.code} 不以本单位区划代码 {prefix} 开头")
            if item.closed is not None and item.closed < item.opened:
                yield diag(doc.path, doc.pos(("items", i, "closed")),
                           "register-closed-before-opened",
                           f"关闭日期 {item.closed} 早于启用日期 {item.opened}")
        filings = [f for f in by_unit.get(folder, []) if reg.target in f.targets]
        counts = reg.counts_on({f.as_of for f in filings})
        for f in filings:
            rep = f.targets[reg.target]
            count = counts[f.as_of]
            if count != rep.value:
                fdoc = _doc(f)
                yield diag(fdoc.path, fdoc.pos(("targets", reg.target, "value")),
                           "register-count-mismatch",
                           f"报送值 {rep.value} 与台账 {doc.path} 在 {f.as_of} 在用的 {count} 条不一致",
                           related=(doc.path,))
