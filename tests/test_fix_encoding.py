"""`tracker fix-encoding` writes only when the conversion is certain (issue 11, item 10).

Certain means: the bytes decode strictly in the encoding found and encode back to the same
bytes, the text has no NUL or other control character, and tracker's YAML loader reads the
result as a mapping. Anything else is refused with exit 1 and the file is left byte for byte
as it was (no temporary file either).
"""

from __future__ import annotations

import os
import struct
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from tracker.cli import cli
from tracker.yamlio import load_file

TEXT = "unit: west\nperiod: 2024-Q2\ntargets:\n  stations:\n    value: 2\n    note: 新建服务站\n"


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    ihdr = struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"".join(b"\x00" + b"\x10\x80\xf0" * 4 for _ in range(4)))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def _fix(*files: Path):
    return CliRunner().invoke(cli, ["fix-encoding", *map(str, files)])


def _refused(tmp_path: Path, name: str, data: bytes) -> str:
    file = tmp_path / name
    file.write_bytes(data)
    before = os.stat(file)
    result = _fix(file)
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert file.read_bytes() == data  # byte for byte
    assert os.stat(file).st_mtime_ns == before.st_mtime_ns
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]  # no temporary file left
    return result.output


def test_a_utf8_file_with_one_stray_nul_is_not_turned_into_mojibake(tmp_path):
    data = TEXT.replace("新建", "新\0建").encode("utf-8")
    data += b"" if len(data) % 2 == 0 else b"\n"  # even: it would decode as UTF-16 (mojibake)
    output = _refused(tmp_path, "2024-Q2.yaml", data)
    assert "NUL" in output
    # validate's own message says where the NUL is, and no longer suggests fix-encoding.
    _, problems = load_file(tmp_path / "2024-Q2.yaml", "2024-Q2.yaml")
    assert [(p.rule, p.line) for p in problems] == [("encoding-invalid", 6)]
    assert "NUL" in problems[0].message and "fix-encoding" not in problems[0].hint


@pytest.mark.parametrize("odd", [False, True])
def test_a_png_is_not_rewritten(tmp_path, odd):
    _refused(tmp_path, "photo.yaml", _png() + (b"\0" if odd else b""))


def test_gbk_text_that_is_not_yaml_is_not_converted(tmp_path):
    # Decodes as GB18030 (almost anything does) but is not a YAML mapping: not certain.
    output = _refused(tmp_path, "notes.yaml", "新建服务站: [未闭合\n".encode("gbk"))
    assert "YAML" in output


def test_utf16_that_decodes_to_control_characters_is_refused(tmp_path):
    _refused(tmp_path, "f.yaml", b"\xff\xfe" + "unit: west\n\x01\x02".encode("utf-16-le"))


def test_one_refusal_does_not_stop_the_other_files(tmp_path):
    good = tmp_path / "good.yaml"
    good.write_bytes(TEXT.encode("gbk"))
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(_png())
    result = _fix(bad, good)
    assert result.exit_code == 1
    assert good.read_text("utf-8") == TEXT and bad.read_bytes() == _png()


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-16", "utf-16-le", "utf-16-be"])
def test_real_gbk_and_utf16_files_are_still_converted(tmp_path, encoding):
    file = tmp_path / "f.yaml"
    file.write_bytes(TEXT.encode(encoding))
    result = _fix(file)
    assert result.exit_code == 0, result.output
    assert file.read_text("utf-8") == TEXT
    assert load_file(file, "f.yaml")[1] == []
