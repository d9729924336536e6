"""`tracker report --period P`: the 督办通报. The Word document is read back with python-docx
and its tables compared with the status engine's JSON on the same dates; a golden Markdown
rendering keeps the layout stable.

Regenerate the golden file after an intended change of layout or wording:

    TRACKER_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_report.py -k golden

and review the diff of tests/golden/ before committing it.
"""

from __future__ import annotations

import io
import os
import stat
from datetime import date
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from tests.conftest import REPO
from tests.status_helpers import TARGETS_YAML, UNITS_YAML, filing_yaml, write_repo
from tracker.cli import cli
from tracker.report.compose import Table, compose
from tracker.report.data import bulletin_of, dates_of, parse_period
from tracker.report.markdown import render_markdown
from tracker.report.run import document
from tracker.repository import load
from tracker.status import compute, label, round1, to_json

DEMO = REPO / "examples/demo"
GOLDEN = Path(__file__).parent / "golden" / "report-small-2024-Q2.md"

TASKS = """\
plan:
  id: small-plan
  title: 示范实施方案
  start: 2024-01-01
  end: 2025-12-31
  closure: review
tasks:
  - id: "1.1"
    section: 基础设施
    title: 建设服务站
    text: 各区建设村级服务站。
    units: [office, districts]
    due: 2025-06-30
  - id: "2.1"
    section: 机制
    title: 建立协调机制
    text: 西区牵头建立协调机制。
    units: [west, east]
    due: 2024-08-31
  - id: "S.1"
    section: 工作保障
    title: 强化组织领导
    text: 各地加强组织领导。
    units: [east, west]
    lead: none
"""


def small_repo(root: Path) -> Path:
    """The small plan through 2024-Q2, issued 2024-07-11 (Q2 due 07-10):

    office claims 1.1 done in Q1 (approved 2024-05-06: closed in Q2); east files on time and
    meets its minimum of one centre; west files Q1 late and Q2 not at all; north files Q2 on
    07-11 (late) and is behind on stations; task 2.1 (lead west) is due 2024-08-31 (临期)."""
    write_repo(root, [
        ("office", "2024-Q1", filing_yaml("office", "2024-Q1", reported_on=date(2024, 4, 8),
                                          tasks={"1.1": ("done", True)})),
        ("east", "2024-Q1", filing_yaml("east", "2024-Q1", reported_on=date(2024, 4, 9),
                                        targets={"stations": 1, "centres": 0, "kiosks": 10},
                                        tasks={"S.1": ("in_progress", False)})),
        ("east", "2024-Q2", filing_yaml("east", "2024-Q2", reported_on=date(2024, 7, 5),
                                        targets={"stations": 3, "centres": 1, "kiosks": 30},
                                        tasks={"S.1": ("done", True)})),
        ("west", "2024-Q1", filing_yaml("west", "2024-Q1", reported_on=date(2024, 4, 15),
                                        targets={"stations": 1, "centres": 0, "kiosks": 5},
                                        tasks={"2.1": ("in_progress", False)})),
        ("north", "2024-Q1", filing_yaml("north", "2024-Q1", reported_on=date(2024, 4, 10),
                                         targets={"centres": 0, "kiosks": 0})),
        ("north", "2024-Q2", filing_yaml("north", "2024-Q2", reported_on=date(2024, 7, 11),
                                         targets={"centres": 0, "kiosks": 2})),
    ], tasks_yaml=TASKS, targets_yaml=TARGETS_YAML, units_yaml=UNITS_YAML)
    (root / "reviews").mkdir()
    (root / "reviews" / "1.1.yaml").write_text(
        'task: "1.1"\ndecisions:\n  - on: 2024-05-06\n    decision: approved\n'
        "    note: 材料齐全,同意销号\n", encoding="utf-8")
    return root


@pytest.fixture
def small(tmp_path: Path) -> Path:
    root = small_repo(tmp_path / "repo")
    assert CliRunner().invoke(cli, ["validate", "--root", str(root)]).exit_code == 0
    return root


def run(*args: str):
    return CliRunner().invoke(cli, ["report", *args])


# --- the golden Markdown ----------------------------------------------------------------------


def test_golden_markdown(small: Path):
    result = run("--root", str(small), "--period", "2024-Q2", "--format", "markdown", "--out", "-")
    assert result.exit_code == 0, result.output
    text = result.stdout_bytes.decode("utf-8")
    if os.environ.get("TRACKER_UPDATE_GOLDEN") == "1":
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_bytes(text.encode("utf-8"))
    assert text.encode("utf-8") == GOLDEN.read_bytes(), (
        "the 通报's Markdown changed: if intended, regenerate with "
        "TRACKER_UPDATE_GOLDEN=1 pytest tests/test_report.py -k golden and review the diff")


