"""The git command line, and the parsing of what it prints.

Git is read with the git command line in a fixed number of calls whatever the size of the
pull request (GitPython is not used here: its import alone costs more than the whole check on
a one-filing pull request). Everything is read as bytes, NUL-separated (`-z`), with the
options that make the output independent of the runner's git configuration; paths are
decoded as UTF-8 with `surrogateescape`, so a name that is not UTF-8 keeps its bytes (and
`paths.py` refuses it where data lives) instead of becoming a different name.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from tracker.errors import GitError

# Configuration that would change what the commands below print, fixed for every call:
# paths unquoted (they are NUL-separated anyway), names and e-mails in UTF-8, no colour.
_CONFIG = ("-c", "core.quotePath=false", "-c", "i18n.logOutputEncoding=UTF-8",
           "-c", "color.ui=false", "--no-pager")
# The runner's environment may change how pathspecs are read (GIT_LITERAL_PATHSPECS=1 would
# make `:(glob)submissions/*/*.yaml` a name no file has): left out, so they mean what they say.
_PATHSPEC_ENV = ("GIT_LITERAL_PATHSPECS", "GIT_GLOB_PATHSPECS", "GIT_NOGLOB_PATHSPECS",
                 "GIT_ICASE_PATHSPECS")


class Git:
    """The git command line, run in one folder, bytes in and out."""

    def __init__(self, cwd: Path) -> None:
        self.cwd = cwd

    def run(self, *args: str, stdin: bytes | None = None, check: bool = True) -> subprocess.CompletedProcess[bytes]:
        return self.finish(self.start(*args, stdin=stdin is not None), stdin, check)

    def start(self, *args: str, stdin: bool = False) -> subprocess.Popen[bytes]:
        """Start git and return at once: independent git commands run side by side."""
        env = {**{k: v for k, v in os.environ.items() if k not in _PATHSPEC_ENV},
               "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
        try:
            return subprocess.Popen(
                ["git", *_CONFIG, *args], cwd=self.cwd,
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
            args = proc.args if isinstance(proc.args, list) else ["git"]
            command = str(args[1 + len(_CONFIG)]) if len(args) > 1 + len(_CONFIG) else "git"
            raise GitError(f"git {command} 失败：{err.decode('utf-8', 'replace').strip()}")
        return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def decode_path(raw: bytes) -> str:
    """A path as git printed it: UTF-8, with any other byte kept as a lone surrogate."""
    return raw.decode("utf-8", "surrogateescape")


def is_utf8(path: str) -> bool:
    """Whether a decoded path was valid UTF-8 (it then has no lone surrogates)."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def shown_path(path: str) -> str:
    """A path fit to print: bytes that are not UTF-8 as \\xNN escapes."""
    if is_utf8(path):
        return path
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


# A version of one path: (mode, blob id); the path absent is mode 000000.
Content = tuple[str, str]
ABSENT_MODE = "000000"


@dataclass
class Commit:
    sha: str
    parents: tuple[str, ...] = ()
    email: str = ""
    name: str = ""
    authored: int = 0  # author date, seconds since the epoch
    files: list[str] = field(default_factory=list)  # paths it is held responsible for

    @property
    def short(self) -> str:
        return self.sha[:10]

    @property
    def merge(self) -> bool:
        return len(self.parents) > 1


@dataclass
class Change:
    """One entry of a raw diff (the net diff REF...HEAD, or one commit against one parent)."""

    status: str  # A, M, D, R, T
    path: str  # path at HEAD (for D: the deleted path)
    old_path: str = ""  # for R: the path before
    old_blob: str = ""
    new_blob: str = ""
    old_mode: str = ""
    new_mode: str = ""

    @property
    def old(self) -> Content:
        return (self.old_mode, self.old_blob)

    @property
    def new(self) -> Content:
        return (self.new_mode, self.new_blob)


# `--format` of every commit listing read here: 0x1e, the sha and its parents, then author
# e-mail, name and date, each ending at NUL.
LOG_FORMAT = "--format=%x1e%H %P%x00%ae%x00%an%x00%at%x00"
_HEADER = re.compile(rb"\x1e([0-9a-f]{40,64})((?: [0-9a-f]{40,64})*) ?\Z")  # a root: "sha "


def parse_log(out: bytes, wanted: set[str] | None = None,
              ) -> tuple[list[Commit], dict[tuple[str, str], dict[str, Change]]]:
    """Commits, and what each changed against one parent, from `git log` or `git diff-tree
    --stdin` with `-z --raw --no-renames` and LOG_FORMAT.

    Returns the commits in the order printed (a commit printed once per parent, as diff-tree
    prints a merge, is listed once) and, per (commit, parent) — parent "" for a root commit —
    the changes against that parent, keeping only the `wanted` paths when given.

    Read token by token (tokens end at NUL, which no path, name or e-mail can contain), by
    position: a header (0x1e, sha, parents; then e-mail, name, date) is recognised only where a
    change is due, so a 0x1e inside a file name or an author's name is just part of it."""
    tokens = out.split(b"\0")
    commits: dict[str, Commit] = {}
    blocks: dict[tuple[str, str], dict[str, Change]] = {}
    block: dict[str, Change] | None = None
    i = 0
    while i < len(tokens):
        token = tokens[i].lstrip(b"\n")
        header = _HEADER.match(token)
        if header:
            sha = header.group(1).decode()
            parents = tuple(header.group(2).decode().split())
            email, name, when = (tokens[i + 1: i + 4] + [b"", b"", b""])[:3]
            if sha not in commits:
                commits[sha] = Commit(sha, parents, email.decode("utf-8", "replace"),
                                      name.decode("utf-8", "replace"),
                                      int(when) if when.strip().isdigit() else 0)
            # One parent per block (diff-tree --stdin "commit parent"); a merge listed by
            # `git log` has no diff of its own, which `history` reads per parent instead.
            block = blocks.setdefault((sha, parents[0] if parents else ""), {}) \
                if len(parents) <= 1 else None
            i += 4
            continue
        if not token.startswith(b":"):
            i += 1
            continue
        meta = token[1:].split()
        if len(meta) < 5:
            i += 1
            continue
        width = 2 if meta[4][:1] in (b"R", b"C") else 1
        paths = [decode_path(p) for p in tokens[i + 1: i + 1 + width]]
        i += 1 + width
        if block is None or not paths:
            continue
        path = paths[-1]
        if wanted is None or path in wanted:
            block[path] = Change(meta[4][:1].decode(), path, "", meta[2].decode(),
                                 meta[3].decode(), meta[0].decode(), meta[1].decode())
    return list(commits.values()), blocks


def parse_raw_diff(out: bytes) -> list[Change]:
    """`git diff --raw -z --no-abbrev -M` → changes."""
    tokens = out.split(b"\0")
    changes = []
    i = 0
    while i < len(tokens) and tokens[i].startswith(b":"):
        meta = tokens[i][1:].decode().split()
        old_mode, new_mode, old_blob, new_blob, status = meta[0], meta[1], meta[2], meta[3], meta[4][0]
        if status in ("R", "C"):
            changes.append(Change(status, decode_path(tokens[i + 2]), decode_path(tokens[i + 1]),
                                  old_blob, new_blob, old_mode, new_mode))
            i += 3
        else:
            changes.append(Change(status, decode_path(tokens[i + 1]), "", old_blob, new_blob,
                                  old_mode, new_mode))
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
        # A name that is not UTF-8 (decode_path) goes back to git as the bytes it came from.
        self.request = ("\n".join(self.wanted) + "\n").encode("utf-8", "surrogateescape")
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
