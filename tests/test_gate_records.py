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
from click.testing import CliRunner

from tests.conftest import git
from tests.workflow_helpers import EAST, PLAN, WEST, check, commit, edit, head, rules
from tracker.cli import cli
from tracker.filing.scaffold import amend_file

Q1 = "submissions/east/2024-Q1.yaml"
Q2 = "submissions/east/2024-Q2.yaml"
PHOTO = "evidence/east/2024-Q2/photo.txt"  # cited twice by east's 2024-Q2 on main


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


# --- 2. evidence cited by a merged filing ---------------------------------------------------


def test_replacing_cited_evidence_without_an_amendment_fails(repo: Path):
    # After east's 2024-Q2 (and the 销号 claim of task 1.2 with it) was merged, east swaps the
    # photo: the site would show the new file under the old filing.
    (repo / PHOTO).write_text("换过的照片\n", "utf-8")
    commit(repo, "new photo", EAST)
    result = check(repo)
    assert result.exit_code == 1, result.stdout
    assert rules(result) == {("immutable-evidence", PHOTO)}, result.stdout
    assert re.search(rf"^{re.escape(PHOTO)}: error: 佐证材料 {re.escape(PHOTO)} 被已合并的报送 "
                     rf"{re.escape(Q2)} 引用.*被修改.*\[immutable-evidence\]$", result.stdout, re.M), \
        result.stdout
    assert "新的材料用新的文件名上传" in result.stdout  # the hint


@pytest.mark.parametrize("how", ["delete", "rename"])
def test_deleting_or_renaming_cited_evidence_fails(repo: Path, how: str):
    if how == "delete":
        (repo / PHOTO).unlink()
    else:
        git(repo, "mv", PHOTO, "evidence/east/2024-Q2/photo-old.txt")
    commit(repo, how, EAST)
    result = check(repo, "--no-status")
    assert result.exit_code == 1, result.stdout
    assert ("immutable-evidence", PHOTO) in rules(result), result.stdout
    assert ("被删除" if how == "delete" else "被改名为 evidence/east/2024-Q2/photo-old.txt") \
        in result.stdout


def test_replacing_cited_evidence_with_an_amendment_of_its_filing_passes(repo: Path):
    (repo / PHOTO).write_text("换过的照片\n", "utf-8")
    _amend(repo, Q2, "原照片拍错了地点，换成服务站的照片")
    commit(repo, "new photo, amended", EAST)
    result = check(repo)
    assert result.exit_code == 0, result.stdout


def test_renaming_cited_evidence_with_an_amendment_that_cites_the_new_name_passes(repo: Path):
    new = "evidence/east/2024-Q2/现场照片.txt"
    git(repo, "mv", PHOTO, new)
    _amend(repo, Q2, "材料改用中文文件名")
    edit(repo / Q2, f"path: {PHOTO}", f"path: {new}", count=2)
    commit(repo, "rename, amended", EAST)
    result = check(repo, "--no-status")
    assert result.exit_code == 0, result.stdout


def test_an_amendment_of_another_filing_does_not_cover_it(repo: Path):
    (repo / PHOTO).write_text("换过的照片\n", "utf-8")
    _amend(repo, Q1, "更正")  # 2024-Q1 does not cite the photo
    commit(repo, "new photo, another amendment", EAST)
    result = check(repo, "--no-status")
    assert ("immutable-evidence", PHOTO) in rules(result), result.stdout


def test_evidence_nobody_cites_stays_free_to_replace(repo: Path):
    # An upload in progress: on main, but no filing cites it yet.
    git(repo, "checkout", "-q", "main")
    (repo / "evidence/east/2024-Q3").mkdir(parents=True)
    (repo / "evidence/east/2024-Q3/验收.pdf").write_text("%PDF-1.4 草稿", "utf-8")
    commit(repo, "upload", EAST)
    git(repo, "checkout", "-q", "-B", "pr")
    (repo / "evidence/east/2024-Q3/验收.pdf").write_text("%PDF-1.4 定稿", "utf-8")
    (repo / "evidence/east/2024-Q3/验收.pdf").rename(repo / "evidence/east/2024-Q3/验收-定稿.pdf")
    commit(repo, "final version", EAST)
    result = check(repo, "--no-status")
    assert result.exit_code == 0, result.stdout


