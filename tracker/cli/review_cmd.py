"""`tracker review TASK --approve|--return`: a plan maintainer's 销号 decision."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from tracker.cli import cli
from tracker.cli.options import DateParam, root_option


@cli.command("review")
@click.argument("task", metavar="TASK")
@click.option("--approve", "decision", flag_value="approved",
              help="同意销号。Approve the lead's claim that the task is done.")
@click.option("--return", "decision", flag_value="returned",
              help="退回(继续推进或补充材料)。Return the claim to the lead.")
@click.option("--note", required=True,
              help="复核意见，如“材料齐全，同意销号”或退回原因。The reviewer's note.")
@click.option("--on", "on", type=DateParam(), default=None,
              help="决定日期(默认今天)。The date of the decision (default: today).")
@click.option("--by", default="", help="复核人或处室(可选)。Who decided (optional).")
@root_option
def review_command(task: str, decision: str | None, note: str, on: date | None, by: str,
                   root: Path, max_bytes: int, debug: bool) -> None:
    """记录销号复核决定 Record a 销号 decision in reviews/<TASK>.yaml.

    \b
    With `closure: review` in plan/tasks.yaml a task is closed (已完成/销号) only when a plan
    maintainer approves the lead unit's claim (its report `progress: done` with evidence);
    until then it is 待审核销号. This appends the decision to reviews/<TASK>.yaml (created if
    missing), keeping the file's comments; earlier decisions are never changed. Commit the
    file in a pull request: `tracker check` accepts new decisions from plan maintainers only.

    \b
    Examples:
      tracker review 1.1 --approve --note "材料齐全，同意销号"
      tracker review 1.2 --return --note "缺少验收文件，请补充" --on 2024-07-20
    """
    from tracker.filing.review import ReviewSettings, record
    from tracker.repository import display_path
    from tracker.status import label

    if decision is None:
        raise click.UsageError("请选择 --approve(同意销号)或 --return(退回)。")
    done = record(ReviewSettings(root, task, decision, note, on, by, max_bytes))
    verb = "已创建" if done.created else "已追加到"
    click.echo(f"{verb} {display_path(done.path)}：{done.on.isoformat()} "
               f"{label('decision', decision, 'zh')}(销号申请日期 {done.claim.on.isoformat()})")
    click.echo(f"任务 {task}：{label('task', done.before, 'zh')} → "
               f"{label('task', done.after, 'zh')}。请提交该文件(合并请求)。")
