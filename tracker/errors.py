"""The one error hierarchy of tracker.

Exit codes (SPEC): 0 fine, 1 the data has errors, 2 the command could not run.
Every user-facing error is a `click.ClickException` subclass so the CLI needs no try/except and
prints a message, never a traceback (unless --debug).
"""

from __future__ import annotations

import click

EXIT_OK = 0
EXIT_DATA = 1
EXIT_USAGE = 2


class TrackerError(click.ClickException):
    """The command could not run (exit 2)."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.hint = hint

    def format_message(self) -> str:
        if self.hint:
            return f"{self.message}\n  提示 hint: {self.hint}"
        return self.message


class NoRepository(TrackerError):
    """--root does not point at a tracker repository."""


class PlanUnusable(TrackerError):
    """The plan itself has errors, so nothing that depends on it can be computed."""

    exit_code = EXIT_DATA


class GitError(TrackerError):
    """A git operation the command needs failed (not a git repository, unknown ref, ...)."""


class DataErrors(TrackerError):
    """The data has errors (exit 1); the diagnostics were already printed."""

    exit_code = EXIT_DATA
