"""Where each filing came from: the commit that added it and every commit that amended it.

Read from git with GitPython in ONE pass over history (`git log --name-status -z` over the
submissions folder, parsed once), never one query per file: a province has thousands of filings.
Paths are read NUL-separated with `core.quotepath=off`, so Chinese file names come back as
written. A shallow clone has lost the history that says who filed what; attributing every file
to the one commit it has would be wrong, so provenance reports the clone as shallow (a warning,
also shown on the site) and attributes nothing. `enabled=False` and a root outside any git
repository give an empty provenance that says why.

For every amended file, the text of each earlier version (what the amendment changed) is read
too: all of them in ONE `git cat-file --batch` process fed every `<commit>:<path>` at once,
never one `git show` per version. Git keeps versions no check ever saw: a pull request is judged
by its net change, so one of its commits can hold anything, and a merge commit brings all of
them into main's history. Only the versions the main line held (the files as they were at each
commit of HEAD's first parents, read in one more `git log` pass) are published; the others are
named, by commit, without their text. A version larger than the size cap
of the files themselves (`--max-file-size`) is not read, nor one that would bring a file's
earlier versions together (newest first) over that cap: their sizes are asked first, of one
`git cat-file --batch-check` process, and the site names them without showing them.

`received_dates` reads, also in one pass, the day each filing reached the main line: what
`reporting.timeliness: received` judges on time / late by (the loader fills Filing.received_on).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from tracker.yamlio import DEFAULT_MAX_BYTES

STATE_OK = "ok"
STATE_OFF = "off"
STATE_NOT_GIT = "not_git"
STATE_SHALLOW = "shallow"
STATE_ERROR = "error"

_RS, _US = "\x1e", "\x1f"
_FORMAT = "%x1e%H%x1f%an%x1f%ae%x1f%cI"


@dataclass(frozen=True)
class Commit:
    sha: str
    author: str
    email: str
    date: str  # committer date, ISO 8601 with offset (when the change landed)

    @property
    def short(self) -> str:
        return self.sha[:10]

    @property
    def day(self) -> str:
        return self.date[:10]

    def as_dict(self) -> dict[str, str]:
        return {"sha": self.sha, "author": self.author, "email": self.email, "date": self.date}


@dataclass
class FileHistory:
    """One file's history: `added` then `amended` in order (oldest first)."""

    path: str
    added: Commit | None = None
    amended: list[Commit] = field(default_factory=list)

    @property
    def commits(self) -> list[Commit]:
        return ([self.added] if self.added else []) + self.amended

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "added": self.added.as_dict() if self.added else None,
            "amended": [c.as_dict() for c in self.amended],
        }


@dataclass(frozen=True)
class Version:
    """An earlier version of an amended file: the commit that wrote it and its text (None when
    git could not give it back, e.g. a file that is not UTF-8, or when it was not read because
    the file's earlier versions together are over the size cap: then `size` says how large)."""

    commit: Commit
    text: str | None
    size: int | None = None  # set when the version was not read: over the size cap
    # False for a version the main line never held (a commit inside a merged pull request, which
    # no check saw): not read, not published
    on_main: bool = True


@dataclass
class Provenance:
    state: str
    message: str = ""  # plain Chinese, shown on the site when provenance is not available
    head: Commit | None = None
    dirty: bool = False  # uncommitted changes under the repository root
    files: dict[str, FileHistory] = field(default_factory=dict)  # repository-relative paths
    uncommitted: set[str] = field(default_factory=set)  # new or modified, not committed
    warnings: list[str] = field(default_factory=list)
    # path → its versions before the latest commit, oldest first (amended files only)
    earlier: dict[str, list[Version]] = field(default_factory=dict)
    prefix: str = ""  # the repository root's path inside the git repository ("" or "a/b/")

    @property
    def available(self) -> bool:
        return self.state == STATE_OK

    def of(self, path: str) -> FileHistory | None:
        return self.files.get(path)

    def versions(self, path: str) -> list[Version]:
        """The file's earlier versions (oldest first); empty when it was never amended."""
        return self.earlier.get(path, [])


def disabled(message: str = "本次构建关闭了来源追溯(--no-provenance)。") -> Provenance:
    return Provenance(STATE_OFF, message)


