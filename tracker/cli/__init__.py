"""The command-line layer: options → a settings object → one library call.

One module per command (tracker.cli.<command>); shared options live in tracker.cli.options.
Nothing here computes anything.
"""

from __future__ import annotations

import errno
import gc
import os
import signal
import stat
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click

from tracker import __version__
from tracker.errors import EXIT_OK, EXIT_USAGE

HELP = """tracker: 规划即代码 —— 把实施方案作为 YAML 数据放在 git 中,校验报送、计算进度、生成审计网站。

\b
Plan-as-code: an implementation plan kept as schema-checked YAML in git.
Typical use, from the repository root (the folder that holds plan/). The ids are examples:
postal is a unit of the plan shipped with tracker; yours are in plan/units.yaml.
  tracker validate                 check every file (what CI runs on each pull request)
  tracker status                   where do we stand today, and who is behind?
  tracker status --unit postal     one unit's scorecard
  tracker build                    build the audit site into site/
  tracker new --unit postal --period 2025-Q1   start a filing
  tracker remind                   who must do what today (--send: DingTalk, WeCom, e-mail…)
  tracker report --period 2024-Q2  the quarterly 督办通报 as a Word document

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
    "review": "review_cmd",
    "remind": "remind_cmd",
    "report": "report_cmd",
    "check": "workflow_cmd",
    "codeowners": "workflow_cmd",
    "schema": "schema_cmd",
    "fix-encoding": "encoding_cmd",
}


# --- standard output closed early (`tracker status | head -3`) ---------------------------------
# The reader has all it wanted: not an error. Python's recipe (docs: signal, "Note on SIGPIPE"):
# catch the error, point stdout at devnull so the interpreter's last flush cannot fail, exit.
# tracker exits 0 (click alone would exit 1, and rich's Console exits 1 too).

# Windows has no SIGPIPE; its C runtime reports a write to a closed pipe as EINVAL (sometimes EPIPE).
PIPE_ERRNOS = (errno.EPIPE, errno.EINVAL) if os.name == "nt" else (errno.EPIPE,)


def stdout_closed(exc: BaseException | None) -> bool:
    """Is `exc` a write to standard output failing because its reader has gone?

    Not any EPIPE/EINVAL: an error of a file operation names its file (Windows says EINVAL for a
    bad path), and standard output itself must be a pipe whose reader is gone.
    """
    if not isinstance(exc, OSError) or exc.errno not in PIPE_ERRNOS or exc.filename is not None:
        return False
    try:
        fd = sys.stdout.fileno()
        mode = os.fstat(fd).st_mode
    except (AttributeError, OSError, ValueError):  # no stdout, or not a real file (tests)
        return False
    if not (stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)):
        return False
    try:
        import select

        poller = select.poll()
    except (ImportError, AttributeError):  # Windows: a pipe that failed with EINVAL/EPIPE
        return True
    poller.register(fd, select.POLLOUT)
    # A pipe without a reader polls as POLLERR (Linux) or POLLHUP (BSD, macOS).
    return any(events & (select.POLLERR | select.POLLHUP) for _, events in poller.poll(0))


def discard_stdout() -> None:
    """Point the standard output's file descriptor at devnull: later flushes go nowhere, quietly."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, sys.stdout.fileno())
        finally:
            os.close(devnull)
    except (AttributeError, OSError, ValueError):
        pass


class OtherPipeError(Exception):
    """An EPIPE not from standard output (a child process gone), carried past click.

    Click (standalone mode) exits 1 without a word on any EPIPE; main() reports this one.
    """

    def __init__(self, error: OSError) -> None:
        super().__init__(error)
        self.error = error


@contextmanager
def closed_stdout_exits_quietly() -> Iterator[None]:
    """Turn a closed standard output into a quiet exit 0, before click sees it.

    Click (standalone mode) would catch the EPIPE itself and exit 1; rich's Console catches it,
    points stdout at devnull and raises SystemExit(1). Both become click's Exit(0).
    """
    try:
        yield
    except OSError as exc:
        if not stdout_closed(exc):
            if exc.errno == errno.EPIPE:
                raise OtherPipeError(exc) from exc
            raise
        discard_stdout()
        raise click.exceptions.Exit(_verdict) from None
    except SystemExit as exc:
        # rich.console.Console.on_broken_pipe: raised while handling the BrokenPipeError;
        # stdout already points at devnull.
        cause = exc.__context__
        if not (isinstance(cause, BrokenPipeError) and cause.filename is None):
            raise
        discard_stdout()
        raise click.exceptions.Exit(_verdict) from None


_verdict = EXIT_OK  # the exit code a command that stops printing early still owes (verdict())


