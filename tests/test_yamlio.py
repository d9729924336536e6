"""The YAML loader: encodings, YAML traps, marks, limits — same behaviour with either parser."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tracker import yamlio
from tracker.encoding import convert_to_utf8
from tracker.yamlio import load_file, parse_text

TEXT = "unit: west\nnote: 新建服务站\n"


def rules(problems):
    return [p.rule for p in problems]


@pytest.fixture(params=["c", "python"])
def parser(request, monkeypatch):
    """Run a test with PyYAML's C parser and again with the pure-Python one."""
    if request.param == "c":
        if not yamlio.HAVE_C_LOADER:
            pytest.fail("PyYAML was built without libyaml; the fast loader is expected here")
        monkeypatch.setattr(yamlio, "_FastLoader", yaml.CSafeLoader)
    else:
        monkeypatch.setattr(yamlio, "_FastLoader", yaml.SafeLoader)
    return request.param


def write(tmp_path: Path, data: bytes) -> Path:
    p = tmp_path / "f.yaml"
    p.write_bytes(data)
    return p


@pytest.mark.parametrize(
    ("data", "rule", "line"),
    [
        (TEXT.encode("gbk"), "encoding-gbk", 2),
        (TEXT.encode("gb18030"), "encoding-gbk", 2),
        (TEXT.encode("utf-16"), "encoding-utf16", 1),
        (TEXT.encode("utf-16-le"), "encoding-utf16", 1),
        (b"unit: west\nnote: \xff\xfe\xfd\n", "encoding-invalid", 2),
    ],
    ids=["gbk", "gb18030", "utf16-bom", "utf16-le-no-bom", "garbage"],
)
def test_other_encodings_are_rejected_with_their_name_and_the_fix(tmp_path, data, rule, line):
    doc, problems = load_file(write(tmp_path, data), "f.yaml")
    assert doc is None
    assert rules(problems) == [rule]
    assert problems[0].line == line
    if rule != "encoding-invalid":
        assert "tracker fix-encoding f.yaml" in problems[0].hint
        assert "UTF-8" in problems[0].message


def test_utf8_with_bom_is_read(tmp_path, parser):
    doc, problems = load_file(write(tmp_path, b"\xef\xbb\xbf" + TEXT.encode()), "f.yaml")
    assert problems == []
    assert doc.data == {"unit": "west", "note": "新建服务站"}


def test_fix_encoding_converts_gbk_and_utf16_atomically(tmp_path):
    for enc in ("gbk", "utf-16"):
        p = write(tmp_path, TEXT.encode(enc))
        result = convert_to_utf8(p)
        assert result.changed
        assert p.read_text("utf-8") == TEXT
        assert load_file(p, "f.yaml")[1] == []
        assert [x.name for x in tmp_path.iterdir()] == ["f.yaml"]  # no temporary file left
    assert not convert_to_utf8(p).changed


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: NO", "NO"), ("a: no", "no"), ("a: on", "on"), ("a: Off", "Off"), ("a: y", "y"),
        ("a: 010", "010"), ("a: 0o17", "0o17"), ("a: 0x1F", "0x1F"), ("a: 12:30", "12:30"),
        ("a: 2024-06-30", "2024-06-30"), ("a: 1_000", "1_000"), ("a: .inf", ".inf"),
        ("a: 3.10", 3.1), ("a: 10", 10), ("a: -3", -3), ("a: 0", 0), ("a: 2.5", 2.5),
        ("a: true", True), ("a: false", False), ("a: ~", None), ("a: null", None), ("a:", None),
        ('a: "010"', "010"), ("a: '3.10'", "3.10"),
    ],
)
def test_plain_scalars_follow_yaml_1_2_and_never_convert_surprisingly(text, expected, parser):
    doc, problems = parse_text(text + "\n", "f.yaml")
    assert problems == []
    assert doc.data["a"] == expected and type(doc.data["a"]) is type(expected)


@pytest.mark.parametrize(
    ("text", "rule", "line", "column"),
    [
        ("a: 1\nb: 2\na: 3\n", "yaml-duplicate-key", 3, 1),
        ("a:\n  x: 1\n  x: 2\n", "yaml-duplicate-key", 3, 3),
        ("a: &anchor 1\n", "yaml-anchor", 1, 4),
        ("a: &x [1]\nb: *x\n", "yaml-anchor", 1, 4),
        ("a: !!python/object:os.system ls\n", "yaml-tag", 1, 4),
        ("a: !custom 1\n", "yaml-tag", 1, 4),
        ("1.10: x\n", "yaml-key-type", 1, 1),
        ("tasks:\n  3.10: x\n", "yaml-key-type", 2, 3),
        ("true: x\n", "yaml-key-type", 1, 1),
        ("? [a, b]\n: x\n", "yaml-key-type", 1, 3),
        ("a: 1\n---\nb: 2\n", "yaml-multiple-documents", 2, 1),
        ("a: [1, 2\n", "yaml-syntax", 2, 1),
        ("a:\n\tb: 1\n", "yaml-syntax", 2, 1),
        ("a: 1\n b: 2\n", "yaml-syntax", 2, 3),
        ("名称: 测试\n  错: x\n", "yaml-syntax", 2, 4),
        ("# nothing\n", "yaml-empty", 1, 1),
    ],
)
def test_yaml_traps_are_errors_with_line_and_column(text, rule, line, column, parser):
    doc, problems = parse_text(text, "f.yaml")
    assert doc is None
    assert rules(problems)[0] == rule
    assert (problems[0].line, problems[0].column) == (line, column)
    assert problems[0].hint


