"""`tracker build` and `tracker serve`: the audit site."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from tracker.cli import cli
from tracker.cli.options import as_of_option, root_option
from tracker.site.build import DEFAULT_ENGINE, ENGINES, BuildSettings, SiteDataErrors, execute
from tracker.site.build import engine as backend_of


def _progress(message: str) -> None:
    click.echo(f"tracker build: {message}", err=True)


def _run(settings: BuildSettings) -> None:
    try:
        result = execute(settings)
    except SiteDataErrors as exc:
        from tracker.reporters import TextReporter

        TextReporter().render(exc.report, sys.stderr)
        raise
    for warning in result.warnings:
        click.echo(f"tracker build: 警告 warning: {warning}", err=True)
    name = backend_of(result.engine).NAME
    click.echo(
        f"tracker build: 用时 {result.total_seconds:.1f} 秒"
        f"({name} {result.seconds.get('render', 0):.1f} 秒)",
        err=True,
    )


def engine_option(f):  # type: ignore[no-untyped-def]
    return click.option(
        "--engine", type=click.Choice(list(ENGINES)), default=DEFAULT_ENGINE,
        show_default=True, envvar="TRACKER_ENGINE", show_envvar=True,
        help="网站生成器:mkdocs(默认)或 zensical(可选依赖,pip install 'tracker[zensical]')。"
             "Site generator.",
    )(f)


@cli.command()
@root_option
@click.option(
    "--out", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="网站输出目录(默认 <root>/site)。Output folder (default: <root>/site).",
)
@as_of_option
@click.option(
    "--no-provenance", is_flag=True,
    help="不读取 git 历史(不显示每份报送的录入/修订提交)。Skip git provenance.",
)
@click.option(
    "--no-archive", is_flag=True,
    help="不生成各期末快照(archive/<期次>/)。Skip the snapshots of past period ends.",
)
@engine_option
def build(
    root: Path, max_bytes: int, out: Path | None, as_of: date | None, no_provenance: bool,
    no_archive: bool, engine: str, debug: bool,
) -> None:
    """生成审计网站 Build the audit site (static HTML, works offline).

    \b
    Pages: the 督办 overview (unit × target matrix, red and yellow list, due soon, awaiting
    review, filings, changes since the previous period end), one page per target, task and
    unit, the filings ledger with git provenance and every filing's text, the methodology,
    the status as JSON/CSV/XLSX downloads, and a snapshot of every past period end.
    The site is built into a temporary folder and swapped in only when complete: a failed
    or interrupted build (Ctrl-C, SIGTERM) leaves the previous site untouched and removes its
    temporary folder. One build at a time per output folder: a second one refuses (exit 2).

    \b
    Examples:
      tracker build
      tracker build --root examples/demo --as-of 2024-06-30
      tracker build --out /srv/www/tracker --no-provenance
      tracker build --no-archive
      tracker build --engine zensical

    Exit codes: 0 built, 1 the data has errors (nothing built), 2 could not run (or another
    build of the same output is running), 130 interrupted by Ctrl-C, 143 by SIGTERM.
    """
    _run(BuildSettings(root, out, as_of, not no_provenance, max_bytes, _progress,
                       archive=not no_archive, engine=engine))


@cli.command()
@root_option
@as_of_option
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="端口(0 = 任选空闲端口)。Port (0 picks a free one).")
@click.option("--bind", default="127.0.0.1", show_default=True,
              help="监听地址;0.0.0.0 允许局域网访问。Address to listen on.")
@click.option("--no-provenance", is_flag=True, help="不读取 git 历史。Skip git provenance.")
@click.option("--no-archive", is_flag=True,
              help="不生成各期末快照(预览更快)。Skip the snapshots of past period ends.")
@engine_option
def serve(
    root: Path, max_bytes: int, as_of: date | None, port: int, bind: str, no_provenance: bool,
    no_archive: bool, engine: str, debug: bool,
) -> None:
    """本地预览网站 Build the site into a temporary folder and serve it (Ctrl+C to stop).

    \b
    Examples:
      tracker serve
      tracker serve --root examples/demo --as-of 2024-06-30 --port 8001
    """
    from tracker.site.serve import ServeSettings
    from tracker.site.serve import serve as serve_site

    serve_site(
        ServeSettings(BuildSettings(root, None, as_of, not no_provenance, max_bytes, _progress,
                                    archive=not no_archive, engine=engine),
                      bind, port),
        build=_run, announce=lambda message: click.echo(f"tracker serve: {message}", err=True),
    )
