"""One reporter per output format, chosen by name (`REPORTERS` also feeds click.Choice).

Machine formats (json, github, junit) are written as UTF-8 bytes whatever the console's
encoding, because their readers expect UTF-8; the text format goes through the console and
uses only characters that a Chinese-locale (GBK) Windows console can show. In every format a
byte of a file name that is not UTF-8 is shown as `\xff` (tracker.diagnostics.escape_undecodable).
"""

from __future__ import annotations

import re
import sys
from typing import IO

from tracker import jsonfmt
from tracker.diagnostics import Diagnostic, Report, Severity, escape_undecodable
from tracker.text import BIDI, BOM, C1, SEPARATORS


def _location(d: Diagnostic) -> str:
    if d.line:
        return f"{d.path}:{d.line}:{d.column}"
    return d.path


# C0/C1 controls (ESC starts terminal sequences, a line break would start a line of its own in
# a CI log: `::error::` is a GitHub workflow command), bidi overrides and line separators.
_UNPRINTABLE = re.compile(f"[\x00-\x08\x0a-\x1f{C1}{SEPARATORS}{BIDI}{BOM}]")


def printable(text: str) -> str:
    """Text for a terminal or a log: control and bidi characters shown as escapes (\\x1b, \\n).

    File names, paths and values in messages come from the repository; they must not be able to
    move the cursor, set the window title, hide text or start a new log line. A byte of a file
    name that is not UTF-8 is shown as \\xff, as in every format."""
    return _UNPRINTABLE.sub(lambda m: ascii(m.group())[1:-1], escape_undecodable(text))


class TextReporter:
    """`path:line:col: error: message [rule]` lines, coloured on a terminal.

    Rich is loaded only when there is colour to draw: in CI logs and pipes the same lines are
    written directly (and start-up stays fast for `tracker check` on every pull request).
    """

    name = "text"

    def __init__(self, color: bool | None = None) -> None:
        self.color = color

    def _lines(self, report: Report) -> list[tuple[str, str, str, str, str]]:
        return [
            (printable(_location(d)), "error" if d.severity is Severity.ERROR else "warning",
             printable(d.message), d.rule, printable(d.hint))
            for d in report.sorted()
        ]

    def _summary(self, report: Report) -> tuple[str, str]:
        errors, warnings, files = len(report.errors), len(report.warnings), len(report.files)
        if errors or warnings:
            head = "未通过" if errors else "通过(有警告)"
            return head, f"{errors} 个错误 errors, {warnings} 个警告 warnings, 检查了 {files} 个文件 files"
        return "通过 OK", f"检查了 {files} 个文件 files, 没有发现问题"

    def render(self, report: Report, out: IO[str] | None = None) -> None:
        stream = out or sys.stdout
        if self.color is False or (self.color is None and not _wants_color(stream)):
            self._render_plain(report, stream)
        else:
            self._render_rich(report, stream)

    def _render_plain(self, report: Report, stream: IO[str]) -> None:
        lines = []
        for location, word, message, rule, hint in self._lines(report):
            lines.append(f"{location}: {word}: {message} [{rule}]")
            if hint:
                lines.append(f"    提示 hint: {hint}")
        head, rest = self._summary(report)
        lines.append(f"{head}: {rest}")
        stream.write("\n".join(lines) + "\n")
        stream.flush()

    def _render_rich(self, report: Report, stream: IO[str]) -> None:
        from rich.console import Console
        from rich.markup import escape as esc

        console = Console(file=stream, highlight=False, soft_wrap=True,
                          force_terminal=True if self.color else None)
        for location, word, message, rule, hint in self._lines(report):
            style = "bold red" if word == "error" else "yellow"
            console.print(
                f"[bold]{esc(location)}[/]: [{style}]{word}[/]: {esc(message)} [dim]\\[{rule}][/]"
            )
            if hint:
                console.print(f"    [cyan]提示 hint:[/] {esc(hint)}")
        head, rest = self._summary(report)
        colour = "bold red" if report.errors else ("bold yellow" if report.warnings else "bold green")
        console.print(f"[{colour}]{head}[/]: {rest}")


