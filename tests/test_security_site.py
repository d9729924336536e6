"""Invisible and direction-changing characters from a filing or the plan never reach the public
site: NUL and other control characters, and the bidi overrides that make text read differently
from what it says (U+202E shows "exe.txt" as "txt.exe")."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from tests.conftest import copy_base
from tests.site_helpers import build
from tracker.site.escape import https_url

BAD = ("\x00", "\x1b", "\x07", "\u202e", "\u202d", "\u2066", "\u2069", "\x85")


def test_no_control_or_bidi_override_character_reaches_a_page(tmp_path: Path) -> None:
    root = copy_base(tmp_path / "repo")
    (root / "tracker.yaml").write_text('title: "站点\\u202e名称\\0"\n', "utf-8")
    file = root / "submissions/east/2024-Q2.yaml"
    text = file.read_text("utf-8")
    text = text.replace("summary: 新建一个服务站",
                        'summary: "新建\\0一个\\e[31m服务站\\a \\u202etxt.exe\\u202c \\u2066x\\u2069 \\N"')
    text = text.replace("problems: 用地紧张", 'problems: "用地\\u202d紧张"')
    text = text.replace("amendment_reason: 更正服务站数量", 'amendment_reason: "更正\\u202e数量"')
    file.write_text(text, "utf-8")
    out = tmp_path / "site"
    build(root, out, date(2024, 6, 30), provenance=False)
    for page in out.rglob("*.html"):
        html = page.read_text("utf-8")
        for ch in BAD:
            assert ch not in html, (page.name, repr(ch))
    index = json.loads((out / "search/search_index.json").read_text("utf-8"))
    for doc in index["docs"]:
        for ch in BAD:
            assert ch not in doc["title"] + doc["text"], (doc["location"], repr(ch))
    task = (out / "tasks/1.1.html").read_text("utf-8")
    assert "新建一个[31m服务站 txt.exe x" in task  # the words stay, the controls go


def test_a_url_with_a_bidi_override_is_not_a_link() -> None:
    assert https_url("https://example.org/\u202efdp.exe") is None
    assert https_url("https://example.org/\u2066x") is None
