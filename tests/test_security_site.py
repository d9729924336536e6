"""Invisible and direction-changing characters from a filing or the plan never reach the public
site: NUL and other control characters, and the bidi overrides that make text read differently
from what it says (U+202E shows "exe.txt" as "txt.exe")."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tests.conftest import copy_base
from tests.site_helpers import build, search_index
from tracker.site.escape import https_url

BAD = ("\x00", "\x1b", "\x07", "\u202e", "\u202d", "\u2066", "\u2069", "\x85",
       "\u061c", "\u200e", "\u200f", "\ufeff")  # (and the marks: ALM, LRM, RLM; a BOM)


def test_no_control_or_bidi_override_character_reaches_a_page(tmp_path: Path) -> None:
    root = copy_base(tmp_path / "repo")
    (root / "tracker.yaml").write_text('title: "站点\\u202e名称\\0"\n', "utf-8")
    file = root / "submissions/east/2024-Q2.yaml"
    text = file.read_text("utf-8")
    text = text.replace("summary: 新建一个服务站",
                        'summary: "新建\\0一个\\e[31m服务站\\a \\u202etxt.exe\\u202c \\u2066x\\u2069 \\N"')
    text = text.replace("problems: 用地紧张",
                        'problems: "用地\\u202d紧张\\u061c \\u200e左\\u200f右\\ufeff"')
    text = text.replace("amendment_reason: 更正服务站数量", 'amendment_reason: "更正\\u202e数量"')
    file.write_text(text, "utf-8")
    out = tmp_path / "site"
    build(root, out, date(2024, 6, 30), provenance=False)
    for page in out.rglob("*.html"):
        html = page.read_text("utf-8")
        for ch in BAD:
            assert ch not in html, (page.name, repr(ch))
    for doc in search_index(out)[1]:
        for ch in BAD:
            assert ch not in doc["title"] + doc["text"], (doc["location"], repr(ch))
    task = (out / "tasks/1.1.html").read_text("utf-8")
    assert "新建一个[31m服务站 txt.exe x" in task  # the words stay, the controls go


def test_a_url_with_a_bidi_override_is_not_a_link() -> None:
    assert https_url("https://example.org/\u202efdp.exe") is None
    assert https_url("https://example.org/\u2066x") is None


def test_a_file_name_cannot_forge_the_provenance_of_the_next_file() -> None:
    # The site's ledger read `git log` split at 0x1e: a file name holding 0x1e and 0x1f made
    # the files after it "added" by whatever commit, author and date the name spelled out.
    from tracker.provenance import parse_log

    forged = "submissions/west/0\x1edeadbeef\x1fEast Editor\x1feast@x\x1f2020-01-01T00:00:00+08:00"
    out = ("\x1e" + "c" * 40 + "\x1fWest Editor\x1fwest@x\x1f2024-10-05T10:00:00+08:00\x00\n"
           f"A\x00{forged}\x00A\x00submissions/west/2024-Q3.yaml\x00")
    files = parse_log(out)
    real = files["submissions/west/2024-Q3.yaml"].added
    assert real is not None
    assert (real.sha, real.author, real.email) == ("c" * 40, "West Editor", "west@x")
    assert forged in files
