"""Options shared by several commands, declared once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click

from tracker.yamlio import DEFAULT_MAX_BYTES

F = TypeVar("F", bound=Callable[..., Any])

MAX_FILE_SIZE_CAP = 2**40  # 1 TiB: no practical limit, and a number every platform can index


def root_option(f: F) -> F:
    f = click.option(
        "--root",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("."),
        show_default=True,
        help="仓库根目录(含 plan/ 或 tracker.yaml)。The repository root.",
    )(f)
    f = click.option(
        "--max-file-size",
        "max_bytes",
        type=click.IntRange(min=1024, max=MAX_FILE_SIZE_CAP),
        default=DEFAULT_MAX_BYTES,
        show_default=True,
        help="单个 YAML 文件的大小上限(字节，1024 到 2^40)。Size cap per YAML file, in bytes.",
    )(f)
    return debug_option(f)


def debug_option(f: F) -> F:
    return click.option(
        "--debug", is_flag=True, help="出错时显示 traceback。Show tracebacks for internal errors."
    )(f)


class DateParam(click.ParamType):
    name = "DATE"

    def convert(self, value: Any, param: Any, ctx: Any) -> date:
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            if str(value).startswith("0000-"):
                self.fail(f"{value!r} 不是日期：公历没有 0000 年(年份从 0001 开始)，"
                          "请写成 YYYY-MM-DD，例如 2024-06-30", param, ctx)
            self.fail(f"{value!r} 不是日期：请写成 YYYY-MM-DD，例如 2024-06-30", param, ctx)


def as_of_option(f: F) -> F:
    return click.option(
        "--as-of",
        type=DateParam(),
        default=None,
        help="计算截至哪一天的状态(默认今天;tracker.yaml 写有 as_of 时为那一天)。"
             "Compute status as of this date (default: tracker.yaml's as_of, else today).",
    )(f)
