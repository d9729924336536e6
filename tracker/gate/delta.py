"""The status moves a pull request causes: status as of D at the base and at HEAD.

Status at a date needs, for each unit, only its latest filings. Units the pull request does
not touch are the same at the base and at HEAD: their newest filings are read once
(`context_docs`, in a second process while the main one validates) and used on both sides.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tracker.background import Background
from tracker.diagnostics import Report
from tracker.gate.git import Change, Git
from tracker.gate.immutability import parse_blob
from tracker.gate.paths import Where, kind_of
from tracker.model import Filing, Plan, Review, build_filing, build_plan, build_review
from tracker.periods import Period
from tracker.repository import PLAN_FILES, Loaded, Scope, find_plan_dir, load, load_config
from tracker.schema import validate
from tracker.yamlio import DEFAULT_MAX_BYTES, Document, load_file

if TYPE_CHECKING:
    from tracker.delta import Delta
    from tracker.gate.check import CheckSettings


def _filing_from(raw: bytes | None, rel: str, shown: str) -> Filing | None:
    doc = parse_blob(raw, shown)
    if doc is None or validate(doc, "filing"):
        return None
    filing = build_filing(doc)
    filing.path = rel
    return filing


def latest_docs(root: Path, plan: Plan, units: Iterable[str], day: date,
                max_bytes: int = DEFAULT_MAX_BYTES) -> list[tuple[str, Any]]:
    """For each unit, its latest filings (as_of ≤ day) until every target it reports and task
    it is named on is covered: all that status at `day` reads from an unchanged unit.

    Returned as (path, data) pairs of plain values, so they can cross a process boundary."""
    out: list[tuple[str, Any]] = []
    cadence = plan.reporting.cadence
    base = root / "submissions"
    for unit in units:
        try:
            # Periods of one cadence sort as text in time order: newest first, no parsing.
            names = sorted((n for n in os.listdir(base / unit) if n.endswith(".yaml")),
                           reverse=True)
        except OSError:
            continue
        need = {("t", t.id) for t in plan.targets.values() if unit in t.reported_by}
        need |= {("k", t.id) for t in plan.tasks_of(unit)}
        for name in names:
            period = Period.parse(name[:-5], cadence)
            if period is None or period.start > day:
                continue
            rel = f"submissions/{unit}/{name}"
            doc, _ = load_file(base / unit / name, rel, max_bytes)
            if doc is None or not isinstance(doc.data, dict) or validate(doc, "filing"):
                continue
            filing = build_filing(doc)
            out.append((rel, doc.data))
            if filing.as_of <= day:
                need -= {("t", t) for t in filing.targets} | {("k", t) for t in filing.tasks}
            if not need:
                break
    return out


def _filings(docs: list[tuple[str, Any]]) -> list[Filing]:
    out = []
    for rel, data in docs:
        filing = build_filing(Document(rel, data))
        filing.path = rel
        out.append(filing)
    return out


def context_docs(root: Path, day: date, max_bytes: int) -> list[tuple[str, Any]]:
    """latest_docs of every unit, reading the plan itself: what `tracker check` runs in a
    second process while it validates (tracker.background)."""
    config = load_config(root, Report(), max_bytes)
    plan_dir = find_plan_dir(root, config)
    data = {}
    for kind in PLAN_FILES:
        doc, _ = load_file(plan_dir / f"{kind}.yaml", kind, max_bytes)
        if doc is None or validate(doc, kind):
            return []  # the main process reports it, and computes no delta
        data[kind] = doc.data
    plan = build_plan(data["units"], data["tasks"], data["targets"], config.counts)
    return latest_docs(root, plan, plan.units, day, max_bytes)


def _load_at(git: Git, where: Where, base: str, max_bytes: int) -> Loaded | None:
    """The repository as it is at `base`, from `git archive` into a temporary folder."""
    import io
    import tarfile
    import tempfile

    wanted = [f"{where.prefix}tracker.yaml", f"{where.prefix}submissions", f"{where.prefix}reviews"]
    if where.plan_git:
        wanted.append(where.plan_git)
    listed = git.run("ls-tree", "--name-only", "-z", base, "--", *wanted, check=False)
    present = [p for p in listed.stdout.decode("utf-8", "replace").split("\0") if p]
    if listed.returncode != 0 or not present:
        return None
    archive = git.run("archive", "--format=tar", base, "--", *present, check=False)
    if archive.returncode != 0:
        return None
    with tempfile.TemporaryDirectory(prefix="tracker-base-") as tmp:
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(tmp, filter="data")
        root = Path(tmp) / where.prefix if where.prefix else Path(tmp)
        root.mkdir(parents=True, exist_ok=True)
        try:
            return load(root, max_bytes=max_bytes, received=False)
        except Exception:  # noqa: BLE001 - the base may be unusable; the delta is then skipped
            return None


def _base_reviews(loaded: Loaded, where: Where, changes: list[Change],
                  blobs: dict[str, bytes | None]) -> list[Review]:
    """The 销号 decisions at the base: HEAD's, with the files the pull request changed as
    they were (a review file it adds did not exist)."""
    assert loaded.repo is not None
    by_path = {r.path: r for r in loaded.repo.reviews}
    for ch in changes:
        rel = where.rel(ch.path)
        if ch.status != "D" and kind_of(rel) == "review":
            by_path.pop(rel or "", None)
        old_rel = where.rel(ch.old_path or ch.path)
        if ch.status != "A" and kind_of(old_rel) == "review" and old_rel is not None:
            doc = parse_blob(blobs.get(ch.old_blob), where.shown(ch.path))
            if doc is not None and not validate(doc, "review"):
                review = build_review(doc)
                review.path = old_rel
                by_path[old_rel] = review
    return list(by_path.values())


def _only(plan: Plan, units: set[str]) -> Plan:
    """The plan seen from `units` alone: every unit list cut down to them, and the tasks and
    the index kept only where all their units are among them. Status computed from it is
    exact for those units' own rows and for every aggregate all of whose members are in
    `units` (a target only they report, a task only they are named on); `_exact` drops the
    other aggregates, which would need every unit's filings."""
    def keep(refs: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(u for u in refs if u in units)

    required = keep(plan.reporting.required)
    return replace(
        plan,
        units={u: plan.units[u] for u in plan.units if u in units},
        tasks={k: t for k, t in plan.tasks.items() if set(t.units) <= units},
        targets={k: t._replace(reported_by=keep(t.reported_by))
                 for k, t in plan.targets.items()},
        reporting=plan.reporting._replace(required=required),
        index=plan.index if set(plan.reporting.required) <= units else None,
        _sets={},
    )


def _exact(delta: Delta, plan: Plan, units: set[str]) -> Delta:
    """The moves of `delta` (computed from `_only(plan, units)`) that hold for the whole
    repository: the units' own rows, and city rows of targets only they report."""
    from tracker.status import CITY

    whole = {t.id for t in plan.targets.values() if set(t.reported_by) <= units}
    return replace(delta, targets=tuple(m for m in delta.targets
                                        if m.scope != CITY or m.target in whole))


def status_delta(settings: CheckSettings, git: Git, where: Where, loaded: Loaded, scope: Scope,
                 changes: list[Change], blobs: dict[str, bytes | None],
                 context: Background | None = None, every_unit: bool = True) -> tuple[Any, str]:
    """Status at the base and at HEAD (as of D), and the Markdown of what moved.

    `every_unit`: read every unit's latest filings (from `context`, or here) for city totals,
    tasks and index ranks; otherwise only the changed units' rows, and the aggregates all of
    whose members changed, at a cost that follows the pull request (tracker.gate.context)."""
    from tracker.delta import diff, render_delta_markdown
    from tracker.status import compute

    assert loaded.repo is not None
    plan = loaded.repo.plan
    day = settings.as_of or date.today()
    partial = False
    read: set[str] = set()
    if scope.full:
        at_base = _load_at(git, where, settings.base, settings.max_bytes)
        if at_base is None or at_base.repo is None:
            return None, "_基准版本的计划无法读取，无法比较状态变化。_\n"
        old = compute(at_base.repo, day)
        new = compute(loaded.repo, day)
    else:
        changed = scope.units
        head = [f for f in loaded.repo.filings if f.path.split("/")[1] in changed]
        by_path = {f.path: f for f in head}
        for ch in changes:
            if ch.status in ("A", "M", "T", "R"):
                rel = where.rel(ch.path)
                if rel is not None:
                    by_path.pop(rel, None)
            if ch.status in ("M", "T", "D", "R"):
                old_rel = where.rel(ch.old_path or ch.path)
                if old_rel is not None and kind_of(old_rel) == "filing":
                    before = _filing_from(blobs.get(ch.old_blob), old_rel, where.shown(ch.path))
                    if before is not None:
                        by_path[old_rel] = before
        others: list[Filing] = []
        seen = plan
        if every_unit:
            if context is not None:
                docs = context.result()
            else:
                with Background(context_docs, where.root, day, settings.max_bytes) as own:
                    docs = own.result()
            others = _filings([(rel, data) for rel, data in docs
                               if rel.split("/")[1] not in changed])
        else:
            # The changed units, and the units of a task whose 销号 decisions changed: its
            # status is then exact too. Only their filings are read.
            read = set(changed)
            for ch in changes:
                rel = where.rel(ch.path)
                task = plan.tasks.get(Path(rel).stem) if rel and kind_of(rel) == "review" else None
                read |= set(task.units) if task is not None else set()
            extra = sorted(read - set(changed))
            if extra:
                others = _filings(latest_docs(where.root, plan, extra, day, settings.max_bytes))
            seen = _only(plan, read)
            partial = True
        # Untouched units read the same filings on both sides: only the changed units' own
        # rows can move (city rows, tasks and the index are computed in full, from every
        # unit's filings, or only where the changed units are all their members).
        old = compute(seen, [*by_path.values(), *others], day, units=changed,
                      reviews=_base_reviews(loaded, where, changes, blobs))
        new = compute(seen, [*head, *others], day, units=changed, reviews=loaded.repo.reviews)
    delta = diff(old, new)
    if not partial:
        return delta, render_delta_markdown(delta, plan, settings.lang)
    delta = _exact(delta, plan, read)
    return delta, render_delta_markdown(delta, plan, settings.lang) + _partial_markdown(
        old, new, plan, read, settings.lang)


def _partial_markdown(old: Any, new: Any, plan: Plan, units: set[str], lang: str) -> str:
    """What a delta of the changed units alone can say about the city totals it leaves out:
    how much those units add to each (the others' part is the same on both sides)."""
    from tracker.delta import md_text

    en = lang == "en"
    whole = {t.id for t in plan.targets.values() if set(t.reported_by) <= units}
    moved: dict[str, int] = {}
    for sign, status in ((-1, old), (1, new)):
        for a in status.actuals:
            target = plan.targets.get(a.target)
            if target is not None and a.target not in whole and a.unit in units \
                    and plan.reports(target, a.unit):  # as the city total counts it
                moved[a.target] = moved.get(a.target, 0) + sign * a.value
    out = [""]
    rows = [(t, d) for t, d in moved.items() if d]
    if rows:
        out += ["**City totals: what the changed units add**" if en else
                "**全市合计的变化(本次改动的单位贡献的部分)**", "",
                "| Target | Change |" if en else "| 指标 | 变化 |", "|---|---|"]
        out += [f"| {md_text(plan.targets[t].title)} | {d:+d} |" for t, d in rows]
        out.append("")
    out.append(
        "_Only the changed units' own rows were computed: city totals' status, tasks and index "
        "ranks depend on every unit's filings (`tracker check --delta full` reads them; "
        "by default only up to 200 unit folders)._" if en else
        "_只计算了本次改动的单位自己的状态：全市合计的状态、任务和指数排名取决于每个单位的报送，"
        "这里没有计算(`tracker check --delta full` 会读取所有单位；默认只在单位文件夹不超过 200 个时读取)。_")
    return "\n".join(out) + "\n"
