"""The filing page (file/<unit>.html) in a real headless Chromium, against the CLI.

A copy of the demo repository (with a `forge:` setting) is built into a site; the tests fill the
form as a clerk would and compare what the page produces with what tracker's Python produces
for the same input: `tracker new`'s file, scaffold.render with the same values, amend_text,
Forge.new_file_url; and they check that `tracker validate` accepts the produced filing, that a
wrong value shows tracker's own message beside its field, that the page works from file://,
and that nothing a filing or the plan contains can inject markup or script.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner

from tests.conftest import copy_base, hostile_plan, replace_in
from tests.site_helpers import DEMO, REPO, build, search_index
from tests.test_site_browser import ARGS, CHROMIUM, serving
from tracker.cli import cli
from tracker.filing.scaffold import (
    _q,
    amend_text,
    filing_path,
    load_for_unit,
    make_draft,
    render,
    schema_reference,
)
from tracker.forge import Forge
from tracker.periods import Period
from tracker.site.filing_page import json_for_script
from tracker.yamlio import parse_text

pytestmark = [pytest.mark.browser, pytest.mark.slow]

FORGE = {"type": "github", "url": "https://github.com/huzhou-postal/jidi-tracker",
         "branch": "main"}
AS_OF = date(2024, 6, 30)


def make_repo(root: Path, forge: dict[str, str] | None = FORGE) -> Path:
    shutil.copytree(DEMO, root, ignore=shutil.ignore_patterns("site"))
    config = root / "tracker.yaml"
    text = config.read_text("utf-8").replace("plan: ../../plan", f"plan: {(REPO / 'plan').as_posix()}")
    if forge:
        text += "forge:\n" + "".join(f"  {k}: {v}\n" for k, v in forge.items())
    config.write_text(text, "utf-8")
    return root


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_repo(tmp_path_factory.mktemp("filing") / "repo")


@pytest.fixture(scope="module")
def site(repo: Path) -> Path:
    out = repo.parent / "site"
    build(repo, out, AS_OF, provenance=False)
    return out


@pytest.fixture(scope="module")
def served(site: Path) -> Iterator[str]:
    with serving(site) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} not found (set TRACKER_SKIP_BROWSER=1 to skip browser tests)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield b
        finally:
            b.close()


class Opened:
    def __init__(self, browser: Any, url: str) -> None:
        self.page = browser.new_page(viewport={"width": 1280, "height": 900})
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.goto(url)
        self.page.wait_for_load_state("load")

    def period(self, period: str, reported_on: str | None = None) -> None:
        self.page.select_option("#tk-period", period)
        if reported_on:
            self.page.fill("#tk-reported-on", reported_on)

    def fill(self, path: str, value: str) -> None:
        node = self.page.locator(f'[data-path="{path}"]')
        if node.evaluate("e => e.tagName") == "SELECT":
            node.select_option(value)
        else:
            node.fill(value)

    def text(self) -> str:
        return str(self.page.evaluate("TrackerFiling.last().text"))

    def messages(self, path: str) -> list[str]:
        return list(self.page.locator(f'[data-msg-for="{path}"] > span:not(.tk-f-hint)').all_inner_texts())

    def close(self) -> None:
        self.page.close()


@pytest.fixture
def opened(browser: Any, served: str) -> Iterator[Any]:
    pages: list[Opened] = []

    def open_(path: str) -> Opened:
        o = Opened(browser, served + path)
        pages.append(o)
        return o

    yield open_
    for o in pages:
        assert o.errors == [], o.errors
        assert o.dialogs == []
        o.close()


def python_text(root: Path, unit: str, period: str, reported_on: date,
                targets: dict[str, dict[str, Any]] | None = None,
                tasks: dict[str, dict[str, Any]] | None = None) -> str:
    """What tracker's Python writes for this unit and period with these values filled in."""
    plan, filings = load_for_unit(root, unit)
    p = Period.parse(period, plan.reporting.cadence)
    assert p is not None
    draft = make_draft(plan, filings, unit, p, reported_on=reported_on)
    for t in draft.targets:
        for k, v in (targets or {}).get(t.target.id, {}).items():
            setattr(t, k, v)
    for k in draft.tasks:
        for name, v in (tasks or {}).get(k.task.id, {}).items():
            setattr(k, name, v)
    return render(draft, plan, schema_reference(root, filing_path(root, unit, p))).text()