def test_the_small_report_says_what_happened(small: Path):
    """The facts behind the golden file, asserted one by one (so a regenerated golden file
    cannot silently lose them)."""
    repo = load(small).repo
    assert repo is not None
    doc = document(repo, "2024-Q2")
    md = render_markdown(doc)
    closed = doc.table("tasks_closed")
    assert closed is not None and closed.rows == (
        ("1", "1.1 建设服务站", "市示范办公室", "2024-04-08", "2024-05-06"),)
    pending = doc.table("tasks_pending")  # east closed S.1 with evidence; west not yet
    assert pending is None and "没有待审核销号的任务" in md
    late = doc.table("tasks_late")
    assert late is not None and late.rows == (("1", "2.1 建立协调机制", "西区", "2024-08-31",
                                                "推进中(临期)"),)
    filings = doc.table("filings")
    assert filings is not None and [r[1:] for r in filings.rows] == [
        ("西区", "2024-Q2", "2024-07-10", "—", "未报送"),
        ("北区", "2024-Q2", "2024-07-10", "2024-07-11", "逾期报送"),
    ]
    assert "截至2024年7月11日按时报送1个、逾期报送1个、未报送1个" in md
    index = doc.table("index")
    assert index is not None and [r[1] for r in index.rows] == ["东区", "西区", "北区"]
    assert "××〔2024〕×号" in md and "(发文单位)" in md and "2024年7月11日" in md


# --- the Word document read back ---------------------------------------------------------------


def docx_tables(data: bytes) -> dict[str, list[list[str]]]:
    """Each table of the document by its header row's text."""
    d = docx.Document(io.BytesIO(data))
    out = {}
    for t in d.tables:
        rows = [[c.text for c in r.cells] for r in t.rows]
        out["|".join(rows[0])] = rows[1:]
    return out


TARGET_HEAD = "序号|指标|目标值|完成时限|实际值|序时进度|完成率|状态"
INDEX_HEAD = "排名|单位|得分|上期排名|上期得分|排名变化"
FILING_HEAD = "序号|单位|期次|截止日期|报送日期|状态"


@pytest.mark.parametrize("period,previous", [("2024-Q2", "2024-03-31"),
                                             ("2023-Q4", "2023-09-30")])
def test_docx_tables_equal_the_status_json(tmp_path: Path, period: str, previous: str):
    out = tmp_path / "通报.docx"
    result = run("--root", str(DEMO), "--period", period, "--out", str(out))
    assert result.exit_code == 0, result.output
    assert f"已写入 written: {out}" in result.stderr
    repo = load(DEMO).repo
    assert repo is not None
    p = parse_period(repo.plan, period)
    end, issue = p.end, p.due(repo.plan.reporting.due_days).toordinal() + 1
    figures = to_json(compute(repo, end), repo.plan)
    before = to_json(compute(repo, date.fromisoformat(previous)), repo.plan)
    filed = to_json(compute(repo, date.fromordinal(issue)), repo.plan)
    tables = docx_tables(out.read_bytes())

    city = [r for r in figures["targets"] if r["scope"] == "city"]
    rows = tables[TARGET_HEAD]
    assert len(rows) == len(city)
    for row, t in zip(rows, city, strict=True):
        assert row[1].startswith(t["title"])
        assert row[2] == str(t["goal"]) and row[3] == t["deadline"]
        assert row[4] == (str(t["actual"]) if t["actual"] is not None else "—")
        assert row[5] == str(t["expected"])
        assert row[7].startswith(label("target", t["status"]))

    ranks = tables[INDEX_HEAD]
    prev = {e["unit"]: e for e in before["index"]}
    assert [r[0] for r in ranks] == [str(e["rank"]) for e in figures["index"]]
    for row, e in zip(ranks, figures["index"], strict=True):
        assert row[1] == repo.plan.label(e["unit"])
        assert row[2] == f"{e['score']:.1f}"
        assert row[3] == str(prev[e["unit"]]["rank"])
        assert row[4] == f"{prev[e['unit']]['score']:.1f}"

    expected = [f for f in filed["filings"]
                if (f["period"] == period and f["status"] != "on_time") or f["status"] == "missing"]
    got = tables.get(FILING_HEAD, [])
    assert [(r[1], r[2], r[3], r[4], r[5]) for r in got] == [
        (repo.plan.label(f["unit"]), f["period"], f["due"], f["reported_on"] or "—",
         label("filing", f["status"])) for f in expected]


