from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).parent
REPO = HERE.parent
CASES = HERE / "cases"
BASE = CASES / "base"


def copy_base(dest: Path) -> Path:
    """A fresh copy of the small valid test repository."""
    shutil.copytree(BASE, dest, symlinks=True)
    return dest


def replace_in(path: Path, *pairs: tuple[str, str]) -> None:
    """Replace text in a file; each old text must be there."""
    text = path.read_text("utf-8")
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new)
    path.write_text(text, "utf-8")


# Every way YAML ends a comment (line feed, CR, NEL, U+2028, U+2029) and characters it refuses
# anywhere in a file (C0 controls, U+FFFF).
COMMENT_BREAKS = ["\n  injected: 1", "\r", "\x85", "\u2028", "\u2029", "\x01", "\uffff"]


def hostile_plan(root: Path) -> Path:
    """The small repository at `root` made hostile to what `tracker new` and the filing form
    write: plan text (east's short name, a target's title and measure word, a task's title) and
    an earlier summary of east hold COMMENT_BREAKS, which the filing's comment lines repeat; the
    reason of east's amended 2024-Q1 is laid out as amend_text cannot follow; and the unit
    west is renamed 330902, an id (a 统计用区划代码) that YAML reads as a number."""
    import json

    q = json.dumps
    b = COMMENT_BREAKS
    replace_in(root / "plan/units.yaml", ("short: 东区", f"short: {q('东区' + b[0])}"),
               ("- id: west", '- id: "330902"'),
               ("members: [east, west]", 'members: [east, "330902"]'))
    replace_in(root / "plan/targets.yaml",
               ("title: 村级服务站", "title: " + q("村级服务站" + "".join(b[1:4]) + "x")),
               ("unit_label: 个\n    milestones:\n      - {by: 2024-12-31",
                f"unit_label: {q('个' + b[4])}\n    milestones:\n      - {{by: 2024-12-31"))
    replace_in(root / "plan/tasks.yaml",
               ("title: 建设分拣中心", "title: " + q("建设" + b[5] + "分拣中心" + b[6])),
               ("units: [east, west]", 'units: [east, "330902"]'))
    replace_in(root / "submissions/east/2024-Q2.yaml",
               ("summary: 新建一个服务站", "summary: " + q("新建" + "".join(b) + "服务站")))
    # An amended filing whose reason, a quoted text continued at column 0, is valid YAML that
    # amend_text cannot follow; it reports every target and task of east.
    (root / "submissions/east/2024-Q1.yaml").write_text(
        "unit: east\nperiod: 2024-Q1\nas_of: 2024-03-31\nreported_on: 2024-04-08\nrevision: 2\n"
        'amendment_reason: "更正\n服务站数量"\n'
        "targets:\n  stations: {value: 2, note: 新建两个服务站}\n  centres: {value: 0}\n"
        'tasks:\n  "1.1": {progress: in_progress, summary: 已完成选址}\n'
        '  "1.2": {progress: not_started, summary: 尚未启动}\n'
        '  "S.1": {progress: in_progress, summary: 成立工作专班}\n', "utf-8")
    (root / "submissions/west").rename(root / "submissions/330902")
    replace_in(root / "submissions/330902/2024-Q1.yaml", ("unit: west", 'unit: "330902"'))
    return root


@pytest.fixture
def base_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The small valid repository, copied into a temporary folder that is the cwd."""
    root = copy_base(tmp_path / "repo")
    monkeypatch.chdir(root)
    return root


def git(cwd: Path, *args: str, author: str = "Test <test@example.invalid>",
        date: str = "2024-07-01T10:00:00+08:00") -> str:
    """Run git in `cwd` with a fixed identity and date; returns stdout."""
    name, email = author[: author.index("<")].strip(), author[author.index("<") + 1 : -1]
    env = {
        "GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email,
        "GIT_COMMITTER_NAME": name, "GIT_COMMITTER_EMAIL": email,
        "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date,
        "HOME": str(cwd), "PATH": "/usr/bin:/bin:/usr/local/bin",
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    out = subprocess.run(["git", "-c", "init.defaultBranch=main", "-c", "core.quotepath=off",
                          *args], cwd=cwd, env=env, check=True, capture_output=True, text=True)
    return out.stdout


@pytest.fixture
def pr_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A pull request's repository (tests.workflow_helpers.make_pr_repo), checked out on its
    branch and made the current folder, with no global git configuration and no step summary."""
    from tests.workflow_helpers import make_pr_repo

    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-global-gitconfig"))
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    root = make_pr_repo(tmp_path / "repo")
    monkeypatch.chdir(root)
    return root
