"""Finding and loading a repository: config, plan, filings and registers.

`load()` never raises for bad data: every problem becomes a diagnostic and loading goes on, so
one run reports everything. It raises only when there is nothing to load (`NoRepository`).

Paths: diagnostics name files relative to the current directory (what an editor or CI log can
open), while model objects carry paths relative to the repository root (what SPEC talks about).
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from tracker import checks
from tracker.diagnostics import Diagnostic, Report, diag, display_path, escape_undecodable
from tracker.errors import NoRepository
from tracker.model import (
    Config,
    Filing,
    Plan,
    Register,
    Repository,
    Review,
    build_filing,
    build_plan,
    build_register,
    build_review,
)
from tracker.schema import validate
from tracker.yamlio import DEFAULT_MAX_BYTES, Document, load_file

PLAN_FILES = ("units", "tasks", "targets")
CONFIG_FILE = "tracker.yaml"
CROSS_FILE_RULES = frozenset(
    {"register-count-mismatch", "register-duplicate-code", "filing-value-decreased"}
)


@dataclass
class Loaded:
    """What `load` produced: the repository (None when the plan is unusable) and the report."""

    repo: Repository | None
    report: Report
    plan_ok: bool
    docs: dict[str, Document] = field(default_factory=dict)


_SHELL_SPECIAL = re.compile(r"[\s'\"$`\\;&|<>()*?!#~{}\[\]]")


def tracker_command(command: str, *, root: Path, args: Sequence[str] = ()) -> str:
    """A tracker command line to print as advice: with --root when the repository is not the
    current directory (advice that checks another repository than the one meant is a trap)."""
    import shlex

    words = ["tracker", command]
    shown_root = display_path(root)
    if shown_root != ".":
        words += ["--root", shown_root]
    words += list(args)
    return " ".join(shlex.quote(w) if _SHELL_SPECIAL.search(w) else w for w in words)


def _enclosing_repository(folder: Path) -> Path | None:
    """The nearest folder above `folder` that looks like a repository (plan/ or tracker.yaml):
    where someone who opened a terminal in submissions/<unit>/ should have run tracker."""
    here = folder.resolve()
    for parent in here.parents:
        if (parent / "plan" / "units.yaml").is_file() or (parent / CONFIG_FILE).is_file():
            return parent
    return None


def find_plan_dir(root: Path, config: Config) -> Path:
    return (root / config.plan_dir).resolve() if config.plan_dir else root / "plan"


def load_config(root: Path, report: Report, max_bytes: int) -> Config:
    file = root / CONFIG_FILE
    if not file.exists():
        return Config()
    doc, problems = load_file(file, display_path(file), max_bytes)
    report.extend(problems)
    report.files.append(display_path(file))
    if doc is None:
        return Config()
    schema_problems = validate(doc, "config")
    report.extend(schema_problems)
    if schema_problems:
        return Config()
    d = doc.data
    forge = d.get("forge")
    if forge is not None:
        from tracker.forge import url_problem

        problem = url_problem(str(forge["url"]))
        if problem is not None:
            report.extend([diag(doc.path, doc.pos(("forge", "url")), "config-invalid",
                                f"forge.url {str(forge['url'])[:80]} {problem}",
                                hint="写仓库首页的网址，例如 https://github.com/组织/仓库。")])
            forge = None
    return Config(
        plan_dir=d.get("plan", "plan"), demo=bool(d.get("demo", False)),
        title=d.get("title", ""), site_url=d.get("site_url", ""),
        counts=d.get("counts", {}) or {}, forge=forge, source=doc,
        as_of=date.fromisoformat(d["as_of"]) if "as_of" in d else None,
    )


def default_as_of(root: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> date:
    """The date status is computed for when no --as-of is given: tracker.yaml's `as_of` (the
    date a demo represents), else today. A broken tracker.yaml is reported by the command's
    own load; here it only means "today"."""
    config = load_config(Path(root), Report(), max_bytes) if Path(root).is_dir() else Config()
    return config.as_of or date.today()


@dataclass
class Scope:
    """Restrict checking to some files (and every cross-file rule they touch)."""

    files: set[str]  # repository-relative paths
    units: set[str] = field(default_factory=set)
    targets: set[str] = field(default_factory=set)
    full: bool = False  # a plan or config file is in scope: everything is affected

    @classmethod
    def of(cls, files: set[str]) -> Scope:
        scope = cls(files)
        for rel in files:
            parts = rel.split("/")
            if parts[0] == "submissions" and len(parts) >= 3:
                scope.units.add(parts[1])
                if len(parts) == 4 and parts[2] == "registers":
                    scope.targets.add(Path(parts[3]).stem)
            else:
                scope.full = True
        return scope

    def wants(self, rel: str) -> bool:
        if self.full:
            return True
        parts = rel.split("/")
        if len(parts) >= 3 and parts[1] in self.units:
            return True
        # Registers of the same target in other units: codes must be unique across units.
        return len(parts) == 4 and parts[2] == "registers" and Path(parts[3]).stem in self.targets


def discover(
    root: Path, scope: Scope | None = None
) -> tuple[list[tuple[Path, str]], list[tuple[Path, str]], list[Diagnostic]]:
    """Filings and registers under submissions/ as (file, repository-relative path), plus
    warnings for files that won't be read. With a scope, folders it cannot want are skipped."""
    filings: list[tuple[Path, str]] = []
    registers: list[tuple[Path, str]] = []
    problems: list[Diagnostic] = []
    base = root / "submissions"
    if base.is_symlink():  # (as a unit folder, a filing or an evidence path: never followed)
        problems.append(diag("submissions", None, "file-symlink",
                             "submissions 文件夹是符号链接，tracker 不读取"))
        return filings, registers, problems
    if not base.is_dir():
        return filings, registers, problems
    whole = scope is None or scope.full
    if whole or scope.targets:  # type: ignore[union-attr]
        unit_dirs = _entries(base, problems)
    else:
        # Only the scope's own unit folders can be wanted: look them up, rather than list
        # a folder of thousands of units (a one-filing pull request at national scale).
        unit_dirs = [base / u for u in sorted(scope.units)  # type: ignore[union-attr]
                     if os.path.lexists(base / u)]
    for unit_dir in unit_dirs:
        unit = unit_dir.name
        if not whole and unit not in scope.units:  # type: ignore[union-attr]
            # Another unit's folder: only its registers of the scope's targets can be wanted
            # (codes are unique across units). Looked up by name, not listed.
            registers.extend(_registers_of(unit_dir, scope.targets))  # type: ignore[union-attr]
            continue
        if unit_dir.is_symlink():
            problems.append(diag(display_path(unit_dir), None, "file-symlink",
                                 "单位文件夹是符号链接，tracker 不读取"))
            continue
        if not unit_dir.is_dir():
            if unit_dir.name.lower().endswith((".yaml", ".yml")):
                problems.append(diag(display_path(unit_dir), None, "file-unexpected",
                                     f"{unit_dir.name} 不会被读取：报送文件应放在单位文件夹中，"
                                     f"例如 submissions/<单位>/{unit_dir.name}"))
            continue
        for entry in _entries(unit_dir, problems):
            name = entry.name
            if name == "registers" and entry.is_dir() and not entry.is_symlink():
                for reg in _entries(entry, problems):
                    if reg.suffix == ".yaml":
                        registers.append((reg, f"submissions/{unit}/registers/{reg.name}"))
                    elif not reg.name.startswith("."):
                        problems.append(_not_read(reg))
            elif name.endswith(".yaml"):
                filings.append((entry, f"submissions/{unit}/{name}"))
            elif not name.startswith("."):  # .gitkeep and the like belong to the tools
                problems.append(_not_read(entry))
    return filings, registers, problems