def test_docx_is_a_gongwen_page(small: Path, tmp_path: Path):
    out = tmp_path / "r.docx"
    assert run("--root", str(small), "--period", "2024-Q2", "--out", str(out)).exit_code == 0
    d = docx.Document(str(out))
    section = d.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert round(section.top_margin.mm) == 37 and round(section.left_margin.mm) == 28
    from docx.oxml.ns import qn

    def east_asia(style: str) -> str:
        fonts = d.styles[style].element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:ascii")) == "Times New Roman"
        assert fonts.get(qn("w:asciiTheme")) is None
        return str(fonts.get(qn("w:eastAsia")))

    assert east_asia("Normal") == "仿宋_GB2312"
    assert east_asia("Heading 1") == "黑体" and east_asia("Heading 2") == "楷体_GB2312"
    assert east_asia("通报标题") == "方正小标宋简体" and east_asia("通报表格文字") == "宋体"
    assert d.styles["Normal"].font.size.pt == 16
    footer = section.footer.paragraphs[0]._p.xml
    assert "PAGE" in footer and 'w:fldCharType="begin"' in footer
    texts = [p.text for p in d.paragraphs]
    assert texts[0] == "××〔2024〕×号"
    assert texts[1] == "关于2024年第二季度《示范实施方案》推进情况的通报"
    assert d.paragraphs[1].style.name == "通报标题"
    assert "一、总体情况" in texts and d.paragraphs[texts.index("一、总体情况")].style.name == \
        "Heading 1"
    assert d.core_properties.title == texts[1]
    # the same data gives the same bytes (the site ships these files)
    again = tmp_path / "again.docx"
    assert run("--root", str(small), "--period", "2024-Q2", "--out", str(again)).exit_code == 0
    assert again.read_bytes() == out.read_bytes()


def test_every_format_shows_the_same_cells(small: Path):
    repo = load(small).repo
    assert repo is not None
    doc = document(repo, "2024-Q2")
    tables = [b for b in doc.blocks if isinstance(b, Table)]
    assert {t.key for t in tables} >= {"lights", "targets", "tasks_closed", "tasks_late",
                                       "filings", "index"}
    from tracker.report.docx import render_docx
    from tracker.report.html import render_html

    in_docx = docx_tables(render_docx(doc))
    html = render_html(doc)
    md = render_markdown(doc)
    for t in tables:
        assert in_docx["|".join(t.header)] == [list(r) for r in t.rows]
        for row in t.rows:
            for cell in row:
                assert f"<td>{cell}</td>" in html
            assert "| " + " | ".join(row) + " |" in md


def test_html_is_standalone_and_escapes_the_plan(small: Path, tmp_path: Path):
    tasks = small / "plan/tasks.yaml"
    tasks.write_text(tasks.read_text("utf-8").replace("title: 建设服务站",
                                                      'title: "建设<script>x</script>站"'),
                     "utf-8")
    out = tmp_path / "r.html"
    assert run("--root", str(small), "--period", "2024-Q2", "--format", "html",
               "--out", str(out)).exit_code == 0
    html = out.read_text("utf-8")
    assert html.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "http://" not in html and "https://" not in html and "src=" not in html


# --- dates ------------------------------------------------------------------------------------


def test_figures_are_as_of_the_period_end_and_filings_as_of_the_day_after_the_due_date(
        small: Path):
    repo = load(small).repo
    assert repo is not None
    dates = dates_of(repo.plan, parse_period(repo.plan, "2024-Q2"))
    assert (dates.end, dates.due, dates.issue, dates.previous) == (
        date(2024, 6, 30), date(2024, 7, 10), date(2024, 7, 11), date(2024, 3, 31))
    b = bulletin_of(repo, dates)
    assert b.figures == compute(repo, date(2024, 6, 30))
    assert b.filings == compute(repo, date(2024, 7, 11)).filings  # (its filing rows alone)
    doc = compose(b, repo.plan)
    targets = doc.table("targets")
    assert targets is not None
    city = [t for t in b.figures.targets if t.scope == "city"]
    assert [r[5] for r in targets.rows] == [str(t.expected) for t in city]
    assert [r[6] for r in targets.rows] == [
        "—" if t.actual is None else f"{round1(100 * t.actual / t.goal)}%" for t in city]


def test_a_draft_before_the_due_date_lists_filings_as_upcoming(small: Path):
    result = run("--root", str(small), "--period", "2024-Q2", "--format", "markdown",
                 "--out", "-", "--as-of", "2024-07-06")
    assert result.exit_code == 0, result.output
    md = result.stdout
    assert "本稿报送情况截至2024年7月6日" in md
    assert "| 西区 | 2024-Q2 | 2024-07-10 | — | 待报送 |" in md