def read(root: Path, *, enabled: bool = True, folder: str = "submissions",
         versions: bool = True, max_bytes: int = DEFAULT_MAX_BYTES) -> Provenance:
    """Provenance of every file under `root/folder`, from the git repository holding `root`;
    with `versions`, also the text of every earlier version of each amended file (of those no
    larger than `max_bytes`)."""
    if not enabled:
        return disabled()
    try:
        import git
    except ImportError:  # pragma: no cover - GitPython is a dependency
        return Provenance(STATE_ERROR, "未安装 GitPython,无法读取来源。")
    try:
        repo = git.Repo(root, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return Provenance(
            STATE_NOT_GIT, "仓库目录不在 git 版本库中,无法追溯每份报送的提交记录。"
        )
    try:
        return _read(repo, Path(root), folder, versions, max_bytes)
    except git.GitCommandError as exc:
        text = _text((exc.stderr or str(exc)).strip())
        message = f"读取 git 历史失败:{text[:200]}"
        return Provenance(STATE_ERROR, message, warnings=[message])
    finally:
        repo.close()


def _read(repo: object, root: Path, folder: str, versions: bool = True,
          max_bytes: int = DEFAULT_MAX_BYTES) -> Provenance:
    import git

    assert isinstance(repo, git.Repo)
    top = Path(repo.working_tree_dir or ".").resolve()
    prefix = Path(os.path.relpath(root.resolve(), top)).as_posix()
    prefix = "" if prefix == "." else prefix + "/"
    g = repo.git

    def run(*args: str) -> str:
        return str(g.execute(["git", "-c", "core.quotepath=off", *args]))

    try:
        head_sha = run("rev-parse", "--verify", "-q", "HEAD^{commit}").strip()
    except git.GitCommandError:
        head_sha = ""
    if not head_sha:
        return Provenance(STATE_OK, "git 版本库还没有任何提交。", dirty=True)
    head_line = run("log", "-1", f"--format={_FORMAT}", "HEAD")
    head = _commit(head_line.lstrip(_RS).split("\x00")[0])

    status = run(
        "status", "--porcelain=v1", "-z", "--no-renames", "--untracked-files=all",
        "--", prefix or ".",
    )
    changed = [e[3:] for e in status.split("\x00") if len(e) > 3]
    dirty = bool(changed)
    sub = f"{prefix}{folder}/"
    uncommitted = {p[len(prefix):] for p in changed if p.startswith(sub)}

    if run("rev-parse", "--is-shallow-repository").strip() == "true":
        message = (
            "仓库是浅克隆(shallow clone),git 历史不完整:无法判断每份报送由哪次提交录入、"
            "由谁修订,本站不显示来源。请用完整历史克隆后重新构建(git fetch --unshallow;"
            "CI 中设置 fetch-depth: 0)。"
        )
        return Provenance(
            STATE_SHALLOW, message, head=head, dirty=dirty, uncommitted=uncommitted,
            warnings=[message],
        )

    out = run(
        "log", "--reverse", "--no-renames", "--name-status", "-z", f"--format={_FORMAT}",
        "--", f"{prefix}{folder}",
    )
    files = parse_log(out, prefix)
    earlier: dict[str, list[Version]] = {}
    if versions and any(h.amended for h in files.values()):
        held = parse_main_line(run(
            "log", "--first-parent", "-m", "--no-renames", "--raw", "--no-abbrev", "-z",
            "--format=", "--", f"{prefix}{folder}",
        ), prefix)
        earlier = read_versions(top, files, prefix, max_bytes, held)
    return Provenance(STATE_OK, head=head, dirty=dirty, files=files, uncommitted=uncommitted,
                      earlier=earlier, prefix=prefix)


def read_versions(top: Path, files: dict[str, FileHistory], prefix: str = "",
                  max_bytes: int = DEFAULT_MAX_BYTES,
                  held: dict[str, set[str]] | None = None) -> dict[str, list[Version]]:
    """For each amended file, the text at every commit before its latest one (oldest first).
    With `held` (parse_main_line), a version whose blob the main line never held is not read
    (on_main False). A file's earlier versions are read newest first while together they stay
    within `max_bytes`, the size cap of one file; one that would pass it is not read (text
    None, size given), and older ones that still fit are (a padded version must not hide the
    real ones).

    One `git cat-file --batch-check` process for the sizes and one `git cat-file --batch` for
    the texts, whatever the number of versions (a province may have hundreds of amendments;
    one `git show` each would start hundreds of processes)."""
    wanted: list[tuple[str, Commit]] = []
    for rel, history in files.items():
        if not history.amended or "\n" in rel:  # a name with a newline cannot be asked for
            continue
        wanted.extend((rel, c) for c in history.commits[:-1])
    if not wanted:
        return {}
    specs = [f"{c.sha}:{prefix}{rel}" for rel, c in wanted]
    blobs_of = blob_headers(top, specs)
    sizes = [b[1] if b else None for b in blobs_of]
    on_main = [held is None or (b is not None and b[0] in held.get(rel, ()))
               for (rel, _), b in zip(wanted, blobs_of, strict=True)]
    readable: list[int] = []
    budget: dict[str, int] = {}
    for i in reversed(range(len(wanted))):  # newest first within each file
        rel, size = wanted[i][0], sizes[i]
        left = budget.get(rel, max_bytes)
        if on_main[i] and size is not None and size <= left:
            readable.append(i)
            budget[rel] = left - size
    readable.reverse()
    blobs: list[bytes | None] = [None] * len(specs)
    for i, blob in zip(readable, cat_files(top, [specs[i] for i in readable]), strict=True):
        blobs[i] = blob
    out: dict[str, list[Version]] = {}
    for (rel, commit), blob, size, kept in zip(wanted, blobs, sizes, on_main, strict=True):
        if not kept:
            out.setdefault(rel, []).append(Version(commit, None, None, on_main=False))
            continue
        text = None
        if blob is not None:
            try:
                text = blob.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = None
        out.setdefault(rel, []).append(Version(commit, text, None if blob is not None else size))
    return out


def parse_main_line(out: str, prefix: str = "") -> dict[str, set[str]]:
    """Parse `git log --first-parent -m --no-renames --raw --no-abbrev -z --format=`: for each
    path (relative to `prefix`), every blob it had on the main line. A merge commit's entries
    are its change against its first parent: what the merge brought to the main line.

    Each entry is a header `:<modes> <old> <new> <status>` and one path (no renames), read as a
    pair, so a path that looks like a header is still a path."""
    held: dict[str, set[str]] = {}
    tokens = out.split("\x00")
    i = 0
    while i < len(tokens):
        token = tokens[i].lstrip("\n")
        if not token.startswith(":") or i + 1 >= len(tokens):
            i += 1
            continue
        fields, path = token.split(), tokens[i + 1]
        i += 2
        if len(fields) >= 5 and path.startswith(prefix) and not fields[4].startswith("D"):
            held.setdefault(path[len(prefix):], set()).add(fields[3])
    return held


def blob_headers(top: Path, specs: Sequence[str]) -> list[tuple[str, int] | None]:
    """The object id and size of each blob `<rev>:<path>` names, in order (None for one git
    does not have or that is not a blob), from a single `git cat-file --batch-check` process."""
    if not specs:
        return []
    request = "".join(f"{spec}\n" for spec in specs).encode("utf-8")
    done = subprocess.run(
        ["git", "-c", "core.quotepath=off", "cat-file", "--batch-check"], cwd=top,
        input=request, capture_output=True, check=True,
    )
    out: list[tuple[str, int] | None] = []
    for line in done.stdout.split(b"\n")[:len(specs)]:
        header = line.split(b" ")
        blob = len(header) == 3 and header[1] == b"blob" and header[2].isdigit()
        out.append((header[0].decode("ascii", "replace"), int(header[2])) if blob else None)
    out.extend([None] * (len(specs) - len(out)))
    return out


def cat_files(top: Path, specs: Sequence[str]) -> list[bytes | None]:
    """The contents of `<rev>:<path>` objects, in order (None for one git does not have), read
    by a single `git cat-file --batch` process fed every request at once."""
    if not specs:
        return []
    request = "".join(f"{spec}\n" for spec in specs).encode("utf-8")
    done = subprocess.run(
        ["git", "-c", "core.quotepath=off", "cat-file", "--batch"], cwd=top, input=request,
        capture_output=True, check=True,
    )
    return parse_batch(done.stdout, len(specs))


def parse_batch(data: bytes, count: int) -> list[bytes | None]:
    """Parse `git cat-file --batch` output: per request a header line `<sha> <type> <size>`
    followed by the contents and a newline, or `<name> missing` / `<name> ambiguous`."""
    out: list[bytes | None] = []
    pos = 0
    while len(out) < count and pos < len(data):
        end = data.index(b"\n", pos)
        header = data[pos:end].split(b" ")
        pos = end + 1
        if len(header) == 3 and len(header[0]) in (40, 64) and header[2].isdigit() \
                and header[1] in (b"blob", b"tree", b"commit", b"tag"):
            size = int(header[2])
            out.append(data[pos:pos + size] if header[1] == b"blob" else None)
            pos += size + 1
        else:
            out.append(None)
    out.extend([None] * (count - len(out)))
    return out


def _text(field: str) -> str:
    """A field of a commit as text: git gives a name or e-mail in whatever bytes the commit holds
    (a commit written by another tool, or with a wrong encoding header, need not be UTF-8), and
    GitPython decodes them with surrogate escapes that no page can be written with. Bytes that
    are not UTF-8 become U+FFFD; one such commit never stops a build."""
    if field.isascii():
        return field
    try:
        raw = field.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate no byte was escaped into
        raw = field.encode("utf-8", "replace")
    return raw.decode("utf-8", "replace")


def _commit(header: str) -> Commit:
    # sha first and date last; the e-mail before the date; the name is what is left (a name
    # may contain 0x1f without moving the other fields).
    fields = [_text(f) for f in header.split(_US)]
    if len(fields) < 4:
        fields = (fields + ["", "", "", ""])[:4]
    sha, email, day = fields[0], fields[-2], fields[-1]
    return Commit(sha.strip(), _US.join(fields[1:-2]), email, day.strip())


def parse_log(out: str, prefix: str = "") -> dict[str, FileHistory]:
    """Parse `git log --reverse --name-status -z --format=<_FORMAT>` (oldest commit first).

    Read token by token (tokens end at NUL, which no path can contain), by position: a commit
    header (0x1e …) is recognised only where a status is due, so a file name holding 0x1e or
    0x1f is just a name (splitting the output at 0x1e let a file name forge the commit, author
    and date of the files after it on the ledger)."""
    files: dict[str, FileHistory] = {}
    tokens = out.split("\x00")
    commit: Commit | None = None
    i = 0
    while i < len(tokens):
        token = tokens[i].lstrip("\n")
        if token.startswith(_RS):
            commit = _commit(token[len(_RS):])
            i += 1
            continue
        code = token.strip()
        if not code or commit is None:
            i += 1
            continue
        width = 2 if code[:1] in ("R", "C") else 1
        paths = tokens[i + 1: i + 1 + width]
        i += 1 + width
        path = paths[-1] if paths else ""
        if not path.startswith(prefix):
            continue
        rel = path[len(prefix):]
        if code.startswith("D"):
            files.pop(rel, None)  # a later re-add starts a new history
            continue
        history = files.get(rel)
        if history is None or code.startswith("A"):
            files[rel] = FileHistory(rel, added=commit)
        else:
            history.amended.append(commit)
    return files


# --- received dates (reporting.timeliness: received) ------------------------------------------


def received_dates(root: Path, timezone: str, folder: str = "submissions",
                   ) -> tuple[dict[str, date], str]:
    """The day each file under `root/folder` reached the main line: the committer date, in the
    plan's time zone, of the first-parent commit of HEAD that added it (a merge commit, a
    squashed or a rebased pull request), read in ONE `git log` pass. With a protected main
    branch whose pull requests the forge merges, that date is the forge's, not the editor's.

    Returns (repository-relative path → date, problem): a problem (not a git repository, a
    shallow clone whose history is cut, git missing) leaves the dates empty, and every
    filing is then judged by its reported_on. A file not committed yet has no date."""
    import subprocess
    from zoneinfo import ZoneInfo

    base = ["git", "-C", str(root), "-c", "core.quotePath=false", "--no-pager"]
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}

    def run(*args: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run([*base, *args], capture_output=True, env=env, check=False)

    try:
        probe = run("rev-parse", "--is-shallow-repository", "--show-toplevel")
        if probe.returncode != 0:
            return {}, "仓库目录不在 git 版本库中，无法得到报送到达 main 的日期：按 reported_on 判断按时/逾期。"
        if probe.stdout.split(b"\n", 1)[0].strip() == b"true":
            return {}, ("仓库是浅克隆(shallow clone)，git 历史不完整，无法得到报送到达 main 的日期："
                        "按 reported_on 判断按时/逾期。请用完整历史克隆(CI 中 fetch-depth: 0)。")
        if run("rev-parse", "--verify", "-q", "HEAD^{commit}").returncode != 0:
            return {}, ""  # no commit yet: nothing has been received
        # -m with --first-parent: a merge commit's files are what it brought to the main line.
        out = run("log", "--first-parent", "-m", "--reverse", "--no-renames", "--diff-filter=AD",
                  "--name-status", "-z", "--relative", "--format=%x1e%ct", "HEAD", "--",
                  f":(literal){folder}")
    except OSError as exc:
        return {}, f"无法运行 git({exc})，无法得到报送到达 main 的日期：按 reported_on 判断按时/逾期。"
    if out.returncode != 0:
        text = out.stderr.decode("utf-8", "replace").strip()[:200]
        return {}, f"读取 git 历史失败：{text}；按 reported_on 判断按时/逾期。"
    zone = ZoneInfo(timezone)
    dates: dict[str, date] = {}
    day: date | None = None
    tokens = out.stdout.split(b"\0")
    i = 0
    while i < len(tokens):
        token = tokens[i].lstrip(b"\n")
        i += 1
        if token.startswith(b"\x1e") and token[1:].strip().isdigit():
            day = datetime.fromtimestamp(int(token[1:]), zone).date()
            continue
        if token not in (b"A", b"D") or i >= len(tokens) or day is None:
            continue
        path = tokens[i].decode("utf-8", "surrogateescape")
        i += 1
        if token == b"D":
            dates.pop(path, None)  # removed from main: a later return is received anew
        else:
            dates.setdefault(path, day)
    return dates, ""
