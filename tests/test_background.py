"""tracker.background: work in a forked child gives the same answer as work done here."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.workflow_helpers import AS_OF, EAST, commit, file_east_q3, make_pr_repo
from tracker import background
from tracker.background import Background

linux_only = pytest.mark.skipif(sys.platform != "linux", reason="forks only on Linux")


@pytest.fixture(autouse=True)
def forking_allowed(monkeypatch):
    """The test process may run threads of its own (numpy's, imported by openpyxl when it is
    installed), which rightly stop tracker from forking; the fork tests fork regardless."""
    monkeypatch.delenv("TRACKER_PARALLEL", raising=False)
    if sys.platform == "linux":
        monkeypatch.setattr(background, "_can_fork", lambda: True)


def _pid_and_square(n: int) -> tuple[int, int]:
    return os.getpid(), n * n


def _fails_in_the_child(parent: int) -> str:
    if os.getpid() != parent:
        raise RuntimeError("child trouble")
    return "computed by the parent"


@linux_only
def test_the_work_runs_in_another_process_and_comes_back():
    with Background(_pid_and_square, 12) as job:
        assert job.forked
        pid, square = job.result()
    assert square == 144
    assert pid != os.getpid()


def test_without_fork_the_same_work_runs_here(monkeypatch):
    monkeypatch.undo()
    monkeypatch.setenv("TRACKER_PARALLEL", "0")
    job = Background(_pid_and_square, 12)
    assert not job.forked
    assert job.result() == (os.getpid(), 144)


@linux_only
def test_a_failing_child_is_replaced_by_the_work_done_here():
    with Background(_fails_in_the_child, os.getpid()) as job:
        assert job.result() == "computed by the parent"


@linux_only
def test_closing_stops_an_unwanted_child_at_once():
    job = Background(time.sleep, 30)
    pid = job._pid
    assert pid
    started = time.monotonic()
    job.close()
    assert time.monotonic() - started < 5
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reaped: no zombie left behind


def test_a_process_running_threads_or_told_not_to_does_not_fork(monkeypatch):
    monkeypatch.undo()
    monkeypatch.setattr(background.os, "listdir", lambda path: ["1", "2"])
    assert not background._can_fork()
    monkeypatch.setattr(background.os, "listdir", lambda path: ["1"])
    assert background._can_fork() == (sys.platform == "linux")
    monkeypatch.setenv("TRACKER_PARALLEL", "0")
    assert not background._can_fork()


def test_check_reports_the_same_with_and_without_the_second_process(tmp_path: Path, monkeypatch):
    # Real processes: the installed CLI, as CI runs it, once forking and once not.
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-global-gitconfig"))
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    root = make_pr_repo(tmp_path / "repo")
    file_east_q3(root)
    commit(root, "东区 2024-Q3", EAST)
    outputs = {}
    for parallel in ("1", "0"):
        run = subprocess.run(
            [sys.executable, "-m", "tracker", "check", "--base", "main", "--as-of", AS_OF],
            cwd=root, capture_output=True, text=True, encoding="utf-8",
            env={**os.environ, "TRACKER_PARALLEL": parallel, "PYTHONIOENCODING": "utf-8"})
        assert run.returncode == 0, run.stdout + run.stderr
        outputs[parallel] = run.stdout
    assert outputs["1"] == outputs["0"]
    # The filing moves statuses, so the comparison compares something.
    assert "| 村级服务站 | 全市 |" in outputs["1"]


def test_a_process_that_ignores_sigchld_does_not_fork(monkeypatch):
    # Its children would be reaped by the kernel: nothing to wait for, and pids reused.
    import signal

    monkeypatch.undo()
    monkeypatch.setattr(background.os, "listdir", lambda path: ["1"])
    previous = signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    try:
        assert not background._can_fork()
        assert Background(_pid_and_square, 4).result() == (os.getpid(), 16)
    finally:
        signal.signal(signal.SIGCHLD, previous)
