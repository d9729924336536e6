"""Standard output closed early (`tracker status | head -3`): exit 0, nothing on stderr.

The real CLI runs in a subprocess with its stdout a pipe whose reader goes away: either after a
few bytes of an output bigger than a pipe holds (64 KiB on Linux), or before tracker writes
anything (a pipe without a reader from the start: the first write fails, whatever its size).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, copy_base

PIPE_CAPACITY = 64 * 1024
DEMO = ["--root", "examples/demo"]
TIMEOUT = 120


def env() -> dict[str, str]:
    """The environment without colour switches: output formats as the test says."""
    return {k: v for k, v in os.environ.items()
            if k not in ("NO_COLOR", "FORCE_COLOR", "TRACKER_DEBUG")}


def tracker(*args: str) -> list[str]:
    return [sys.executable, "-m", "tracker", *args]


def run(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(tracker(*args), cwd=REPO, env=env(), capture_output=True,
                          timeout=TIMEOUT)


def close_after(nbytes: int, *args: str) -> tuple[int, bytes, bytes]:
    """Run tracker with stdout piped to a reader that takes `nbytes` and closes the pipe."""
    proc = subprocess.Popen(tracker(*args), cwd=REPO, env=env(), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    head = proc.stdout.read(nbytes)
    proc.stdout.close()
    try:
        err = proc.stderr.read()
        code = proc.wait(timeout=TIMEOUT)
    finally:
        proc.kill()
        proc.stderr.close()
    return code, head, err


def no_reader(*args: str) -> tuple[int, bytes]:
    """Run tracker with stdout a pipe whose reading end is closed before tracker starts."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        out = subprocess.run(tracker(*args), cwd=REPO, env=env(), stdout=write_end,
                             stderr=subprocess.PIPE, timeout=TIMEOUT)
    finally:
        os.close(write_end)
    return out.returncode, out.stderr


