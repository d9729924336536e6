"""CODEOWNERS generated from plan/units.yaml, so the platform asks the right people to review.

Everything (`*`) is owned by the `maintainers` first; then each `submissions/<unit>/` (and
`evidence/<unit>/`) by that unit's `editors`, which takes precedence (the last matching line
wins): the split `tracker check` enforces (tracker.gate.paths). GitHub and GitLab match paths
case-sensitively, so `Submissions/east/` falls to the maintainers there too. A unit with no
editors is owned by the maintainers (someone must review). Owners are written as the identities are given: an e-mail
address (`a@b`, or the address inside `Name <a@b>`) or a platform account (`@user`).

Syntax kept to what all three platforms document: gitignore-style paths anchored with a
leading `/`, a folder ending in `/`, owners separated by spaces, `#` comments on their own
lines only (GitHub and GitLab do not support comments at the end of a line), the last
matching line wins. GitLab and Gitee also document sections (`[Name]`); they judge each section
separately, so the block is one section, `[tracker]` (GitHub has none: no section line).
Default locations: `.github/CODEOWNERS` (GitHub), `.gitlab/CODEOWNERS` (GitLab),
`.gitee/CODEOWNERS` (Gitee); each platform also reads `CODEOWNERS` and `docs/CODEOWNERS`.

tracker writes only a marked block (`# >>> tracker codeowners (github) >>>` … `# <<< …`), so
lines someone adds outside it survive regeneration, and `codeowners_diagnostics` can compare
the committed block with what units.yaml says now (rule `codeowners-outdated`).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from tracker.diagnostics import Diagnostic, diag, display_path
from tracker.model import Plan

FORMATS = ("github", "gitlab", "gitee")
DEFAULT_OUT = {"github": ".github/CODEOWNERS", "gitlab": ".gitlab/CODEOWNERS",
               "gitee": ".gitee/CODEOWNERS"}
LOCATIONS = (".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS", ".gitlab/CODEOWNERS",
             ".gitee/CODEOWNERS")
END = "# <<< tracker codeowners <<<"
_BEGIN = re.compile(r"^# >>> tracker codeowners \((github|gitlab|gitee)\) >>>$", re.M)


def begin(fmt: str) -> str:
    return f"# >>> tracker codeowners ({fmt}) >>>"


def owners(entries: tuple[str, ...] | list[str]) -> list[str]:
    """Identities as CODEOWNERS owners: e-mail addresses and @accounts; anything else dropped."""
    out: list[str] = []
    for entry in entries:
        text = entry.strip()
        if "<" in text and text.endswith(">"):
            text = text[text.rindex("<") + 1: -1].strip()
        if text and not any(c.isspace() for c in text) and "@" in text and text not in out:
            out.append(text)
    return out


def git_top(root: Path) -> Path | None:
    """The folder of the git repository that holds `root` (None outside any)."""
    probe = root.resolve()
    while True:
        if (probe / ".git").exists():
            return probe
        if probe.parent == probe:
            return None
        probe = probe.parent


def git_prefix(root: Path) -> str:
    """The root's path inside its git repository ("" at the top, else "a/b/")."""
    top = git_top(root)
    if top is None:
        return ""
    rel = Path(os.path.relpath(root.resolve(), top)).as_posix()
    return "" if rel == "." else rel + "/"


def plan_pattern(root: Path, plan_dir: Path) -> str | None:
    """The plan folder as a CODEOWNERS path (relative to the git top), None if outside it."""
    top = git_top(root) or root.resolve()
    rel = Path(os.path.relpath(plan_dir.resolve(), top)).as_posix()
    return None if rel.startswith("..") else f"/{rel}/"


