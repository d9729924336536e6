"""`tracker check --base REF`: the command that runs every family of rules once.

A pull request is judged by what it would do to the base branch (docs/workflow.md §3).
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from tracker.background import Background
from tracker.diagnostics import Diagnostic, Report, diag
from tracker.errors import GitError
from tracker.gate import history
from tracker.gate.authorization import authorize, base_units, signatures
from tracker.gate.context import reads_every_unit
from tracker.gate.delta import context_docs, status_delta
from tracker.gate.git import (
    Change,
    Commit,
    Git,
    cat_blobs,
    is_utf8,
    parse_raw_diff,
    start_cat_blobs,
)
from tracker.gate.immutability import (
    changed_evidence,
    citation_needles,
    cited_evidence,
    immutability,
    new_filings,
)
from tracker.gate.paths import Where, folders_to_list, kind_of, parse_listing, path_rules
from tracker.gate.timeliness import timeliness
from tracker.periods import today_in
from tracker.repository import (
    CONFIG_FILE,
    PLAN_FILES,
    Scope,
    display_path,
    find_plan_dir,
    load,
    load_config,
    load_plan,
)
from tracker.schema import validator
from tracker.yamlio import DEFAULT_MAX_BYTES

# --- settings and results -----------------------------------------------------------------


@dataclass
class CheckSettings:
    root: Path = Path(".")
    base: str = "origin/main"
    require_signed: bool = False
    as_of: date | None = None
    strict: bool = False
    max_bytes: int = DEFAULT_MAX_BYTES
    lang: str = "zh"
    status: bool = True  # compute the status delta
    # Whether the delta reads every unit's latest filings (city totals, tasks, index ranks) or
    # only the changed units'; None: tracker.gate.context.reads_every_unit decides.
    every_unit: bool | None = None
    today: date | None = None  # the day reported_on may not be after (default: today where the plan is)


@dataclass
class CheckResult:
    report: Report
    base: str
    commits: list[Commit] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    delta_markdown: str = ""
    delta: Any = None
    full: bool = False  # the plan or configuration changed: everything was checked


def _shallow(shown: str, message: str) -> Diagnostic:
    return diag(shown, None, "git-shallow", message)


def _locate(settings: CheckSettings, git: Git) -> tuple[Where, bool]:
    out = git.run("rev-parse", "--show-toplevel", "--is-shallow-repository", check=False)
    if out.returncode != 0:
        raise GitError(f"{display_path(settings.root)} 不在 git 仓库中",
                       hint="tracker check 比较两个提交，需要在 git 仓库(的克隆)中运行。")
    top_text, shallow = out.stdout.decode("utf-8", "replace").splitlines()[:2]
    top = Path(top_text).resolve()
    root = settings.root.resolve()
    prefix = Path(os.path.relpath(root, top)).as_posix()
    prefix = "" if prefix == "." else prefix + "/"
    report = Report()
    config = load_config(root, report, settings.max_bytes)
    plan_dir = find_plan_dir(root, config).resolve()
    plan_rel = Path(os.path.relpath(plan_dir, top)).as_posix()
    plan_git = None if plan_rel.startswith("..") else plan_rel
    return Where(top, root, prefix, plan_git), shallow.strip() == "true"


def run_check(settings: CheckSettings, context: Background | None = None) -> CheckResult:
    """Check the pull request BASE...HEAD. `context`, if given, is `context_docs` already
    running in a second process (started by the caller; closed by it too)."""
    if not settings.base or settings.base.startswith("-") or any(
            c.isspace() or ord(c) < 0x20 for c in settings.base):
        # It would reach git as an option (`--output=FILE` writes a file), not a revision.
        raise GitError(f"--base {settings.base!r} 不是分支名或提交",
                       hint="例如 tracker check --base origin/main。")
    where, shallow = _locate(settings, Git(settings.root))
    # Every path below is the toplevel's (git's own), and git reads pathspecs and prints
    # ls-tree names relative to its working folder: run it at the toplevel, so a repository
    # in a subfolder (examples/demo) is checked like one at the top.
    git = Git(where.top)
    base = settings.base
    root_shown = display_path(where.root)
    if shallow:
        report = Report([_shallow(
            root_shown,
            "仓库是浅克隆(shallow clone)：缺少比较所需的提交历史，无法判断这次改动由谁做了什么",
        )], [root_shown])
        return CheckResult(report, base)

    # The two reads are independent: they run side by side. Neither is restricted to some
    # folders: every path of the repository has an owner (tracker.gate.paths).
    log_proc = git.start(*history.LOG_ARGS, f"{base}..HEAD", "--")
    diff_proc = git.start(*history.DIFF_ARGS, f"{base}...HEAD", "--")
    side_proc = git.start(*history.SIDE_ARGS, f"HEAD...{base}", "--")

    # The status delta reads every unit's latest filing (those the pull request leaves alone
    # are the same at the base): that read runs in a second process, started now, while this
    # one reads git and validates (tracker.background). Both need the schema validators:
    # compiled once, here, before the fork.
    day = settings.as_of or date.today()
    own = None
    every_unit = settings.every_unit
    if every_unit is None:
        every_unit = context is not None or reads_every_unit(where.root)
    try:
        if settings.status and context is None and every_unit:
            for kind in ("config", *PLAN_FILES, "filing"):
                validator(kind)
            context = own = Background(context_docs, where.root, day, settings.max_bytes)
        return _check(settings, git, where, day, context, log_proc, diff_proc, side_proc,
                      every_unit)
    finally:
        for proc in (log_proc, diff_proc, side_proc):
            if proc.returncode is None:  # not read: something failed first
                proc.kill()
                proc.communicate()
        if own is not None:
            own.close()


def _check(settings: CheckSettings, git: Git, where: Where, day: date,
           context: Background | None, log_proc: subprocess.Popen[bytes],
           diff_proc: subprocess.Popen[bytes], side_proc: subprocess.Popen[bytes],
           every_unit: bool = True) -> CheckResult:
    diff = git.finish(diff_proc, check=False)
    citing = _Citing(git, where, settings.base)
    changes = parse_raw_diff(diff.stdout) if diff.returncode == 0 else []
    evidence = changed_evidence(changes, where)  # replaced, deleted or renamed
    if evidence and not any(ch.status in ("M", "T") and kind_of(where.rel(ch.path)) == "filing"
                            for ch in changes):
        # Amending no filing, the pull request cannot cover a change of cited evidence: the
        # base's filings that may cite it are searched by git while the plan is read and the
        # files are validated (tracker.gate.immutability.cited_evidence).
        citing.start(citation_needles(evidence))
    try:
        return _judge(settings, git, where, day, context, log_proc, diff, changes, side_proc,
                      every_unit, evidence, citing)
    finally:
        citing.close()


def _judge(settings: CheckSettings, git: Git, where: Where, day: date,
           context: Background | None, log_proc: subprocess.Popen[bytes],
           diff: subprocess.CompletedProcess[bytes], changes: list[Change],
           side_proc: subprocess.Popen[bytes], every_unit: bool, evidence: dict[str, Change],
           citing: _Citing) -> CheckResult:
    base = settings.base
    root_shown = display_path(where.root)
    # The plan does not depend on what git says: read it while git works.
    plan_part = load_plan(where.root, max_bytes=settings.max_bytes)
    log = git.finish(log_proc, check=False)
    side = git.finish(side_proc, check=False)
    if log.returncode != 0:
        known = git.run("rev-parse", "--verify", "-q", f"{base}^{{commit}}", check=False)
        if known.returncode != 0:
            raise GitError(f"--base 指定的 {base} 不存在：没有这个分支、标签或提交",
                           hint="检查拼写(例如 origin/main)；在 CI 中先取回目标分支"
                                "(git fetch origin main，或 checkout 时 fetch-depth: 0)。")
        raise GitError(f"git log 失败：{log.stderr.decode('utf-8', 'replace').strip()}")
    if diff.returncode != 0:
        return CheckResult(Report([_shallow(
            root_shown, f"{base} 与 HEAD 没有共同的祖先提交：历史不完整(浅克隆)或不是同一个仓库")],
            [root_shown]), base)
    # Which commits changed each path (a merge's own resolution included).
    commits = history.read(git, log.stdout, changes)
    if any(c.merge for c in commits) and len(bases := history.merge_bases(git, base)) > 1:
        return CheckResult(Report([diag(
            root_shown, None, "git-merge-base",
            f"{base} 与 HEAD 有 {len(bases)} 个合并基准(交叉合并 criss-cross merge)："
            "无法确定合并后会改变哪些文件，不能检查这个合并请求",
            hint=f"先把最新的 {base} 合并进本分支(平台上的“更新分支 Update branch”，或 "
                 f"git merge {base})，推送后重新检查。")], [root_shown]), base)
    outdated_paths = set(history.changed_on_both_sides(
        changes, parse_raw_diff(side.stdout) if side.returncode == 0 else []))
    outdated = [diag(
        where.shown(path), None, "git-outdated",
        f"{where.shown(path)} 在本分支分出之后也在 {base} 上被修改：合并后的内容是两边改动的组合，"
        "不是这里检查的版本",
        hint=f"先把最新的 {base} 合并进本分支(平台上的“更新分支 Update branch”，或 git merge {base})，"
             "推送后重新检查。") for path in sorted(outdated_paths)]
    folders = folders_to_list(changes, where)
    listing_proc = git.start("ls-tree", "-z", "HEAD", "--", *folders) if folders else None

    # What to validate: the files the pull request adds or changes, and everything they touch.
    touched: set[str] = set()
    full = False
    for ch in changes:
        rel = where.rel(ch.path)
        if where.is_plan(ch.path):
            full = True
        elif rel is not None and rel.startswith("evidence/") and ch.status in ("D", "R"):
            full = True  # a filing anywhere may cite the file that went away
        elif rel is not None and ch.status != "D" and rel.startswith("submissions/") \
                and len(rel.split("/")) >= 3 and is_utf8(rel):
            touched.add(rel)
    scope = Scope.of(touched)
    scope.full = full
    # 销号 decisions are read whatever the scope; the changed ones are reported.
    scope.files |= {rel for ch in changes if ch.status != "D"
                    and kind_of(rel := where.rel(ch.path)) == "review" and rel is not None}
    if full and context is not None:
        context.close()  # the plan changed: the delta reads the base in full instead
        context = None
    names = [f"{base}:{where.prefix}{CONFIG_FILE}"]
    if where.plan_git:
        names.append(f"{base}:{where.plan_git}/units.yaml")
    for ch in changes:
        kind = kind_of(where.rel(ch.path))
        if ch.status in ("M", "T") and kind in ("filing", "review"):
            names += [ch.old_blob, ch.new_blob]
        elif ch.status in ("D", "R") and kind_of(where.rel(ch.old_path or ch.path)) in ("filing",
                                                                                       "review"):
            names.append(ch.old_blob)
    pending = start_cat_blobs(git, names)  # read by git while the files are validated
    try:
        loaded = load(where.root, max_bytes=settings.max_bytes, scope=scope, plan=plan_part)
    except BaseException:
        pending.close()
        if listing_proc is not None:
            listing_proc.kill()
            listing_proc.communicate()
        raise
    blobs = pending.result()
    listing = parse_listing(git.finish(listing_proc).stdout) if listing_proc is not None else None
    report = loaded.report
    head_plan = loaded.repo.plan if loaded.repo is not None else None
    head_units = loaded.docs.get("units")
    units, maintainers, _ = base_units(git, where, base, blobs, head_plan,
                                       head_units.text if head_units is not None else None)
    paths = path_rules(changes, where, units, listing)
    if paths:
        # The same files' "will not be read" warnings say less than the errors about them.
        refused = {d.path for d in paths}
        report.diagnostics = [d for d in report.diagnostics
                              if not (d.rule == "file-unexpected" and d.path in refused)]
    report.extend(paths)
    report.extend(outdated)
    report.extend(authorize(commits, where, units, maintainers))
    report.extend(immutability(changes, where, blobs))
    if evidence:
        report.extend(cited_evidence(changes, where, evidence, blobs, citing.read,
                                     settings.max_bytes))
    if head_plan is not None and loaded.repo is not None:
        zone = head_plan.info.timezone
        # (a path main changed too is judged after main is merged in: git-outdated says so)
        report.extend(new_filings([ch for ch in changes if ch.path not in outdated_paths],
                                  where, loaded.repo.filings))
        report.extend(timeliness(changes, where, commits, loaded.repo.filings, zone,
                                 settings.today or today_in(zone)))
    if settings.require_signed:
        report.extend(signatures(git, where, commits, units, maintainers))
    if full and loaded.repo is not None:
        from tracker.codeowners import codeowners_diagnostics

        report.extend(codeowners_diagnostics(
            where.root, loaded.repo.plan, find_plan_dir(where.root, loaded.repo.config)))
    if settings.strict:
        report = report.promote_warnings()
    changed_by = [c for c in commits if c.files]
    result = CheckResult(report, base, changed_by, changes, full=full)
    if settings.status and loaded.repo is not None:
        result.delta, result.delta_markdown = status_delta(
            settings, git, where, loaded, scope, changes, blobs, context, every_unit)
    return result


class _Citing:
    """The base branch's filings whose text holds one of some needles (toplevel path → text;
    tracker.gate.immutability.citation_needles): one `git grep` over the base's filings
    (fixed strings, names only, with the options that keep its output independent of the
    runner's configuration), then one `cat-file`. `start` runs the grep beside other work."""

    def __init__(self, git: Git, where: Where, base: str) -> None:
        self.git, self.where, self.base = git, where, base
        self.proc: subprocess.Popen[bytes] | None = None
        self.needles: list[str] = []

    def start(self, needles: list[str]) -> None:
        # Filings only (`*` of a glob pathspec stops at "/"): registers are most of the bytes.
        folder = re.sub(r"([*?\[\\])", r"\\\1", self.where.prefix) + "submissions"
        self.needles = needles
        # The needles are read from standard input (one a line: none holds a line break), not
        # the command line, which a pull request renaming a folder of evidence would overflow
        # on Windows (32,767 characters); git reads them all before it searches. An empty
        # needle (a name of spaces and quotes) matches every filing only as `-e ""`.
        self.proc = self.git.start(
            "grep", "-l", "-z", "-F", "--no-color", "--no-textconv", "--full-name",
            "--no-recurse-submodules", "-f", "-", *(["-e", ""] if "" in needles else []),
            self.base, "--", f":(glob){folder}/*/*.yaml", stdin=True)
        stdin, self.proc.stdin = self.proc.stdin, None  # finish() must not write to it
        assert stdin is not None
        try:
            stdin.write("".join(f"{n}\n" for n in needles if n).encode("utf-8"))
            stdin.close()
        except OSError:
            pass  # git has gone: read() reports its error

    def read(self, needles: list[str]) -> dict[str, bytes | None]:
        if self.proc is None or not set(needles) <= set(self.needles):
            self.close()
            self.start(needles)
        assert self.proc is not None
        found = self.git.finish(self.proc, check=False)
        self.proc = None
        if found.returncode not in (0, 1):  # 1: nothing found
            raise GitError(f"git grep 失败：{found.stderr.decode('utf-8', 'replace').strip()}")
        prefix = f"{self.base}:"
        names = (raw.decode("utf-8", "surrogateescape") for raw in found.stdout.split(b"\0") if raw)
        paths = [name[len(prefix):] for name in names if name.startswith(prefix)]
        texts = cat_blobs(self.git, [prefix + p for p in paths
                                     if kind_of(self.where.rel(p)) == "filing"])
        return {name[len(prefix):]: raw for name, raw in texts.items()}

    def close(self) -> None:
        if self.proc is not None and self.proc.returncode is None:
            self.proc.kill()
            self.proc.communicate()
        self.proc = None
