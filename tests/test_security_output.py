"""What a filing says never drives the terminal or the CI log that shows it.

Text output (validate/check/build problems, status tables) shows control characters as visible
escapes: no ANSI/OSC sequences (clear screen, window title, hyperlinks), no bidi overrides, no
line breaks that would start a line of their own (`::error::…` is a GitHub workflow command),
and no Rich markup read from data. JUnit XML stays well formed whatever a file is called.
"""

from __future__ import annotations

import json
import os
import xml.dom.minidom
from pathlib import Path

from click.testing import CliRunner

from tests.conftest import copy_base
from tracker.cli import cli

HOSTILE_PATH = "evidence/\x1b[2J\x1b]0;pwned\x07\u202eexe.txt\n::error file=x::forged"
UNSAFE = ("\x1b", "\x07", "\u202e", "\x00", "\x9b")


def _run(root: Path, *args: str, env: dict[str, str] | None = None):
    cwd = os.getcwd()
    os.chdir(root)
    try:
        return CliRunner().invoke(cli, list(args), env=env)
    finally:
        os.chdir(cwd)


def _repo(tmp_path: Path) -> Path:
    root = copy_base(tmp_path / "repo")
    file = root / "submissions/east/2024-Q2.yaml"
    text = file.read_text("utf-8").replace(
        "path: evidence/east/2024-Q2/photo.txt}\n      - {title: 新闻",
        f"path: {json.dumps(HOSTILE_PATH)}}}\n      - {{title: 新闻", 1)
    file.write_text(text, "utf-8")
    return root


def _clean(output: str) -> None:
    for bad in UNSAFE:
        assert bad not in output, repr(bad)
    for line in output.splitlines():
        assert not line.startswith("::"), line