@pytest.mark.parametrize("written", [
    '"evidence/east/2024-Q2/\\u0070hoto.txt"',  # an escape: the path is not in the text as such
    "./evidence//east/2024-Q2/photo.txt",  # the same file for validation and the site
    '"evidence/east/2024-Q2/ph\\\n        oto.txt"',  # a double-quoted line continuation
])
def test_a_citation_is_found_however_it_is_written(repo: Path, written: str):
    git(repo, "checkout", "-q", "main")
    text = (repo / Q2).read_text("utf-8").replace(f"path: {PHOTO}", f"path: {written}")
    (repo / Q2).write_text(text, "utf-8")
    (repo / "evidence/east/2024-Q2/other.txt").write_text("另一份材料\n", "utf-8")
    edit(repo / Q2, "path: " + written, "path: evidence/east/2024-Q2/other.txt")  # the second stays
    commit(repo, "as written", EAST)
    git(repo, "checkout", "-q", "-B", "pr")
    valid = CliRunner().invoke(cli, ["validate", Q2])  # main is valid: the citation resolves
    assert valid.exit_code == 0, valid.output
    (repo / PHOTO).write_text("换过的照片\n", "utf-8")
    commit(repo, "new photo", EAST)
    assert ("immutable-evidence", PHOTO) in rules(check(repo, "--no-status"))


def test_the_needles_hold_a_run_of_every_name_and_a_backslash():
    from tracker.gate.immutability import citation_needles

    assert citation_needles(["evidence/east/验收 文件(一).pdf", "evidence/east/it's.pdf",
                             "evidence/east/a/photo.jpg"]) == ["\\", "photo.jpg", "s.pdf", "文件(一).pdf"]
    assert "" in citation_needles(["evidence/east/' '"])  # nothing literal: every filing


def test_a_name_with_nothing_literal_in_it_is_still_found(repo: Path):
    # A name of a space and quotes may be spelled in so many ways that every filing is read.
    name = "evidence/east/2024-Q2/' '"
    git(repo, "checkout", "-q", "main")
    (repo / name).write_text("说明\n", "utf-8")
    edit(repo / Q2, f"path: {PHOTO}}}", f"path: \"{name}\"}}")
    commit(repo, "cite it", EAST)
    git(repo, "checkout", "-q", "-B", "pr")
    (repo / name).write_text("换过的说明\n", "utf-8")
    commit(repo, "replace it", EAST)
    result = check(repo, "--no-status")
    assert result.exit_code == 1
    assert re.search(rf"^{re.escape(name)}: error: .*\[immutable-evidence\]$", result.stdout, re.M), \
        result.stdout


def test_a_citation_by_another_unit_counts(repo: Path):
    git(repo, "checkout", "-q", "main")
    (repo / "submissions/west/2024-Q2.yaml").write_text(
        "unit: west\nperiod: 2024-Q2\nas_of: 2024-06-30\nreported_on: 2024-07-05\nrevision: 1\n"
        "targets:\n  stations:\n    value: 1\n    evidence:\n"
        "      - {title: 东区的照片, path: evidence/east/2024-Q3/合影.jpg}\n", "utf-8")
    (repo / "evidence/east/2024-Q3").mkdir(parents=True)
    (repo / "evidence/east/2024-Q3/合影.jpg").write_bytes(b"\xff\xd8 photo")
    commit(repo, "west cites east's photo", WEST)
    git(repo, "checkout", "-q", "-B", "pr")
    (repo / "evidence/east/2024-Q3/合影.jpg").write_bytes(b"\xff\xd8 another photo")
    commit(repo, "east swaps it", EAST)
    result = check(repo, "--no-status")
    assert ("immutable-evidence", "evidence/east/2024-Q3/合影.jpg") in rules(result), result.stdout
    assert "submissions/west/2024-Q2.yaml" in result.stdout


def test_a_citation_merged_after_the_branch_started_counts(repo: Path):
    # The branch replaces a file nobody cited when it started; main has since merged a filing
    # that cites it. Merging would change what that filing shows: citations are read on the
    # base branch as it is now, not at the merge base.
    git(repo, "checkout", "-q", "main")
    (repo / "evidence/east/2024-Q3").mkdir(parents=True)
    (repo / "evidence/east/2024-Q3/验收.pdf").write_text("%PDF-1.4", "utf-8")
    commit(repo, "upload", EAST)
    start = head(repo)
    from tests.workflow_helpers import file_east_q3

    file_east_q3(repo)
    edit(repo / "submissions/east/2024-Q3.yaml", "path: evidence/east/2024-Q2/photo.txt",
         "path: evidence/east/2024-Q3/验收.pdf")
    commit(repo, "q3 cites it", EAST)
    git(repo, "checkout", "-q", "-B", "pr", start)
    (repo / "evidence/east/2024-Q3/验收.pdf").write_text("%PDF-1.4 换了", "utf-8")
    commit(repo, "replace", EAST)
    result = check(repo, "--no-status")
    assert ("immutable-evidence", "evidence/east/2024-Q3/验收.pdf") in rules(result), result.stdout
    assert "submissions/east/2024-Q3.yaml" in result.stdout