def test_syntax_messages_are_the_same_with_either_parser(monkeypatch):
    broken = ["a: [1, 2\n", "a:\n\tb: 1\n", "a: 1\n b: 2\n", "a: 'x\n", "- a\nb: c\n"]
    messages = {}
    for name, loader in (("c", yaml.CSafeLoader), ("python", yaml.SafeLoader)):
        monkeypatch.setattr(yamlio, "_FastLoader", loader)
        messages[name] = [parse_text(t, "f.yaml")[1][0] for t in broken]
    assert messages["c"] == messages["python"]


def test_tab_indentation_gets_a_tab_hint():
    _, problems = parse_text("a:\n\tb: 1\n", "f.yaml")
    assert "Tab" in problems[0].hint


def test_every_node_keeps_line_and_column_even_after_chinese_text(parser):
    doc, _ = parse_text("标题: 中文标题\nitems:\n  - {code: \"1\", name: 某某村}\n", "f.yaml")
    assert doc.pos(("标题",)) == (1, 5)
    assert doc.pos(("items", 0, "name")) == (3, 23)
    assert doc.pos(("items", 0, "code"), key=True) == (3, 6)
    # An unknown path falls back to its nearest known parent.
    assert doc.pos(("items", 0, "missing")) == (3, 5)


def test_size_cap_is_checked_before_reading(tmp_path):
    p = write(tmp_path, b"a: 1\n" * 1000)
    doc, problems = load_file(p, "f.yaml", max_bytes=1024)
    assert doc is None and rules(problems) == ["file-too-large"]
    assert "5,000" in problems[0].message


def test_symlinked_file_is_not_followed(tmp_path):
    secret = tmp_path / "secret.yaml"
    secret.write_text("a: 1\n")
    link = tmp_path / "link.yaml"
    link.symlink_to(secret)
    doc, problems = load_file(link, "link.yaml")
    assert doc is None and rules(problems) == ["file-symlink"]


def test_a_billion_laughs_cannot_expand(tmp_path):
    bomb = 'a: &a ["x","x"]\nb: &b [*a,*a]\nc: &c [*b,*b]\n'
    doc, problems = parse_text(bomb, "f.yaml")
    assert doc is None and rules(problems) == ["yaml-anchor"]


def _every_yaml_file_shipped() -> list[Path]:
    root = Path(__file__).resolve().parent.parent
    return sorted(p for folder in ("plan", "examples", "tests/cases")
                  for p in (root / folder).rglob("*.yaml"))


def test_the_fast_pass_reads_every_shipped_file_as_the_marked_pass_does(parser):
    # Most files are read once without marks (the fast pass); a file is read with marks only
    # when something in it has to be described. Both passes must give the same data.
    files = _every_yaml_file_shipped()
    assert len(files) > 100
    for file in files:
        text, _ = yamlio.decode(file.read_bytes(), str(file))
        if text is None:
            continue  # an encoding case: never parsed
        try:
            fast = yamlio._run(text, str(file), track=False)[1]
        except yamlio._Retrack:
            fast = "retracked"
        except yamlio._Failed as failed:
            fast = ("failed", [p.rule for p in failed.problems])
        try:
            marked = yamlio._run(text, str(file), track=True)
            marked = "retracked" if marked[0].problems else marked[1]
        except yamlio._Failed as failed:
            marked = ("failed", [p.rule for p in failed.problems])
        if fast != "retracked":
            assert fast == marked, file


@pytest.mark.parametrize("text", [
    "a: &x 1\n", "a: !t 1\n", "a: 1\na: 2\n", "? [1]\n: x\n", "3.10: x\n", "a: [*x]\n",
    "- &a [1]\n", "a: !!str 1\n",
])
def test_the_fast_pass_hands_anything_unusual_to_the_marked_pass(text):
    with pytest.raises((yamlio._Retrack, yamlio._Failed)):
        yamlio._run(text, "f.yaml", track=False)
