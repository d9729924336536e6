"""Security of evidence files: what a filing may cite, and what the public site ships.

An editor controls both the filing and the files it cites. Nothing hidden (`.git/config` holds
CI credentials on many runners) and nothing a browser would run as a page (HTML, SVG, XML) may
reach the public site through a filing; validation says so before the site is built.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import copy_base
from tests.site_helpers import build, html_pages
from tracker.cli import cli
from tracker.site.escape import repo_path

FILING = "submissions/east/2024-Q2.yaml"
ORIGINAL = "{title: 现场照片, path: evidence/east/2024-Q2/photo.txt}"


def _cite(root: Path, *paths: str) -> None:
    file = root / FILING
    items = ", ".join(f'{{title: "证据{i}", path: "{p}"}}' for i, p in enumerate(paths))
    text = file.read_text("utf-8").replace(ORIGINAL, items.replace("}, {", "}\n      - {"))
    file.write_text(text, "utf-8")


def _validate(root: Path) -> tuple[int, list[dict]]:
    import os

    cwd = os.getcwd()
    os.chdir(root)
    try:
        result = CliRunner().invoke(cli, ["validate", "--format", "json"])
    finally:
        os.chdir(cwd)
    assert "Traceback" not in result.output
    return result.exit_code, json.loads(result.stdout_bytes)["diagnostics"]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = copy_base(tmp_path / "repo")
    (root / ".git").mkdir()
    (root / ".git/config").write_text("[http]\n\textraheader = AUTHORIZATION: basic c2VjcmV0\n")
    (root / "evidence/east/.hidden").mkdir(parents=True)
    (root / "evidence/east/.hidden/x.pdf").write_text("x")
    (root / "evidence/east/.env").write_text("TOKEN=secret")
    (root / "evidence/east/page.html").write_text("<script>alert(document.domain)</script>")
    (root / "evidence/east/pic.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>')
    (root / "evidence/east/PAGE.XHTML").write_text("<script>alert(1)</script>")
    (root / "evidence/east/ok.PDF").write_text("%PDF-1.4")
    return root


@pytest.mark.parametrize("path", [".git/config", "evidence/east/.hidden/x.pdf", "evidence/east/.env",
                                  "./.git/config"])
def test_hidden_files_are_never_evidence(repo: Path, path: str) -> None:
    _cite(repo, path)
    code, found = _validate(repo)
    assert code == 1
    assert [d["rule"] for d in found] == ["evidence-hidden"], found
    assert repo_path(repo, path) is None


def test_a_folder_is_not_evidence(repo: Path) -> None:
    _cite(repo, "evidence/east")
    code, found = _validate(repo)
    assert code == 1
    assert [d["rule"] for d in found] == ["evidence-missing"], found


@pytest.mark.parametrize("path", ["evidence/east/page.html", "evidence/east/pic.svg",
                                  "evidence/east/PAGE.XHTML"])
def test_active_content_is_flagged(repo: Path, path: str) -> None:
    _cite(repo, path)
    code, found = _validate(repo)
    assert code == 0  # a warning: the file is simply not published
    assert [(d["rule"], d["severity"]) for d in found] == [("evidence-file-type", "warning")], found
    assert repo_path(repo, path) is None


def test_ordinary_documents_are_fine(repo: Path) -> None:
    _cite(repo, "evidence/east/ok.PDF")
    code, found = _validate(repo)
    assert (code, found) == (0, [])
    assert repo_path(repo, "evidence/east/ok.PDF") == "evidence/east/ok.PDF"


def test_the_site_ships_no_hidden_file_and_no_active_content(repo: Path, tmp_path: Path) -> None:
    _cite(repo, "evidence/east/page.html", "evidence/east/pic.svg", "evidence/east/ok.PDF")
    out = tmp_path / "site"
    build(repo, out, provenance=False)
    shipped = sorted(p.relative_to(out).as_posix() for p in (out / "repo").rglob("*") if p.is_file())
    assert shipped == ["repo/evidence/east/2024-Q2/photo.txt", "repo/evidence/east/ok.PDF"]
    for page, html in html_pages(out).items():
        if page.startswith("texts/"):
            # The filing's own text names the paths, as text inside <pre>, never as a link.
            assert not re.search(r'(href|src)="[^"]*(page\.html|pic\.svg)', html), page
            continue
        if page.startswith("file/") and page != "file/index.html":
            # The filing page carries the unit's filings as data (its JSON model, for
            # amendments): the path is text there, and must be nowhere else on the page.
            model = re.search(r'<script type="application/json" id="tk-filing-model">.*?</script>',
                              html, re.S)
            assert model is not None
            html = html.replace(model.group(0), "")
        assert "page.html" not in html and "pic.svg" not in html, page


def test_evidence_links_are_url_encoded(repo: Path, tmp_path: Path) -> None:
    # '#', '?' and '%2e%2e' in a file name would otherwise make the link point elsewhere
    # ('%2e%2e' is '..' to a browser).
    (repo / "evidence/east/%2e%2e").mkdir()
    (repo / "evidence/east/%2e%2e/报告#1 ?.pdf").write_text("%PDF-1.4")
    _cite(repo, "evidence/east/%2e%2e/报告#1 ?.pdf")
    assert _validate(repo) == (0, [])
    out = tmp_path / "site"
    build(repo, out, provenance=False)
    assert (out / "repo/evidence/east/%2e%2e/报告#1 ?.pdf").is_file()
    target = (out / "targets/stations.html").read_text("utf-8")
    assert 'href="../repo/evidence/east/%252e%252e/%E6%8A%A5%E5%91%8A%231%20%3F.pdf"' in target


@pytest.mark.parametrize("url", [
    'https://x.example.invalid/" onmouseover="alert(1)',
    "https://x.example.invalid/a b",
    "https://user:pw@x.example.invalid/",
    "https:///nohost",
    "https://x.example.invalid/\u202efdp.exe",
    "https://x.example.invalid/\u200ffdp.exe",
    "HTTPS://x.example.invalid/",
])
def test_validation_and_the_site_agree_on_what_is_a_link(repo: Path, url: str) -> None:
    # What the site would not link must not pass validation silently.
    file = repo / FILING
    file.write_text(file.read_text("utf-8").replace(
        'url: "https://news.example.invalid/east"', f"url: {json.dumps(url)}"), "utf-8")
    code, found = _validate(repo)
    assert code == 1
    assert [d["rule"] for d in found] == ["evidence-url-not-https"], found


def test_a_short_name_that_resolves_to_a_hidden_folder_is_refused(repo: Path, monkeypatch) -> None:
    # On Windows with 8.3 names, GIT~1 is .git: the name checks pass, the resolved path does not.
    real_resolve = Path.resolve
    (repo / "GIT~1").mkdir()
    (repo / "GIT~1/config.txt").write_text("x")

    def resolve(self: Path, strict: bool = False) -> Path:
        out = real_resolve(self, strict)
        parts = ["." + p[:-2].lower() if p == "GIT~1" else p for p in out.parts]
        return Path(*parts)

    monkeypatch.setattr(Path, "resolve", resolve)
    assert repo_path(repo, "GIT~1/config.txt") is None
    _cite(repo, "GIT~1/config.txt")
    code, found = _validate(repo)
    assert code == 1
    assert [d["rule"] for d in found] == ["evidence-hidden"], found


def _insensitive_file_system(monkeypatch: pytest.MonkeyPatch) -> None:
    """Path's lookups as on Windows or macOS: a name is found under another case or Unicode
    normalisation, and (Windows) with dots or spaces after it; os.listdir still gives the names
    as stored."""
    import os
    import unicodedata

    def key(name: str) -> str:
        return unicodedata.normalize("NFC", name.rstrip(" .")).casefold()

    def stored(path: Path) -> Path:
        out = Path(path.anchor)
        for part in path.parts[1:]:
            names = os.listdir(out) if out.is_dir() else []
            out = out / next((n for n in names if key(n) == key(part)), part)
        return out

    for name in ("exists", "is_file", "is_dir", "is_symlink"):
        real = getattr(Path, name)
        monkeypatch.setattr(Path, name, lambda self, real=real: real(stored(self.absolute())))
    real_resolve = Path.resolve
    monkeypatch.setattr(Path, "resolve",
                        lambda self, strict=False: real_resolve(stored(self.absolute()), strict))


@pytest.mark.parametrize("written", [
    "evidence/east/2024-Q2/PHOTO.txt",  # another case
    "Evidence/East/2024-Q2/photo.txt",  # the folders' case
    "evidence/east/2024-Q2/photo.txt.",  # Windows drops a final dot
])
def test_a_citation_names_the_file_as_stored_on_every_file_system(
        repo: Path, monkeypatch: pytest.MonkeyPatch, written: str) -> None:
    # On a Windows or macOS checkout these reach photo.txt; on Linux (CI, the site) they name
    # nothing, and the gate, which finds a file's citations by its name as git stores it,
    # would not count them: an evidence file cited so could be replaced with no amendment.
    # Validation answers the same everywhere: the path must be spelled as stored.
    _insensitive_file_system(monkeypatch)
    assert (repo / written).is_file()  # the simulated file system finds it
    _cite(repo, written)
    code, found = _validate(repo)
    assert code == 1
    assert [d["rule"] for d in found] == ["evidence-missing"], found
    assert "photo.txt" in found[0]["message"] + (found[0].get("hint") or ""), found


def test_a_citation_spelled_as_stored_passes_on_such_a_file_system(
        repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _insensitive_file_system(monkeypatch)
    (repo / "evidence/east/2024-Q2/Café 验收.PDF").write_text("%PDF-1.4")
    _cite(repo, "evidence/east/2024-Q2/photo.txt", "./evidence//east/2024-Q2/Café 验收.PDF")
    code, found = _validate(repo)
    assert code == 0, found
