"""`tracker remind`: what each unit must do as of a date, shown or sent where people work."""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path

import click

from tracker.cli import cli
from tracker.cli.options import as_of_option, root_option
from tracker.errors import EXIT_DATA

FORMATS = ("text", "markdown", "json")  # tracker.notify.run.FORMATS (a test checks)


@cli.command("remind")
@root_option
@as_of_option
@click.option("--send/--dry-run", "send", default=False, show_default=True,
              help="--dry-run(默认)只显示将要发送的提醒;--send 通过各单位的通知渠道发送。"
                   " Show (default) or send the reminders.")
@click.option("--to", "to", metavar="ID", multiple=True,
              help="只提醒这些单位(单位编号,或 maintainers 表示计划维护人),可重复。"
                   " Only these recipients (unit ids or `maintainers`); repeatable.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="text/markdown 给人看,json 给程序。")
@click.option("--state", "state", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="发送记录文件(默认 <root>/.tracker/remind-state.json):同一天同一事项不重复发送。"
                   " Where sent reminders are recorded.")
def remind(root: Path, max_bytes: int, debug: bool, as_of: date | None, send: bool,
           to: tuple[str, ...], fmt: str, state: Path | None) -> None:
    """督办提醒 Remind each unit of what it must do, through DingTalk, WeCom, Feishu, e-mail…

    \b
    For each unit: filings due within reporting.remind_days (待报送) or missing (未报送), its
    red and blue (临期) targets, the tasks it leads that are overdue, due soon or awaiting
    review; for the plan maintainers a summary. Channels are Apprise URLs in plan/units.yaml
    (`notify:` per unit, `maintainers_notify:`); `env:NAME` reads a URL from the environment
    (a CI secret). Nothing is sent without --send; a reason is sent at most once a day per
    channel (--state); a failing channel does not stop the others. docs/notify.md.

    \b
    Examples:
      tracker remind                                   what would be sent today
      tracker remind --as-of 2024-07-06 --to postal    one unit's reminders on that day
      tracker remind --to maintainers --format markdown   the plan office's summary
      tracker remind --send                            send (the nightly CI job)
      tracker remind --format json > remind.json

    Exit codes: 0 done, 1 a channel failed (each is named), 2 could not run.
    """
    from tracker.notify.run import RemindSettings, execute, render
    from tracker.repository import default_as_of

    # like status: tracker.yaml's as_of (a demo's date) when there is one, else today
    settings = RemindSettings(root=root, as_of=as_of or default_as_of(root, max_bytes),
                              fmt=fmt, send=send,
                              to=to, state=state, max_bytes=max_bytes)
    result, plan, site_url = execute(settings, os.environ, sys.stderr)
    sys.stdout.buffer.write(render(result, plan, site_url, fmt).encode("utf-8"))
    sys.stdout.flush()
    if result.failed:
        for d in result.failed:
            click.echo(f"发送失败 failed: {d.recipient} {d.channel}:{d.error}", err=True)
        raise SystemExit(EXIT_DATA)
