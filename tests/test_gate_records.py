"""The public record after a merge: a merged filing's text, and the evidence merged filings cite.

The site publishes every filing's text as filed (texts/<unit>) and every cited evidence file
at its path. So a merged filing's *text* changes only as an amendment (not only its data: a
comment is published too), and an evidence file a merged filing cites is replaced, deleted or
renamed only together with an amendment of a filing that cites it. What is not a change of
text — a BOM, CRLF line endings, the final newline — is not refused.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import git
from tests.workflow_helpers import EAST, check, commit, edit, rules
from tracker.filing.scaffold import amend_file

Q1 = "submissions/east/2024-Q1.yaml"


@pytest.fixture
def repo(pr_repo: Path) -> Path:
    return pr_repo


def _amend(repo: Path, rel: str, reason: str) -> None:
    amend_file(repo / rel)
    edit(repo / rel, 'amendment_reason: ""', f"amendment_reason: {reason}")


# --- 1. a merged filing's text --------------------------------------------------------------


def test_a_comment_added_to_a_merged_filing_fails_at_its_line(repo: Path):
    # The data is the same, but the site shows the text as filed: the comment would appear in
    # east's 2024-Q1 as if it had been filed so, with no amendment to say when and why.
    edit(repo / Q1, "  centres:\n", "  centres:   # 实际已建成 1 个(未报)\n")
    commit(repo, "a note", EAST)
    result = check(repo)
    assert result.exit_code == 1, result.stdout
    assert rules(result) == {("immutable-edit", Q1)}, result.stdout
    # Line 10 is `  centres:`; the comment begins after its 10 characters.
    assert re.search(rf"^{re.escape(Q1)}:10:11: error: 已合并的报送的原文被修改.*第 10 行.*"
                     r"\[immutable-edit\]$", result.stdout, re.M), result.stdout
    assert "tracker amend submissions/east/2024-Q1.yaml" in result.stdout


def test_a_removed_comment_or_a_requoted_value_is_a_change_of_text_too(repo: Path):
    git(repo, "checkout", "-q", "main")
    edit(repo / Q1, "value: 0\n", "value: 0   # 年内开工\n")
    commit(repo, "a comment on main", EAST)
    git(repo, "checkout", "-q", "-B", "pr")
    edit(repo / Q1, "value: 0   # 年内开工\n", "value: 0\n")
    edit(repo / Q1, "summary: 已完成选址", 'summary: "已完成选址"')
    commit(repo, "tidy", EAST)
    result = check(repo, "--no-status")
    assert result.exit_code == 1, result.stdout
    assert re.search(rf"^{re.escape(Q1)}:11:13: error: .*\[immutable-edit\]$", result.stdout, re.M), \
        result.stdout


def test_a_comment_in_an_amendment_passes(repo: Path):
    _amend(repo, Q1, "补充说明分拣中心的建设进度")
    edit(repo / Q1, "  centres:\n", "  centres:   # 实际已建成 1 个(未报)\n")
    commit(repo, "amend with a note", EAST)
    result = check(repo)
    assert result.exit_code == 0, result.stdout


@pytest.mark.parametrize("how", ["crlf", "bom", "no-final-newline", "two-final-newlines",
                                 "all"])
def test_resaving_a_merged_filing_unchanged_passes(repo: Path, how: str):
    # What an editor on Windows gets from opening and saving a filing (Notepad's BOM, CRLF
    # without git's autocrlf, an editor's own idea of the final newline) is not a change of
    # the text the site shows.
    path = repo / Q1
    raw = path.read_bytes()
    if how in ("crlf", "all"):
        raw = raw.replace(b"\n", b"\r\n")
    if how in ("bom", "all"):
        raw = b"\xef\xbb\xbf" + raw
    if how in ("no-final-newline", "all"):
        raw = raw.rstrip(b"\r\n")
    if how == "two-final-newlines":
        raw += b"\n"
    path.write_bytes(raw)
    commit(repo, "re-saved", EAST)
    assert git(repo, "diff", "--name-only", "main", "HEAD").split() == [Q1]  # the bytes did change
    result = check(repo)
    assert result.exit_code == 0, result.stdout


def test_final_newlines_that_are_data_are_not_normalised_away(repo: Path):
    # A keep-chomped block scalar (`|+`) at the end of the file holds the final newlines:
    # dropping them changes the summary, which only an amendment may.
    git(repo, "checkout", "-q", "main")
    edit(repo / Q1, "summary: 已完成选址\n", "summary: |+\n      已完成选址\n\n\n")
    commit(repo, "kept newlines", EAST)
    git(repo, "checkout", "-q", "-B", "pr")
    (repo / Q1).write_bytes((repo / Q1).read_bytes().rstrip(b"\n"))
    commit(repo, "dropped them", EAST)
    result = check(repo, "--no-status")
    assert ("immutable-edit", Q1) in rules(result), result.stdout
    assert "revision 应从 1 改为 2" in result.stdout


@pytest.mark.parametrize(("old", "new", "where"), [
    (b"a: 1\nb: 2\n", b"a: 1\nb: 2  # x\n", (2, 5)),
    (b"a: 1\nb: 2\n", b"# x\na: 1\nb: 2\n", (1, 1)),
    (b"a: 1\nb: 2\n", b"a: 1\nb: 2\n# x\n", (3, 1)),  # a line added at the end
    (b"a: 1\nb: 2  # x\n", b"a: 1\nb: 2\n", (2, 5)),  # removed: the end of the line
    (b"a: 1\n# x\n", b"a: 1\n", (1, 5)),  # a last line removed: the end of the text
    (b"\xef\xbb\xbfa: 1\r\nb: 2\r\n", b"a: 1\nb: 3", (2, 4)),  # BOM and CRLF do not count
])
def test_the_first_difference_is_found_in_the_new_text(old: bytes, new: bytes, where: tuple[int, int]):
    from tracker.gate.immutability import first_difference

    assert first_difference(old, new) == where