@pytest.fixture(scope="module")
def many_warnings(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A valid repository (exit 0) whose validation prints 300 warnings: well over 64 KiB."""
    root = copy_base(tmp_path_factory.mktemp("pipe") / "repo")
    folder = root / "evidence" / "east" / "2024-Q3"
    folder.mkdir(parents=True)

    def evidence(prefix: str) -> str:
        lines = []
        for i in range(150):  # a list holds at most 200 items
            (folder / f"{prefix}-{i}.html").write_text("<p>网页</p>\n", encoding="utf-8")
            lines.append(f"      - {{title: 网页 {i}, path: evidence/east/2024-Q3/{prefix}-{i}.html}}")
        return "\n".join(lines)

    (root / "submissions" / "east" / "2024-Q3.yaml").write_text(
        "unit: east\nperiod: 2024-Q3\nas_of: 2024-09-30\nreported_on: 2024-10-08\nrevision: 1\n"
        "targets:\n"
        f"  stations:\n    value: 3\n    evidence:\n{evidence('s')}\n"
        f"  centres:\n    value: 1\n    evidence:\n{evidence('c')}\n",
        encoding="utf-8",
    )
    return root


# text: plain lines, one write; --color: rich, one write per line; json: one binary write.
# A single write blocked on the full pipe may end short without an error when the reader goes
# (CPython returns the partial count), so only the line-by-line writer is sure to meet the closed
# pipe here; test_reader_gone_before_any_output makes every writer meet it.
BIG_FORMATS = [["--format", "text"], ["--color"], ["--format", "json"]]


@pytest.mark.parametrize("fmt", BIG_FORMATS, ids=lambda f: " ".join(f))
def test_big_output_normal_run(many_warnings, fmt):
    out = run("validate", "--root", str(many_warnings), *fmt)
    assert out.returncode == 0, out.stderr.decode()
    assert out.stderr == b""
    assert len(out.stdout) > PIPE_CAPACITY  # more than a pipe holds: the writer must block
    assert out.stdout.count(b"evidence-file-type") == 300
    if fmt[-1] == "json":
        assert json.loads(out.stdout)["warnings"] == 300


@pytest.mark.parametrize("fmt", BIG_FORMATS, ids=lambda f: " ".join(f))
def test_big_output_reader_closes_after_a_few_bytes(many_warnings, fmt):
    code, head, err = close_after(200, "validate", "--root", str(many_warnings), *fmt)
    assert len(head) == 200
    assert err == b""
    assert code == 0


@pytest.mark.parametrize("args", [
    ["status", *DEMO],                                   # rich tables
    ["status", *DEMO, "--format", "json"],
    ["status", *DEMO, "--format", "csv"],
    ["status", *DEMO, "--since", "2023-01-01", "--as-of", "2024-06-30"],
    ["explain", *DEMO, "parcel-coverage", "--as-of", "2024-06-30"],
    ["validate", *DEMO, "--format", "json"],
    ["validate", *DEMO, "--color"],
    ["validate", *DEMO, "--debug"],
    ["--help"],
    ["--version"],
    ["status", "--help"],
], ids=" ".join)
def test_reader_gone_before_any_output(args):
    # What click alone did: exit 1 (and rich's Console: exit 1).
    code, err = no_reader(*args)
    assert err == b""
    assert code == 0


def test_demo_status_piped_to_a_reader_that_closes(tmp_path):
    code, head, err = close_after(16, "status", *DEMO, "--format", "json")
    assert head.startswith(b"{")
    assert (code, err) == (0, b"")


def test_normal_runs_exit_as_before(tmp_path):
    out = run("status", *DEMO, "--format", "json", "--as-of", "2024-06-30")
    assert (out.returncode, out.stderr) == (0, b"")
    assert json.loads(out.stdout)["targets"]

    out = run("validate", *DEMO)
    assert (out.returncode, out.stderr) == (0, b"")

    bad = copy_base(tmp_path / "repo")
    (bad / "submissions" / "east" / "2024-Q1.yaml").write_text("unit: east\n", encoding="utf-8")
    out = run("validate", "--root", str(bad), "--format", "json")
    assert out.returncode == 1  # the data has errors
    assert json.loads(out.stdout)["ok"] is False

    out = run("status", *DEMO, "--target", "no-such-target")
    assert out.returncode == 2 and b"no-such-target" in out.stderr


def test_errors_still_reported_when_stdout_has_no_reader():
    # Only the stdout writes are quiet: a message on stderr and its exit code stay.
    code, err = no_reader("status", *DEMO, "--target", "no-such-target")
    assert code == 2
    assert b"no-such-target" in err


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_other_write_errors_are_not_swallowed():
    # A full disk is not a closed pipe: the usual message, exit 2.
    with open("/dev/full", "wb") as full:
        out = subprocess.run(tracker("status", *DEMO, "--format", "json"), cwd=REPO, env=env(),
                             stdout=full, stderr=subprocess.PIPE, timeout=TIMEOUT)
    assert out.returncode == 2
    assert b"cannot read or write" in out.stderr


def test_a_broken_pipe_that_is_not_stdout_is_not_swallowed():
    # EPIPE writing to some other pipe (a child process gone) while stdout is fine: an error.
    code = (
        "import os, tracker.cli as c\n"
        "@c.cli.command('pipe-test')\n"
        "def pipe_test():\n"
        "    print('before', flush=True)\n"
        "    r, w = os.pipe()\n"
        "    os.close(r)\n"
        "    os.write(w, b'x')\n"
        "c.main()\n"
    )
    out = subprocess.run([sys.executable, "-c", code, "pipe-test"], cwd=REPO, env=env(),
                         capture_output=True, timeout=TIMEOUT)
    assert out.stdout == b"before\n"
    assert out.returncode == 2
    assert b"cannot read or write" in out.stderr and b"Broken pipe" in out.stderr


@pytest.mark.parametrize("fmt", [["--format", "json"], ["--color"], ["--format", "text"]],
                         ids=lambda f: " ".join(f))
def test_a_closed_output_does_not_turn_problems_found_into_success(tmp_path, fmt):
    # `tracker validate | head` in CI with pipefail: the data still has errors, so exit 1.
    root = copy_base(tmp_path / "repo")
    filing = root / "submissions" / "east" / "2024-Q1.yaml"
    filing.write_text(filing.read_text("utf-8").replace("revision: 1", "revision: 0"), "utf-8")
    code, err = no_reader("validate", "--root", str(root), *fmt)
    assert err == b""
    assert code == 1


def test_an_outdated_codeowners_stays_exit_1_when_output_is_closed(tmp_path):
    root = copy_base(tmp_path / "repo")
    (root / ".github").mkdir()
    (root / ".github" / "CODEOWNERS").write_text("* @somebody-else\n", encoding="utf-8")
    code, err = no_reader("codeowners", "--check", "--root", str(root))
    assert err == b""
    assert code == 1
