"""Provenance from git: who added each filing and who amended it, read in one pass."""

from __future__ import annotations

import html
import re
import subprocess
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import copy_base, git
from tests.site_helpers import build, engine_under_test, main_content, text_of
from tracker import provenance
from tracker.provenance import STATE_NOT_GIT, STATE_OFF, STATE_OK, STATE_SHALLOW, parse_log
from tracker.site.build import BuildSettings, execute

ALICE = "张三 <zhang@example.invalid>"
BOB = "Bob Li <bob@example.invalid>"


@pytest.fixture
def history(tmp_path: Path) -> Path:
    """A repository whose filings arrive in two commits by different authors, then an amendment
    by a third commit; one file has a Chinese name."""
    root = copy_base(tmp_path / "repo")
    extra = root / "submissions" / "west" / "说明.txt"  # not a filing: a Chinese path
    east_q2 = root / "submissions/east/2024-Q2.yaml"
    amended = east_q2.read_text(encoding="utf-8")
    east_q2.write_text(amended.replace("revision: 2", "revision: 1").replace(
        "amendment_reason: 更正服务站数量\n", "").replace("stations:\n    value: 3",
                                                        "stations:\n    value: 2"),
        encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", "plan", "evidence", "submissions/east", "submissions/office", author=ALICE)
    git(root, "commit", "-qm", "first filings", author=ALICE, date="2024-07-12T09:00:00+08:00")
    extra.write_text("说明", encoding="utf-8")
    git(root, "add", "submissions/west", author=BOB)
    git(root, "commit", "-qm", "west files", author=BOB, date="2024-07-13T09:00:00+08:00")
    east_q2.write_text(amended, encoding="utf-8")
    git(root, "commit", "-qam", "amend east 2024-Q2", author=BOB,
        date="2024-08-01T09:00:00+08:00")
    return root


def test_added_and_amended_in_one_pass(history: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import git as gitpython

    calls: list[list[str]] = []
    original = gitpython.Git.execute

    def spy(self, command, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(list(command))
        return original(self, command, *args, **kwargs)

    monkeypatch.setattr(gitpython.Git, "execute", spy)
    prov = provenance.read(history)
    assert prov.state == STATE_OK and not prov.dirty
    logs = [c for c in calls if "log" in c and "--name-status" in c]
    assert len(logs) == 1  # the whole history in one query, not one per file
    assert "core.quotepath=off" in logs[0] and "-z" in logs[0]

    east = prov.of("submissions/east/2024-Q2.yaml")
    assert east and east.added and east.added.author == "张三"
    assert east.added.day == "2024-07-12"
    assert [(c.author, c.day) for c in east.amended] == [("Bob Li", "2024-08-01")]
    west = prov.of("submissions/west/2024-Q1.yaml")
    assert west and west.added and west.added.author == "Bob Li" and west.amended == []
    chinese = prov.of("submissions/west/说明.txt")
    assert chinese and chinese.added and chinese.added.email == "bob@example.invalid"
    assert prov.head and prov.head.sha == git(history, "rev-parse", "HEAD").strip()


def test_ledger_shows_provenance(history: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(history, out, date(2024, 6, 30))
    ledger = main_content((out / "ledger.html").read_text(encoding="utf-8"))
    row = ledger[ledger.index('id="f-east-2024-Q2"'):]
    row = text_of(row[:row.index("</tr>")])
    added = git(history, "log", "--diff-filter=A", "--format=%H", "--",
                "submissions/east/2024-Q2.yaml").strip()
    amend = git(history, "log", "-1", "--format=%H", "--",
                "submissions/east/2024-Q2.yaml").strip()
    # Without a forge there is nothing to link to: the full hash, to paste into git show.
    assert f"{added} 张三 2024-07-12" in row
    assert f"{amend} Bob Li 2024-08-01" in row
    assert "https://" not in ledger
    # The amendment's old value, read from git: 2 → 3.
    assert "第 2 版" in row and "服务站:2 → 3" in row
    # A figure that this filing feeds links to its ledger row, and says what it was before.
    target = main_content((out / "targets/stations.html").read_text(encoding="utf-8"))
    assert 'href="../ledger.html#f-east-2024-Q2" class="tk-figure-link"' in target
    assert "修订前 2" in text_of(target)


def test_every_filing_text_is_published_escaped_with_earlier_versions(
        history: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(history, out, date(2024, 6, 30))
    page = main_content((out / "texts/east.html").read_text(encoding="utf-8"))
    block = page[page.index('id="t-east-2024-Q2"'):]
    block = block[:block.index("</details>\n</details>") if "</details>\n</details>" in block
                  else len(block)]
    current = (history / "submissions/east/2024-Q2.yaml").read_text(encoding="utf-8")
    texts = re.findall(r'<pre class="tk-filing-text">(.*?)</pre>', block, re.S)
    # The current text, then the version before the amendment, each exactly as filed.
    assert html.unescape(texts[0]) == current.rstrip("\n")
    assert "value: 2" in html.unescape(texts[1]) and "revision: 1" in html.unescape(texts[1])
    assert "\n" not in texts[0]  # line breaks are character references in the page source
    # Every filing of the unit has its block, and the ledger links each row to it.
    for f in sorted((history / "submissions/east").glob("*.yaml")):
        assert f'id="t-east-{f.stem}"' in page
    ledger = (out / "ledger.html").read_text(encoding="utf-8")
    assert 'href="texts/east.html#t-east-2024-Q2"' in ledger


def test_earlier_versions_are_read_by_two_cat_file_processes(
        history: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # One for the sizes (a version over the size cap is not read), one for the texts.
    calls: list[list[str]] = []
    original = subprocess.run

    def spy(args, *a, **kw):  # type: ignore[no-untyped-def]
        calls.append(list(args))
        return original(args, *a, **kw)

    monkeypatch.setattr(provenance.subprocess, "run", spy)
    prov = provenance.read(history)
    cat = [c for c in calls if "cat-file" in c]
    assert [c[-1] for c in cat] == ["--batch-check", "--batch"]
    versions = prov.versions("submissions/east/2024-Q2.yaml")
    assert len(versions) == 1 and versions[0].commit.author == "张三"
    assert versions[0].text is not None and "value: 2" in versions[0].text
    assert prov.versions("submissions/east/2024-Q1.yaml") == []


def test_parse_batch_output() -> None:
    sha = "a" * 40
    data = (f"{sha} blob 3\nabc\n".encode() + b"HEAD:nope missing\n"
            + f"{sha} blob 0\n\n".encode())
    assert provenance.parse_batch(data, 3) == [b"abc", None, b""]
    assert provenance.parse_batch(b"", 2) == [None, None]


def test_with_a_forge_commits_and_files_link_to_it(history: Path, tmp_path: Path) -> None:
    (history / "tracker.yaml").write_text(
        "forge:\n  type: gitlab\n  url: https://git.example.gov.cn/postal/jidi\n",
        encoding="utf-8")
    out = tmp_path / "site"
    build(history, out, date(2024, 6, 30))
    ledger = main_content((out / "ledger.html").read_text(encoding="utf-8"))
    row = ledger[ledger.index('id="f-east-2024-Q2"'):]
    row = row[:row.index("</tr>")]
    added = git(history, "log", "--diff-filter=A", "--format=%H", "--",
                "submissions/east/2024-Q2.yaml").strip()
    base = "https://git.example.gov.cn/postal/jidi/-"
    assert f'href="{base}/commit/{added}"' in row
    assert f'href="{base}/blob/{added}/submissions/east/2024-Q2.yaml"' in row
    assert f'href="{base}/commits/main/submissions/east/2024-Q2.yaml"' in row
    assert 'rel="noopener noreferrer"' in row


def test_uncommitted_filing_is_flagged(history: Path) -> None:
    path = history / "submissions/west/2024-Q2.yaml"
    path.write_text((history / "submissions/west/2024-Q1.yaml").read_text(encoding="utf-8"))
    prov = provenance.read(history)
    assert prov.dirty and "submissions/west/2024-Q2.yaml" in prov.uncommitted
    assert prov.of("submissions/west/2024-Q2.yaml") is None


def test_root_below_the_git_top_level(history: Path, tmp_path: Path) -> None:
    outer = tmp_path / "outer"
    outer.mkdir()
    git(outer, "init", "-q")
    nested = outer / "data" / "仓库"
    nested.parent.mkdir()
    history.rename(nested)
    subprocess.run(["rm", "-rf", str(nested / ".git")], check=True)
    git(outer, "add", ".", author=ALICE)
    git(outer, "commit", "-qm", "all", author=ALICE)
    prov = provenance.read(nested)
    assert prov.state == STATE_OK
    assert set(prov.files) >= {"submissions/east/2024-Q2.yaml", "submissions/west/说明.txt"}
    # The forge sees paths from the git top level: the site's file links carry the prefix.
    assert prov.prefix == "data/仓库/"


def test_shallow_clone_is_reported_not_attributed(history: Path, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{history}", str(clone)],
                   check=True, capture_output=True)
    prov = provenance.read(clone)
    assert prov.state == STATE_SHALLOW
    assert prov.files == {} and prov.warnings and "浅克隆" in prov.message
    out = tmp_path / "site"
    result = build(clone, out, date(2024, 6, 30))
    assert any("浅克隆" in w for w in result.warnings)
    ledger = (out / "ledger.html").read_text(encoding="utf-8")
    assert "浅克隆" in ledger and "fetch --unshallow" in ledger


def test_not_git_and_switched_off(tmp_path: Path) -> None:
    root = copy_base(tmp_path / "plain")
    assert provenance.read(root).state == STATE_NOT_GIT
    assert provenance.read(root, enabled=False).state == STATE_OFF
    out = tmp_path / "site"
    build(root, out, date(2024, 6, 30))
    ledger = (out / "ledger.html").read_text(encoding="utf-8")
    assert "不在 git 版本库中" in ledger


def test_parse_log_handles_deletes_and_re_adds() -> None:
    rs, us = "\x1e", "\x1f"

    def commit(sha: str, *changes: tuple[str, str]) -> str:
        body = "".join(f"{code}\x00{path}\x00" for code, path in changes)
        return f"{rs}{sha}{us}A{us}a@x{us}2024-01-0{sha}T00:00:00+08:00\x00\n{body}"

    out = (commit("1", ("A", "p/submissions/a.yaml"), ("A", "other/x"))
           + commit("2", ("M", "p/submissions/a.yaml"))
           + commit("3", ("D", "p/submissions/a.yaml"))
           + commit("4", ("A", "p/submissions/a.yaml")))
    files = parse_log(out, "p/")
    assert list(files) == ["submissions/a.yaml"]
    assert files["submissions/a.yaml"].added.sha == "4"  # type: ignore[union-attr]
    assert files["submissions/a.yaml"].amended == []


def _raw_commit(root: Path, header: bytes, message: bytes, parent: str | None = None) -> str:
    """Write a commit object byte for byte (git commit would re-encode a latin-1 name)."""
    tree = git(root, "write-tree").strip()
    lines = [b"tree " + tree.encode()]
    if parent:
        lines.append(b"parent " + parent.encode())
    body = b"\n".join(lines) + b"\n" + header + b"\n" + message
    sha = subprocess.run(["git", "hash-object", "-t", "commit", "-w", "--literally", "--stdin"],
                         cwd=root, input=body, capture_output=True, check=True).stdout.decode()
    git(root, "update-ref", "HEAD", sha.strip())
    return sha.strip()


@pytest.mark.parametrize("encoding", [b"", b"encoding no-such-charset\n"])
def test_an_author_name_that_is_not_utf8_never_stops_a_build(tmp_path: Path, encoding) -> None:
    # A latin-1 name in a commit without an encoding header (or with one git cannot use):
    # git log gives the bytes as they are; they used to reach the ledger as lone surrogates
    # and every later build failed (UnicodeEncodeError, exit 2).
    root = copy_base(tmp_path / "repo")
    git(root, "init", "-q")
    git(root, "add", "-A")
    first = _raw_commit(root, b"author Jos\xe9 Pe\xf1a <jos\xe9@example.invalid> 1720746000 +0800\n"
                              b"committer Jos\xe9 <j@example.invalid> 1720746000 +0800\n"
                              + encoding, b"first filings \xe9\n")
    east_q2 = root / "submissions/east/2024-Q2.yaml"
    east_q2.write_text(east_q2.read_text("utf-8").replace("用地紧张", "用地仍紧张"), "utf-8")
    git(root, "add", "-A")
    _raw_commit(root, b"author \xff\xfe <x@example.invalid> 1722470400 +0800\n"
                      b"committer \xff\xfe <x@example.invalid> 1722470400 +0800\n" + encoding,
                b"amend\n", parent=first)
    prov = provenance.read(root)
    east = prov.of("submissions/east/2024-Q2.yaml")
    assert east and east.added and east.added.author == "Jos\ufffd Pe\ufffda"
    assert east.added.email == "jos\ufffd@example.invalid"
    assert [c.author for c in east.amended] == ["\ufffd\ufffd"]
    assert prov.head and prov.head.author == "\ufffd\ufffd"
    out = tmp_path / "site"
    build(root, out, date(2024, 6, 30))
    ledger = text_of(main_content((out / "ledger.html").read_text(encoding="utf-8")))
    assert "Jos\ufffd Pe\ufffda" in ledger
    build(root, out, date(2024, 6, 30))  # and the next build too


def _committed_east_q2(tmp_path: Path) -> tuple[Path, Path, str]:
    """The base repository committed once, by Alice; east's Q2 filing and its text."""
    root = copy_base(tmp_path / "repo")
    east_q2 = root / "submissions/east/2024-Q2.yaml"
    text = east_q2.read_text(encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", "-A", author=ALICE)
    git(root, "commit", "-qm", "first", author=ALICE)
    return root, east_q2, text


def test_an_earlier_version_larger_than_a_file_may_be_is_not_published(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The working tree's files are capped (--max-file-size) but git keeps every version: one
    # commit of a pull request made a filing 60 MB of padding and the next took it back (the
    # net change, all the gate judges, was fine). Every build then read the 60 MB blob and
    # published it on the texts page. A repository of 600 KB gave a site of 62 MB.
    root, east_q2, text = _committed_east_q2(tmp_path)
    east_q2.write_text(text + "# " + "填充" * 100_000 + "\n", encoding="utf-8")
    git(root, "commit", "-qam", "pad", author=BOB)
    east_q2.write_text(text, encoding="utf-8")
    git(root, "commit", "-qam", "back", author=BOB)
    limit = 100_000  # the padded version is 600 KB
    read: list[bytes | None] = []
    real_parse = provenance.parse_batch

    def spy(data: bytes, count: int) -> list[bytes | None]:
        got = real_parse(data, count)
        read.extend(got)
        return got

    monkeypatch.setattr(provenance, "parse_batch", spy)
    out = tmp_path / "site"
    execute(BuildSettings(root=root, out=out, as_of=date(2024, 6, 30), max_bytes=limit,
                          engine=engine_under_test()))
    assert read and all(len(blob) <= limit for blob in read if blob is not None)
    page = (out / "texts/east.html").read_text(encoding="utf-8")
    assert "填充" not in page and len(page) < limit
    versions = re.findall(r'<details class="tk-version">(.*?)</details>', page, re.S)
    assert len(versions) == 2  # newest first: the padded one is named only, the first shown
    assert "超过文件大小上限" in versions[0] and "不显示" in versions[0]
    assert "revision: 2" in html.unescape(versions[1])


def test_a_files_earlier_versions_together_are_read_up_to_the_size_cap(tmp_path: Path) -> None:
    # With the cap per version, N commits of padding just under it published N times the cap.
    # Newest first (the one before the latest says what the amendment changed), each version
    # is read if it still fits; one that does not is named only, and older ones that fit are
    # read (padding must not hide the real versions).
    root, east_q2, text = _committed_east_q2(tmp_path)
    for i in range(4):  # four versions of 60 KB each, under a cap of 100 KB
        east_q2.write_text(text + f"# {i} " + "填" * 20_000 + "\n", encoding="utf-8")
        git(root, "commit", "-qam", f"pad {i}", author=BOB)
    east_q2.write_text(text, encoding="utf-8")
    git(root, "commit", "-qam", "back", author=BOB)
    prov = provenance.read(root, max_bytes=100_000)
    versions = prov.versions("submissions/east/2024-Q2.yaml")
    assert len(versions) == 5  # the first and the four padded ones, oldest first
    shown = [v for v in versions if v.text is not None]
    assert sum(len(v.text.encode("utf-8")) for v in shown) <= 100_000  # type: ignore[union-attr]
    assert [v.text is not None for v in versions] == [True, False, False, False, True]
    assert all(v.size and v.size > 60_000 for v in versions[1:4])


def test_a_version_only_a_merged_branch_held_is_not_published(tmp_path: Path) -> None:
    # A pull request is judged by its net change. Its first commit wrote a phone number into a
    # filing and its second took it out; merged with a merge commit, both commits are in main's
    # history, and the site published the first as an "earlier version" no check had seen.
    root, east_q2, text = _committed_east_q2(tmp_path)
    git(root, "checkout", "-qb", "amend")
    amended = text.replace("revision: 2", "revision: 3").replace(
        "amendment_reason: 更正服务站数量", "amendment_reason: 补报新建服务站")
    centres = "centres:\n    value: 1"
    east_q2.write_text(amended.replace(centres, "centres:\n    value: 2\n    note: 联系人 13900001234"),
                       encoding="utf-8")
    git(root, "commit", "-qam", "draft", author=BOB, date="2024-07-20T09:00:00+08:00")
    east_q2.write_text(amended.replace(centres, "centres:\n    value: 3"), encoding="utf-8")
    git(root, "commit", "-qam", "final", author=BOB, date="2024-07-21T09:00:00+08:00")
    git(root, "checkout", "-q", "main")
    git(root, "merge", "-q", "--no-ff", "-m", "Merge amend", "amend", author=ALICE,
        date="2024-07-22T09:00:00+08:00")

    prov = provenance.read(root)
    versions = prov.versions("submissions/east/2024-Q2.yaml")
    assert [(v.commit.author, v.on_main) for v in versions] == [("张三", True), ("Bob Li", False)]
    assert versions[1].text is None  # not even read

    out = tmp_path / "site"
    build(root, out, date(2024, 6, 30))
    page = (out / "texts/east.html").read_text(encoding="utf-8")
    assert "13900001234" not in page
    shown = re.findall(r'<details class="tk-version">(.*?)</details>', page, re.S)
    assert len(shown) == 2  # newest first: the branch's draft, named only; then main's
    assert "只出现在合并前的分支上" in shown[0] and "tk-filing-text" not in shown[0]
    assert "centres:\n    value: 1" in html.unescape(shown[1])
    # What the amendment changed is measured from what main held before it: 1 → 3, not 2 → 3.
    row = text_of(main_content((out / "ledger.html").read_text(encoding="utf-8")))
    assert "分拣中心:1 → 3" in row and "2 → 3" not in row
