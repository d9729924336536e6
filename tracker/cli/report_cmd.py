"""`tracker report --period P`: the periodic 督办通报 (Word, Markdown, HTML)."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from tracker.cli import cli
from tracker.cli.options import DateParam, root_option

FORMATS = ("docx", "markdown", "html")  # tracker.report.run.FORMATS (a test checks)


@cli.command("report")
@click.option("--period", required=True, metavar="PERIOD",
              help="通报的期次,如 2024-Q2(按计划的报送周期)。The period, e.g. 2024-Q2.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="docx", show_default=True,
              help="docx 给 WPS/Word 编辑转发;markdown、html 供阅读和网页。")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="写入的文件(默认当前目录下的 督办通报-<期次>.docx/.md/.html);- 表示标准输出。"
                   " The file to write; - for standard output.")
@click.option("--as-of", "as_of", type=DateParam(), default=None,
              help="报送情况截至哪一天(通报日期;默认报送截止日的次日)。指标和任务总是截至期末。"
                   " The issue date (default: the day after the filings were due).")
@root_option
def report(period: str, fmt: str, out: Path | None, as_of: date | None, root: Path,
           max_bytes: int, debug: bool) -> None:
    """督办通报 The periodic 督办通报 as a Word document (or Markdown, HTML).

    \b
    Sections: 总体情况, 亮灯情况 (red/yellow/blue by unit), 指标完成情况 (with 序时进度),
    重点任务 (closed this period, awaiting review, overdue and due soon), 报送情况 (late and
    missing), the index ranking with its change since the previous period, each unit's
    paragraph, and placeholders for the 文号, 下步工作要求 and the issuer. Targets, tasks and
    the index are as of the period's end, filings as of the issue date: the figures of
    `tracker status --as-of` on those dates. The file is replaced atomically. docs/report.md.

    \b
    Examples:
      tracker report --period 2024-Q2                       writes 督办通报-2024-Q2.docx
      tracker report --period 2024-Q2 --out 二季度通报.docx --as-of 2024-07-15
      tracker report --period 2024-Q2 --format markdown --out -
      tracker report --period 2024-Q2 --format html --out 通报.html --root examples/demo

    Exit codes: 0 written, 1 the plan itself has errors, 2 could not run.
    """
    from tracker.report.run import ReportSettings, execute

    path = execute(ReportSettings(period=period, root=root, fmt=fmt, out=out, as_of=as_of,
                                  max_bytes=max_bytes), sys.stdout.buffer, sys.stderr)
    if path is not None:
        click.echo(f"已写入 written: {path}", err=True)
