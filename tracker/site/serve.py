"""`tracker serve`: build the site into a temporary folder and serve it on the local machine.

The temporary folder is removed however the server stops: Ctrl+C (SIGINT), `kill` (SIGTERM), a
closed terminal (SIGHUP). Python's default for SIGTERM ends the process without unwinding, which
left every stopped preview's site behind in the temp folder; here those signals unwind like
Ctrl+C does.

Text files are sent with `charset=utf-8`: an evidence `.md` or `.txt` in Chinese would
otherwise be shown in the browser's default encoding — mojibake on most machines.
"""

from __future__ import annotations

import functools
import http.server
import signal
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from types import FrameType
from typing import Any

from tracker.site.build import BuildSettings

TEMP_PREFIX = "tracker-serve-"
STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP")
                     if hasattr(signal, name))


class Stopped(Exception):
    """The server was asked to stop by a signal (it unwinds, so the temporary site is removed)."""


@dataclass
class ServeSettings:
    build: BuildSettings  # its `out` is ignored: the site goes into a temporary folder
    bind: str = "127.0.0.1"
    port: int = 8000


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, with the encoding of text named (every text file tracker writes is UTF-8,
    and evidence text is read as UTF-8 by validation's rules for filings too)."""

    def guess_type(self, path: str | Any) -> str:
        kind = super().guess_type(path)
        if kind.startswith("text/") and "charset=" not in kind:
            return f"{kind}; charset=utf-8"
        return kind


@contextmanager
def _signals_unwind() -> Iterator[None]:
    """SIGINT, SIGTERM and SIGHUP raise Stopped in the main thread, so `with` blocks clean up;
    after the first, further ones are ignored (a second Ctrl+C must not cut the cleanup short).
    The previous handlers come back after."""

    def stop(signum: int, frame: FrameType | None) -> None:
        for sig in previous:
            signal.signal(sig, signal.SIG_IGN)
        raise Stopped(signal.Signals(signum).name)

    previous: dict[int, Any] = {}
    try:
        for sig in (signal.SIGINT, *STOP_SIGNALS):
            previous[sig] = signal.signal(sig, stop)
    except ValueError:  # not the main thread: signals cannot be handled here
        pass
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def serve(settings: ServeSettings, build: Callable[[BuildSettings], object],
          announce: Callable[[str], None]) -> None:
    """Build with `build` into a temporary folder and serve it until a signal or Ctrl+C; the
    folder is gone when this returns."""
    try:
        with _signals_unwind(), tempfile.TemporaryDirectory(prefix=TEMP_PREFIX) as tmp:
            out = Path(tmp) / "site"
            build(replace(settings.build, out=out))
            handler = functools.partial(SiteHandler, directory=str(out))
            with http.server.ThreadingHTTPServer((settings.bind, settings.port), handler) as server:
                announce(f"http://{settings.bind}:{server.server_address[1]}/  (Ctrl+C 停止)")
                server.serve_forever()
    except (KeyboardInterrupt, Stopped):
        announce("已停止")
