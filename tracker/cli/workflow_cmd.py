"""`tracker check` (pull requests) and `tracker codeowners`."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import click

from tracker.cli import cli, verdict
from tracker.cli.options import as_of_option, root_option
from tracker.errors import EXIT_DATA, EXIT_OK

FORMATS = ["text", "json", "github", "junit"]  # tracker.reporters.REPORTERS, without importing it


@cli.command("check")
@click.option("--base", "base", required=True, metavar="REF",
              help="合并目标分支，例如 origin/main。The branch the pull request goes into.")
@root_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="输出格式(同 validate)。Output format, as for validate.")
@click.option("--require-signed", is_flag=True,
              help="要求每个提交都有作者本人密钥的可验证签名(git verify-commit)。"
                   "Require verified signatures by each commit's author.")
@as_of_option
@click.option("--strict", is_flag=True, help="把警告也当作错误。Treat warnings as errors.")
@click.option("--markdown", "markdown_out", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="把结果和状态变化写成 Markdown 文件(用于合并请求评论)。")
@click.option("--no-status", is_flag=True, help="不计算状态变化。Skip the status delta.")
@click.option("--delta", "delta_mode", type=click.Choice(["auto", "full", "units"]),
              default="auto", show_default=True,
              help="状态变化的范围：full 读取每个单位的最新报送(含全市合计、任务、排名)；units 只算"
                   "改动的单位；auto 在单位不超过 200 个时用 full。What the status delta reads: "
                   "every unit (full), the changed units only (units), or full up to 200 units.")
def check_command(base: str, root: Path, max_bytes: int, fmt: str, require_signed: bool,
                  as_of: date | None, strict: bool, markdown_out: Path | None, no_status: bool,
                  delta_mode: str, debug: bool) -> None:
    """检查合并请求 Check a pull request against its base branch.

    \b
    Judges the net change BASE...HEAD: validates only the changed files (and every
    cross-file rule they touch), and enforces who may change what (each changed path, for
    each commit that changed it, a merge for its own resolution) and what may change:
      auth-unit-editor      submissions/<unit>/, evidence/<unit>/ changed by a non-editor
      auth-plan-maintainer  any other path (plan, reviews/, CI, ...) changed by a non-maintainer
      path-form             a path under submissions/ or evidence/ tracker would not read,
                            or one differing only by case from another
      path-encoding         a file name that is not UTF-8
      path-file-type        a symlink or submodule under submissions/ or evidence/
      immutable-edit        a merged filing's text changed (a comment too) without
                            revision + 1 and a reason, or a new filing whose revision is not 1
      immutable-delete      a merged filing or register deleted or renamed
      immutable-review      a merged 销号 decision (reviews/) edited or removed
      immutable-evidence    evidence a merged filing cites replaced, deleted or renamed
                            without an amendment of a filing that cites it
      timeliness-future     a new filing's reported_on after today (plan's time zone),
                            or its period not begun yet
      timeliness-backdated  a new filing's reported_on before its first commit
      git-shallow           the clone lacks the history to compare (use fetch-depth: 0)
      git-outdated          a path the base branch also changed since the branch started
                            (merge BASE in first)
      git-merge-base        a criss-cross merge: several merge bases (merge BASE in first)
    then shows how status (as of today, or --as-of) moves, as Markdown: after the problems in
    text format, in the --markdown file, and appended to $GITHUB_STEP_SUMMARY when that is set
    (GitHub Actions). Where it is shown nowhere (json/junit without those) it is not computed.
    City totals, tasks and index ranks need every unit's latest filing: --delta auto reads them
    up to 200 unit folders; above that the delta shows the changed units' own rows, and its
    cost follows the pull request, not the repository (--delta full reads them all anyway).

    \b
    Examples:
      tracker check --base origin/main
      tracker check --base origin/${{ github.base_ref }} --format github   # GitHub Actions
      tracker check --base origin/$CI_MERGE_REQUEST_TARGET_BRANCH_NAME --format junit > check.xml

    Exit codes: 0 passed, 1 problems found, 2 could not run (not a git repository, an unknown
    --base, ...).
    """
    from tracker.gate import context as check_context

    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    # The status delta is Markdown for people: computed only where it will be shown.
    status = (fmt == "text" or markdown_out is not None or bool(summary)) and not no_status
    day = as_of or date.today()  # once: a run that crosses midnight compares on one day
    every_unit = status and check_context.reads_every_unit(root, delta_mode)
    context = check_context.start(root, day, max_bytes) if every_unit else None
    try:
        from tracker.gate.check import CheckSettings, run_check
        from tracker.gate.report import check_markdown
        from tracker.reporters import REPORTERS, TextReporter

        result = run_check(CheckSettings(root, base, require_signed, day, strict, max_bytes,
                                         status=status, every_unit=every_unit),
                           context=context)
    finally:
        if context is not None:
            context.close()
    verdict(EXIT_DATA if result.report.failed() else EXIT_OK)
    # Files first: a reader of stdout that stops early (| head) must not cost the PR comment.
    markdown = check_markdown(result)
    if markdown_out is not None:
        markdown_out.write_text(markdown, encoding="utf-8")
    if summary:
        with open(summary, "a", encoding="utf-8") as handle:
            handle.write(markdown + "\n")
    reporter = TextReporter() if fmt == "text" else REPORTERS[fmt]()
    reporter.render(result.report)
    if fmt == "text" and result.delta_markdown:
        click.echo("")
        click.echo(result.delta_markdown.rstrip())
    if result.report.failed():
        raise SystemExit(EXIT_DATA)


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
    Everything (*) is owned by the maintainers, then submissions/<unit>/ and evidence/<unit>/
    by the unit's editors (the last matching line wins), as tracker check enforces.
    Only a marked block is written; other lines are kept.
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
            verdict(EXIT_DATA)
            TextReporter().render(report)
            raise SystemExit(EXIT_DATA)
        click.echo(f"{display_path(target)} 与 plan/units.yaml 一致。")
        return
    if target is None:
        click.echo(block, nl=False)
        return
    from tracker.atomic import atomic_write

    existing = target.read_text("utf-8-sig") if target.is_file() else None
    atomic_write(target, co.merge_block(existing, block).encode("utf-8"), exclusive=False)
    click.echo(f"已写入 {display_path(target)}")
