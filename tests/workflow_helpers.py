"""Temporary git repositories with several identities, for the pull-request workflow tests.

The small valid repository (tests/cases/base) is committed on `main` by the plan office
(its maintainer), then a branch `pr` is made: each test commits its pull request on it, as
the identities of tests/cases/base/plan/units.yaml (east, west, office, plan).
"""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner, Result

from tests.conftest import copy_base, git
from tracker.cli import cli

PLAN = "Plan Office <plan@example.invalid>"
EAST = "East Editor <east@example.invalid>"
WEST = "West Editor <west@example.invalid>"
OFFICE = "Office Editor <office@example.invalid>"

AS_OF = "2024-10-10"  # the day status is compared on in these tests


def make_pr_repo(dest: Path) -> Path:
    """The base repository committed on main by the maintainer; `pr` checked out."""
    root = copy_base(dest)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "plan and first filings", author=PLAN,
        date="2024-07-15T10:00:00+08:00")
    git(root, "checkout", "-q", "-b", "pr")
    return root


def make_pr_repo_in_subfolder(top: Path, folder: str = "data") -> Path:
    """The base repository in `top/folder`, a subfolder of the git repository `top` (as
    examples/demo is), committed on main by the maintainer; `pr` checked out. Returns the
    repository's folder."""
    top.mkdir()
    data = copy_base(top / folder)
    git(top, "init", "-q")
    git(top, "add", "-A")
    git(top, "commit", "-q", "-m", "plan", author=PLAN)
    git(top, "checkout", "-q", "-b", "pr")
    return data


def commit(root: Path, message: str, author: str, *, date: str = "2024-10-05T10:00:00+08:00") -> str:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message, author=author, date=date)
    return git(root, "rev-parse", "HEAD").strip()


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), "utf-8")


def check(root: Path, *args: str, env: dict[str, str] | None = None) -> Result:
    """`tracker check --base main` in `root` (the current directory), stderr kept apart."""
    return CliRunner().invoke(cli, ["check", "--base", "main", "--as-of", AS_OF, *args],
                              env=env)


def rules(result: Result) -> set[tuple[str, str]]:
    """(rule, path) of every diagnostic in text output."""
    found = set()
    for line in result.stdout.splitlines():
        m = re.match(r"^(\S+?)(?::\d+:\d+)?: (?:error|warning): .* \[([a-z0-9-]+)\]$", line)
        if m:
            found.add((m.group(2), m.group(1)))
    return found


Q3_FILING = """\
unit: east
period: 2024-Q3
as_of: 2024-09-30
reported_on: 2024-10-05
revision: 1
targets:
  stations:
    value: 5
  centres:
    value: 1
tasks:
  "1.1":
    progress: in_progress
    summary: 新建两个服务站
  "1.2":
    progress: done
    summary: 分拣中心运行
    evidence:
      - {title: 验收文件, path: evidence/east/2024-Q2/photo.txt}
  "S.1":
    progress: in_progress
    summary: 工作专班按月调度
"""

NEW_REGISTER_ITEMS = """\
  - {code: "330901005", name: 东五村服务站, opened: 2024-07-15}
  - {code: "330901006", name: 东六村服务站, opened: 2024-08-01}
"""


def file_east_q3(root: Path) -> None:
    """East's 2024-Q3 filing (5 stations) with the two new points in its register."""
    (root / "submissions/east/2024-Q3.yaml").write_text(Q3_FILING, "utf-8")
    reg = root / "submissions/east/registers/stations.yaml"
    reg.write_text(reg.read_text("utf-8") + NEW_REGISTER_ITEMS, "utf-8")


def head(root: Path, rev: str = "HEAD") -> str:
    return git(root, "rev-parse", rev).strip()


def merge_tree(root: Path, parents: list[str], author: str, message: str = "merge",
               *, date: str = "2024-10-06T10:00:00+08:00") -> str:
    """A merge commit of the index as it stands (`git add -A` first) with exactly these
    parents, made with plumbing (git merge refuses a parent the branch already contains),
    and the current branch moved to it."""
    git(root, "add", "-A")
    tree = git(root, "write-tree").strip()
    args = ["commit-tree", tree, "-m", message]
    for parent in parents:
        args += ["-p", parent]
    sha = git(root, *args, author=author, date=date).strip()
    git(root, "reset", "-q", "--hard", sha)
    return sha


def restore(root: Path, rev: str, *paths: str) -> None:
    """Put `paths` back as they are at `rev` (index and working tree)."""
    git(root, "checkout", rev, "--", *paths)
