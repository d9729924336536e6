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
