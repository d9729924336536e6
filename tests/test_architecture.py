"""The code keeps its rooms: what is read flows one way (files → model → status → checks →
loader → commands' libraries → outputs → cli) and nothing imports in a cycle.

The contracts are in pyproject.toml ([tool.importlinter]); import-linter checks them against
every import in tracker/, including those inside functions (not those only for type checking).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from importlinter.cli import EXIT_STATUS_SUCCESS, lint_imports

ROOT = Path(__file__).resolve().parent.parent


def test_the_layers_and_the_absence_of_cycles_hold(monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(ROOT)
    code = lint_imports(no_cache=True, no_logo=True)
    out = capsys.readouterr().out
    assert code == EXIT_STATUS_SUCCESS, out
    assert "2 kept, 0 broken" in out, out
