"""Where things are, who owns each path, and what a path under submissions/ or evidence/ may be.

**Ownership.** A unit owns exactly its own folders, `submissions/<unit>/…` and
`evidence/<unit>/…` (the unit id as written in the base's units.yaml, case and all). Every
other path of the git repository — the plan, `tracker.yaml`, `reviews/`, CI files, `.github/`,
`.gitattributes`, CODEOWNERS, shared evidence, and any path that differs from a unit's folder
only by case (`Submissions/east/…`, `evidence/East/…`) — belongs to the plan's maintainers.
`tracker codeowners` writes the same split for the forge (`*` to the maintainers first).

**Form.** Under `submissions/` and `evidence/` (in any case: `Submissions/` is judged too) only
well-formed paths may be added or changed (rule `path-form`, an error): a filing
`submissions/<unit>/<period>.yaml`, a register `submissions/<unit>/registers/<target>.yaml`,
`submissions/README.md`, `.gitkeep`, and evidence files whose names every platform can check
out (no hidden names, no characters Windows forbids, none differing only by case from a
sibling). Names must be UTF-8 (`path-encoding`), and every entry a regular file
(`path-file-type`: no symlinks, no submodules). A filing saved as `2024-Q3.YAML` or `.yml`
would not be read and would silently count as 未报送; a symlink breaks `validate` and `build`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from tracker.diagnostics import Diagnostic, diag
from tracker.gate.git import Change, is_utf8, shown_path
from tracker.model import Unit
from tracker.periods import Period
from tracker.repository import display_path
from tracker.text import BIDI, BOM, C1, SEPARATORS

DATA_FOLDERS = ("submissions", "evidence")
REGULAR_FILE = ("100644", "100755")
_SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*\Z")
# Characters no Windows checkout can hold, control characters, and the line separators and bidi
# controls that make a name read differently from what it is ("fdp.exe" after U+202E reads
# "exe.pdf"), which the site never links (tracker.site.escape).
_FORBIDDEN = re.compile(f'[\\x00-\\x1f<>:"|?*\\\\{C1}{SEPARATORS}{BIDI}{BOM}]')
# Windows device names, with or without an extension: COM¹–³ and LPT¹–³ too, and CONIN$ and
# CONOUT$ (git for Windows refuses to check any of them out).
_RESERVED = re.compile(r"(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)(\..*)?\Z", re.I)


@dataclass
class Where:
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
        return shown_path(display_path(self.top / git_path))

    def is_plan(self, git_path: str) -> bool:
        if self.plan_git is not None and (git_path + "/").startswith(self.plan_git + "/"):
            return True
        return self.rel(git_path) == "tracker.yaml"


def fold(name: str) -> str:
    """The key under which case-insensitive file systems (Windows, macOS) see a name."""
    return unicodedata.normalize("NFC", name).casefold()


def kind_of(rel: str | None) -> str:
    """filing, register or review, for a root-relative path of that form; "" otherwise."""
    if rel is None or not rel.endswith(".yaml"):
        return ""
    parts = rel.split("/")
    if parts[0] == "reviews" and len(parts) == 2:
        return "review"
    if parts[0] != "submissions":
        return ""
    if len(parts) == 3:
        return "filing"
    if len(parts) == 4 and parts[2] == "registers":
        return "register"
    return ""


def owner_of(rel: str | None, units: dict[str, Unit]) -> str | None:
    """The unit whose own folder holds a root-relative path; None: the maintainers'."""
    if rel is None:
        return None
    parts = rel.split("/")
    if len(parts) >= 3 and parts[0] in DATA_FOLDERS and parts[1] in units:
        return parts[1]
    return None


def in_data_folder(rel: str | None) -> bool:
    """Under submissions/ or evidence/, in any case (Submissions/ collides with submissions/
    on Windows and macOS checkouts)."""
    return rel is not None and fold(rel.split("/")[0]) in DATA_FOLDERS


# --- form -----------------------------------------------------------------------------------


def _name_problem(name: str) -> str | None:
    if name.startswith("."):
        return f"隐藏文件或文件夹 {name}(以 . 开头)不能放在这里"
    if _FORBIDDEN.search(name):
        return f"名称 {name} 含有 Windows 不允许的字符(\\ / : * ? \" < > | 或控制字符)，或改变文字显示方向的字符"
    if name != name.rstrip(" ."):
        return f"名称 {name} 以空格或 . 结尾(Windows 会去掉它们)"
    if _RESERVED.match(name):
        return f"名称 {name} 是 Windows 的保留设备名"
    return None


def _yaml_name_fix(name: str) -> str:
    lower = name.lower()
    for ext in (".yaml", ".yml"):
        if ext + "." in lower:  # 2024-Q3.yaml.txt (Notepad's "Save as")
            cut = lower.index(ext + ".")
            return f"请改名为 {name[:cut]}.yaml"
        if lower.endswith(ext):
            return f"请改名为 {name[: -len(ext)]}.yaml(扩展名必须是小写的 .yaml)"
    return "单位文件夹下只放报送文件(<期次>.yaml，如 2024-Q3.yaml)和 registers/ 下的台账；佐证材料放在 evidence/<单位>/ 下"


