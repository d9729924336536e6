"""Interrupted and overlapping builds (issue 11, item 12), with real processes and signals.

SIGTERM (what CI sends to cancel a job) and Ctrl-C leave nothing behind, and the process ends
by that signal (a shell reports 143 / 130); a build killed outright is cleaned up by the next
one, which also puts back a complete site if the kill came between the two renames of a swap;
a second build of the same output refuses clearly while the first runs; `tracker new` leaves
no temporary file either.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest

from tests.conftest import copy_base
from tracker.site import build as site_build
from tracker.site.build import MARKER

pytestmark = pytest.mark.skipif(os.name == "nt", reason="POSIX signals")

AS_OF = "2024-06-30"


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # a child of a background job may inherit SIG_IGN


def _tracker(*args: str, cwd: Path, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "tracker", *args], cwd=cwd,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            preexec_fn=_default_sigint, **kwargs)


def _build(root: Path) -> subprocess.Popen:
    return _tracker("build", "--no-provenance", "--as-of", AS_OF, cwd=root)


def _temporary(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.name.startswith(".site."))


def _wait_for(condition, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def _tmp_sources() -> set[str]:
    return {p for p in os.listdir(tempfile.gettempdir()) if p.startswith("tracker-site-src-")}


@pytest.fixture
def built(tmp_path: Path) -> Path:
    """A repository with a site built once."""
    root = copy_base(tmp_path / "repo")
    proc = _build(root)
    assert proc.wait(timeout=300) == 0, proc.stderr.read().decode() if proc.stderr else ""
    proc.stdout.close(), proc.stderr.close()
    assert (root / "site" / MARKER).is_file()
    return root


def _site(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root / "site").as_posix(): p.read_bytes()
            for p in (root / "site").rglob("*") if p.is_file()}


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_during_a_build_leaves_nothing_behind(built: Path, signum) -> None:
    before, sources = _site(built), _tmp_sources()
    proc = _build(built)
    _wait_for(lambda: _temporary(built) != [])  # the new site is being written beside the old
    proc.send_signal(signum)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == -signum, err.decode()  # ended by it: a shell says 143 / 130
    assert "已中断 interrupted" in err.decode() and "Traceback" not in err.decode()
    assert _temporary(built) == []
    assert _tmp_sources() <= sources  # no tracker-site-src-* left in the temporary folder
    assert _site(built) == before  # the previous site, untouched


def test_an_interrupt_just_after_the_staging_folder_is_made_leaves_nothing_behind(
        built: Path, monkeypatch) -> None:
    """The signal can land in the instant between the staging folder's creation and the code
    that removes it on the way out (CI saw it on a loaded machine): it is removed all the same,
    and the previous site is untouched."""
    before = _site(built)
    real_mkdtemp = tempfile.mkdtemp

    def mkdtemp_then_interrupted(*args, **kwargs):  # type: ignore[no-untyped-def]
        real_mkdtemp(*args, **kwargs)
        raise KeyboardInterrupt

    monkeypatch.setattr(tempfile, "mkdtemp", mkdtemp_then_interrupted)
    with pytest.raises(KeyboardInterrupt):
        site_build.execute(site_build.BuildSettings(root=built, out=built / "site",
                                                    provenance=False))
    assert _temporary(built) == []
    assert _site(built) == before


def test_a_second_build_of_the_same_output_refuses_while_the_first_runs(built: Path) -> None:
    first = _build(built)
    try:
        _wait_for(lambda: _temporary(built) != [])
        second = _build(built)
        out, err = second.communicate(timeout=120)
        assert second.returncode == 2, err.decode()
        text = err.decode()
        assert "另一个 tracker build 正在生成" in text and "another tracker build" in text
        assert f"pid {first.pid}" in text
    finally:
        out, err = first.communicate(timeout=300)
    assert first.returncode == 0, err.decode()
    assert _temporary(built) == [] and (built / "site" / MARKER).is_file()


KILL_BETWEEN_RENAMES = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    import tracker.site.build as b
    if hasattr(b, "_exchange"):
        b._exchange = lambda new, out: False  # the two-rename swap (any system but Linux)
    real = os.replace
    out = Path("site").resolve()
    def replace(src, dst):
        if Path(dst).resolve() == out and Path(src).name == "site" and ".site.new-" in str(src):
            os.kill(os.getpid(), signal.SIGKILL)  # after the old site went aside
        return real(src, dst)
    os.replace = replace
    sys.argv = ["tracker", "build", "--no-provenance", "--as-of", "2024-06-30"]
    from tracker.cli import main
    main()
""")


