"""`tracker serve` (issue 15.10): text evidence is sent as UTF-8, and the temporary site is
removed however the server is stopped. A real server in a subprocess, fetched with urllib."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(os.name == "nt", reason="POSIX signals")

NOTE = "现场照片说明：东区服务站已投用。\n"


def add_markdown_evidence(root: Path) -> None:
    folder = root / "evidence/east/2024-Q2"
    (folder / "photo.txt").write_text(NOTE, "utf-8")
    (folder / "notes.md").write_text(f"# 验收说明\n\n{NOTE}", "utf-8")
    filing = root / "submissions/east/2024-Q2.yaml"
    filing.write_text(filing.read_text("utf-8").replace(
        "      - {title: 新闻报道,",
        "      - {title: 验收说明, path: evidence/east/2024-Q2/notes.md}\n      - {title: 新闻报道,"),
        "utf-8")


def start(root: Path, temp: Path) -> tuple[subprocess.Popen[str], threading.Thread, str]:
    env = {**os.environ, "TMPDIR": str(temp), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "tracker", "serve", "--bind", "127.0.0.1", "--port", "0",
         "--no-provenance", "--as-of", "2024-07-31"],
        cwd=root, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    lines: queue.Queue[str] = queue.Queue()

    def read() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            lines.put(line)
        lines.put("")

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    seen = []
    while True:
        line = lines.get(timeout=120)
        seen.append(line)
        found = re.search(r"(http://127\.0\.0\.1:\d+/)", line)
        if found:
            return proc, reader, found.group(1)
        if not line:
            raise AssertionError("tracker serve ended before serving:\n" + "".join(seen))


def fetch(url: str) -> tuple[str, bytes]:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.headers["Content-Type"], response.read()


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_serve_sends_text_as_utf8_and_leaves_no_temporary_folder(base_repo: Path, tmp_path: Path,
                                                                  stop: signal.Signals):
    add_markdown_evidence(base_repo)
    temp = tmp_path / "tmp"
    temp.mkdir()
    proc, reader, url = start(base_repo, temp)
    try:
        assert len(list(temp.glob("tracker-serve-*"))) == 1  # the site being served
        kind, body = fetch(url + "repo/evidence/east/2024-Q2/photo.txt")
        assert kind == "text/plain; charset=utf-8"
        assert body.decode("utf-8") == NOTE
        kind, body = fetch(url + "repo/evidence/east/2024-Q2/notes.md")
        assert kind == "text/markdown; charset=utf-8"
        assert NOTE in body.decode("utf-8")
        kind, _ = fetch(url)
        assert kind.startswith("text/html")
    finally:
        proc.send_signal(stop)
        code = proc.wait(timeout=60)
        reader.join(timeout=10)
        assert proc.stderr is not None
        proc.stderr.close()
    assert code == 0
    assert list(temp.glob("tracker-*")) == []  # the temporary site is gone (jieba's cache stays)