def _registers_of(unit_dir: Path, targets: set[str]) -> list[tuple[Path, str]]:
    """A unit folder's registers of `targets` that exist, found by name (as `discover` would
    list them: not through a symlinked unit or registers folder)."""
    folder = unit_dir / "registers"
    if unit_dir.is_symlink() or folder.is_symlink() or not folder.is_dir():
        return []
    return [(folder / f"{t}.yaml", f"submissions/{unit_dir.name}/registers/{t}.yaml")
            for t in sorted(targets) if os.path.lexists(folder / f"{t}.yaml")]


def _may_share_codes(rel: str, prefixes: dict[str, set[str]], plan: Plan | None) -> bool:
    """Whether another unit's register (`rel`, of a scope's target) could hold a code of the
    scope's registers of that target: only if its unit's region code begins one of them (its
    own codes must begin with it, `register-code-region`), or the unit has none to go by."""
    parts = rel.split("/")
    unit = plan.units.get(parts[1]) if plan is not None else None
    if unit is None or not unit.region_code:
        return True
    return unit.region_code in prefixes.get(Path(parts[3]).stem, set())


def discover_reviews(root: Path) -> tuple[list[tuple[Path, str]], list[Diagnostic]]:
    """reviews/<task>.yaml files (销号 decisions), plus warnings for files that won't be read."""
    base = root / "reviews"
    found: list[tuple[Path, str]] = []
    problems: list[Diagnostic] = []
    if not base.is_dir() or base.is_symlink():
        return found, problems
    for entry in sorted(base.iterdir()):
        if entry.name.endswith(".yaml") and not entry.is_dir():
            found.append((entry, f"reviews/{entry.name}"))
        elif not entry.name.startswith("."):
            problems.append(diag(display_path(entry), None, "file-unexpected",
                                 f"{entry.name} 不会被读取：reviews/ 下只放复核记录 <任务编号>.yaml"))
    return found, problems


