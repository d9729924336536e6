"""`tracker check --base REF`: what a pull request may change, and what it changes in status.

A pull request is judged by what it would do to the base branch:

* **validation** of the files it changes — only those, and every cross-file rule they touch
  (`repository.Scope`), never a full re-check unless it changes the plan or `tracker.yaml`;
* **authorization** — every commit in REF..HEAD that touches `submissions/<unit>/` (or
  `evidence/<unit>/`) is authored by one of that unit's `editors`, and every commit that
  touches the plan folder or `tracker.yaml` by one of the `maintainers`. Identities are
  matched on the author e-mail, case-insensitively, as written in the commit (no .mailmap: a
  pull request could bring its own). Who is allowed is read from the BASE version of
  `units.yaml`, so a pull request cannot authorize itself;
* **immutability** — a filing that exists at the merge base changes only with `revision`
  raised by exactly one and a new, non-empty `amendment_reason`; filings and registers are
  never deleted or renamed. A register's items may change (points open and close); the
  register/filing count rule keeps its history consistent with every filing;
* **status delta** — status as of D (default today) at the base and at HEAD, and the moves
  between them, as Markdown for a pull-request comment (appended to $GITHUB_STEP_SUMMARY).

Git is read with the git command line in a fixed number of calls whatever the size of the
pull request: one `git log --name-status -z` over REF..HEAD for authorship, one
`git diff --raw -z` over REF...HEAD for the net change, one `git cat-file --batch` for every
old blob needed. (GitPython is not used here: its import alone costs more than this whole
check on a one-filing pull request.) A shallow clone has lost the history the check reads,
so it is reported (`git-shallow`) rather than misread.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from tracker.background import Background
from tracker.diagnostics import Diagnostic, Report, diag
from tracker.errors import GitError
from tracker.model import Filing, Plan, Unit, build_filing, build_plan, build_units
from tracker.periods import Period
from tracker.repository import (
    CONFIG_FILE,
    PLAN_FILES,
    Loaded,
    Scope,
    display_path,
    find_plan_dir,
    load,
    load_config,
    load_plan,
)
from tracker.schema import validate, validator
from tracker.yamlio import DEFAULT_MAX_BYTES, Document, load_file, parse_text

# --- git ----------------------------------------------------------------------------------


class Git:
    """The git command line, run in one folder, bytes in and out."""

    def __init__(self, cwd: Path) -> None:
        self.cwd = cwd

    def run(self, *args: str, stdin: bytes | None = None, check: bool = True) -> subprocess.CompletedProcess[bytes]:
        return self.finish(self.start(*args, stdin=stdin is not None), stdin, check)

    def start(self, *args: str, stdin: bool = False) -> subprocess.Popen[bytes]:
        """Start git and return at once: independent git commands run side by side."""
        env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
        try:
            return subprocess.Popen(
                ["git", "-c", "core.quotepath=off", "--no-pager", *args], cwd=self.cwd,
                stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
            )
        except OSError as exc:
            raise GitError(f"无法运行 git：{exc}", hint="安装 git 并确认它在 PATH 中。") from None

    @staticmethod
    def finish(proc: subprocess.Popen[bytes], stdin: bytes | None = None,
               check: bool = True) -> subprocess.CompletedProcess[bytes]:
        out, err = proc.communicate(stdin)
        if check and proc.returncode != 0:
            command = proc.args[4] if isinstance(proc.args, list) else "git"
            raise GitError(f"git {command} 失败：{err.decode('utf-8', 'replace').strip()}")
        return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


@dataclass
class Commit:
    sha: str
    email: str
    name: str
    files: list[str] = field(default_factory=list)  # git paths (toplevel-relative)

    @property
    def short(self) -> str:
        return self.sha[:10]


@dataclass
class Change:
    """One entry of the net diff REF...HEAD."""

    status: str  # A, M, D, R, T
    path: str  # git path at HEAD (for D: the deleted path)
    old_path: str = ""  # for R: the path before
    old_blob: str = ""
    new_blob: str = ""


_HEADER = re.compile(r"\x1e([0-9a-f]+)\Z")


def parse_log(out: bytes) -> list[Commit]:
    """`git log -z --name-status --format=%x1e%H%x00%ae%x00%an%x00` → commits, newest first.

    Read token by token (tokens end at NUL, which no path, name or e-mail can contain), by
    position: a commit header (0x1e + sha, then e-mail and name) is recognised only where a
    status is due, so a 0x1e inside a file name or an author's name is just part of it (splitting
    the output at 0x1e once let a file name hide the files after it from authorization)."""
    tokens = out.decode("utf-8", "replace").split("\0")
    commits: list[Commit] = []
    i = 0
    while i < len(tokens):
        token = tokens[i].lstrip("\n")
        header = _HEADER.match(token)
        if header:
            email, name = (tokens[i + 1: i + 3] + ["", ""])[:2]
            commits.append(Commit(header.group(1), email, name))
            i += 3
            continue
        if not token or not commits:
            i += 1
            continue
        width = 2 if token[:1] in ("R", "C") else 1
        commits[-1].files.extend(tokens[i + 1: i + 1 + width])
        i += 1 + width
    return commits


def parse_raw_diff(out: bytes) -> list[Change]:
    """`git diff --raw -z --no-abbrev -M` → changes."""
    tokens = out.decode("utf-8", "replace").split("\0")
    changes = []
    i = 0
    while i < len(tokens) and tokens[i].startswith(":"):
        meta = tokens[i][1:].split()
        old_blob, new_blob, status = meta[2], meta[3], meta[4][0]
        if status in ("R", "C"):
            changes.append(Change(status, tokens[i + 2], tokens[i + 1], old_blob, new_blob))
            i += 3
        else:
            changes.append(Change(status, tokens[i + 1], "", old_blob, new_blob))
            i += 2
    return changes


def cat_blobs(git: Git, names: Iterable[str]) -> dict[str, bytes | None]:
    """Many objects in one `git cat-file --batch` call: name (sha or REF:path) → bytes."""
    return start_cat_blobs(git, names).result()


class start_cat_blobs:  # noqa: N801 - a call that returns at once; .result() waits
    """`cat_blobs` started: git reads the objects while the caller does something else."""

    # Names written before anything is read must fit in the pipe: git answers as it reads, and
    # with nobody reading its answers a longer list would block both sides. 4 KiB is the
    # smallest pipe buffer of the platforms tracker runs on (Windows' default; Linux: 64 KiB).
    EARLY_LIMIT = 2 * 1024

    def __init__(self, git: Git, names: Iterable[str]) -> None:
        self.wanted = list(dict.fromkeys(n for n in names if n))
        self.request = ("\n".join(self.wanted) + "\n").encode("utf-8")
        self.proc = git.start("cat-file", "--batch", stdin=True) if self.wanted else None
        if self.proc is not None and len(self.request) <= self.EARLY_LIMIT:
            stdin, self.proc.stdin = self.proc.stdin, None  # communicate() must not touch it
            assert stdin is not None
            try:
                stdin.write(self.request)
                stdin.close()
            except OSError:
                pass  # git has gone: result() reports its error
            self.request = b""

    def result(self) -> dict[str, bytes | None]:
        if self.proc is None:
            return {}
        out = Git.finish(self.proc, self.request or None).stdout
        return _parse_batch(out, self.wanted)

    def close(self) -> None:
        """Stop git when its answer is no longer wanted (an error came first)."""
        if self.proc is not None and self.proc.returncode is None:
            self.proc.kill()
            self.proc.communicate()


def _parse_batch(out: bytes, wanted: list[str]) -> dict[str, bytes | None]:
    result: dict[str, bytes | None] = {}
    pos = 0
    for name in wanted:
        end = out.index(b"\n", pos)
        header = out[pos:end].split()
        pos = end + 1
        if len(header) >= 2 and header[-1] == b"missing":
            result[name] = None
            continue
        size = int(header[2])
        result[name] = out[pos: pos + size]
        pos += size + 1
    return result


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


@dataclass
class CheckResult:
    report: Report
    base: str
    commits: list[Commit] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    delta_markdown: str = ""
    delta: Any = None
    full: bool = False  # the plan or configuration changed: everything was checked


@dataclass
class _Where:
    """Paths: git's (toplevel-relative), the repository root's, and how diagnostics show them."""

    top: Path
    root: Path
    prefix: str  # root relative to top, "" when the same, with a trailing "/"
    plan_git: str | None  # the plan folder, toplevel-relative, None when outside the repository

    def rel(self, git_path: str) -> str | None:
        """Root-relative path, or None when the file is outside the root."""
        if not self.prefix:
            return git_path
        return git_path[len(self.prefix):] if git_path.startswith(self.prefix) else None

    def shown(self, git_path: str) -> str:
        return display_path(self.top / git_path)

    def is_plan(self, git_path: str) -> bool:
        if self.plan_git is not None and (git_path + "/").startswith(self.plan_git + "/"):
            return True
        return self.rel(git_path) == "tracker.yaml"


# --- who may change what ------------------------------------------------------------------


def identities(entries: Iterable[str]) -> set[str]:
    """E-mail addresses of identities written as `a@b`, `Name <a@b>`; `@user` names are skipped
    (they name platform accounts, which CODEOWNERS uses but commits do not carry)."""
    out = set()
    for entry in entries:
        text = entry.strip()
        if "<" in text and text.endswith(">"):
            text = text[text.rindex("<") + 1: -1].strip()
        if "@" in text[1:] and not text.startswith("@"):
            out.add(text.lower())
    return out


def _base_plan(where: _Where, config: bytes | None) -> tuple[str | None, Path]:
    """Where the BASE keeps its plan (its own tracker.yaml says, not the pull request's):
    toplevel-relative git path (None when outside the repository) and the folder on disk."""
    plan = "plan"
    if config is not None:
        doc, _ = parse_text(config.decode("utf-8-sig", "replace"), CONFIG_FILE)
        if doc is not None and not validate(doc, "config") and doc.data.get("plan"):
            plan = str(doc.data["plan"])
    folder = Path(os.path.normpath(where.root / plan))
    rel = Path(os.path.relpath(folder, where.top)).as_posix()
    return (None if rel == ".." or rel.startswith("../") else rel), folder


def _base_units(git: Git, where: _Where, base: str, blobs: dict[str, bytes | None],
                fallback: Plan | None, head_text: str | None = None,
                ) -> tuple[dict[str, Unit], tuple[str, ...], str]:
    """Units and maintainers from units.yaml at the base; HEAD's only when the base has none.

    The base's plan folder is found from the base's tracker.yaml: a pull request that points
    `plan:` at a folder of its own (or adds a tracker.yaml) must not choose who is allowed.
    A base units.yaml that cannot be read authorizes nobody (never the pull request's)."""
    plan_git, folder = _base_plan(where, blobs.get(f"{base}:{where.prefix}{CONFIG_FILE}"))
    if plan_git is not None:
        name = f"{base}:{plan_git}/units.yaml"
        raw = blobs[name] if name in blobs else cat_blobs(git, [name]).get(name)
        doc = None
        if raw is not None:
            text = raw.decode("utf-8-sig", "replace")
            if fallback is not None and text == head_text:
                # The same text HEAD's valid plan was built from: the same editors.
                return fallback.units, fallback.maintainers, "base"
            doc, _ = parse_text(text, "units.yaml")
    else:
        # Outside the repository: no pull request can change it; read it where it is.
        file = folder / "units.yaml"
        raw = b"" if file.is_file() else None
        doc = load_file(file, display_path(file))[0] if raw is not None else None
    if raw is not None:
        if doc is not None and isinstance(doc.data, dict) and not validate(doc, "units"):
            units, _, maintainers = build_units(doc.data, {})
            return units, maintainers, "base"
        return {}, (), "none"
    if fallback is not None:
        return fallback.units, fallback.maintainers, "head"
    return {}, (), "none"


def _unit_of(rel: str | None, units: dict[str, Unit]) -> str | None:
    if rel is None:
        return None
    parts = rel.split("/")
    if parts[0] == "submissions" and len(parts) >= 3:
        return parts[1]
    if parts[0] == "evidence" and len(parts) >= 3 and parts[1] in units:
        return parts[1]
    return None


def authorize(commits: list[Commit], where: _Where, units: dict[str, Unit],
              maintainers: tuple[str, ...]) -> list[Diagnostic]:
    """auth-unit-editor / auth-plan-maintainer, one per commit and file."""
    out = []
    keepers = identities(maintainers)
    for c in commits:
        email = c.email.strip().lower()
        who = f"{c.name} <{c.email}>"
        for git_path in dict.fromkeys(c.files):
            shown = where.shown(git_path)
            rel = where.rel(git_path)
            unit = _unit_of(rel, units)
            # Files of no unit: the plan, tracker.yaml, and anything under submissions/ or
            # evidence/ outside the units' folders (shared evidence any filing may cite).
            shared = unit is None and rel is not None and rel.split("/")[0] in ("submissions",
                                                                                 "evidence")
            if where.is_plan(git_path) or shared:
                if email not in keepers:
                    out.append(diag(
                        shown, None, "auth-plan-maintainer",
                        f"提交 {c.short}(作者 {who})修改了 {git_path}，但该身份不在 maintainers 中",
                        hint="计划、tracker.yaml 和不属于任何单位文件夹的文件(如 evidence/ 下的共用材料)"
                             "只能由 maintainers 修改；maintainers："
                             + ("、".join(maintainers) or "(未登记)") + "。",
                    ))
                continue
            if unit is None:
                continue
            editors = units[unit].editors if unit in units else ()
            if email not in identities(editors):
                label = units[unit].label if unit in units else unit
                out.append(diag(
                    shown, None, "auth-unit-editor",
                    f"提交 {c.short}(作者 {who})修改了{label}({unit})的文件，但该身份不在 {unit} 的 editors 中",
                    hint=f"{unit} 的 editors：" + ("、".join(editors) or "(未登记)")
                         + "。由其中的账号提交；增加人员请计划办修改 plan/units.yaml。",
                ))
    return out


# --- what may change ----------------------------------------------------------------------


def _kind(rel: str | None) -> str:
    if rel is None:
        return ""
    parts = rel.split("/")
    if parts[0] != "submissions" or not rel.endswith(".yaml"):
        return ""
    if len(parts) == 3:
        return "filing"
    if len(parts) == 4 and parts[2] == "registers":
        return "register"
    return ""


def _doc(raw: bytes | None, shown: str) -> Document | None:
    if raw is None:
        return None
    # An unquoted numeric key is reported by validation; the comparison reads past it.
    doc, _ = parse_text(raw.decode("utf-8-sig", "replace"), shown, keep_text_keys=True)
    return doc if doc is not None and isinstance(doc.data, dict) else None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def immutability(changes: list[Change], where: _Where,
                 blobs: dict[str, bytes | None]) -> list[Diagnostic]:
    """immutable-edit / immutable-delete for the net change of the pull request."""
    out = []
    for ch in changes:
        if ch.status in ("D", "R"):
            gone = ch.old_path if ch.status == "R" else ch.path
            kind = _kind(where.rel(gone))
            if kind:
                what = "报送" if kind == "filing" else "台账"
                how = f"改名为 {ch.path}" if ch.status == "R" else "删除"
                out.append(diag(where.shown(gone), None, "immutable-delete",
                                f"已合并的{what} {gone} 被{how}"))
            continue
        if ch.status not in ("M", "T") or _kind(where.rel(ch.path)) != "filing":
            continue
        shown = where.shown(ch.path)
        new = _doc(blobs.get(ch.new_blob), shown)
        if new is None:
            continue  # unreadable: validation reports it
        old = _doc(blobs.get(ch.old_blob), shown)
        if old is not None and old.data == new.data:
            continue  # only comments or layout changed
        new_rev, new_reason = _int(new.data.get("revision")), new.data.get("amendment_reason")
        old_rev = _int(old.data.get("revision")) if old is not None else None
        old_reason = old.data.get("amendment_reason") if old is not None else None
        pos = new.pos(("revision",))
        if ch.status == "T":
            out.append(diag(shown, pos, "immutable-edit", f"已合并的报送 {ch.path} 的文件类型被改变"))
        elif old_rev is not None and new_rev != old_rev + 1:
            out.append(diag(
                shown, pos, "immutable-edit",
                f"已合并的报送被修改，revision 应从 {old_rev} 改为 {old_rev + 1}，实际是 {new_rev}",
                hint=f"修订已合并的报送：运行 tracker amend {ch.path}(revision 加 1)，再填写 amendment_reason。",
            ))
        elif old_rev is None and (new_rev or 0) < 2:
            out.append(diag(shown, pos, "immutable-edit",
                            f"已合并的报送 {ch.path} 被修改，但 revision 没有增加"))
        elif not isinstance(new_reason, str) or not new_reason.strip():
            out.append(diag(shown, new.pos(("amendment_reason",)) if "amendment_reason" in new.data else pos,
                            "immutable-edit",
                            f"修订已合并的报送(revision {new_rev})必须填写 amendment_reason"))
        elif isinstance(old_reason, str) and new_reason.strip() == old_reason.strip():
            out.append(diag(shown, new.pos(("amendment_reason",)), "immutable-edit",
                            "amendment_reason 与上一版相同：请说明本次修订的原因"))
        if old is not None and "reported_on" in new.data \
                and new.data.get("reported_on") != old.data.get("reported_on"):
            # The date the filing was made: on time / late is judged by it (docs/workflow.md).
            out.append(diag(
                shown, new.pos(("reported_on",)), "immutable-edit",
                f"修订不能改变报送日期 reported_on：已合并的版本是 {old.data.get('reported_on')}",
                hint="reported_on 是首次报送的日期，修订时保持不变；修订的日期由 git 提交记录。",
            ))
    return out


# --- the check ----------------------------------------------------------------------------


def _shallow(shown: str, message: str) -> Diagnostic:
    return diag(shown, None, "git-shallow", message)


def _locate(settings: CheckSettings, git: Git) -> tuple[_Where, bool]:
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
    return _Where(top, root, prefix, plan_git), shallow.strip() == "true"


def _pathspecs(where: _Where) -> list[str]:
    specs = [f"{where.prefix}submissions", f"{where.prefix}evidence", f"{where.prefix}tracker.yaml"]
    if where.plan_git is not None:
        specs.append(where.plan_git)
    return [f":(literal){s}" for s in specs]


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

    specs = _pathspecs(where)
    # --cc: a merge commit lists only what it changes itself (what differs from every parent:
    # conflict resolutions), so merging the base into a pull request blames nobody for the
    # base's files. (Same as --diff-merges=dense-combined, which needs git 2.31.)
    # The two reads are independent: they run side by side.
    log_proc = git.start("log", "-z", "--no-renames", "--name-status", "--cc",
                         "--format=%x1e%H%x00%ae%x00%an%x00", f"{base}..HEAD", "--", *specs)
    diff_proc = git.start("diff", "--raw", "-z", "--no-abbrev", "-M", "--no-ext-diff",
                          "--no-textconv", f"{base}...HEAD", "--", *specs)

    # The status delta reads every unit's latest filing (those the pull request leaves alone
    # are the same at the base): that read runs in a second process, started now, while this
    # one reads git and validates (tracker.background). Both need the schema validators:
    # compiled once, here, before the fork.
    day = settings.as_of or date.today()
    own = None
    try:
        if settings.status and context is None:
            for kind in ("config", *PLAN_FILES, "filing"):
                validator(kind)
            context = own = Background(context_docs, where.root, day, settings.max_bytes)
        return _check(settings, git, where, day, context, log_proc, diff_proc)
    finally:
        for proc in (log_proc, diff_proc):
            if proc.returncode is None:  # not read: something failed first
                proc.kill()
                proc.communicate()
        if own is not None:
            own.close()


def _check(settings: CheckSettings, git: Git, where: _Where, day: date,
           context: Background | None, log_proc: subprocess.Popen[bytes],
           diff_proc: subprocess.Popen[bytes]) -> CheckResult:
    base = settings.base
    root_shown = display_path(where.root)
    # The plan does not depend on what git says: read it while git works.
    plan_part = load_plan(where.root, max_bytes=settings.max_bytes)
    log = git.finish(log_proc, check=False)
    diff = git.finish(diff_proc, check=False)
    if log.returncode != 0:
        known = git.run("rev-parse", "--verify", "-q", f"{base}^{{commit}}", check=False)
        if known.returncode != 0:
            message = (f"找不到比较基准 {base}：没有取回该分支(例如 git fetch origin main)，"
                       "或仓库是浅克隆")
            return CheckResult(Report([_shallow(root_shown, message)], [root_shown]), base)
        raise GitError(f"git log 失败：{log.stderr.decode('utf-8', 'replace').strip()}")
    commits = parse_log(log.stdout)
    if diff.returncode != 0:
        return CheckResult(Report([_shallow(
            root_shown, f"{base} 与 HEAD 没有共同的祖先提交：历史不完整(浅克隆)或不是同一个仓库")],
            [root_shown]), base)
    changes = parse_raw_diff(diff.stdout)

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
                and len(rel.split("/")) >= 3:
            touched.add(rel)
    scope = Scope.of(touched)
    scope.full = full
    if full and context is not None:
        context.close()  # the plan changed: the delta reads the base in full instead
        context = None
    names = [f"{base}:{where.prefix}{CONFIG_FILE}"]
    if where.plan_git:
        names.append(f"{base}:{where.plan_git}/units.yaml")
    for ch in changes:
        kind = _kind(where.rel(ch.path))
        if ch.status in ("M", "T") and kind == "filing":
            names += [ch.old_blob, ch.new_blob]
        elif ch.status in ("D", "R") and _kind(where.rel(ch.old_path or ch.path)) == "filing":
            names.append(ch.old_blob)
    pending = start_cat_blobs(git, names)  # read by git while the files are validated
    try:
        loaded = load(where.root, max_bytes=settings.max_bytes, scope=scope, plan=plan_part)
    except BaseException:
        pending.close()
        raise
    blobs = pending.result()
    report = loaded.report
    head_plan = loaded.repo.plan if loaded.repo is not None else None
    head_units = loaded.docs.get("units")
    units, maintainers, _ = _base_units(git, where, base, blobs, head_plan,
                                        head_units.text if head_units is not None else None)
    report.extend(authorize(commits, where, units, maintainers))
    report.extend(immutability(changes, where, blobs))
    if settings.require_signed:
        report.extend(signatures(git, base, where, commits))
    if full and head_plan is not None:
        from tracker.codeowners import codeowners_diagnostics

        report.extend(codeowners_diagnostics(where.root, head_plan))
    if settings.strict:
        report = report.promote_warnings()
    result = CheckResult(report, base, commits, changes, full=full)
    if settings.status and loaded.repo is not None:
        result.delta, result.delta_markdown = status_delta(
            settings, git, where, loaded, scope, changes, blobs, context)
    return result


def signatures(git: Git, base: str, where: _Where, commits: list[Commit]) -> list[Diagnostic]:
    """auth-signature: every commit in REF..HEAD verifies with `git verify-commit`."""
    shas = git.run("rev-list", f"{base}..HEAD").stdout.decode().split()
    files = {c.sha: c.files for c in commits}
    out = []
    for sha in shas:
        check = git.run("verify-commit", sha, check=False)
        if check.returncode != 0:
            lines = check.stderr.decode("utf-8", "replace").strip().splitlines()
            why = lines[-1] if lines else "没有签名"
            first = files.get(sha, [])
            shown = where.shown(first[0]) if first else display_path(where.root)
            out.append(diag(shown, None, "auth-signature",
                            f"提交 {sha[:10]} 没有可验证的签名(git verify-commit：{why})"))
    return out


# --- status delta -------------------------------------------------------------------------


def _filing_from(raw: bytes | None, rel: str, shown: str) -> Filing | None:
    doc = _doc(raw, shown)
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


def _load_at(git: Git, where: _Where, base: str, max_bytes: int) -> Loaded | None:
    """The repository as it is at `base`, from `git archive` into a temporary folder."""
    import io
    import tarfile
    import tempfile

    wanted = [f"{where.prefix}tracker.yaml", f"{where.prefix}submissions"]
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
            return load(root, max_bytes=max_bytes)
        except Exception:  # noqa: BLE001 - the base may be unusable; the delta is then skipped
            return None


def status_delta(settings: CheckSettings, git: Git, where: _Where, loaded: Loaded, scope: Scope,
                 changes: list[Change], blobs: dict[str, bytes | None],
                 context: Background | None = None) -> tuple[Any, str]:
    """Status at the base and at HEAD (as of D), and the Markdown of what moved."""
    from tracker.delta import diff, render_delta_markdown
    from tracker.status import compute

    assert loaded.repo is not None
    plan = loaded.repo.plan
    day = settings.as_of or date.today()
    if scope.full:
        at_base = _load_at(git, where, settings.base, settings.max_bytes)
        if at_base is None or at_base.repo is None:
            return None, "_基准版本的计划无法读取，无法比较状态变化。_\n"
        old = compute(at_base.repo.plan, at_base.repo.filings, day)
        new = compute(plan, loaded.repo.filings, day)
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
                if old_rel is not None and _kind(old_rel) == "filing":
                    before = _filing_from(blobs.get(ch.old_blob), old_rel, where.shown(ch.path))
                    if before is not None:
                        by_path[old_rel] = before
        if context is not None:
            docs = context.result()
        else:
            with Background(context_docs, where.root, day, settings.max_bytes) as own:
                docs = own.result()
        others = _filings([(rel, data) for rel, data in docs if rel.split("/")[1] not in changed])
        # Untouched units read the same filings on both sides: only the changed units' own
        # rows can move (city rows, tasks and the index are computed in full).
        old = compute(plan, [*by_path.values(), *others], day, units=changed)
        new = compute(plan, [*head, *others], day, units=changed)
    delta = diff(old, new)
    return delta, render_delta_markdown(delta, plan, settings.lang)


# --- Markdown for the pull request ----------------------------------------------------------


def _md(text: str) -> str:
    from tracker.delta import md_text  # HTML and Markdown in data stay text

    return md_text(text)


def check_markdown(result: CheckResult, limit: int = 50) -> str:
    """The pull-request comment / step summary: the verdict, the problems, the status moves."""
    report = result.report
    errors, warnings = len(report.errors), len(report.warnings)
    verdict = "❌ 未通过" if errors else ("⚠️ 通过(有警告)" if warnings else "✅ 通过")
    files = sorted({c.path for c in result.changes})
    out = [f"## tracker check：{verdict}", "",
           f"与 `{result.base}` 比较：{len(result.commits)} 个提交改动了数据，"
           f"{len(files)} 个文件有变化；{errors} 个错误，{warnings} 个警告。"
           + ("(计划或配置有改动，已全量检查。)" if result.full else ""), ""]
    items = report.sorted()
    if items:
        out += ["| 位置 | 级别 | 规则 | 问题 |", "|---|---|---|---|"]
        for d in items[:limit]:
            where = f"{d.path}:{d.line}" if d.line else d.path
            out.append(f"| <code>{_md(where)}</code> | {'错误' if d.severity == 'error' else '警告'} | "
                       f"`{d.rule}` | {_md(d.message)} |")
        if len(items) > limit:
            out.append(f"| … | | | 另有 {len(items) - limit} 条，见检查日志 |")
        out.append("")
    if result.delta_markdown:
        out.append(result.delta_markdown.rstrip() + "\n")
    return "\n".join(out)
