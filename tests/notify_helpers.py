"""Local servers that receive what `tracker remind --send` sends: an HTTP server for Apprise's
json:// and an SMTP server (aiosmtpd) for mailto://, both on 127.0.0.1 at free ports."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Inbox:
    """What one server received: JSON posts by path, or e-mails by recipient."""

    posts: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    mails: list[tuple[list[str], EmailMessage]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def to(self, path: str) -> list[dict[str, Any]]:
        with self.lock:
            return [body for p, body in self.posts if p == path]

    def mail_to(self, address: str) -> list[EmailMessage]:
        with self.lock:
            return [m for rcpt, m in self.mails if address in rcpt]


@contextmanager
def json_server(status: int = 200) -> Iterator[tuple[str, Inbox]]:
    """An HTTP server recording every JSON POST; yields its base URL for json:// and the inbox."""
    inbox = Inbox()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length).decode("utf-8"))
            with inbox.lock:
                inbox.posts.append((self.path, body))
            self.send_response(status)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"json://127.0.0.1:{server.server_address[1]}", inbox
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def smtp_server() -> Iterator[tuple[int, Inbox]]:
    """An SMTP server (aiosmtpd) recording every message; yields its port and the inbox."""
    from aiosmtpd.controller import Controller

    inbox = Inbox()

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
            msg = message_from_bytes(envelope.content, policy=policy.default)
            with inbox.lock:
                inbox.mails.append((list(envelope.rcpt_tos), msg))  # type: ignore[arg-type]
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller.port, inbox
    finally:
        controller.stop()


def mail_text(msg: EmailMessage) -> str:
    part = msg.get_body(("plain", "html"))
    assert part is not None
    return str(part.get_content())