def _entries(folder: Path, problems: list[Diagnostic]) -> list[Path]:
    """The entries of `folder`, sorted; a folder that cannot be listed (no permission, removed
    meanwhile) is a diagnostic, and the rest of the repository is read all the same."""
    try:
        return sorted(folder.iterdir())
    except OSError as exc:
        problems.append(diag(display_path(folder), None, "file-unreadable",
                             f"无法读取文件夹 {display_path(folder)}：{exc.strerror or exc}",
                             hint="检查这个文件夹的权限(运行 tracker 的用户须能读取和进入它)；"
                                  "其中的报送和台账本次没有检查。"))
        return []


def _not_read(file: Path) -> Diagnostic:
    """file-unexpected: a file in a unit folder that is not read — said, never skipped
    silently (a filing saved by Notepad as 2024-Q2.yaml.txt would only show up as 未报送)."""
    name, lower = file.name, file.name.lower()
    if file.is_dir():
        message = f"文件夹 {name} 不会被读取：单位文件夹下只放报送文件(<期次>.yaml)和 registers/"
    elif lower.endswith((".yaml", ".yml")):
        message = f"扩展名 {file.suffix} 不会被读取：请改名为 {file.stem}.yaml"
    elif ".yaml." in lower or ".yml." in lower:
        ext = ".yaml." if ".yaml." in lower else ".yml."
        cut = lower.index(ext)
        message = (f"文件名多了扩展名 {name[cut + len(ext) - 1:]}(记事本另存时常见)，"
                   f"不会被读取：请改名为 {name[:cut]}.yaml")
    else:
        message = f"{name} 不会被读取：单位文件夹下只放报送文件和台账；佐证材料放在 evidence/ 下"
    return diag(display_path(file), None, "file-unexpected", message)


@dataclass
class PlanPart:
    """The first half of `load`: configuration, the plan's files and the plan (None when it
    is unusable), with their problems in `report`. `tracker check` reads it while git runs;
    each PlanPart serves one `load`, whose report it becomes."""

    root: Path
    report: Report
    config: Config
    plan_dir: Path
    docs: dict[str, Document]
    plan: Plan | None
    plan_ok: bool


