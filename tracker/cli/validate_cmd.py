from __future__ import annotations

from pathlib import Path

import click

from tracker.cli import cli, verdict
from tracker.cli.options import root_option
from tracker.errors import EXIT_DATA, EXIT_OK
from tracker.reporters import REPORTERS, TextReporter
from tracker.validate import ValidateSettings, run_validate


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@root_option
@click.option(
    "--format", "fmt", type=click.Choice(list(REPORTERS)), default="text", show_default=True,
    help="输出格式：text 给人看；json 给程序；github 为 GitHub Actions 注释；junit 为 JUnit XML(GitLab)。",
)
@click.option("--strict", is_flag=True, help="把警告也当作错误(退出码 1)。Treat warnings as errors.")
@click.option("--color/--no-color", default=None, help="强制开/关颜色(默认自动，遵守 NO_COLOR)。")
def validate(
    paths: tuple[Path, ...], root: Path, max_bytes: int, fmt: str, strict: bool,
    color: bool | None, debug: bool,
) -> None:
    """校验报送文件和计划 Check the plan and every filing.

    \b
    Without PATHS, checks the whole repository. With PATHS (files inside the repository),
    checks those files and every cross-file rule they take part in.
    Every problem is printed, as  path:line:col: error: message [rule-id]  with a hint.

    \b
    Examples:
      tracker validate
      tracker validate submissions/postal/2024-Q2.yaml
      tracker validate --format github          # in GitHub Actions
      tracker validate --format junit > report.xml
      tracker validate --root examples/demo --strict

    Exit codes: 0 valid, 1 the data has errors (or warnings with --strict), 2 could not run.
    """
    _, report = run_validate(ValidateSettings(root, list(paths), strict, max_bytes))
    reporter = TextReporter(color) if fmt == "text" else REPORTERS[fmt]()
    verdict(EXIT_DATA if report.failed() else EXIT_OK)
    reporter.render(report)
    if report.failed():
        raise SystemExit(EXIT_DATA)
