"""`tracker new`, `tracker amend` and `tracker import`: making and changing filings."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from tracker.cli import cli, verdict
from tracker.cli.options import DateParam, debug_option, root_option
from tracker.errors import EXIT_DATA, EXIT_OK


@cli.command("new")
@click.option("--unit", required=True, help="单位编号(plan/units.yaml)，例如 postal。The unit id.")
@click.option("--period", required=True, help="期次，例如 2025-Q1。The period.")
@click.option("--as-of", type=DateParam(), default=None,
              help="数据截至日期(默认期末)。The as_of date (default: the period's last day).")
@click.option("--reported-on", type=DateParam(), default=None,
              help="报送日期(默认今天)。The reported_on date (default: today).")
@click.option("--xlsx", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="改为生成 Excel 填报表(.xlsx)。Write a fill-in workbook instead of YAML.")
@root_option
def new_command(unit: str, period: str, as_of: date | None, reported_on: date | None,
                xlsx: Path | None, root: Path, max_bytes: int, debug: bool) -> None:
    """开始一份报送 Start a filing: submissions/<unit>/<period>.yaml.

    \b
    Lists every target the unit reports and every task it is named on, with the latest
    earlier figures pre-filled (and shown in comments); anything without an earlier figure is
    left empty, and `tracker validate` points at it until it is filled. Never overwrites.

    \b
    Examples (postal is a unit of the shipped plan; yours are in plan/units.yaml):
      tracker new --unit postal --period 2025-Q1
      tracker new --unit postal --period 2025-Q1 --xlsx 报送-2025-Q1.xlsx
      tracker import 报送-2025-Q1.xlsx            # after the workbook is filled in
    """
    from tracker.filing.scaffold import NewSettings, new_filing
    from tracker.repository import display_path, tracker_command

    settings = NewSettings(root, unit, period, as_of, reported_on, xlsx, max_bytes)
    if xlsx is not None:
        from tracker.filing.xlsx import new_workbook

        out, draft, amending = new_workbook(settings)
        click.echo(f"已生成填报表 {display_path(out)}：{len(draft.targets)} 个指标、"
                   f"{len(draft.tasks)} 项任务。")
        if amending:
            click.echo(f"该期报送已存在：填报表已填入现有数据，用于修订(revision {draft.revision})。"
                       "填好修订原因后运行 "
                       + tracker_command("import", root=root, args=[display_path(out), "--amend"]))
        else:
            click.echo("在黄色单元格中填写后运行 "
                       + tracker_command("import", root=root, args=[display_path(out)]))
        return
    path, draft = new_filing(settings)

    empty = sum(t.value is None for t in draft.targets) + sum(k.progress is None for k in draft.tasks)
    click.echo(f"已生成 {display_path(path)}：{len(draft.targets)} 个指标、{len(draft.tasks)} 项任务"
               + (f"，{empty} 处待填写(空值)" if empty else "，已按上一期预填") + "。")
    click.echo(f"填写后运行 {tracker_command('validate', root=root, args=[display_path(path)])} 检查。")


@cli.command("amend")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@debug_option
def amend_command(path: Path, debug: bool) -> None:
    """修订已合并的报送 Prepare an amendment of a merged filing, in place.

    \b
    Raises `revision` by one and adds an empty `amendment_reason:` to fill in; everything
    else in the file (comments, layout) stays as it was. Then correct the figures, fill in
    the reason, and commit: `tracker check` accepts a changed merged filing only this way.

    Example:  tracker amend submissions/postal/2024-Q2.yaml
    """
    from tracker.filing.scaffold import amend_file
    from tracker.repository import display_path

    done = amend_file(path)
    click.echo(f"{display_path(done.path)}：revision {done.old_revision} → {done.new_revision}。"
               "请更正数据并填写 amendment_reason(修订原因)，然后提交。")


@cli.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@root_option
@click.option("--amend", is_flag=True,
              help="导入为对已合并报送的修订(revision 加 1，须填修订原因)。Import as an amendment.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github", "junit"]),
              default="text", show_default=True, help="问题的输出格式。How problems are printed.")
def import_command(file: Path, root: Path, max_bytes: int, amend: bool, fmt: str,
                   debug: bool) -> None:
    """导入 Excel 填报表 Turn a filled-in workbook into a YAML filing, and validate it.

    \b
    Problems are reported by sheet and cell, e.g.
      报送-2025-Q1.xlsx!指标!D5: error: 数值应为非负整数 ... [xlsx-value]
    and the filing is kept only when it validates. An existing filing is never overwritten
    unless --amend is given (then revision + 1 and the 修订原因 cell is required).

    \b
    Examples:
      tracker import 报送-2025-Q1.xlsx
      tracker import 报送-2025-Q1-修订.xlsx --amend

    Exit codes: 0 imported, 1 the workbook has errors (nothing written), 2 could not run.
    """
    from tracker.filing.xlsx import ImportSettings, run_import
    from tracker.reporters import REPORTERS
    from tracker.repository import display_path

    result = run_import(ImportSettings(root, file, amend, max_bytes))
    verdict(EXIT_DATA if result.written is None else EXIT_OK)
    if result.written is None or result.report.diagnostics:
        REPORTERS[fmt]().render(result.report)
    if result.written is None:
        raise SystemExit(EXIT_DATA)
    click.echo(f"已导入 → {display_path(result.written)}(revision {result.revision})。"
               "请提交该文件(提交到新分支并发起合并请求)。", err=fmt != "text")
