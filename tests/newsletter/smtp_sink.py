"""A real SMTP server for the tests (aiosmtpd, in a thread) that keeps what it accepted."""

import threading
from collections import Counter
from dataclasses import dataclass

from aiosmtpd.controller import Controller

from tests.resilience.servers import free_port


@dataclass(frozen=True)
class Accepted:
    sender: str
    recipients: tuple[str, ...]
    raw: bytes


class RecordingSink:
    """Accepts every message but those to `refused`, counting sessions (EHLO) and copies.

    `pipelining` adds PIPELINING to the EHLO answer: aiosmtpd reads commands one line at a
    time, so pipelined commands are answered in order, as RFC 2920 asks.
    """

    def __init__(self, *, pipelining: bool = True, refused: frozenset[str] = frozenset()):
        self.pipelining = pipelining
        self.refused = refused
        self.accepted: list[Accepted] = []
        self.sessions = 0
        self._lock = threading.Lock()
        self.port = free_port()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    def __enter__(self):
        self._controller.start()
        return self

    def __exit__(self, *exc):
        self._controller.stop()

    def mailers(self) -> dict:
        return {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": self.port, "use_tls": False},
            }
        }

    def per_recipient(self) -> Counter:
        with self._lock:
            return Counter(address for message in self.accepted for address in message.recipients)

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        with self._lock:
            self.sessions += 1
        if self.pipelining:
            responses.insert(-1, "250-PIPELINING")
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 5.1.1 Boite inconnue"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            self.accepted.append(
                Accepted(
                    sender=envelope.mail_from,
                    recipients=tuple(envelope.rcpt_tos),
                    raw=envelope.original_content,
                )
            )
        return "250 OK"