def verdict(code: int) -> None:
    """Called by a command that knows its outcome before it prints (validate, check): a reader
    that stops reading (`| head`) ends the output, not the outcome — "problems found" stays 1."""
    global _verdict
    _verdict = code


# --- interrupted: Ctrl-C (SIGINT) and SIGTERM (what CI sends to cancel a job) ---------------
# Both unwind the command like an exception, so every `finally` and `with` on the way out runs:
# a build removes its temporary folder, `tracker new` its temporary file. Then the process ends
# by that same signal (main(), on POSIX), as Python does for a Ctrl-C nobody catches: the shell
# reports 130 for Ctrl-C and 143 for SIGTERM, never 1 (which says the data has errors), and a
# shell loop running tracker stops at Ctrl-C instead of going on to the next round. In-process
# callers (click's test runner) get Exit(128 + the signal's number) instead.


class Interrupted(KeyboardInterrupt):
    """SIGTERM, raised where the program is as Ctrl-C raises KeyboardInterrupt."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _interrupted(signum: int, frame: object) -> None:
    raise Interrupted(signum)


def interrupted_exit_code(exc: KeyboardInterrupt) -> int:
    return 128 + int(getattr(exc, "signum", signal.SIGINT))


_stopped_by = 0  # the signal that interrupted the command, once it has unwound


def _end_by(signum: int) -> None:
    """End this process by `signum` with its default action, after flushing what it printed.

    Not only the convention (a caller tells "stopped" from "failed" by how a child ended): with
    `python -m tracker`, CPython ends by SIGINT anyway if a KeyboardInterrupt ever passed out of
    an exec() or eval() of a string (dataclasses and namedtuples made while the signal landed),
    whatever exit code the program chose. Ending by the signal every time makes that moot."""
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):
            pass
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


class LazyGroup(click.Group):
    """A group whose commands are imported on first use (click's documented lazy pattern)."""

    def make_context(self, info_name: str | None, args: list[str],
                     parent: click.Context | None = None, **extra: Any) -> click.Context:
        with closed_stdout_exits_quietly():  # --help, --version
            return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: click.Context) -> Any:
        global _stopped_by
        verdict(EXIT_OK)
        _stopped_by = 0
        try:
            with closed_stdout_exits_quietly():  # the command, its --help and its output
                return super().invoke(ctx)
        except KeyboardInterrupt as exc:  # (click alone would say "Aborted!" and exit 1)
            _stopped_by = int(getattr(exc, "signum", signal.SIGINT))
            try:
                click.echo("\ntracker: 已中断 interrupted", err=True)
            except OSError:
                pass
            raise click.exceptions.Exit(interrupted_exit_code(exc)) from None

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(COMMANDS) | set(self.commands))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            __import__(f"tracker.cli.{COMMANDS[cmd_name]}")
            if _ONE_COMMAND_PROCESS:
                # Everything imported so far lives until the process ends: the cyclic garbage
                # collector need not walk it again and again (~10 % of `validate`; and a
                # forked helper shares those pages instead of copying them: tracker.background).
                gc.freeze()
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


_ONE_COMMAND_PROCESS = False  # set by main(): this process runs one command and ends


def main() -> None:
    """Console entry point: never a traceback unless --debug (or TRACKER_DEBUG=1)."""
    global _ONE_COMMAND_PROCESS
    _ONE_COMMAND_PROCESS = True
    if hasattr(signal, "SIGTERM") and signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _interrupted)
    for stream in (sys.stdout, sys.stderr):
        # A Chinese-locale Windows console may not encode every character: degrade, not crash.
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    debug = "--debug" in sys.argv[1:] or os.environ.get("TRACKER_DEBUG") == "1"
    try:
        try:
            cli.main(prog_name="tracker", standalone_mode=True)
        finally:
            # Flush here, not in the interpreter's shutdown, where a closed pipe cannot be handled
            # ("Exception ignored ... BrokenPipeError", exit 120).
            if sys.stdout is not None:
                sys.stdout.flush()
    except SystemExit:
        if _stopped_by and os.name == "posix":
            _end_by(_stopped_by)
        raise
    except (OSError, OtherPipeError) as caught:
        exc = caught.error if isinstance(caught, OtherPipeError) else caught
        if stdout_closed(exc):  # the reader of stdout has gone (`| head`), even with --debug
            discard_stdout()
            sys.exit(_verdict)
        # A file or folder the command reads or writes: the user's to fix (a workbook open in
        # Excel/WPS on Windows, a missing folder, no permission), not a fault to report.
        if debug:
            if caught is exc:
                raise
            raise exc from None
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
