"""The git command line, and the parsing of what it prints.

Git is read with the git command line in a fixed number of calls whatever the size of the
pull request (GitPython is not used here: its import alone costs more than the whole check on
a one-filing pull request). Everything is read as bytes, NUL-separated (`-z`), so no file name
can be misread.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from tracker.errors import GitError


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
