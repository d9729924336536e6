"""Where things are: the repository root inside the git repository, and what each path is."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tracker.model import Unit
from tracker.repository import display_path


@dataclass
class Where:
    """Paths: git's (toplevel-relative), the repository root's, and how diagnostics show them."""

    top: Path
    root: Path
    prefix: str  # root relative to top, "" when the same, with a trailing "/"
    plan_git: str | None  # the plan folder, toplevel-relative, None when outside the repository

    def rel(self, git_path: str) -> str | None:
        """Root-relative path, or None when the file is outside the root."""
        if not self.prefix:
            return git_path
        return git_path[len(self.prefix):] if git_path.startswith(self.prefix) else None

    def shown(self, git_path: str) -> str:
        return display_path(self.top / git_path)

    def is_plan(self, git_path: str) -> bool:
        if self.plan_git is not None and (git_path + "/").startswith(self.plan_git + "/"):
            return True
        return self.rel(git_path) == "tracker.yaml"


def kind_of(rel: str | None) -> str:
    if rel is None:
        return ""
    parts = rel.split("/")
    if parts[0] != "submissions" or not rel.endswith(".yaml"):
        return ""
    if len(parts) == 3:
        return "filing"
    if len(parts) == 4 and parts[2] == "registers":
        return "register"
    return ""


def unit_of(rel: str | None, units: dict[str, Unit]) -> str | None:
    if rel is None:
        return None
    parts = rel.split("/")
    if parts[0] == "submissions" and len(parts) >= 3:
        return parts[1]
    if parts[0] == "evidence" and len(parts) >= 3 and parts[1] in units:
        return parts[1]
    return None
