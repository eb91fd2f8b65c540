"""The mailbox's SMTP side: just enough of RFC 5321 for smtplib (no STARTTLS, no AUTH), keeping what it
receives in memory. Nothing leaves the machine.
"""

from __future__ import annotations

import email
import email.policy
import itertools
import re
import socketserver
import threading
from collections import deque
from dataclasses import dataclass
from datetime import UTC, datetime

MAX_LINE = 1000  # RFC 5321's text line limit, with room for CRLF
MAX_MESSAGE = 1024 * 1024
ADDRESS = re.compile(r"<([^<>]*)>")


@dataclass(frozen=True)
class Received:
    """One message as the mailbox shows it."""

    id: int
    received_at: datetime
    mail_from: str
    recipients: tuple[str, ...]
    subject: str
    sender: str
    body: str


class Mailbox:
    """The messages received so far, newest first, at most `limit` of them."""

    def __init__(self, limit: int = 500) -> None:
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._messages: deque[Received] = deque(maxlen=limit)

    def add(self, raw: bytes, mail_from: str, recipients: list[str]) -> Received:
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        part = parsed.get_body(preferencelist=("plain", "html"))
        with self._lock:
            message = Received(next(self._ids), datetime.now(UTC), mail_from, tuple(recipients),
                               str(parsed.get("Subject", "")), str(parsed.get("From", "")),
                               part.get_content().replace("\r\n", "\n") if part is not None else "")
            self._messages.appendleft(message)
        return message

    def messages(self) -> list[Received]:
        with self._lock:
            return list(self._messages)

    def get(self, message_id: int) -> Received | None:
        return next((m for m in self.messages() if m.id == message_id), None)

    def clear(self) -> None:
        with self._lock:
            self._messages.clear()


class _SmtpHandler(socketserver.StreamRequestHandler):
    """One SMTP conversation."""

    timeout = 30

    def handle(self) -> None:
        self._reply("220 localhost Demarche mailbox ESMTP")
        mail_from, recipients = None, []
        while line := self.rfile.readline(MAX_LINE + 2):
            verb, _, argument = line.decode("utf-8", "replace").rstrip("\r\n").partition(" ")
            verb = verb.upper()
            if verb == "EHLO":
                self._reply("250-localhost", "250-8BITMIME", f"250-SIZE {MAX_MESSAGE}", "250 HELP")
            elif verb in ("HELO", "NOOP"):
                self._reply("250 OK")
            elif verb == "RSET":
                mail_from, recipients = None, []
                self._reply("250 OK")
            elif verb == "MAIL" and argument.upper().startswith("FROM:"):
                mail_from, recipients = _address(argument), []
                self._reply("250 OK")
            elif verb == "RCPT" and argument.upper().startswith("TO:"):
                if mail_from is None:
                    self._reply("503 MAIL first")
                    continue
                recipients.append(_address(argument))
                self._reply("250 OK")
            elif verb == "DATA":
                if not recipients:
                    self._reply("503 RCPT first")
                    continue
                self._data(mail_from or "", recipients)
                mail_from, recipients = None, []
            elif verb == "QUIT":
                self._reply("221 Bye")
                return
            else:
                self._reply("502 Command not implemented")

    def _data(self, mail_from: str, recipients: list[str]) -> None:
        self._reply("354 End data with <CR><LF>.<CR><LF>")
        lines, size = [], 0
        while (line := self.rfile.readline(MAX_LINE + 2)) and line.rstrip(b"\r\n") != b".":
            size += len(line)
            if size <= MAX_MESSAGE:
                lines.append(line[1:] if line.startswith(b"..") else line)  # dot-unstuffing (RFC 5321, transparency)
        if size > MAX_MESSAGE:
            self._reply("552 Message too big")
            return
        received = self.server.mailbox.add(b"".join(lines), mail_from, recipients)  # type: ignore[attr-defined]
        self._reply(f"250 OK queued as {received.id}")

    def _reply(self, *lines: str) -> None:
        self.wfile.write("".join(f"{line}\r\n" for line in lines).encode("ascii"))


def _address(argument: str) -> str:
    match = ADDRESS.search(argument)
    return match.group(1) if match else argument.split(":", 1)[1].strip()


class SmtpServer(socketserver.ThreadingTCPServer):
    """The SMTP side, in a daemon thread; stop() shuts it down."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, mailbox: Mailbox, host: str = "127.0.0.1", port: int = 1025) -> None:
        super().__init__((host, port), _SmtpHandler)
        self.mailbox = mailbox
        self.port = self.server_address[1]
        self._thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=f"smtp-{port}", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
        self._thread.join(timeout=5)