def test_validate_text_shows_control_characters_as_escapes(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    for env in ({"NO_COLOR": "1"}, {"FORCE_COLOR": "1"}):
        result = _run(root, "validate", env=env)
        assert result.exit_code == 1
        if "NO_COLOR" in env:
            _clean(result.output)
        for bad in ("\x1b[2J", "\x1b]0;", "\x07", "\u202e"):
            assert bad not in result.output, repr(bad)
        assert not [line for line in result.output.splitlines() if line.startswith("::")]
        assert "\\x1b[2J" in result.output and "\\n::error file=x::forged" in result.output
        assert "\\u202e" in result.output


def test_a_file_name_with_a_line_break_stays_on_its_line(tmp_path: Path) -> None:
    root = copy_base(tmp_path / "repo")
    name = "2024-Q3\n::warning::x\x1b[31m.yaml"
    (root / "submissions/east" / name).write_text(
        (root / "submissions/east/2024-Q1.yaml").read_text("utf-8"), "utf-8")
    result = _run(root, "validate")
    assert result.exit_code == 1
    _clean(result.output)


def test_junit_is_well_formed_whatever_a_file_is_called(tmp_path: Path) -> None:
    root = copy_base(tmp_path / "repo")
    (root / "submissions/east/2024-Q3\x01\x1b.yaml").write_text("unit: [", "utf-8")
    result = _run(root, "validate", "--format", "junit")
    assert result.exit_code == 1
    xml.dom.minidom.parseString(result.stdout_bytes)


def test_status_tables_do_not_read_markup_or_escapes_from_filings(tmp_path: Path) -> None:
    root = copy_base(tmp_path / "repo")
    file = root / "submissions/east/2024-Q2.yaml"
    summary = "[link=https://evil.example/]点我[/link] [reverse]X[/reverse] \x1b]0;title\x07 \x1b[31mred"
    file.write_text(file.read_text("utf-8").replace(
        "summary: 新建一个服务站", f"summary: {json.dumps(summary)}"), "utf-8")
    for env in ({"NO_COLOR": "1"}, {"FORCE_COLOR": "1"}):
        result = _run(root, "status", "--task", "1.1", "--as-of", "2024-06-30", "--lang", "zh",
                      env=env)
        assert result.exit_code == 0, result.output
        if "NO_COLOR" in env:
            _clean(result.output)
        # Rich draws its own colours; nothing the filing wrote may become a sequence.
        for bad in ("\x1b]8;", "\x1b]0;", "\x1b[31mred", "\x07", "\x1b[7m"):
            assert bad not in result.output, repr(bad)
        assert "[link=" in result.output  # shown as the characters it is


def test_an_internal_error_message_is_short_and_printable(tmp_path: Path, monkeypatch, capsys) -> None:
    # An exception's text can carry a whole filing (openpyxl put a 200 KB summary in its
    # message): the one-line report stays short and shows control characters as escapes.
    import sys

    import pytest

    import tracker.validate
    from tracker.cli import main

    def boom(*_a, **_k):
        raise ValueError("\x1b]0;pwned\x07" + "很长" * 100000)

    monkeypatch.setattr(tracker.validate, "load", boom)
    monkeypatch.setattr(sys, "argv", ["tracker", "validate", "--root", str(copy_base(tmp_path / "r"))])
    monkeypatch.delenv("TRACKER_DEBUG", raising=False)
    with pytest.raises(SystemExit) as exit_info:
        main()
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "内部错误 internal error: ValueError" in err and "Traceback" not in err
    assert len(err) < 1000
    assert "\x1b" not in err and "\x07" not in err


def test_a_file_name_that_is_not_utf8_is_shown_escaped_in_every_format(tmp_path: Path) -> None:
    """Linux file names are bytes: `2024-Q3\\xff.yaml` reaches Python as a lone surrogate,
    which no UTF-8 writer accepts. Every format shows the byte as \\xff and runs to the end."""
    root = copy_base(tmp_path / "repo")
    raw = os.fsencode(root / "submissions/east") + b"/2024-Q3\xff.yaml"
    with open(raw, "wb") as handle:
        handle.write((root / "submissions/east/2024-Q1.yaml").read_bytes())
    with open(os.fsencode(root / "submissions/east") + b"/notes\xfe.txt", "wb") as handle:
        handle.write(b"x")
    shown = "submissions/east/2024-Q3\\xff.yaml"
    for fmt in ("text", "json", "github", "junit"):
        result = _run(root, "validate", "--format", fmt, env={"NO_COLOR": "1"})
        assert result.exit_code == 1, (fmt, result.output)
        out = result.stdout_bytes.decode("utf-8")  # strict: valid UTF-8 whatever the name
        assert "\ufffd" not in out and "2024-Q3?.yaml" not in out, fmt
        if fmt == "json":
            payload = json.loads(out)
            assert shown in payload["files"]
            assert {d["rule"] for d in payload["diagnostics"]
                    if d["path"] == shown} == {"filing-period-mismatch"}
            assert any("notes\\xfe.txt" in d["path"] for d in payload["diagnostics"])
            continue
        assert shown in out and "notes\\xfe.txt" in out, (fmt, out)
        if fmt == "junit":
            xml.dom.minidom.parseString(result.stdout_bytes)


def test_github_annotations_show_control_characters_as_escapes(tmp_path: Path) -> None:
    # The text format showed them as escapes; the github format wrote ESC, BEL and U+202E from
    # an evidence path into the CI log as they were (only % and line breaks were encoded).
    result = _run(_repo(tmp_path), "validate", "--format", "github")
    assert result.exit_code == 1
    out = result.stdout_bytes.decode("utf-8")
    for bad in UNSAFE:
        assert bad not in out, repr(bad)
    assert len([line for line in out.splitlines() if line.startswith("::")]) == 1, out
    assert "\\x1b[2J" in out and "\\u202e" in out and "\\n::error file=x::forged" in out


def test_plan_names_in_status_and_explain_are_text(tmp_path: Path) -> None:
    # Table cells were safe; the headings, table titles and explain's lines printed the plan's
    # names as they were: ESC sequences reached the terminal, and an index title in a table
    # title was read as Rich markup (a terminal hyperlink under FORCE_COLOR).
    root = copy_base(tmp_path / "repo")
    evil = "[link=https://evil.example/]点我[/link][reverse]X[/reverse]\x1b]0;t\x07\x1b[2J\u202eY"
    for rel, old in (("plan/targets.yaml", "title: 村级服务站"), ("plan/targets.yaml", "title: 示范指数"),
                     ("plan/tasks.yaml", "title: 建设服务站"), ("plan/tasks.yaml", "section: 基础设施"),
                     ("plan/tasks.yaml", "title: 示范实施方案"), ("plan/units.yaml", "short: 东区")):
        file = root / rel
        key = old.split(":")[0]
        file.write_text(file.read_text("utf-8").replace(old, f"{key}: {json.dumps(old + evil)}", 1),
                        "utf-8")
    (root / "tracker.yaml").write_text(f"title: {json.dumps('督办' + evil)}\n", "utf-8")
    runs = [("status",), ("status", "--target", "stations"), ("status", "--unit", "east"),
            ("status", "--task", "1.1"), ("status", "--since", "2024-03-31"),
            ("explain", "stations"), ("explain", "stations", "--unit", "east")]
    for args in runs:
        for env in ({"NO_COLOR": "1"}, {"FORCE_COLOR": "1"}):
            result = _run(root, *args, "--as-of", "2024-06-30", "--lang", "zh", env=env)
            assert result.exit_code == 0, (args, result.output)
            if "NO_COLOR" in env:
                _clean(result.output)
            for bad in ("\x1b]8;", "\x1b]0;", "\x1b[2J", "\x07", "\x1b[7m", "\u202e"):
                assert bad not in result.output, (args, env, repr(bad))
            assert "[link=https://evil.example/]" in result.output, (args, result.output)
