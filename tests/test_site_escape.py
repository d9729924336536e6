"""Safe by construction: hostile strings in the plan and in filings change nothing in the
structure of any page, and only https links and files inside the repository become links."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import yaml

from tests.conftest import copy_base
from tests.site_helpers import build, html_pages, main_content, search_index
from tracker.site.escape import https_url, repo_path, title_html, yaml_string

HOSTILE = (
    '<script>alert("x")</script> | a | b |\n\n# 标题注入\n\n'
    "`代码` *强调* __粗体__ [点我](javascript:alert(1)) {: .evil onclick=\"x\"} "
    "<img src=x onerror=alert(1)> &amp; </div></td></table> {#evil-id} "
    "<!-- comment --> ]]> {{ jinja }} {% raw %}\n    indented code\n- list item\n> quote"
)
AS_OF = date(2024, 6, 30)

# What must never appear in any built page (the hostile string's markup, live).
FORBIDDEN = [
    '<script>alert("x")', "<img src=x", 'href="javascript:',
    "<em>强调</em>", "<strong>粗体</strong>", "<code>代码</code>", 'class="evil"',
    'id="evil-id"', "<!-- comment -->", ">标题注入</h", "<li>list item",
    "<blockquote>\n<p>quote", "<pre><code>indented code",
]


def _edit(path: Path, change) -> None:  # type: ignore[no-untyped-def]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture(scope="module", params=["mkdocs", "zensical"])
def hostile_site(request, tmp_path_factory: pytest.TempPathFactory) -> Path:  # type: ignore[no-untyped-def]
    """The hostile repository, built by each generator (docs/site.md, "Generators")."""
    root = copy_base(tmp_path_factory.mktemp(f"hostile-{request.param}") / "repo")

    def units(d):  # type: ignore[no-untyped-def]
        d["units"][2]["name"] = "西区" + HOSTILE
        d["units"][2]["short"] = "西区" + HOSTILE
        d["groups"][0]["name"] = HOSTILE

    def tasks(d):  # type: ignore[no-untyped-def]
        d["plan"]["title"] = "方案" + HOSTILE
        d["tasks"][0]["title"] = "任务" + HOSTILE
        d["tasks"][0]["text"] = HOSTILE
        d["tasks"][0]["section"] = HOSTILE

    def targets(d):  # type: ignore[no-untyped-def]
        d["targets"][0]["title"] = "指标" + HOSTILE
        d["targets"][0]["description"] = HOSTILE
        d["targets"][0]["unit_label"] = "<b>个</b>"
        d["index"]["title"] = HOSTILE

    def filing(d):  # type: ignore[no-untyped-def]
        d["amendment_reason"] = HOSTILE
        d["targets"]["stations"]["note"] = HOSTILE
        d["targets"]["stations"]["evidence"][0]["title"] = HOSTILE
        d["targets"]["stations"]["evidence"][1]["title"] = HOSTILE
        d["targets"]["stations"]["evidence"][1]["url"] = (
            'https://news.example.invalid/a?b="><script>alert(2)</script>')
        for key in ("summary", "problems", "next_steps"):
            d["tasks"]["1.1"][key] = HOSTILE

    _edit(root / "plan/units.yaml", units)
    _edit(root / "plan/tasks.yaml", tasks)
    _edit(root / "plan/targets.yaml", targets)
    _edit(root / "submissions/east/2024-Q2.yaml", filing)
    out = root.parent / "site"
    build(root, out, AS_OF, provenance=False, engine=request.param)
    return out


def test_hostile_strings_change_no_structure(hostile_site: Path) -> None:
    all_pages = html_pages(hostile_site)
    seen_escaped = 0
    for path, html in all_pages.items():
        for bad in FORBIDDEN:
            assert bad not in html, f"{path}: {bad!r}"
        seen_escaped += html.count("&lt;script&gt;alert(")
        if path == "404.html":
            continue
        article = main_content(html)
        # One heading of level 1 per page: the hostile "# 标题注入" never became one.
        assert len(re.findall(r"<h1[ >]", article)) == 1, path
        # The article's tables are well formed: every opened table, row and cell is closed.
        for tag in ("table", "tr", "td", "div", "section", "dl"):
            opened = len(re.findall(rf"<{tag}[ >]", article))
            assert opened == article.count(f"</{tag}>"), f"{path}: <{tag}>"
    assert seen_escaped > 20  # the text is shown, as text, wherever it belongs


def test_hostile_text_is_shown_verbatim(hostile_site: Path) -> None:
    task = main_content((hostile_site / "tasks/1.1.html").read_text(encoding="utf-8"))
    # Escaped once (not twice), line breaks as <br>, never a raw newline inside the text.
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; | a | b |<br><br># 标题注入" in task
    assert "[点我](javascript:alert(1))" in task
    ledger = main_content((hostile_site / "ledger.html").read_text(encoding="utf-8"))
    assert "&lt;/div&gt;&lt;/td&gt;&lt;/table&gt;" in ledger
    html = (hostile_site / "tasks/1.1.html").read_text(encoding="utf-8")
    title = re.search(r"<title>(.*?)</title>", html, re.S)
    assert title and "&lt;script&gt;" in title.group(1)


def test_hostile_evidence_links(hostile_site: Path) -> None:
    target = main_content((hostile_site / "targets/stations.html").read_text(encoding="utf-8"))
    # The https URL stays a link, with its quotes and brackets escaped inside the attribute.
    assert ('href="https://news.example.invalid/a?b=&#34;&gt;&lt;script&gt;alert(2)'
            '&lt;/script&gt;"') in target
    # The repository file is shipped and linked under repo/.
    assert 'href="../repo/evidence/east/2024-Q2/photo.txt"' in target
    assert (hostile_site / "repo/evidence/east/2024-Q2/photo.txt").is_file()


def test_search_index_holds_no_markup(hostile_site: Path) -> None:
    _config, docs = search_index(hostile_site)
    assert docs
    for doc in docs:
        for field in ("title", "text"):
            assert "<script" not in doc[field] and "<img" not in doc[field], doc["location"]


@pytest.mark.parametrize("url,ok", [
    ("https://example.org/a?b=1", True),
    ("http://example.org/", False),
    ("javascript:alert(1)", False),
    ("JAVASCRIPT:alert(1)", False),
    ("data:text/html,<script>", False),
    ("https:///nohost", False),
    ("https://user:pw@example.org/", False),
    ("https://exa mple.org/", False),
    ("https://example.org/\nx", False),
    ("//example.org/", False),
    ("", False),
    # The host is judged by tracker's own rules, the same on every Python version and in the
    # filing page (tests/test_filing_page.py): no @, no brackets, no full-width ":" or "@".
    ("https://例子.中国/路径", True),
    ("https://example.org:8443/x", True),
    ("https://@example.org/", False),
    ("https://[::1]/", False),
    ("https://[abc]/", False),
    ("https://example.org：8080/", False),
    ("https://example.org:abc/", False),
    ("https://:80/", False),
])
def test_https_url(url: str, ok: bool) -> None:
    assert (https_url(url) is not None) is ok


def test_repo_path_stays_inside(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    (root / "evidence").mkdir(parents=True)
    (root / "evidence/a.txt").write_text("a")
    (tmp_path / "secret.txt").write_text("s")
    (root / "evidence/link.txt").symlink_to(tmp_path / "secret.txt")
    (root / "linkdir").symlink_to(tmp_path)
    assert repo_path(root, "evidence/a.txt") == "evidence/a.txt"
    for bad in ("../secret.txt", "/etc/passwd", "evidence/../../secret.txt", "evidence/link.txt",
                "linkdir/secret.txt", "evidence", "evidence\\a.txt", "C:/x", "evidence/none.txt",
                ""):
        assert repo_path(root, bad) is None, bad


def test_titles_and_front_matter() -> None:
    assert title_html('<b>"x"</b>\n&') == "&lt;b&gt;&#34;x&#34;&lt;/b&gt; &amp;"
    assert yaml.safe_load(yaml_string("a: b\n'\"\u2028#")) == "a: b\n'\"\u2028#"


# --- every template output: the fast path for plain strings gives the same answer ---------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tracker.site.escape import Markup as _Markup  # noqa: E402
from tracker.site.escape import clean_text, escape  # noqa: E402
from tracker.site.pages import _finalize  # noqa: E402

# Characters that matter to escaping, line breaking and control removal, and ordinary ones.
_HOSTILE = st.sampled_from(list("a中 <>&\"'\t\n\r\x0b\x0c\x1c\x1d\x1e\x85\x00\x1f\x7f\x9f")
                           + ["\u2028", "\u2029", "\u202e", "\u2066", "\u2069", "\u200b", "\u200e",
                              "\u061c", "\ufeff"])


@settings(max_examples=2000, deadline=None)
@given(st.text(_HOSTILE, max_size=8) | st.text(max_size=8))
def test_template_output_is_escaped_text_with_line_breaks_as_br(value: str) -> None:
    """What a filing's text becomes in a page: each line (as str.splitlines cuts them) without
    control and bidi characters, HTML-escaped, lines joined by <br>; never a raw newline."""
    expected = _Markup("<br>").join(escape(clean_text(line)) for line in value.splitlines())
    out = escape(_finalize(value))  # what an autoescaping template writes for {{ value }}
    assert out == expected
    assert "\n" not in out and "\r" not in out and "<script" not in out


@settings(max_examples=2000, deadline=None)
@given(st.text(_HOSTILE, max_size=12) | st.text(max_size=12))
def test_a_filings_text_in_a_pre_is_escaped_line_by_line_with_no_raw_newline(value: str) -> None:
    """The 原文 page shows a filing's whole text in a <pre>: each line cleaned and escaped,
    lines joined by the &#10; character reference, never a raw line break of any kind."""
    from tracker.site.pages import pre_text

    expected = _Markup("&#10;").join(escape(clean_text(line)) for line in value.splitlines())
    out = pre_text(value)
    assert out == expected and isinstance(out, _Markup)
    assert not any(ch in out for ch in "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