def test_a_build_killed_between_the_renames_of_its_swap_is_put_right_by_the_next(
        built: Path) -> None:
    proc = subprocess.run([sys.executable, "-c", KILL_BETWEEN_RENAMES], cwd=built,
                          capture_output=True, timeout=300)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()
    assert not (built / "site").exists()  # the moment the two renames leave open
    left = _temporary(built)
    assert any(n.startswith(".site.old-") for n in left), left
    # The next build fails (data errors: nothing is built), yet the site is back.
    filing = built / "submissions/west/2024-Q1.yaml"
    filing.write_text(filing.read_text("utf-8").replace("as_of: 2024-03-31", "as_of: 2024-02-30"),
                      "utf-8")
    proc = _build(built)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 1, err.decode()
    assert (built / "site" / MARKER).is_file() and (built / "site/index.html").is_file()
    assert _temporary(built) == []
    assert "恢复" in err.decode()


def test_a_build_killed_outright_is_cleaned_up_by_the_next(built: Path) -> None:
    before = _site(built)
    proc = _build(built)
    _wait_for(lambda: _temporary(built) != [])
    proc.kill()  # SIGKILL: nothing of the build runs any more
    proc.communicate(timeout=60)
    assert _temporary(built) != []
    proc = _build(built)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err.decode()
    assert _temporary(built) == []
    assert _site(built).keys() == before.keys()


def test_the_swap_is_one_atomic_exchange_on_linux(tmp_path: Path, monkeypatch) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    (a / "x").write_text("a"), (b / "x").write_text("b")
    if not site_build._exchange(a, b):
        pytest.skip("no renameat2 RENAME_EXCHANGE here: the two-rename swap is used")
    assert (a / "x").read_text() == "b" and (b / "x").read_text() == "a"
    # A rebuild swaps without renaming the old site aside: site/ is never missing.
    root = copy_base(tmp_path / "repo")
    out = tmp_path / "site"
    settings = site_build.BuildSettings(root=root, out=out, provenance=False)
    site_build.execute(settings)
    renames: list[tuple[str, str]] = []
    real = os.replace
    monkeypatch.setattr(site_build.os, "replace",
                        lambda s, d: (renames.append((str(s), str(d))), real(s, d))[1])
    site_build.execute(settings)
    assert renames == [] and (out / MARKER).is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "b", "repo", "site"]


SLOW_NEW = textwrap.dedent("""
    import os, sys, time
    real = os.fsync
    def fsync(fd):
        print("writing", os.getpid(), flush=True)  # the temporary file exists now
        time.sleep(60)
        return real(fd)
    os.fsync = fsync
    sys.argv = ["tracker", "new", "--unit", "east", "--period", "2024-Q3"]
    from tracker.cli import main
    main()
""")


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_tracker_new_interrupted_while_writing_leaves_no_temporary_file(tmp_path, signum):
    root = copy_base(tmp_path / "repo")
    proc = subprocess.Popen([sys.executable, "-c", SLOW_NEW], cwd=root, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, preexec_fn=_default_sigint)
    assert proc.stdout is not None
    assert proc.stdout.readline().startswith(b"writing ")
    folder = root / "submissions/east"
    assert [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]
    proc.send_signal(signum)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == -signum, err.decode()
    assert sorted(p.name for p in folder.iterdir()) == ["2024-Q1.yaml", "2024-Q2.yaml",
                                                        "registers"]


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_shell_reports_an_interrupted_command_as_128_plus_the_signal(tmp_path, signum, code):
    """What a script running tracker sees: $? is 130 after Ctrl-C, 143 after SIGTERM."""
    root = copy_base(tmp_path / "repo")
    script = '"$0" -c "$1"; echo "exit=$?" >&2'
    proc = subprocess.Popen(["sh", "-c", script, sys.executable, SLOW_NEW], cwd=root,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            preexec_fn=_default_sigint)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line.startswith(b"writing "), line
    os.kill(int(line.split()[1]), signum)  # the Python process, not the shell around it
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err.decode()
    assert err.decode().endswith(f"exit={code}\n"), err.decode()
    assert "已中断 interrupted" in err.decode()