def validate(root: Path, text: str, unit: str, period: str) -> tuple[int, dict[str, Any]]:
    """Write the produced filing into the repository, run `tracker validate` on it, remove it."""
    path = root / "submissions" / unit / f"{period}.yaml"
    before = path.read_bytes() if path.exists() else None
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    try:
        result = CliRunner().invoke(
            cli, ["validate", "--root", str(root), "--format", "json", str(path)])
        return result.exit_code, json.loads(result.stdout)
    finally:
        if before is None:
            path.unlink()
        else:
            path.write_bytes(before)


# --- unit tests (no browser) -------------------------------------------------------------


def test_json_for_script_cannot_end_the_script_element() -> None:
    data = {"note": "</script><script>alert(1)</script><!-- & \u2028\u2029 \u202e\x85\x07\x00"}
    text = json_for_script(data)
    assert "<" not in text and ">" not in text and "&" not in text
    assert not any(ch in text for ch in "\u2028\u2029\u202e\x85\x07\x00")
    assert json.loads(text) == data


def test_new_file_page_url_is_the_folder_of_the_new_file() -> None:
    gitee = Forge("gitee", "https://gitee.com/huzhou/jidi", "main")
    assert gitee.new_file_url("submissions/anji/2025-Q1.yaml", "x") is None
    assert gitee.new_file_page_url("submissions/anji/2025-Q1.yaml") == \
        "https://gitee.com/huzhou/jidi/new/main/submissions/anji"
    lab = Forge("gitlab", "https://gitlab.example.cn/a/b", "release/2025")
    assert lab.new_file_page_url("submissions/安吉/x.yaml") == \
        "https://gitlab.example.cn/a/b/-/new/release%2F2025/submissions/%E5%AE%89%E5%90%89"


def test_filing_pages_are_built_and_left_out_of_search(site: Path) -> None:
    assert (site / "file" / "index.html").is_file()
    assert (site / "file" / "nantaihu.html").is_file()
    assert (site / "assets" / "vendor" / "ajv2020.min.js").is_file()
    assert (site / "assets" / "vendor" / "LICENSE.txt").is_file()
    assert not [d for d in search_index(site)[1] if d["location"].startswith("file/")
                and d["location"] != "file/index.html"]


# --- in the browser ------------------------------------------------------------------------


def test_untouched_form_is_tracker_new_byte_for_byte(opened: Any, repo: Path) -> None:
    for unit, period in (("nantaihu", "2024-Q1"), ("postal", "2022-Q1")):
        page = opened(f"file/{unit}.html")
        page.period(period, "2024-04-09")
        produced = page.text()
        result = CliRunner().invoke(cli, ["new", "--root", str(repo), "--unit", unit, "--period",
                                          period, "--reported-on", "2024-04-09"])
        assert result.exit_code == 0, result.output
        written = repo / "submissions" / unit / f"{period}.yaml"
        try:
            assert produced.encode("utf-8") == written.read_bytes()
        finally:
            written.unlink()


TRICKY = [
    "普通的一句话。",
    'quotes " and \\ backslash, colon: hash # and - dash',
    "多行\n第二行\n\n第四行",
    "emoji 🚚📦 (astral) and tab\tend",
    "\u2028 line separator, NEL \x85, DEL \x7f, BOM \ufeff",
    "  leading and trailing spaces  ",
    "yes",
    "</script><img src=x onerror=alert(1)>",
]


def test_filled_form_equals_python_render_for_several_inputs(opened: Any, repo: Path) -> None:
    page = opened("file/nantaihu.html")
    page.period("2024-Q1", "2024-04-12")
    plan, _ = load_for_unit(repo, "nantaihu")
    targets = [t.id for t in plan.targets.values() if "nantaihu" in t.reported_by]
    tasks = [t.id for t in plan.tasks_of("nantaihu")]
    for i, text in enumerate(TRICKY):
        t_values: dict[str, dict[str, Any]] = {}
        k_values: dict[str, dict[str, Any]] = {}
        tid = targets[i % len(targets)]
        value = 100 + i
        page.fill(f"targets/{tid}/value", str(value))
        page.fill(f"targets/{tid}/note", text)
        t_values[tid] = {"value": value, "note": text}
        kid = tasks[i % len(tasks)]
        page.fill(f"tasks/{kid}/progress", "in_progress")
        page.fill(f"tasks/{kid}/summary", text)
        page.fill(f"tasks/{kid}/problems", text[::-1])
        page.fill(f"tasks/{kid}/next_steps", "" if i % 2 else text)
        k_values[kid] = {"progress": "in_progress", "summary": text, "problems": text[::-1],
                         "next_steps": "" if i % 2 else text}
        produced = page.text()
        expected = python_text(repo, "nantaihu", "2024-Q1", date(2024, 4, 12), t_values, k_values)
        assert produced == expected, text
        page.page.evaluate("TrackerFiling.load('2024-Q1', {reportedOn: '2024-04-12'})")