def load_plan(root: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> PlanPart:
    """Configuration and plan of the repository at `root` (see `load`)."""
    root = Path(root)
    if not root.is_dir():
        raise NoRepository(f"找不到目录 {root}", hint="用 --root 指定仓库根目录(含 plan/ 的目录)。")
    report = Report()
    config = load_config(root, report, max_bytes)
    plan_dir = find_plan_dir(root, config)
    if not plan_dir.is_dir():
        above = _enclosing_repository(root)
        raise NoRepository(
            f"{display_path(root)} 不是 tracker 仓库：找不到计划目录 {display_path(plan_dir)}",
            hint=(f"这里在仓库 {display_path(above)} 之内：到那里运行，或加 --root "
                  f"{display_path(above)}。" if above is not None else
                  "在仓库根目录运行，或用 --root 指定；计划放在 plan/ 下(或在 tracker.yaml 中写 plan: 路径)。"),
        )

    docs: dict[str, Document] = {}
    plan_ok = True
    for kind in PLAN_FILES:
        file = plan_dir / f"{kind}.yaml"
        shown = display_path(file)
        report.files.append(shown)
        if not file.exists():
            report.diagnostics.append(diag(shown, None, "plan-missing", f"缺少计划文件 {kind}.yaml"))
            plan_ok = False
            continue
        doc, problems = load_file(file, shown, max_bytes, keep_text_keys=True)
        report.extend(problems)
        if doc is None or problems:  # a plan with any problem is not used (its shape is
            plan_ok = False          # still checked below, so every problem shows at once)
        if doc is None:
            continue
        schema_problems = validate(doc, kind)
        report.extend(schema_problems)
        if schema_problems:
            plan_ok = False
            continue
        docs[kind] = doc

    plan: Plan | None = None
    if plan_ok:
        plan_problems = list(checks.check_plan(docs["units"], docs["tasks"], docs["targets"], config))
        report.extend(plan_problems)
        if not any(p.severity == "error" for p in plan_problems):
            plan = build_plan(
                docs["units"].data, docs["tasks"].data, docs["targets"].data, config.counts
            )
        else:
            plan_ok = False
    return PlanPart(root, report, config, plan_dir, docs, plan, plan_ok)


def load(
    root: Path,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    scope: Scope | None = None,
    progress: object | None = None,
    plan: PlanPart | None = None,
    received: bool | None = None,
) -> Loaded:
    """Load and check a repository. `scope` limits which submissions are read and reported;
    `plan`, when given, is `load_plan(root)` already done. `received`: fill each filing's
    `received_on` from git history where the plan judges timeliness by it (default: on a
    whole load, which is what status and the site compute from)."""
    part = plan if plan is not None else load_plan(Path(root), max_bytes=max_bytes)
    root, report, config, plan_dir = part.root, part.report, part.config, part.plan_dir
    docs, plan_ok = part.docs, part.plan_ok
    the_plan = part.plan

    filing_files, register_files, problems = discover(root, scope)
    report.extend(problems)
    filings: list[Filing] = []
    registers: list[Register] = []
    # One relpath for the root, not one per file (a province has thousands of files).
    shown_root = display_path(root)
    shown_prefix = "" if shown_root == "." else shown_root.rstrip("/") + "/"
    others: list[tuple[Path, str]] = []
    if scope is not None and not scope.full and scope.targets:
        # Other units' registers of a changed register's target are read for one rule, codes
        # unique across units: first the scope's own, then only those that could share a code
        # with them (a national pull request would otherwise read every unit's register).
        others = [(f, r) for f, r in register_files if r.split("/")[1] not in scope.units]
        register_files = [(f, r) for f, r in register_files if r.split("/")[1] in scope.units]
    for files, kind in ((filing_files, "filing"), (register_files, "register"),
                        (others, "register")):
        if files is others and others:
            prefixes: dict[str, set[str]] = {}
            for reg in registers:
                codes = prefixes.setdefault(Path(reg.path).stem, set())
                codes.update(item.code[:n] for item in reg.items for n in range(1, len(item.code) + 1))
            files = [x for x in others if _may_share_codes(x[1], prefixes, the_plan)]
        for file, rel in files:
            if scope is not None and not scope.wants(rel):
                continue
            shown = shown_prefix + escape_undecodable(rel)
            report.files.append(shown)
            doc, problems = load_file(file, shown, max_bytes, keep_text_keys=True)
            report.extend(problems)
            if doc is None:
                continue
            schema_problems = validate(doc, kind)
            report.extend(schema_problems)
            if schema_problems:
                continue
            if kind == "filing":
                filing = build_filing(doc)
                filing.path = rel
                filings.append(filing)
            else:
                register = build_register(doc)
                register.path = rel
                registers.append(register)

    # 销号 decisions (reviews/): small, and every task's status may depend on them, so they are
    # read whatever the scope.
    reviews: list[Review] = []
    review_files, problems = discover_reviews(root)
    report.extend(problems)
    for file, rel in review_files:
        shown = shown_prefix + rel
        report.files.append(shown)
        doc, problems = load_file(file, shown, max_bytes, keep_text_keys=True)
        report.extend(problems)
        if doc is None:
            continue
        schema_problems = validate(doc, "review")
        report.extend(schema_problems)
        if schema_problems:
            continue
        review = build_review(doc)
        review.path = rel
        reviews.append(review)

    if received is None:
        received = scope is None
    if received and the_plan is not None and the_plan.reporting.timeliness == "received":
        from tracker.provenance import received_dates

        dates, problem = received_dates(root, the_plan.info.timezone)
        for filing in filings:
            filing.received_on = dates.get(filing.path)
        if problem:
            report.diagnostics.append(diag(shown_root, None, "git-history", problem))

    repo = None
    if the_plan is not None:
        repo = Repository(str(root), config, the_plan, filings, registers, reviews)
        report.extend(checks.check_submissions(repo, root))
    if scope is not None and not scope.full:
        # Named files, the plan (everything depends on it), and the cross-file rules that
        # link the named files to others (a register against its unit's filings, codes
        # across units, a value against the previous period).
        wanted = {display_path(root / f) for f in scope.files}
        wanted |= {display_path(plan_dir / f"{k}.yaml") for k in PLAN_FILES}
        report.diagnostics = [
            d for d in report.diagnostics
            if d.path in wanted or (d.rule in CROSS_FILE_RULES and not wanted.isdisjoint(d.related))
        ]
        report.files = [f for f in report.files if f in wanted]
    elif scope is None and the_plan is not None:
        # --- codeowners (issue 5): a committed CODEOWNERS that disagrees with units.yaml ---
        from tracker.codeowners import codeowners_diagnostics

        report.extend(codeowners_diagnostics(root, the_plan, plan_dir))
    return Loaded(repo, report, plan_ok, docs)
