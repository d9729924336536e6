"""`tracker status`: where do we stand on a date, and who is behind?"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from tracker.cli import cli
from tracker.cli.options import DateParam, as_of_option, root_option
from tracker.status import LANGS

if TYPE_CHECKING:
    from tracker.status_view import Streams

# The same list as tracker.status_view.FORMATS (a test checks); kept here so that listing the
# commands does not import rich.
FORMATS = ("text", "json", "csv", "markdown")

F = TypeVar("F", bound=Callable[..., Any])


def lang_option(f: F) -> F:
    return click.option(
        "--lang", type=click.Choice(LANGS), default=None,
        help="标签语言。默认:明确设定的 LC_ALL/LC_MESSAGES/LANG(zh* 为中文,其他为英文;C、"
             "C.UTF-8、POSIX 不算设定),否则计划的 plan.language,否则 Windows 显示语言,否则英文;"
             "计划中的名称保持原文。 Label language (default: a chosen locale, else the plan's "
             "language); plan names stay as written.",
    )(f)


def streams() -> Streams:
    from tracker.status_view import Streams

    return Streams(sys.stdout, sys.stdout.buffer, sys.stderr)


@cli.command()
@root_option
@as_of_option
@click.option("--target", "target", metavar="ID", help="只看一个指标。Focus on one target.")
@click.option("--unit", "unit", metavar="ID",
              help="只看一个单位:其指标、牵头和配合的任务、报送记录。Focus on one unit.")
@click.option("--task", "task", metavar="ID", help="只看一个任务。Focus on one task.")
@click.option("--since", "--compare", "since", type=DateParam(), default=None,
              help="列出从该日期到 --as-of 之间的变化(状态变动、收到的报送、销号的任务)。"
                   " Show what changed between this date and --as-of.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="text 给人看;json(SPEC 格式)/csv 给程序;markdown 仅用于 --since。")
@lang_option
@click.option("--color/--no-color", default=None, help="强制开/关颜色(默认自动,遵守 NO_COLOR)。")
@click.option("--width", type=click.IntRange(min=40), default=None, hidden=True)
def status(root: Path, max_bytes: int, debug: bool, as_of: date | None, target: str | None,
           unit: str | None, task: str | None, since: date | None, fmt: str, lang: str | None,
           color: bool | None, width: int | None) -> None:
    """进度状态 Where each target, task and filing stands on a date.

    \b
    Lights: 绿 green = 已完成/正常推进, 黄 yellow = 滞后, 红 red = 严重滞后/逾期未完成,
    灰 grey = 未报送. Rules: docs/status.md (`tracker explain TARGET` shows the arithmetic).

    \b
    Examples (postal and 1.2 are ids of the shipped plan; TARGET-ID stands for an id of
    plan/targets.yaml; your ids are in plan/units.yaml, plan/targets.yaml, plan/tasks.yaml):
      tracker status
      tracker status --as-of 2024-06-30 --unit postal
      tracker status --target TARGET-ID
      tracker status --task 1.2 --lang en
      tracker status --format json > status.json
      tracker status --since 2024-03-31 --as-of 2024-06-30

    Exit codes: 0 done, 1 the plan itself has errors, 2 could not run (e.g. an unknown id).
    """
    from tracker.language import label_language
    from tracker.repository import default_as_of
    from tracker.status_view import StatusSettings, execute

    if sum(x is not None for x in (target, unit, task)) > 1:
        raise click.UsageError("--target、--unit、--task 只能选一个 (choose one of them).")
    settings = StatusSettings(
        root=root, as_of=as_of or default_as_of(root, max_bytes), fmt=fmt, lang=label_language(lang, root, max_bytes),
        target=target, unit=unit, task=task, since=since, color=color, width=width,
        max_bytes=max_bytes,
    )
    execute(settings, streams())
