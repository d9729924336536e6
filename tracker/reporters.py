"""One reporter per output format, chosen by name (`REPORTERS` also feeds click.Choice).

Machine formats (json, github, junit) are written as UTF-8 bytes whatever the console's
encoding, because their readers expect UTF-8; the text format goes through the console and
uses only characters that a Chinese-locale (GBK) Windows console can show.
"""

from __future__ import annotations

import json
import sys
from typing import IO
from xml.sax.saxutils import escape, quoteattr

from tracker.diagnostics import Diagnostic, Report, Severity


def _location(d: Diagnostic) -> str:
    if d.line:
        return f"{d.path}:{d.line}:{d.column}"
    return d.path


class TextReporter:
    name = "text"

    def __init__(self, color: bool | None = None) -> None:
        self.color = color

    def render(self, report: Report, out: IO[str] | None = None) -> None:
        from rich.console import Console
        from rich.markup import escape as esc

        console = Console(
            file=out or sys.stdout, highlight=False, soft_wrap=True,
            no_color=None if self.color is None else not self.color,
            force_terminal=self.color if self.color else None,
        )
        for d in report.sorted():
            style = "bold red" if d.severity is Severity.ERROR else "yellow"
            word = "error" if d.severity is Severity.ERROR else "warning"
            console.print(
                f"[bold]{esc(_location(d))}[/]: [{style}]{word}[/]: {esc(d.message)} "
                f"[dim]\\[{d.rule}][/]"
            )
            if d.hint:
                console.print(f"    [cyan]提示 hint:[/] {esc(d.hint)}")
        errors, warnings = len(report.errors), len(report.warnings)
        files = len(report.files)
        if errors or warnings:
            console.print(
                f"[bold]{'未通过' if errors else '通过(有警告)'}[/]: {errors} 个错误 errors, "
                f"{warnings} 个警告 warnings, 检查了 {files} 个文件 files"
            )
        else:
            console.print(f"[bold green]通过 OK[/]: 检查了 {files} 个文件 files, 没有发现问题")


class JsonReporter:
    name = "json"

    def render(self, report: Report, out: IO[bytes] | None = None) -> None:
        payload = {
            "ok": not report.errors,
            "errors": len(report.errors),
            "warnings": len(report.warnings),
            "files": sorted(report.files),
            "diagnostics": [d.as_dict() for d in report.sorted()],
        }
        _write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", out)


def _gh_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_prop(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


class GithubReporter:
    """GitHub Actions workflow commands: one annotation per diagnostic."""

    name = "github"

    def render(self, report: Report, out: IO[bytes] | None = None) -> None:
        lines = []
        for d in report.sorted():
            level = "error" if d.severity is Severity.ERROR else "warning"
            props = [f"file={_gh_prop(d.path)}"]
            if d.line:
                props += [f"line={d.line}", f"col={d.column}"]
            props.append(f"title={_gh_prop(d.rule)}")
            body = d.message + (f"\n提示: {d.hint}" if d.hint else "")
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
            parts.append(f"    <testcase classname=\"tracker.validate\" name={quoteattr(path)}>")
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
        c for c in text if c in "\t\n\r" or ("\x20" <= c <= "\ud7ff") or ("\ue000" <= c <= "\ufffd")
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
