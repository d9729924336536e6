"""Who owns every path, and what a path under submissions/ or evidence/ may be (issue 11, 2–5).

Every path outside a unit's own folders (submissions/<unit>/, evidence/<unit>/) is the plan
maintainers': .gitattributes, .github/, CI files, CODEOWNERS, reviews/, and any path that
differs from a unit's folder only by case. Under submissions/ and evidence/ only well-formed
paths of regular files with UTF-8 names may be added or changed.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import git
from tests.workflow_helpers import EAST, PLAN, Q3_FILING, WEST, check, commit, rules


@pytest.fixture
def repo(pr_repo: Path) -> Path:
    return pr_repo


def _write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")


# --- 2: every path has an owner -------------------------------------------------------------

OUTSIDE = [
    ".gitattributes",
    ".github/workflows/tracker.yml",
    ".github/CODEOWNERS",
    ".gitlab-ci.yml",
    "CODEOWNERS",
    "reviews/1.1.yaml",
    "docs/说明.md",
]


def test_files_outside_the_units_folders_are_the_maintainers(repo: Path):
    # A root .gitattributes re-encodes every checked-out filing (UTF-16 for everyone after
    # the merge); CI files and CODEOWNERS decide what the gate is. None was judged at all.
    _write(repo, ".gitattributes", "submissions/** working-tree-encoding=UTF-16LE\n")
    for rel in OUTSIDE[1:]:
        _write(repo, rel, "changed by west\n")
    commit(repo, "west changes the rules", WEST)
    result = check(repo, "--no-status")
    assert result.exit_code == 1, result.stdout
    found = rules(result)
    for rel in OUTSIDE:
        assert ("auth-plan-maintainer", rel) in found, rel


def test_the_maintainers_may_change_them(repo: Path):
    for rel in OUTSIDE:
        _write(repo, rel, "changed by the plan office\n")
    _write(repo, "reviews/1.1.yaml",  # a review file is validated too
           'task: "1.1"\ndecisions:\n  - on: 2024-10-01\n    decision: returned\n    note: 材料不全\n')
    commit(repo, "office", PLAN)
    result = check(repo, "--no-status")
    assert result.exit_code == 0, result.stdout


# --- 3: only regular files ------------------------------------------------------------------


def test_evidence_turned_into_a_symlink_fails(repo: Path):
    photo = repo / "evidence/east/2024-Q2/photo.txt"
    photo.unlink()
    os.symlink("../../../plan/units.yaml", photo)
    commit(repo, "photo → link", EAST)
    result = check(repo, "--no-status")
    assert result.exit_code == 1, result.stdout
    assert ("path-file-type", "evidence/east/2024-Q2/photo.txt") in rules(result)
    assert "符号链接" in result.stdout


def test_a_new_symlink_in_a_units_folder_fails(repo: Path):
    os.symlink("2024-Q2.yaml", repo / "submissions/east/2024-Q3.yaml")
    commit(repo, "q3 is q2", EAST)
    result = check(repo, "--no-status")
    assert result.exit_code == 1, result.stdout
    assert ("path-file-type", "submissions/east/2024-Q3.yaml") in rules(result)


@pytest.mark.parametrize("author", [EAST, PLAN])
def test_a_submodule_cannot_hide_behind_gitmodules(repo: Path, author: str):
    # `ignore = all` in .gitmodules (read from the checked-out pull request) makes git diff and
    # git log leave that submodule out: the gitlink in east's folder was in no listing, so no
    # rule saw it. Whoever the author, a submodule under submissions/ breaks validate and build.
    _write(repo, ".gitmodules", '[submodule "q3"]\n\tpath = submissions/east/2024-Q3.yaml\n'
                                "\turl = ./\n\tignore = all\n")
    git(repo, "add", ".gitmodules")
    sha = git(repo, "rev-parse", "HEAD").strip()
    git(repo, "update-index", "--add", "--cacheinfo", f"160000,{sha},submissions/east/2024-Q3.yaml")
    git(repo, "commit", "-qm", "q3 as a submodule", author=author)
    result = check(repo, "--no-status")
    assert result.exit_code == 1, result.stdout
    assert ("path-file-type", "submissions/east/2024-Q3.yaml") in rules(result)
    assert "子模块" in result.stdout
    if author == EAST:
        assert ("auth-plan-maintainer", ".gitmodules") in rules(result)


# --- 4: names that are not UTF-8 --------------------------------------------------------------


def test_a_file_name_that_is_not_utf8_is_refused_and_shown(repo: Path):
    folder = os.fsencode(repo / "submissions/east")
    with open(folder + b"/2024-Q3\xff.yaml", "wb") as handle:
        handle.write(Q3_FILING.encode())
    commit(repo, "a name in another encoding", EAST)
    result = check(repo, "--no-status")
    assert result.exit_code == 1, result.stdout
    assert ("path-encoding", "submissions/east/2024-Q3\\xff.yaml") in rules(result)
    assert "Traceback" not in result.stderr


def test_evidence_named_in_gbk_is_refused(repo: Path):
    folder = repo / "evidence/east/2024-Q3"
    folder.mkdir(parents=True)
    with open(os.fsencode(folder) + "/验收.pdf".encode("gbk"), "wb") as handle:
        handle.write(b"%PDF-1.4")
    commit(repo, "gbk name", EAST)
    result = check(repo, "--no-status")
    assert result.exit_code == 1, result.stdout
    assert any(rule == "path-encoding" and path.startswith("evidence/east/2024-Q3/\\x")
               for rule, path in rules(result)), result.stdout


# --- 5: well-formed paths, case variants ------------------------------------------------------


def test_a_case_variant_of_the_submissions_folder_is_not_the_units(repo: Path):
    # Written by west, it lands in east's folder on a Windows or macOS checkout.
    _write(repo, "Submissions/east/2024-Q3.yaml", Q3_FILING)
    commit(repo, "east's q3 by west", WEST)
    result = check(repo, "--no-status")
    assert result.exit_code == 1, result.stdout
    found = rules(result)
    assert ("path-form", "Submissions/east/2024-Q3.yaml") in found
    assert ("auth-plan-maintainer", "Submissions/east/2024-Q3.yaml") in found


def test_a_case_variant_of_a_units_evidence_folder_is_not_the_units(repo: Path):
    _write(repo, "evidence/East/2024-Q3/照片.jpg", "jpg")
    commit(repo, "east's evidence by east, in another case", EAST)
    found = rules(check(repo, "--no-status"))
    assert ("path-form", "evidence/East/2024-Q3/照片.jpg") in found
    assert ("auth-plan-maintainer", "evidence/East/2024-Q3/照片.jpg") in found


@pytest.mark.parametrize("name", ["2024-Q3.YAML", "2024-Q3.yml", "2024-Q3.yaml.txt", "README.md",
                                  "2024-q3.yaml", "notes/2024-Q3.yaml"])
def test_a_file_in_a_units_folder_that_would_not_be_read_fails(repo: Path, name: str):
    # 2024-Q3.YAML merged with a warning and silently counted as 未报送.
    _write(repo, f"submissions/east/{name}", Q3_FILING)
    commit(repo, "q3", EAST)
    result = check(repo, "--no-status")
    assert result.exit_code == 1, result.stdout
    found = rules(result)
    assert ("path-form", f"submissions/east/{name}") in found
    assert ("file-unexpected", f"submissions/east/{name}") not in found  # said once, as an error


def test_the_fix_is_named(repo: Path):
    _write(repo, "submissions/east/2024-Q3.YAML", Q3_FILING)
    commit(repo, "q3", EAST)
    assert "请改名为 2024-Q3.yaml" in check(repo, "--no-status").stdout


def test_evidence_that_differs_only_by_case_from_a_file_there_fails(repo: Path):
    _write(repo, "evidence/east/2024-Q2/Photo.txt", "another photo")
    commit(repo, "another photo", EAST)
    result = check(repo, "--no-status")
    assert result.exit_code == 1, result.stdout
    assert ("path-form", "evidence/east/2024-Q2/Photo.txt") in rules(result)
    assert "photo.txt" in result.stdout


@pytest.mark.parametrize("rel", ["evidence/east/2024-Q3/.env", "submissions/east/.gitattributes",
                                 "evidence/east/2024-Q3/a:b.pdf"])
def test_hidden_and_unportable_names_fail(repo: Path, rel: str):
    _write(repo, rel, "x")
    commit(repo, "odd names", EAST)
    assert ("path-form", rel) in rules(check(repo, "--no-status"))


@pytest.mark.parametrize("mark", ["\u202e", "\u200f", "\u061c", "\ufeff"])
def test_an_evidence_name_that_reads_differently_from_what_it_is_fails(repo: Path, mark: str):
    # U+202E shows "验收fdp.exe" as "验收exe.pdf" in the pull request's file list, which the
    # unit's second editor approves; the site never links such a path (tracker.site.escape),
    # so a filing citing it would show it as dead text. A right-to-left mark, the Arabic letter
    # mark and a BOM are as invisible.
    rel = f"evidence/east/2024-Q3/验收{mark}fdp.exe"
    _write(repo, rel, "MZ")
    commit(repo, "acceptance", EAST)
    result = check(repo, "--no-status", "--format", "json")
    assert result.exit_code == 1, result.stdout
    import json

    found = json.loads(result.stdout)["diagnostics"]
    assert [(d["rule"], d["path"]) for d in found] == [("path-form", rel)], found


@pytest.mark.parametrize("name", ["CONOUT$.pdf", "conin$", "com¹.pdf", "LPT³.txt"])
def test_every_windows_device_name_fails(repo: Path, name: str):
    # Windows reserves COM¹–³ and LPT¹–³ as it does COM1, and CONIN$ / CONOUT$; git for
    # Windows refuses to check such a path out, so one evidence file would break every Windows
    # checkout of main — where the editors work.
    rel = f"evidence/east/2024-Q3/{name}"
    _write(repo, rel, "x")
    commit(repo, "device names", EAST)
    result = check(repo, "--no-status")
    assert result.exit_code == 1, result.stdout
    assert "Windows 的保留设备名" in result.stdout, result.stdout


def test_names_that_only_start_like_a_device_pass(repo: Path):
    for name in ("console.pdf", "com10.pdf", "auxiliary.pdf", "nul-报告.pdf"):
        _write(repo, f"evidence/east/2024-Q3/{name}", "x")
    commit(repo, "ordinary names", EAST)
    result = check(repo, "--no-status")
    assert result.exit_code == 0, result.stdout


def test_well_formed_paths_pass(repo: Path):
    from tests.workflow_helpers import file_east_q3

    file_east_q3(repo)
    _write(repo, "evidence/east/2024-Q3/验收 文件(一).pdf", "%PDF-1.4")
    _write(repo, "submissions/east/.gitkeep", "")
    commit(repo, "q3", EAST)
    result = check(repo, "--no-status")
    assert result.exit_code == 0, result.stdout


def test_a_units_own_paths_are_still_its_own(repo: Path):
    # The maintainers' share grew; a unit's own folder did not shrink. (A new photo: the one
    # on main is cited by a merged filing, tests/test_gate_records.py.)
    _write(repo, "evidence/east/2024-Q2/新照片.jpg", "新照片")
    commit(repo, "new photo", EAST)
    assert check(repo, "--no-status").exit_code == 0
    git(repo, "checkout", "-q", "-B", "pr", "main")
    _write(repo, "evidence/east/2024-Q2/新照片.jpg", "新照片")
    commit(repo, "new photo", WEST)
    assert ("auth-unit-editor", "evidence/east/2024-Q2/新照片.jpg") in rules(check(repo, "--no-status"))
