"""The forge setting of tracker.yaml: one place that knows GitHub's, GitLab's and Gitee's web
addresses, for the site's links and the filing page's new-file button."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.conftest import copy_base
from tracker.forge import Forge, url_problem
from tracker.repository import load

GH = Forge("github", "https://github.com/huzhou/jidi", "main")
GL = Forge("gitlab", "https://gitlab.example.gov.cn/postal/jidi", "trunk")
GE = Forge("gitee", "https://gitee.com/huzhou/jidi", "master")


def test_commit_and_file_views():
    sha = "0123456789abcdef0123456789abcdef01234567"
    assert GH.commit_url(sha) == f"https://github.com/huzhou/jidi/commit/{sha}"
    assert GL.commit_url(sha) == f"https://gitlab.example.gov.cn/postal/jidi/-/commit/{sha}"
    assert GE.commit_url(sha) == f"https://gitee.com/huzhou/jidi/commit/{sha}"
    path = "submissions/anji/2024-Q2.yaml"
    assert GH.file_url(path, sha) == f"https://github.com/huzhou/jidi/blob/{sha}/{path}"
    assert GL.file_url(path) == f"https://gitlab.example.gov.cn/postal/jidi/-/blob/trunk/{path}"
    assert GE.history_url(path) == f"https://gitee.com/huzhou/jidi/commits/master/{path}"


def test_new_file_pages_carry_the_path_and_the_content():
    content = "unit: anji\nperiod: 2025-Q1\n# 备注 & 100% ?\n"
    url = GH.new_file_url("submissions/anji/2025-Q1.yaml", content)
    parts = urlsplit(url)
    assert parts.path == "/huzhou/jidi/new/main/submissions/anji"
    assert parse_qs(parts.query) == {"filename": ["2025-Q1.yaml"], "value": [content]}
    url = GL.new_file_url("submissions/anji/2025-Q1.yaml", content)
    parts = urlsplit(url)
    assert parts.path == "/postal/jidi/-/new/trunk/submissions/anji"
    assert parse_qs(parts.query) == {"file_name": ["2025-Q1.yaml"], "content": [content]}
    assert GE.new_file_url("submissions/anji/2025-Q1.yaml", content) is None
    assert GH.prefills_new_files and GL.prefills_new_files and not GE.prefills_new_files


def test_a_path_cannot_add_a_query_or_a_host():
    url = GH.file_url("evidence/a?x=1#y/../../evil", "HEAD")
    assert "?" not in url and "#" not in url and url.startswith("https://github.com/huzhou/jidi/")


@pytest.mark.parametrize("url, ok", [
    ("https://github.com/huzhou/jidi", True),
    ("https://gitlab.example.gov.cn/group/sub/jidi", True),
    ("http://github.com/huzhou/jidi", False),
    ("https://github.com/huzhou", False),
    ("https://github.com/huzhou/jidi?tab=x", False),
    ("https://user:pw@github.com/a/b", False),
    ("javascript:alert(1)//x/y", False),
])
def test_url_problems(url, ok):
    assert (url_problem(url) is None) is ok


def test_tracker_yaml_forge_is_validated(tmp_path: Path):
    root = copy_base(tmp_path / "repo")
    (root / "tracker.yaml").write_text(
        "forge:\n  type: gitee\n  url: https://gitee.com/huzhou/jidi\n", encoding="utf-8")
    loaded = load(root)
    assert not loaded.report.errors and loaded.repo is not None
    assert Forge.from_config(loaded.repo.config.forge) == Forge(
        "gitee", "https://gitee.com/huzhou/jidi", "main")
    (root / "tracker.yaml").write_text(
        "forge:\n  type: gitea\n  url: https://gitee.com/huzhou\n", encoding="utf-8")
    rules = {(d.rule, d.line) for d in load(root).report.errors}
    assert ("schema-enum", 2) in rules
    (root / "tracker.yaml").write_text(
        "forge:\n  type: github\n  url: https://github.com/only-owner\n", encoding="utf-8")
    errors = load(root).report.errors
    assert [(d.rule, d.line) for d in errors] == [("config-invalid", 3)]
    assert load(root).repo.config.forge is None
