"""The command-line layer: options → a settings object → one library call.

One module per command (tracker.cli.<command>); shared options live in tracker.cli.options.
Nothing here computes anything.
"""

from __future__ import annotations

import os
import sys

import click

from tracker import __version__
from tracker.errors import EXIT_USAGE

HELP = """tracker: 规划即代码 —— 把实施方案作为 YAML 数据放在 git 中,校验报送、计算进度、生成审计网站。

\b
Plan-as-code: an implementation plan kept as schema-checked YAML in git.
Typical use, from the repository root (the folder that holds plan/):
  tracker validate                 check every file (what CI runs on each pull request)
  tracker status                   where do we stand today, and who is behind?
  tracker status --unit east       one unit's scorecard
  tracker build                    build the audit site into site/
  tracker new --unit east --period 2025-Q1   start a filing

Exit codes: 0 fine, 1 the data has errors, 2 the command could not run.
"""


# Which module defines each command. Only the module of the command being run is imported:
# a command pays for its own imports only (`tracker check` runs on every pull request).
COMMANDS = {
    "validate": "validate_cmd",
    "status": "status_cmd",
    "explain": "explain_cmd",
    "export": "export_cmd",
    "build": "build_cmd",
    "serve": "build_cmd",
    "new": "filing_cmd",
    "amend": "filing_cmd",
    "import": "filing_cmd",
    "check": "workflow_cmd",
    "codeowners": "workflow_cmd",
    "schema": "schema_cmd",
    "fix-encoding": "encoding_cmd",
}


class LazyGroup(click.Group):
    """A group whose commands are imported on first use (click's documented lazy pattern)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(COMMANDS) | set(self.commands))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            __import__(f"tracker.cli.{COMMANDS[cmd_name]}")
        return self.commands.get(cmd_name)


@click.group(cls=LazyGroup, help=HELP,
             context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="tracker")
def cli() -> None:
    pass


def load_all_commands() -> None:
    """Import every command module (for documentation and tests that list the commands)."""
    for module in sorted(set(COMMANDS.values())):
        __import__(f"tracker.cli.{module}")


def main() -> None:
    """Console entry point: never a traceback unless --debug (or TRACKER_DEBUG=1)."""
    for stream in (sys.stdout, sys.stderr):
        # A Chinese-locale Windows console may not encode every character: degrade, not crash.
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    debug = "--debug" in sys.argv[1:] or os.environ.get("TRACKER_DEBUG") == "1"
    try:
        cli.main(prog_name="tracker", standalone_mode=True)
    except SystemExit:
        raise
    except OSError as exc:
        # A file or folder the command reads or writes: the user's to fix (a workbook open in
        # Excel/WPS on Windows, a missing folder, no permission), not a fault to report.
        if debug:
            raise
        names = " -> ".join(str(n) for n in (exc.filename, exc.filename2) if n)
        click.echo(
            f"Error: 无法读写文件 cannot read or write: {names or exc}"
            f" ({exc.strerror or type(exc).__name__})\n"
            "  提示 hint: 检查路径是否正确、文件夹是否存在、是否有权限；"
            "如果文件正在 Excel/WPS 中打开，请先关闭它再运行。",
            err=True,
        )
        sys.exit(EXIT_USAGE)
    except Exception as exc:  # an internal fault: exit 2, short message
        if debug:
            raise
        from tracker.reporters import printable

        # Short and printable: an exception's text may carry a whole field of a filing.
        detail = printable(str(exc))
        detail = detail if len(detail) <= 300 else detail[:300] + "…"
        click.echo(
            f"tracker: 内部错误 internal error: {type(exc).__name__}: {detail}\n"
            "  提示 hint: 加 --debug 重新运行可看到详细信息(traceback)，请把它附在问题报告中。",
            err=True,
        )
        sys.exit(EXIT_USAGE)