def form_problem(rel: str, units: Iterable[str]) -> tuple[str, str] | None:
    """(message, hint) when a root-relative path under submissions/ or evidence/ (any case)
    is not a well-formed data or evidence path; None when it is."""
    parts = rel.split("/")
    top = parts[0]
    if top not in DATA_FOLDERS:
        right = fold(top)
        return (f"顶层文件夹 {top} 与 {right}/ 只差大小写：在 Windows 和 macOS 上它们是同一个文件夹",
                f"文件应放在 {right}/ 下(全小写)。")
    for name in parts[1:-1]:
        problem = _name_problem(name)
        if problem:
            return problem, "文件夹名只用中文、字母、数字、- 和 _。"
    name = parts[-1]
    if name == ".gitkeep" and len(parts) >= 2:
        return None
    if top == "evidence":
        if len(parts) >= 3:
            for unit in units:
                if fold(parts[1]) == fold(unit) and parts[1] != unit:
                    return (f"文件夹 evidence/{parts[1]}/ 与单位 {unit} 的文件夹 evidence/{unit}/ 只差大小写",
                            f"{unit} 的佐证材料放在 evidence/{unit}/ 下。")
        problem = _name_problem(name)
        return (problem, "用中文、字母、数字、- 和 _ 命名佐证材料，保留扩展名(如 .pdf、.jpg)。") \
            if problem else None
    # submissions/
    if len(parts) == 2:
        if name == "README.md":
            return None
        return (f"submissions/ 下只放单位文件夹：{name} 不会被读取",
                "报送文件放在 submissions/<单位>/<期次>.yaml。")
    unit = parts[1]
    if not _SLUG.match(unit):
        hint = f"单位文件夹名必须与 plan/units.yaml 中的单位 id 完全一致(小写)，例如 submissions/{fold(unit)}/。"
        return f"单位文件夹名 {unit} 不是单位 id 的写法(小写字母、数字和 -)", hint
    if len(parts) == 3:
        if name.endswith(".yaml") and Period.parse(name[:-5]) is not None:
            return None
        return (f"{name} 不是报送文件的名称(<期次>.yaml)，不会被读取，这一期会算作未报送",
                _yaml_name_fix(name))
    if len(parts) == 4 and parts[2] == "registers":
        if name.endswith(".yaml") and _SLUG.match(name[:-5]):
            return None
        return (f"{name} 不是台账文件的名称(<指标编号>.yaml)，不会被读取",
                "台账命名为 registers/<指标编号>.yaml(小写)。")
    return (f"{'/'.join(parts[2:])} 不会被读取：单位文件夹下只放报送文件和 registers/ 下的台账",
            "佐证材料放在 evidence/<单位>/ 下。")


def path_rules(changes: list[Change], where: Where, units: Iterable[str],
               listing: dict[str, list[str]] | None = None) -> list[Diagnostic]:
    """path-encoding, path-file-type and path-form for every path the pull request adds or
    changes under submissions/ or evidence/ (in any case). `listing`: the names in HEAD's
    folders that hold new evidence paths (`folders_to_list`), for case collisions."""
    out: list[Diagnostic] = []
    units = list(units)
    new_paths = [ch.path for ch in changes if ch.status in ("A", "R")]
    for ch in changes:
        if ch.status == "D":
            continue
        rel = where.rel(ch.path)
        if rel is None or not in_data_folder(rel):
            continue
        shown = where.shown(ch.path)
        if not is_utf8(ch.path):
            out.append(diag(shown, None, "path-encoding",
                            f"文件名不是有效的 UTF-8 编码：{shown_path(rel)}"))
            continue
        if ch.new_mode not in REGULAR_FILE:
            what = {"120000": "符号链接", "160000": "子模块(submodule)"}.get(ch.new_mode, "特殊文件")
            out.append(diag(shown, None, "path-file-type",
                            f"{rel} 是{what}，不是普通文件"))
            continue
        problem = form_problem(rel, units)
        if problem is None and ch.status in ("A", "R") and listing is not None:
            problem = _collision(ch.path, listing, new_paths)
        if problem is not None:
            out.append(diag(shown, None, "path-form", problem[0], hint=problem[1]))
    return out


def folders_to_list(changes: list[Change], where: Where) -> list[str]:
    """The folders (toplevel-relative, ending in /) whose entries a case collision of a new
    evidence path would be among: every folder above it, from evidence/ down. Filings and
    registers need none: their well-formed names are lower case already."""
    folders: dict[str, None] = {}
    for ch in changes:
        rel = where.rel(ch.path)
        if ch.status not in ("A", "R") or rel is None or not rel.startswith("evidence/"):
            continue
        parts = ch.path.split("/")
        start = len(where.prefix.split("/")) if where.prefix else 1
        for depth in range(start, len(parts)):
            folders["/".join(parts[:depth]) + "/"] = None
    return list(folders)


def parse_listing(out: bytes) -> dict[str, list[str]]:
    """`git ls-tree -z HEAD -- FOLDER/…` → folder (ending in /) → the names in it."""
    listing: dict[str, list[str]] = {}
    for entry in out.split(b"\0"):
        if b"\t" not in entry:
            continue
        path = entry.split(b"\t", 1)[1].decode("utf-8", "surrogateescape")
        folder, _, name = path.rpartition("/")
        listing.setdefault(folder + "/" if folder else "", []).append(name)
    return listing


def _collision(git_path: str, listing: dict[str, list[str]],
               new_paths: list[str]) -> tuple[str, str] | None:
    parts = git_path.split("/")
    for depth in range(1, len(parts)):
        folder = "/".join(parts[:depth]) + "/"
        name = parts[depth]
        names = set(listing.get(folder, ()))
        names |= {p.split("/")[depth] for p in new_paths
                  if p.startswith(folder) and len(p.split("/")) > depth}
        twins = sorted(n for n in names if n != name and fold(n) == fold(name))
        if twins:
            return (f"{folder}{name} 与 {folder}{twins[0]} 只差大小写：在 Windows 和 macOS 上它们是同一个文件，"
                    "检出时一个会覆盖另一个",
                    "换一个名称，或沿用已有的名称。")
    return None