def _wants_color(stream: IO[str]) -> bool:
    import os

    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


class JsonReporter:
    name = "json"

    def render(self, report: Report, out: IO[bytes] | None = None) -> None:
        payload = {
            "ok": not report.errors,
            "errors": len(report.errors),
            "warnings": len(report.warnings),
            "files": sorted(escape_undecodable(f) for f in report.files),
            "diagnostics": [d.as_dict() for d in report.sorted()],
        }
        _write(jsonfmt.dumps(payload), out)


def _gh_data(text: str) -> str:
    return escape_undecodable(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_prop(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


class GithubReporter:
    """GitHub Actions workflow commands: one annotation per diagnostic."""

    name = "github"

    def render(self, report: Report, out: IO[bytes] | None = None) -> None:
        lines = []
        for d in report.sorted():
            level = "error" if d.severity is Severity.ERROR else "warning"
            # Shown as in the text format: no ESC, BEL or bidi override from a file's name or
            # content reaches the CI log (only the hint's own line break is encoded as %0A).
            props = [f"file={_gh_prop(printable(d.path))}"]
            if d.line:
                props += [f"line={d.line}", f"col={d.column}"]
            props.append(f"title={_gh_prop(d.rule)}")
            body = printable(d.message) + (f"\n提示: {printable(d.hint)}" if d.hint else "")
            lines.append(f"::{level} {','.join(props)}::{_gh_data(body)}")
        lines.append(
            f"tracker: {len(report.errors)} errors, {len(report.warnings)} warnings, "
            f"{len(report.files)} files"
        )
        _write("\n".join(lines) + "\n", out)


class JunitReporter:
    """JUnit XML with one test case per file checked (what GitLab shows in merge requests)."""

    name = "junit"

    def render(self, report: Report, out: IO[bytes] | None = None) -> None:
        from xml.sax.saxutils import escape, quoteattr  # pulls in urllib: load only when used

        by_file: dict[str, list[Diagnostic]] = {f: [] for f in report.files}
        for d in report.sorted():
            by_file.setdefault(d.path, []).append(d)
        failures = sum(
            1 for items in by_file.values() if any(d.severity is Severity.ERROR for d in items)
        )
        parts = [
            '<?xml version="1.0" encoding="UTF-8"?>',
            f'<testsuites name="tracker" tests="{len(by_file)}" failures="{failures}">',
            f'  <testsuite name="tracker validate" tests="{len(by_file)}" failures="{failures}" '
            'errors="0" skipped="0">',
        ]
        for path in sorted(by_file):
            items = by_file[path]
            errors = [d for d in items if d.severity is Severity.ERROR]
            warnings = [d for d in items if d.severity is Severity.WARNING]
            parts.append(f"    <testcase classname=\"tracker.validate\" name={quoteattr(_clean(path))}>")
            if errors:
                text = "\n".join(f"{_location(d)}: {d.message} [{d.rule}] {d.hint}" for d in errors)
                parts.append(
                    f"      <failure message={quoteattr(_clean(errors[0].message))} "
                    f"type={quoteattr(errors[0].rule)}>{escape(_clean(text))}</failure>"
                )
            if warnings:
                text = "\n".join(f"{_location(d)}: warning: {d.message} [{d.rule}]" for d in warnings)
                parts.append(f"      <system-out>{escape(_clean(text))}</system-out>")
            parts.append("    </testcase>")
        parts += ["  </testsuite>", "</testsuites>"]
        _write("\n".join(parts) + "\n", out)


def _clean(text: str) -> str:
    """Drop characters XML 1.0 cannot carry (a filing may contain control characters)."""
    return "".join(
        c for c in escape_undecodable(text) if c in "\t\n\r" or ("\x20" <= c <= "\ud7ff") or ("\ue000" <= c <= "\ufffd")
        or c >= "\U00010000"
    )


def _write(text: str, out: IO[bytes] | None) -> None:
    stream = out or sys.stdout.buffer
    stream.write(text.encode("utf-8"))
    stream.flush()


REPORTERS = {
    "text": TextReporter,
    "json": JsonReporter,
    "github": GithubReporter,
    "junit": JunitReporter,
}