def generate_block(plan: Plan, fmt: str, prefix: str = "", plan_path: str | None = "/plan/") -> str:
    if fmt not in FORMATS:
        raise ValueError(fmt)
    keepers = owners(plan.maintainers)
    lines = [
        begin(fmt),
        "# 由 tracker codeowners 根据 plan/units.yaml 生成，请勿手工修改本段；修改 units.yaml 后运行",
        f"#   tracker codeowners --format {fmt} --out {DEFAULT_OUT[fmt]}",
        "# Generated from plan/units.yaml by `tracker codeowners`: edit units.yaml, then regenerate.",
    ]
    if fmt != "github":
        # One section: GitLab (and Gitee) judge each section on its own and require every
        # matching section's owners, so `*` must share a section with the units' folders for
        # their lines to take precedence over it. The header also keeps lines written above
        # the block out of it.
        lines.append("[tracker]")
    if keepers:
        # Everything outside the units' own folders is the maintainers' (tracker check agrees:
        # tracker.gate.paths.owner_of); the units' lines below take precedence (last match).
        lines.append(f"* {' '.join(keepers)}")
        if plan_path:
            lines.append(f"{plan_path} {' '.join(keepers)}")
        lines.append(f"/{prefix}tracker.yaml {' '.join(keepers)}")
    for unit in plan.units.values():
        who = owners(unit.editors)
        if not who:
            if not keepers:
                lines.append(f"# {unit.id}: 没有登记 editors，也没有 maintainers，无人审核")
                continue
            lines.append(f"# {unit.id}: 没有登记 editors，由 maintainers 审核")
            who = keepers
        lines.append(f"/{prefix}submissions/{unit.id}/ {' '.join(who)}")
        lines.append(f"/{prefix}evidence/{unit.id}/ {' '.join(who)}")
    lines.append(END)
    return "\n".join(lines) + "\n"


def merge_block(existing: str | None, block: str) -> str:
    """Put `block` in place of the marked block of `existing` (or after its content)."""
    if not existing:
        return block
    text = existing.replace("\r\n", "\n")
    m = _BEGIN.search(text)
    if m is not None:
        end = text.find(END, m.end())
        if end != -1:
            stop = end + len(END)
            if text[stop: stop + 1] == "\n":
                stop += 1
            return text[: m.start()] + block + text[stop:]
    return text.rstrip("\n") + "\n\n" + block


def _block_of(text: str) -> tuple[str, str, int] | None:
    """(format, block text, 1-based line of its first line), or None."""
    text = text.replace("\r\n", "\n")
    m = _BEGIN.search(text)
    if m is None:
        return None
    end = text.find(END, m.end())
    if end == -1:
        return None
    return m.group(1), text[m.start(): end + len(END)] + "\n", text.count("\n", 0, m.start()) + 1


def codeowners_diagnostics(root: Path, plan: Plan, plan_dir: Path) -> list[Diagnostic]:
    """A `codeowners-outdated` warning for each committed CODEOWNERS that disagrees with
    plan/units.yaml (or has no tracker block to compare). `plan_dir`: the plan folder
    (tracker.repository.find_plan_dir)."""
    root = Path(root)
    prefix = git_prefix(root)
    pattern = plan_pattern(root, plan_dir)
    out = []
    for location in LOCATIONS:
        file = root / location
        if not file.is_file() or file.is_symlink():
            continue
        shown = display_path(file)
        try:
            text = file.read_text("utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue
        found = _block_of(text)
        if found is None:
            out.append(diag(shown, None, "codeowners-outdated",
                            f"{location} 中没有 tracker 生成的段落，无法确认与 plan/units.yaml 一致",
                            hint=f"运行 tracker codeowners --format 平台 --out {location} 加入该段落"
                                 "(文件中其他行会保留)。"))
            continue
        fmt, block, line = found
        want = generate_block(plan, fmt, prefix, pattern)
        if block != want:
            have_lines, want_lines = block.splitlines(), want.splitlines()
            first = next((i for i, (a, b) in enumerate(zip(have_lines, want_lines, strict=False))
                          if a != b), min(len(have_lines), len(want_lines)))
            expected = want_lines[first] if first < len(want_lines) else "(段落应在此结束)"
            out.append(diag(shown, (line + first, 1), "codeowners-outdated",
                            f"{location} 与 plan/units.yaml 不一致：这一行应为 {expected}",
                            hint=f"运行 tracker codeowners --format {fmt} --out {location} 重新生成并提交。"))
    return out