def test_filled_form_is_a_valid_filing(opened: Any, repo: Path) -> None:
    """postal 2022-Q1 has no earlier figures: everything starts empty and must be filled."""
    page = opened("file/postal.html")
    page.period("2022-Q1", "2022-04-08")
    assert page.page.evaluate("TrackerFiling.last().errors") > 0
    plan, _ = load_for_unit(repo, "postal")
    for t in plan.targets.values():
        if "postal" in t.reported_by:
            page.fill(f"targets/{t.id}/value", "3")
    for k in plan.tasks_of("postal"):
        page.fill(f"tasks/{k.id}/progress", "in_progress")
        page.fill(f"tasks/{k.id}/summary", f"{k.title}:本季度已启动。")
    # One evidence item with a link.
    page.page.locator('[data-evidence="tasks/1.1"] button', has_text="添加佐证材料").click()
    row = page.page.locator('[data-evidence="tasks/1.1"] .tk-f-ev').first
    row.locator('[data-part="title"]').fill("工作方案")
    row.locator('[data-part="ref"]').fill("https://www.example.gov.cn/a.html")
    assert page.page.evaluate("TrackerFiling.last().errors") == 0
    assert "检查通过" in page.page.locator("#tk-summary").inner_text()
    code, report = validate(repo, page.text(), "postal", "2022-Q1")
    assert code == 0 and report["errors"] == 0, report


def test_wrong_value_shows_trackers_message_at_the_field(opened: Any, repo: Path) -> None:
    page = opened("file/nantaihu.html")
    page.period("2024-Q1", "2024-04-09")
    page.fill("targets/parcel-coverage/value", "abc")
    page.fill("targets/residential-stations/value", "-2")
    page.fill("targets/transfer-centres/value", "")
    page.fill("tasks/1.2/summary", "")
    shown = {
        "targets/parcel-coverage/value": page.messages("targets/parcel-coverage/value"),
        "targets/residential-stations/value": page.messages("targets/residential-stations/value"),
        "targets/transfer-centres/value": page.messages("targets/transfer-centres/value"),
        "tasks/1.2/summary": page.messages("tasks/1.2/summary"),
    }
    assert shown["targets/parcel-coverage/value"] == [
        '错误:targets.parcel-coverage.value 应为整数，实际是文字 "abc" [schema-type]']
    assert shown["targets/transfer-centres/value"][0].startswith(
        "错误:targets.transfer-centres.value 没有填写(应为整数)")
    # The same problems, in the same words, from `tracker validate` on the produced file.
    code, report = validate(repo, page.text(), "nantaihu", "2024-Q1")
    assert code == 1
    cli_messages = {f"{d['message']} [{d['rule']}]" for d in report["diagnostics"]}
    page_messages = {m.split(":", 1)[1] for ms in shown.values() for m in ms
                     if m.startswith("错误:")}
    assert page_messages and page_messages <= cli_messages, (page_messages, cli_messages)
    assert page.page.locator('[data-path="targets/parcel-coverage/value"]').evaluate(
        "e => e.classList.contains('tk-f-invalid')")


def test_cross_file_rules_in_the_page(opened: Any) -> None:
    page = opened("file/nantaihu.html")
    page.period("2024-Q1", "2024-04-09")
    prev = page.page.evaluate(
        "TrackerFiling.model.states[TrackerFiling.model.periods.find(p => p.id === '2024-Q1')"
        ".state].targets['village-service-points']")
    page.fill("targets/village-service-points/value", str(prev[1] - 1))
    (warning,) = page.messages("targets/village-service-points/value")
    assert warning == (f"警告:指标 village-service-points 的累计值 {prev[1] - 1} 少于上一期 "
                       f"{prev[0]} 的 {prev[1]} [filing-value-decreased]")
    page.fill("targets/village-service-points/note", "两个服务点关停")
    assert page.messages("targets/village-service-points/value") == []
    page.page.locator('[data-evidence="targets/parcel-coverage"] button',
                      has_text="添加佐证材料").click()
    row = page.page.locator('[data-evidence="targets/parcel-coverage"] .tk-f-ev').first
    row.locator('[data-part="title"]').fill("报道")
    row.locator('[data-part="ref"]').fill("http://example.gov.cn/a")
    assert page.messages("targets/parcel-coverage/evidence/0") == [
        "错误:链接 http://example.gov.cn/a 不是 https 链接 [evidence-url-not-https]"]
    page.fill("as_of", "2024-04-01")
    assert page.messages("as_of")[0].startswith(
        "错误:as_of 2024-04-01 不在期次 2024-Q1(2024-01-01 至 2024-03-31)内")
    problems = page.page.evaluate(
        "TrackerFiling.problems({unit: 'nantaihu', period: '2024-Q1', as_of: '2024-03-31',"
        " reported_on: '2024-04-01', revision: 1, targets: {'no-such-target': {value: 1}}})")
    assert {p["rule"] for p in problems} == {"plan-unknown-target"}


