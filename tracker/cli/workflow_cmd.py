"""`tracker codeowners` (and, next, `tracker check` for pull requests)."""

from __future__ import annotations

from pathlib import Path

import click

from tracker.cli import cli
from tracker.cli.options import root_option
from tracker.errors import EXIT_DATA


@cli.command("codeowners")
@root_option
@click.option("--format", "fmt", type=click.Choice(["github", "gitlab", "gitee"]),
              default="github", show_default=True, help="代码托管平台。The hosting platform.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="写入的文件(默认只打印)。The file to write (default: print it).")
@click.option("--check", "check_only", is_flag=True,
              help="只检查已提交的文件是否最新(不一致时退出码 1)。Check, do not write.")
def codeowners_command(root: Path, max_bytes: int, fmt: str, out: Path | None,
                       check_only: bool, debug: bool) -> None:
    """生成 CODEOWNERS Generate CODEOWNERS from plan/units.yaml.

    \b
    submissions/<unit>/ and evidence/<unit>/ are owned by the unit's editors, the plan and
    tracker.yaml by the maintainers. Only a marked block is written; other lines are kept.
    Default locations for --check: .github/CODEOWNERS, .gitlab/CODEOWNERS, .gitee/CODEOWNERS.

    \b
    Examples:
      tracker codeowners --out .github/CODEOWNERS
      tracker codeowners --format gitlab --out .gitlab/CODEOWNERS
      tracker codeowners --format gitee --check
    """
    from tracker import codeowners as co
    from tracker.errors import TrackerError
    from tracker.reporters import TextReporter
    from tracker.repository import Scope, display_path, find_plan_dir, load

    loaded = load(root, max_bytes=max_bytes, scope=Scope(files=set()))
    if loaded.repo is None:
        raise TrackerError("计划文件有错误，无法生成 CODEOWNERS",
                           hint="先运行 tracker validate 改正 plan/ 中的错误。")
    plan = loaded.repo.plan
    plan_dir = find_plan_dir(root, loaded.repo.config)
    block = co.generate_block(plan, fmt, co.git_prefix(root), co.plan_pattern(root, plan_dir))
    target = out or (root / co.DEFAULT_OUT[fmt] if check_only else None)
    if check_only:
        assert target is not None
        if not target.is_file():
            raise TrackerError(f"找不到 {display_path(target)}",
                               hint=f"运行 tracker codeowners --format {fmt} --out {display_path(target)}")
        merged = co.merge_block(target.read_text("utf-8-sig"), block)
        if merged != target.read_text("utf-8-sig").replace("\r\n", "\n"):
            from tracker.diagnostics import Report, diag

            report = Report([diag(display_path(target), None, "codeowners-outdated",
                                  f"{display_path(target)} 与 plan/units.yaml 不一致",
                                  hint=f"运行 tracker codeowners --format {fmt} --out "
                                       f"{display_path(target)} 重新生成并提交。")],
                            [display_path(target)])
            TextReporter().render(report)
            raise SystemExit(EXIT_DATA)
        click.echo(f"{display_path(target)} 与 plan/units.yaml 一致。")
        return
    if target is None:
        click.echo(block, nl=False)
        return
    from tracker.scaffold import atomic_write

    existing = target.read_text("utf-8-sig") if target.is_file() else None
    atomic_write(target, co.merge_block(existing, block).encode("utf-8"), exclusive=False)
    click.echo(f"已写入 {display_path(target)}")
