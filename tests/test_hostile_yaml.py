"""Hostile YAML costs time in proportion to its size, never more (issue 11, item 8).

libyaml (PyYAML's C parser) reads everything; the pure-Python parser, which words syntax
errors the same on every machine, reads ~0.2 MB a second and takes quadratic time in the depth
of nested [ and {. These tests assert what is read, not how long it takes (timings:
benchmarks/bench_hostile.py).
"""

from __future__ import annotations

import pytest
import yaml

from tracker import yamlio
from tracker.yamlio import parse_text

pytestmark = pytest.mark.skipif(not yamlio.HAVE_C_LOADER, reason="libyaml is expected here")


@pytest.fixture
def python_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The length of every text the pure-Python parser is given."""
    reads: list[int] = []
    real = yaml.parse

    def spy(stream, Loader=yaml.Loader):  # noqa: N803 - PyYAML's own argument name
        reads.append(len(stream))
        return real(stream, Loader=Loader)

    monkeypatch.setattr(yaml, "parse", spy)
    return reads


@pytest.mark.parametrize(("text", "shallow"), [
    # 40 KB: 53 s before (the pure-Python parser re-read it, to word libyaml's nesting error)
    ("[" * 20000 + "]" * 20000, "[" * 200 + "]" * 200),
    ("a: " + "{b: " * 5000 + "1" + "}" * 5000 + "\n", "a: " + "{b: " * 200 + "1" + "}" * 200 + "\n"),
    ("a: " + "[" * 1500 + "\n", "a: " + "[" * 200 + "\n"),  # unclosed as well
])
def test_nesting_past_libyamls_limit_is_too_deep_without_the_python_parser(
        text, shallow, python_reads):
    doc, problems = parse_text(text, "f.yaml")
    assert doc is None
    assert [p.rule for p in problems] == ["yaml-too-deep"]
    assert python_reads == []
    # Where the 65th level opens, as in a file nested less deeply than libyaml's own limit
    # of 1,000 levels (which tracker's builder reads itself).
    assert problems == parse_text(shallow, "f.yaml")[1]


def test_nesting_on_the_line_of_a_syntax_error_is_too_deep(python_reads):
    # libyaml reads a line ahead: the syntax error comes before the builder sees the nesting.
    text = "a: 1\nb: " + "[" * 100 + "x: : y\n"
    _, problems = parse_text(text, "f.yaml")
    # The root mapping is the first level, the 64th [ the 65th.
    assert [(p.rule, p.line, p.column) for p in problems] == [("yaml-too-deep", 2, 4 + 63)]
    assert python_reads == []


def _register(items: int, broken_at: int) -> str:
    lines = ["unit: east", "target: stations", "items:"]
    for i in range(items):
        if i == broken_at:
            lines.append(f'  - code: "{i:09d}"\n    name: 第{i:05d}号服务站: 新\n    opened: 2024-01-15')
        else:
            lines.append(f'  - code: "{i:09d}"\n    name: 第{i:05d}号服务站\n    opened: 2024-01-15')
    return "\n".join(lines) + "\n"


def test_a_syntax_error_near_the_end_of_a_large_file_rereads_only_a_window(python_reads):
    # A small register with the same broken item is re-read whole, as before.
    small = parse_text(_register(10, 5), "f.yaml")[1]
    assert python_reads == [len(_register(10, 5))]
    python_reads.clear()
    text = _register(20000, 19990)  # ~1.1 MB; the error in the 19,991st item
    assert len(text) > 16 * yamlio.WINDOW_CHARS
    _, problems = parse_text(text, "f.yaml")
    assert [(p.rule, p.line, p.column, p.message) for p in problems] == [
        (p.rule, p.line + (19990 - 5) * 3, p.column, p.message) for p in small]
    assert small[0].message.startswith("YAML 格式错误，")  # the Chinese sentence first
    assert small[0].message.endswith("(parser: mapping values are not allowed here)")
    assert python_reads and sum(python_reads) <= 2 * yamlio.WINDOW_CHARS


def test_a_large_file_without_a_window_gets_libyamls_words(python_reads):
    # One flow list spanning the whole file: no entry of a block collection to start from.
    text = "items: [" + ", ".join(f'"{i}"' for i in range(30000)) + ", x: : y]\n"
    _, problems = parse_text(text, "f.yaml")
    assert [(p.rule, p.line) for p in problems] == [("yaml-syntax", 1)]
    assert sum(python_reads) <= 2 * yamlio.WINDOW_CHARS


BROKEN = [
    "a: [1, 2\n",
    "a:\n\tb: 1\n",
    "a: 1\n b: 2\n",
    "a: 'x\n",
    "- a\nb: c\n",
    "名称: 测试\n  错: x\n",
    "unit: west\ntargets:\n  stations:\n    value: 2\n    note: a: b\n",
    "unit: west\ntasks:\n  \"1.1\":\n    progress: done\n  \"1.2:\n    progress: x\n  \"1.3\":\n"
    "    summary: y\n",
    "unit: west\ntasks\n  1.1:\n    progress: in_progress\n",
    "items:\n  - code: \"1\"\n    name: x\n  - code: \"2\"\n   name: y\n",
    "items:\n  - {code: \"1\", name: x}\n  - {code: \"2\" name: y}\n",
    "a:\n  b:\n    c: 1\n   d: 2\n",
    "a:\n  - b: 1\n    c: [1, 2\n  - d\n",
    "a: |\n  text\n b: 1\n",
]


@pytest.mark.parametrize("text", BROKEN)
def test_a_window_is_worded_and_placed_as_the_whole_file(text, monkeypatch):
    whole = parse_text(text, "f.yaml")[1]
    monkeypatch.setattr(yamlio, "FULL_REPARSE_CHARS", 0)  # every file is "large"
    windowed = parse_text(text, "f.yaml")[1]
    assert [p.rule for p in whole] == ["yaml-syntax"]
    assert windowed == whole or windowed[0].message != whole[0].message and (
        windowed[0].line, windowed[0].column) == (whole[0].line, whole[0].column), (whole, windowed)