def test_amendment_as_tracker_amend_does(opened: Any, repo: Path) -> None:
    page = opened("file/anji.html")
    page.period("2024-Q2")
    assert page.page.locator("#tk-revision").inner_text() == "2"
    assert page.page.locator("#tk-reported-on").evaluate("e => e.readOnly")
    assert page.messages("amendment_reason")  # the reason is required
    reason = '更正:复核发现转运中心数量"漏报"一个'
    page.fill("amendment_reason", reason)
    original = (repo / "submissions" / "anji" / "2024-Q2.yaml").read_text("utf-8")
    amended, old, new = amend_text(original)
    assert (old, new) == (1, 2)
    expected = amended.replace('amendment_reason: ""', f"amendment_reason: {_q(reason)}", 1)
    assert page.text() == expected
    code, report = validate(repo, page.text(), "anji", "2024-Q2")
    assert code == 0, report
    # A changed figure: the filing is written anew by the renderer, revision 2, reason kept.
    page.fill("targets/transfer-centres/value", "9")
    text = page.text()
    assert "revision: 2" in text and "    value: 9" in text and "由 tracker 网页填报页 生成" in text
    assert "reported_on: 2024-07-08" in text
    code, report = validate(repo, text, "anji", "2024-Q2")
    assert code == 0, report


def test_amend_text_port_equals_python(opened: Any, repo: Path) -> None:
    page = opened("file/deqing.html")
    texts = [p.read_text("utf-8") for p in sorted((repo / "submissions" / "deqing").glob("*.yaml"))]
    texts.append(texts[0].replace("\n", "\r\n"))  # CRLF stays CRLF
    texts.append("unit: x\nrevision: 3   # 注释\namendment_reason: |\n  第一行\n  第二行\n\nnext: 1\n")
    texts.append("revision: 1\namendment_reason: 旧原因\u2028仍是同一行\ntargets: {}\n")
    got = page.page.evaluate("ts => ts.map(t => TrackerFiling.amendText(t, ''))", texts)
    assert got == [amend_text(t)[0] for t in texts]


def test_forge_link_carries_the_path_and_the_content(opened: Any, repo: Path) -> None:
    page = opened("file/nantaihu.html")
    page.period("2024-Q1", "2024-04-09")
    fill_required(page, repo, "nantaihu")  # (while the form has errors, the link has no address)
    page.fill("targets/parcel-coverage/note", "含 & ? # + % 空格 和 换行\n第二行")
    href = page.page.locator("#tk-forge").get_attribute("href")
    forge = Forge.from_config(FORGE)
    assert forge is not None
    assert href == forge.new_file_url("submissions/nantaihu/2024-Q1.yaml", page.text())
    parts = urlsplit(href)
    assert parts.netloc == "github.com" and parts.path.endswith("/new/main/submissions/nantaihu")
    cases = [("github", "main", "submissions/东区/2024-Q1.yaml", "a b&c=d?#+%\n中文 🚚"),
             ("gitlab", "release/2025", "submissions/x/2024.yaml", "~!*'()"),
             ("github", "dev branch", "top.yaml", "")]
    for kind, branch, path, content in cases:
        f = Forge(kind, "https://forge.example.cn/o/r", branch)
        js = page.page.evaluate("a => [TrackerFiling.newFileUrl(a[0], a[1], a[2]),"
                                " TrackerFiling.newFilePageUrl(a[0], a[1])]",
                                [{"type": kind, "url": f.url, "branch": branch}, path, content])
        assert js == [f.new_file_url(path, content), f.new_file_page_url(path)]


def test_works_from_file_url_without_requests(browser: Any, site: Path) -> None:
    o = Opened(browser, (site / "file" / "nantaihu.html").as_uri())
    try:
        o.period("2024-Q1", "2024-04-09")
        assert o.text().startswith("# yaml-language-server: $schema=")
        assert o.page.locator("#tk-period").input_value() == "2024-Q1"
        assert [u for u in o.requests if urlsplit(u).scheme not in ("file", "data", "blob")] == []
        with o.page.expect_download() as info:
            o.page.click("#tk-download")
        download = info.value
        assert download.suggested_filename == "2024-Q1.yaml"
        assert Path(download.path()).read_text("utf-8") == o.text()
        assert o.errors == []
    finally:
        o.close()


