"""`tracker new` and `tracker amend`: making and changing filings."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from tracker.cli import cli
from tracker.cli.options import DateParam, debug_option, root_option


@cli.command("new")
@click.option("--unit", required=True, help="单位编号，例如 anji。The unit id.")
@click.option("--period", required=True, help="期次，例如 2025-Q1。The period.")
@click.option("--as-of", type=DateParam(), default=None,
              help="数据截至日期(默认期末)。The as_of date (default: the period's last day).")
@click.option("--reported-on", type=DateParam(), default=None,
              help="报送日期(默认今天)。The reported_on date (default: today).")
@root_option
def new_command(unit: str, period: str, as_of: date | None, reported_on: date | None,
                root: Path, max_bytes: int, debug: bool) -> None:
    """开始一份报送 Start a filing: submissions/<unit>/<period>.yaml.

    \b
    Lists every target the unit reports and every task it is named on, with the latest
    earlier figures pre-filled (and shown in comments); anything without an earlier figure is
    left empty, and `tracker validate` points at it until it is filled. Never overwrites.

    \b
    Examples:
      tracker new --unit anji --period 2025-Q1
    """
    from tracker.scaffold import NewSettings, new_filing

    settings = NewSettings(root, unit, period, as_of, reported_on, None, max_bytes)
    path, draft = new_filing(settings)
    from tracker.repository import display_path

    empty = sum(t.value is None for t in draft.targets) + sum(k.progress is None for k in draft.tasks)
    click.echo(f"已生成 {display_path(path)}：{len(draft.targets)} 个指标、{len(draft.tasks)} 项任务"
               + (f"，{empty} 处待填写(空值)" if empty else "，已按上一期预填") + "。")
    click.echo(f"填写后运行 tracker validate {display_path(path)} 检查。")


@cli.command("amend")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@debug_option
def amend_command(path: Path, debug: bool) -> None:
    """修订已合并的报送 Prepare an amendment of a merged filing, in place.

    \b
    Raises `revision` by one and adds an empty `amendment_reason:` to fill in; everything
    else in the file (comments, layout) stays as it was. Then correct the figures, fill in
    the reason, and commit: `tracker check` accepts a changed merged filing only this way.

    Example:  tracker amend submissions/anji/2024-Q2.yaml
    """
    from tracker.repository import display_path
    from tracker.scaffold import amend_file

    done = amend_file(path)
    click.echo(f"{display_path(done.path)}：revision {done.old_revision} → {done.new_revision}。"
               "请更正数据并填写 amendment_reason(修订原因)，然后提交。")