@pytest.mark.parametrize("args,message", [
    (("--period", "2024-Q3", "--as-of", "2024-09-01"), "2024-09-30 才结束"),
    (("--period", "2023-Q4"), "不在计划期内"),
    (("--period", "2024-06"), "写法不对"),
])
def test_periods_and_dates_that_cannot_be_reported(small: Path, args: tuple[str, ...],
                                                   message: str):
    result = run("--root", str(small), *args)
    assert result.exit_code == 2
    assert message in result.output


def test_the_first_period_has_no_previous_ranking(small: Path):
    repo = load(small).repo
    assert repo is not None
    doc = document(repo, "2024-Q1")
    index = doc.table("index")
    assert index is not None and {r[3] for r in index.rows} == {"—"}
    assert "本期为计划首期,没有上期排名" in render_markdown(doc)


# --- writing ----------------------------------------------------------------------------------


def test_default_file_name_permissions_and_atomic_replacement(small: Path, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    result = run("--root", str(small), "--period", "2024-Q2")
    assert result.exit_code == 0, result.output
    out = tmp_path / "督办通报-2024-Q2.docx"
    assert out.is_file() and docx.Document(str(out)).paragraphs
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~umask
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["repo", out.name])  # no temporary
    folder = tmp_path / "a-folder.docx"
    folder.mkdir()
    refused = run("--root", str(small), "--period", "2024-Q2", "--out", str(folder))
    assert refused.exit_code == 2


def test_formats_are_declared_once():
    from tracker.cli import report_cmd
    from tracker.report.run import FORMATS

    assert report_cmd.FORMATS == FORMATS


def test_remind_formats_are_declared_once():
    from tracker.cli import remind_cmd
    from tracker.notify.run import FORMATS

    assert remind_cmd.FORMATS == FORMATS


def test_reporting_writes_nothing_into_the_repository():
    """The report reads the engine; it never writes into the repository."""
    before = sorted(p.relative_to(DEMO) for p in DEMO.rglob("*"))
    assert run("--root", str(DEMO), "--period", "2024-Q2", "--format", "markdown",
               "--out", "-").exit_code == 0
    assert sorted(p.relative_to(DEMO) for p in DEMO.rglob("*")) == before


def test_control_and_bidi_characters_from_the_data_reach_no_format(small: Path, tmp_path: Path):
    tasks = small / "plan/tasks.yaml"
    tasks.write_text(tasks.read_text("utf-8").replace(
        "title: 建立协调机制", 'title: "建立\\0协调\\e[31m机制\\u202etxt.exe"'), "utf-8")
    bad = ("\x00", "\x1b", "\u202e")
    for fmt in ("docx", "markdown", "html"):
        out = tmp_path / f"r.{fmt}"
        result = run("--root", str(small), "--period", "2024-Q2", "--format", fmt,
                     "--out", str(out))
        assert result.exit_code == 0, result.output
        if fmt == "docx":
            import zipfile

            text = zipfile.ZipFile(out).read("word/document.xml").decode("utf-8")
        else:
            text = out.read_text("utf-8")
        assert "31m机制txt.exe" in text  # the words stay, the controls go
        assert not any(ch in text for ch in bad), fmt


def test_a_very_long_plan_title_fits_the_document_properties(small: Path, tmp_path: Path):
    tasks = small / "plan/tasks.yaml"
    tasks.write_text(tasks.read_text("utf-8").replace("title: 示范实施方案",
                                                      "title: " + "很长的方案名称" * 50), "utf-8")
    out = tmp_path / "r.docx"
    result = run("--root", str(small), "--period", "2024-Q2", "--out", str(out))
    assert result.exit_code == 0, result.output
    d = docx.Document(str(out))
    assert len(d.core_properties.title) == 255 and d.core_properties.title.endswith("…")
    assert d.paragraphs[1].text.count("很长的方案名称") == 50  # the title itself is whole


def test_the_issue_dates_filing_rows_are_the_engines_computed_alone() -> None:
    """A 通报 reads only the filing rows at its issue date; they are computed without the
    targets, tasks and index (status.filing_calendar), and are the engine's rows exactly — on
    every day around every due date of the demo, late and missing filings included."""
    from datetime import timedelta

    from tracker.status import filing_calendar

    repo = load(DEMO).repo
    assert repo is not None
    plan = repo.plan
    days = set()
    for f in repo.filings:
        period = parse_period(plan, f.period)
        due = period.due(plan.reporting.due_days)
        days |= {period.end, due - timedelta(days=1), due, due + timedelta(days=1)}
    checked = 0
    for day in sorted(days):
        engine = compute(repo, day).filings
        assert filing_calendar(plan, repo.filings, day) == engine, day
        checked += bool(engine)
    assert checked > 10
    rows = compute(repo, max(days)).filings
    assert {r.status for r in rows} >= {"on_time", "late", "missing"}