def test_served_page_requests_only_its_own_server(opened: Any, served: str) -> None:
    page = opened("file/anji.html")
    outside = [u for u in page.requests if urlsplit(u).scheme not in ("data", "blob")
               and urlsplit(u).hostname != "127.0.0.1"]
    assert outside == []


HOSTILE = "</script><script>alert('x')</script><img src=x onerror=alert(1)>{{7*7}}&lt;b&gt;"


def test_hostile_strings_stay_text(browser: Any, tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo")
    filing = root / "submissions" / "anji" / "2024-Q2.yaml"
    text = filing.read_text("utf-8").replace(
        "note: 住宅小区快递末端驿站累计130个", f"note: {_q(HOSTILE)}", 1)
    assert HOSTILE not in filing.read_text("utf-8") and _q(HOSTILE) in text
    filing.write_text(text, "utf-8")
    site = tmp_path / "site"
    build(root, site, AS_OF, provenance=False)
    html = (site / "file" / "anji.html").read_text("utf-8")
    assert "<script>alert" not in html and "<img src=x" not in html
    o = Opened(browser, (site / "file" / "anji.html").as_uri())
    try:
        o.period("2024-Q2")
        note = o.page.locator('[data-path="targets/residential-stations/note"]')
        assert note.input_value() == HOSTILE
        assert o.page.locator("img[src=x]").count() == 0
        # The only script holding the string is the JSON block, where it is data.
        holders = o.page.evaluate(
            "[...document.scripts].filter(s => s.textContent.includes('alert'))"
            ".map(s => s.type + '|' + s.id)")
        assert holders == ["application/json|tk-filing-model"]
        assert HOSTILE in o.text()  # kept as text inside the YAML string
        o.page.fill("#tk-reason", HOSTILE)
        assert o.page.locator("img[src=x]").count() == 0
        assert o.dialogs == [] and o.errors == []
    finally:
        o.close()


# --- parity with tracker validate (red-team findings) ---------------------------------------

LINKS = [
    "https://www.example.gov.cn/a.html", "https://例子.中国/路径?q=1#f", "https://x.cn:8443/",
    # refused by tracker validate (every Python version) and by the page alike
    "https://x.cn/\u200e", "https://x.cn/\u200f", "https://x.cn/\u061c", "https://x.cn/\ufeff",
    "https://@x.cn/", "https://:@x.cn/", "https://[::1]/", "https://[::1", "https://[abc]/",
    "https://x.cn：8080/", "https://x＠y.cn/", "https://:80/", "https://:abc/", "https://x.cn:abc/",
    "https://user:pw@x.cn/", "https://x.cn/a\u3000b",
]


def fill_required(page: Opened, root: Path, unit: str) -> None:
    """Fill every value, progress and summary the form leaves empty."""
    plan, _ = load_for_unit(root, unit)
    for t in plan.targets.values():
        if plan.reports(t, unit):
            page.fill(f"targets/{t.id}/value", "3")
    for k in plan.tasks_of(unit):
        page.fill(f"tasks/{k.id}/progress", "in_progress")
        page.fill(f"tasks/{k.id}/summary", "本季度已启动。")


def test_evidence_links_are_judged_as_tracker_validate_judges_them(opened: Any, repo: Path) -> None:
    page = opened("file/postal.html")
    page.period("2022-Q1", "2022-04-08")
    fill_required(page, repo, "postal")
    box = page.page.locator('[data-evidence="tasks/1.1"]')
    for i, url in enumerate(LINKS):
        box.locator("button", has_text="添加佐证材料").click()
        row = box.locator(".tk-f-ev").nth(i)
        row.locator('[data-part="title"]').fill(f"材料{i}")
        row.locator('[data-part="ref"]').fill(url)
    shown = [bool(page.messages(f"tasks/1.1/evidence/{i}")) for i in range(len(LINKS))]
    code, report = validate(repo, page.text(), "postal", "2022-Q1")
    lines = page.text().split("\n")
    refused_lines = {d["line"] for d in report["diagnostics"] if d["rule"] == "evidence-url-not-https"}
    refused = [any(url_line in refused_lines for url_line in
                   [n for n, line in enumerate(lines, 1) if f"title: \"材料{i}\"" in line])
               for i in range(len(LINKS))]
    assert refused == [i >= 3 for i in range(len(LINKS))], report["diagnostics"]
    assert shown == refused


# Text a clerk may type or paste, and what YAML makes of it unless it is quoted and escaped.
ROUND_TRIP = [
    "- 列表?", "? 键", ": 值", "# 不是注释", "@at `tick` %YAML --- ... | > *alias &anchor !tag",
    "{a: 1} [1, 2] 'single' \"double\" \\ back", "tab\there", "NUL\x00and\x01\x1b[31m",
    "\u2028\u2029\x85\x7f\x9f\ufeff", "noncharacters \ufffe\uffff \U0001fffe \ufdd0",
    "  ", "\u3000", "\r\nCRLF\rCR", "emoji 🚚 " + "很长的一行" * 1500,
]


def test_produced_yaml_reads_back_as_the_forms_data(opened: Any, repo: Path) -> None:
    """Whatever is typed, the produced file holds exactly what the page checked: tracker's
    loader reads it back as the page's own data, and `tracker validate` agrees with the page."""
    page = opened("file/postal.html")
    page.period("2022-Q1", "2022-04-08")
    fill_required(page, repo, "postal")
    plan, _ = load_for_unit(repo, "postal")
    fields = [f"targets/{t.id}/note" for t in plan.targets.values() if plan.reports(t, "postal")]
    fields += [f"tasks/{k.id}/{name}" for k in plan.tasks_of("postal")
               for name in ("summary", "problems", "next_steps")]
    for i, text in enumerate(ROUND_TRIP):
        page.page.evaluate("([p, v]) => { const e = document.querySelector(`[data-path='${p}']`);"
                           " e.value = v; e.dispatchEvent(new Event('input', {bubbles: true})); }",
                           [fields[i % len(fields)], text])
    last = page.page.evaluate("TrackerFiling.last()")
    doc, problems = parse_text(last["text"], "2022-Q1.yaml")
    assert doc is not None, [p.message for p in problems]
    assert doc.data == last["data"]
    assert last["errors"] == 0, last["problems"]
    code, report = validate(repo, last["text"], "postal", "2022-Q1")
    assert code == 0, report


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The small repository with hostile plan text and a unit id YAML reads as a number
    (tests.conftest.hostile_plan), with a forge; and its site."""
    root = hostile_plan(copy_base(tmp_path_factory.mktemp("hostile") / "repo"))
    (root / "tracker.yaml").write_text(
        "forge:\n" + "".join(f"  {k}: {v}\n" for k, v in FORGE.items()), "utf-8")
    site = root.parent / "site"
    build(root, site, AS_OF, provenance=False)
    return root, site


def test_hostile_plan_text_and_a_numeric_unit_id_give_valid_filings(
        browser: Any, hostile: tuple[Path, Path]) -> None:
    root, site = hostile
    for unit, period, reported_on in (("east", "2024-Q3", "2024-10-05"),
                                      ("330902", "2024-Q2", "2024-07-05")):
        o = Opened(browser, (site / "file" / f"{unit}.html").as_uri())
        try:
            o.period(period, reported_on)
            result = CliRunner().invoke(cli, ["new", "--root", str(root), "--unit", unit,
                                              "--period", period, "--reported-on", reported_on])
            assert result.exit_code == 0, result.output
            written = root / "submissions" / unit / f"{period}.yaml"
            try:
                assert o.text() == written.read_text("utf-8")
            finally:
                written.unlink()
            fill_required(o, root, unit)
            last = o.page.evaluate("TrackerFiling.last()")
            doc, problems = parse_text(last["text"], f"{period}.yaml")
            assert doc is not None, [p.message for p in problems]
            assert doc.data == last["data"] and doc.data["unit"] == unit
            assert last["errors"] == 0, last["problems"]
            code, report = validate(root, last["text"], unit, period)
            assert code == 0, report
            assert o.errors == []
        finally:
            o.close()


def test_an_amendment_the_text_edit_cannot_follow_is_written_anew(
        browser: Any, hostile: tuple[Path, Path]) -> None:
    """`tracker amend` refuses a filing whose layout amend_text cannot follow (here a quoted
    reason continued at column 0, valid YAML); the page then writes the filing anew rather than
    a text CI cannot read."""
    root, site = hostile
    o = Opened(browser, (site / "file" / "east.html").as_uri())
    try:
        o.period("2024-Q1")
        o.fill("amendment_reason", "再次更正")
        last = o.page.evaluate("TrackerFiling.last()")
        doc, problems = parse_text(last["text"], "2024-Q1.yaml")
        assert doc is not None, [p.message for p in problems]
        assert doc.data == last["data"] and doc.data["revision"] == 3
        assert "由 tracker 网页填报页 生成" in last["text"]
        assert last["errors"] == 0, last["problems"]
        code, report = validate(root, last["text"], "east", "2024-Q1")
        assert code == 0, report
        assert o.errors == []
    finally:
        o.close()


def test_the_forge_button_cannot_be_used_while_the_form_has_errors(opened: Any, repo: Path) -> None:
    """Not by the mouse (CSS), and not by the keyboard either: a link that only looks disabled
    still opens on Enter."""
    page = opened("file/postal.html")
    page.period("2022-Q1", "2022-04-08")
    assert page.page.evaluate("TrackerFiling.last().errors") > 0
    tabs: list[str] = []
    page.page.context.on("page", lambda p: tabs.append(p.url))
    page.page.locator("#tk-forge").focus()
    page.page.keyboard.press("Enter")
    page.page.wait_for_timeout(500)
    assert tabs == []
    assert page.page.locator("#tk-forge").get_attribute("href") is None
    fill_required(page, repo, "postal")
    assert page.page.evaluate("TrackerFiling.last().errors") == 0
    forge = Forge.from_config(FORGE)
    assert forge is not None
    assert page.page.locator("#tk-forge").get_attribute("href") == forge.new_file_url(
        "submissions/postal/2022-Q1.yaml", page.text())


def test_a_last_period_that_runs_past_the_plans_end_can_be_filed(tmp_path: Path) -> None:
    """`tracker new` and `tracker validate` take a filing for a period that overlaps the plan
    (docs/decisions.md, "Filings: what must be written"); the form offers the same periods."""
    root = copy_base(tmp_path / "repo")
    replace_in(root / "plan/tasks.yaml", ("end: 2025-12-31", "end: 2025-11-30"))
    replace_in(root / "plan/targets.yaml", ("by: 2025-12-31", "by: 2025-11-30"))
    result = CliRunner().invoke(cli, ["new", "--root", str(root), "--unit", "east",
                                      "--period", "2025-Q4", "--reported-on", "2026-01-05"])
    assert result.exit_code == 0, result.output
    (root / "submissions/east/2025-Q4.yaml").unlink()
    build(root, tmp_path / "site", AS_OF, provenance=False)
    html = (tmp_path / "site/file/east.html").read_text("utf-8")
    assert '<option value="2025-Q3"' in html and '<option value="2025-Q4"' in html


DATES = ["2024-02-29", "9999-12-31", "0001-01-01", "2023-02-29", "2024-02-30", "2024-13-01",
         "2024-00-10", "2024-04-31", "0000-01-01", "0000-02-29"]


def test_dates_are_judged_as_tracker_validate_judges_them(opened: Any, repo: Path) -> None:
    """The date fields hold what the browser's date picker allows; a browser without one (or
    a pasted value) lets any text through, so the page's own check must be tracker's."""
    page = opened("file/postal.html")
    page.period("2022-Q1", "2022-04-08")
    fill_required(page, repo, "postal")
    data = page.page.evaluate("TrackerFiling.last().data")
    text = page.text()
    for day in DATES:
        shown = page.page.evaluate(
            "d => TrackerFiling.problems(d).filter(p => p.severity === 'error')"
            ".map(p => [p.message, p.hint])", {**data, "reported_on": day})
        code, report = validate(repo, text.replace("reported_on: 2022-04-08", f"reported_on: {day}"),
                                "postal", "2022-Q1")
        refused = [[d["message"], d["hint"]] for d in report["diagnostics"]
                   if d["severity"] == "error"]
        assert bool(refused) == (day in DATES[3:]), (day, refused)
        assert shown == refused


@pytest.mark.parametrize("digits", [20, 100, 5000])
def test_a_huge_number_is_reported_in_tracker_validates_words(opened: Any, repo: Path,
                                                              digits: int) -> None:
    """JavaScript numbers hold 15-16 digits; the page must still say what the clerk typed."""
    page = opened("file/nantaihu.html")
    page.period("2024-Q1", "2024-04-09")
    fill_required(page, repo, "nantaihu")
    page.fill("targets/parcel-coverage/value", "9" * digits)
    shown = page.messages("targets/parcel-coverage/value")
    code, report = validate(repo, page.text(), "nantaihu", "2024-Q1")
    assert code == 1
    assert [f"错误:{d['message']} [{d['rule']}]" for d in report["diagnostics"]
            if d["severity"] == "error"] == shown


NOT_WHOLE_NUMBERS = ["１２", "３０００", "-０", "１２.5", "1,000", "1，300个", "12个", " 8 家 ", "abc",
                     "十二", "1e3", "0x1F", "1 000", "12.5", "012", "+5"]


def test_a_value_that_is_no_whole_number_gets_tracker_validates_hint(opened: Any, repo: Path) -> None:
    page = opened("file/nantaihu.html")
    page.period("2024-Q1", "2024-04-09")
    fill_required(page, repo, "nantaihu")
    for value in NOT_WHOLE_NUMBERS:
        page.fill("targets/parcel-coverage/value", value)
        last = page.page.evaluate("TrackerFiling.last()")
        shown = [(d["message"], d["hint"]) for d in last["problems"] if d["severity"] == "error"]
        code, report = validate(repo, last["text"], "nantaihu", "2024-Q1")
        said = [(d["message"], d["hint"]) for d in report["diagnostics"] if d["severity"] == "error"]
        assert shown == said, value


# Text that says nothing, and text that does (a zero-width space is not whitespace anywhere).
BLANK_TEXTS = ["  ", "\u3000\u3000", "\t", "\ufeff", "\u00a0", "\n\n", " 有 ", "\u200b"]


def test_a_summary_of_only_spaces_is_refused_as_tracker_validate_refuses_it(
        opened: Any, repo: Path) -> None:
    """进展情况 is required: spaces, full-width spaces or blank lines do not fill it. The page
    and `tracker validate` refuse the same texts with the same message and hint (the schema's
    pattern is spelt out: Python, Rust and JavaScript disagree on what \\s matches)."""
    page = opened("file/nantaihu.html")
    page.period("2024-Q1", "2024-04-09")
    fill_required(page, repo, "nantaihu")
    task = next(iter(load_for_unit(repo, "nantaihu")[0].tasks_of("nantaihu"))).id
    refused = []
    for text in BLANK_TEXTS:
        page.page.evaluate("([p, v]) => { const e = document.querySelector(`[data-path='${p}']`);"
                           " e.value = v; e.dispatchEvent(new Event('input', {bubbles: true})); }",
                           [f"tasks/{task}/summary", text])
        last = page.page.evaluate("TrackerFiling.last()")
        shown = [(d["message"], d["hint"]) for d in last["problems"] if d["severity"] == "error"]
        code, report = validate(repo, last["text"], "nantaihu", "2024-Q1")
        said = [(d["message"], d["hint"]) for d in report["diagnostics"] if d["severity"] == "error"]
        assert shown == said, repr(text)
        refused.append(bool(said))
        if said:
            assert "只有空格" in said[0][1] and "全角字符" not in said[0][1], said
    assert refused == [True] * 6 + [False] * 2


def _regex_flags(source: str) -> list[str]:
    """The flags of every regular-expression literal in a script (strings, template literals and
    comments skipped; a "/" after an operator, a bracket or `return` starts a literal)."""
    flags: list[str] = []
    i, n, last = 0, len(source), ""
    while i < n:
        c = source[i]
        if source.startswith("//", i):
            i = source.find("\n", i)
            i = n if i < 0 else i
        elif source.startswith("/*", i):
            i = source.index("*/", i) + 2
        elif c in "'\"`":
            j = i + 1
            while source[j] != c:
                j += 2 if source[j] == "\\" else 1
            i, last = j + 1, "x"
        elif c == "/" and (last in "(,=:[!&|?{};+-*%<>~^" or source[:i].rstrip().endswith("return")):
            j, in_class = i + 1, False
            while source[j] != "/" or in_class:
                if source[j] == "\\":
                    j += 1
                elif source[j] == "[":
                    in_class = True
                elif source[j] == "]":
                    in_class = False
                j += 1
            k = j + 1
            while k < n and source[k].isalpha():
                k += 1
            flags.append(source[j + 1:k])
            i, last = k, "x"
        else:
            if not c.isspace():
                last = c
            i += 1
    return flags


def test_the_pages_scripts_need_no_javascript_newer_than_the_validator_bundle() -> None:
    """The Ajv bundle is built for ES2019 (tracker/site/vendor/build.sh): browsers from 2019 on,
    such as the Chromium 86 inside browsers still common in government offices. A regular
    expression flag of a later edition ("d", ES2022) is a syntax error there, and the whole
    form would not start."""
    from tracker.site.pages import ASSETS

    flags = _regex_flags((ASSETS / "filing.js").read_text("utf-8"))
    assert len(flags) > 20  # (the scan finds the literals)
    assert set("".join(flags)) <= set("gimsuy"), flags
