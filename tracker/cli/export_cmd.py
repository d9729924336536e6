"""`tracker export --xlsx FILE`: the 督办台账 workbook."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from tracker.cli import cli
from tracker.cli.options import as_of_option, root_option


@cli.command()
@click.option("--xlsx", "xlsx", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="写入的 Excel 文件(.xlsx)。The workbook to write.")
@root_option
@as_of_option
def export(xlsx: Path, root: Path, max_bytes: int, debug: bool, as_of: date | None) -> None:
    """导出督办台账 Export the 督办台账 workbook (.xlsx).

    \b
    Sheets 指标 (targets), 任务 (tasks), 报送 (filings), 指数 (index) and 说明 (legend),
    with the same figures as `tracker status --format json`, a frozen header row and
    红黄绿 lights. The file is replaced atomically.

    Example:  tracker export --xlsx 台账.xlsx --as-of 2024-06-30
    """
    # Imported here: openpyxl (and the numpy it pulls in) would slow every tracker command.
    from tracker.repository import default_as_of
    from tracker.xlsx_export import ExportSettings, execute_export

    path = execute_export(
        ExportSettings(root=root, xlsx=xlsx, as_of=as_of or default_as_of(root, max_bytes), max_bytes=max_bytes),
        sys.stderr,
    )
    click.echo(f"已写入 written: {path}", err=True)