def test_shared_evidence_cited_by_a_unit_is_held_to_it_too(repo: Path):
    git(repo, "checkout", "-q", "main")
    (repo / "evidence/common").mkdir(parents=True)
    (repo / "evidence/common/通知.pdf").write_text("%PDF-1.4 通知", "utf-8")
    commit(repo, "shared notice", PLAN)
    edit(repo / Q1, "    summary: 已完成选址\n",
         "    summary: 已完成选址\n    evidence:\n      - {title: 通知, path: evidence/common/通知.pdf}\n")
    commit(repo, "cite it", EAST)  # (straight on main: the set-up, not the pull request)
    git(repo, "checkout", "-q", "-B", "pr")
    (repo / "evidence/common/通知.pdf").write_text("%PDF-1.4 新通知", "utf-8")
    commit(repo, "replace the notice", PLAN)
    result = check(repo, "--no-status")
    assert ("immutable-evidence", "evidence/common/通知.pdf") in rules(result), result.stdout


@pytest.mark.parametrize("env", ["GIT_LITERAL_PATHSPECS", "GIT_NOGLOB_PATHSPECS", "GIT_ICASE_PATHSPECS"])
def test_citations_are_found_whatever_the_git_config(repo: Path, env: str):
    # Coloured file names (color.grep=always) would not be the names asked for, another pattern
    # syntax would read the needles differently, literal pathspecs would look for a file named
    # `submissions/*/*.yaml`: every citation would be missed.
    for key, value in (("color.ui", "always"), ("color.grep", "always"), ("grep.patternType", "perl"),
                       ("grep.lineNumber", "true"), ("grep.column", "true"),
                       ("submodule.recurse", "true"), ("core.quotePath", "true")):
        git(repo, "config", key, value)
    (repo / PHOTO).write_text("换过的照片\n", "utf-8")
    commit(repo, "new photo", EAST)
    assert rules(check(repo, "--no-status", env={env: "1"})) == {("immutable-evidence", PHOTO)}


@pytest.mark.parametrize("folder", ["data", "da[t]a?*"])  # (a glob's characters are its name)
def test_a_repository_in_a_subfolder_is_held_to_it_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       folder: str):
    from tests.workflow_helpers import make_pr_repo_in_subfolder

    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-global-gitconfig"))
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    top = tmp_path / "top"
    data = make_pr_repo_in_subfolder(top, folder)
    monkeypatch.chdir(data)
    (data / PHOTO).write_text("换过的照片\n", "utf-8")
    commit(top, "new photo", EAST)
    result = check(data, "--no-status")
    assert rules(result) == {("immutable-evidence", PHOTO)}, result.stdout
    assert f"被已合并的报送 {Q2} 引用" in result.stdout
    _amend(data, Q2, "换成服务站的照片")
    commit(top, "amended", EAST)
    result = check(data, "--no-status")
    assert result.exit_code == 0, result.stdout


def test_a_citing_filing_whose_name_is_not_utf8_is_read_too(repo: Path):
    # A filing on main in a folder whose name is not UTF-8 (from before the gate refused such
    # names: path-encoding) holds the needle: git names it by its bytes, and it is read by
    # them, not the check stopped by a name it cannot pass on to git.
    import os

    git(repo, "checkout", "-q", "main")
    folder = os.fsencode(repo / "submissions") + b"/\xff"
    os.mkdir(folder)
    with open(folder + b"/2024-Q2.yaml", "wb") as handle:
        handle.write((repo / Q2).read_bytes())
    commit(repo, "a folder from another tool", PLAN)
    git(repo, "checkout", "-q", "-B", "pr")
    (repo / PHOTO).write_text("换过的照片\n", "utf-8")
    commit(repo, "new photo", EAST)
    result = check(repo, "--no-status")
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code == 1, result.output
    assert "submissions/\\xff/2024-Q2.yaml" in result.stdout
