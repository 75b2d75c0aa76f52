"""Copies of an issue assembled as bytes: one MIME build per variant, then a join per reader.

Python's email package builds each variant (the same articles, so the same text and HTML) once,
with short ASCII markers where a reader's own values go: the recipient and Message-ID, the
List-Unsubscribe URL, and the address, unsubscribe and preferences links of both bodies. The
bodies are quoted-printable, encoded here piece by piece: every static piece and every
reader's value starts on a line of its own (the pieces are joined by soft line breaks, which a
decoder removes), so a value is never split by the encoder's 76-column folding and never
changes how its neighbours are encoded. A copy is then a `bytes.join` of ready pieces.

Header values filled in per reader are ASCII (punycoded domain, hex token, URL-safe
signature), so they need no encoded-word; lines stay under RFC 5322's 998 octets.
"""

import binascii
import email.message
import email.parser
import email.policy
import secrets
import smtplib
from dataclasses import dataclass
from email.utils import format_datetime, parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.utils import timezone
from django.utils.encoding import punycode
from django.utils.html import escape

from actualites.mail import SMTP_POLICY

# A variant's text and HTML carry these names, each wrapped in the variant's own markers.
READER_VALUES = ("email", "unsubscribe_url", "preferences_url")

# CRLF line ends, 78-column folding for the shared headers, subjects as the site's others.
_POLICY = SMTP_POLICY


def _qp(data: bytes) -> bytes:
    """Quoted-printable with CRLF soft breaks (binascii uses LF when `data` has no CRLF)."""
    return binascii.b2a_qp(data, istext=True).replace(b"=\n", b"=\r\n")


def _qp_value(value: str) -> bytes:
    # A value sits on its own lines: a soft break after it rejoins it with what follows.
    return _qp(value.encode()) + b"=\r\n"


def _crlf(text: str) -> bytes:
    return text.replace("\r\n", "\n").replace("\n", "\r\n").encode()


@dataclass(frozen=True, slots=True)
class Copy:
    """One reader's copy: the exact bytes the SMTP server receives, and its envelope."""

    raw: bytes
    sender: str
    recipient: str

    def as_email(self) -> "ReceivedCopy":
        return ReceivedCopy(self)


class CopyTemplate:
    """One variant's message, built once, as static byte pieces and named reader slots."""

    def __init__(
        self,
        *,
        subject: str,
        text: str,
        html: str,
        markers: dict[str, str],
        list_unsubscribe: bool = True,
    ):
        """`markers` maps each of READER_VALUES to the marker put in `text` and `html`.

        `list_unsubscribe`: the RFC 8058 headers (not in a test copy, which is nobody's).
        """
        nonce = secrets.token_hex(8)
        header_slots = {name: f"ae{nonce}{name}" for name in ("to", "msgid", "listunsub")}
        body_slots = {"text": f"ae{nonce}textbody", "html": f"ae{nonce}htmlbody"}
        domain = urlsplit(settings.SITE_URL).hostname or "localhost"
        self.sender = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
        self.msgid_domain = punycode(domain)

        message = email.message.EmailMessage(policy=_POLICY)
        message["Subject"] = subject
        message["From"] = settings.DEFAULT_FROM_EMAIL
        message["To"] = f"{header_slots['to']}@adresse.invalid"
        message["Date"] = format_datetime(timezone.now())
        message["Message-ID"] = f"<{header_slots['msgid']}@adresse.invalid>"
        if list_unsubscribe:
            message["List-Unsubscribe"] = f"<{header_slots['listunsub']}>"
            message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        message.set_content(body_slots["text"], subtype="plain", cte="quoted-printable")
        message.add_alternative(body_slots["html"], subtype="html", cte="quoted-printable")
        skeleton = message.as_bytes()

        bodies = {
            "text": self._body(text, markers, prefix="text_"),
            "html": self._body(html, markers, prefix="html_"),
        }
        # Each slot of the skeleton replaced by its pieces: headers by one named slot each,
        # bodies (with the line end the email package put after the marker) by their pieces.
        replacements = {
            f"{header_slots['to']}@adresse.invalid".encode(): ["to"],
            f"{header_slots['msgid']}@adresse.invalid".encode(): ["msgid"],
            **(
                {header_slots["listunsub"].encode(): ["unsubscribe_header"]}
                if list_unsubscribe
                else {}
            ),
            f"{body_slots['text']}\r\n".encode(): bodies["text"],
            f"{body_slots['html']}\r\n".encode(): bodies["html"],
        }
        pieces: list[bytes | str] = [skeleton]
        for marker, replacement in replacements.items():
            expanded: list[bytes | str] = []
            for piece in pieces:
                if isinstance(piece, str) or marker not in piece:
                    expanded.append(piece)
                    continue
                before, found, after = piece.partition(marker)
                if marker in after:
                    raise ValueError(f"Marqueur en double dans la lettre : {marker!r}")
                expanded += [before, *replacement, after]
            if len(expanded) == len(pieces):
                raise ValueError(f"Marqueur introuvable dans la lettre : {marker!r}")
            pieces = expanded
        self.pieces = tuple(piece for piece in pieces if piece != b"")

    @staticmethod
    def _body(rendered: str, markers: dict[str, str], *, prefix: str) -> list[bytes | str]:
        """The body's quoted-printable pieces, with `prefix + name` where each value goes."""
        if not rendered.endswith("\n"):
            rendered += "\n"
        by_marker = {marker: prefix + name for name, marker in markers.items()}
        pieces: list[bytes | str] = []
        rest = rendered
        while True:
            found = [(rest.find(marker), marker) for marker in by_marker if marker in rest]
            if not found:
                break
            at, marker = min(found)
            pieces += [_qp(_crlf(rest[:at])) + b"=\r\n", by_marker[marker]]
            rest = rest[at + len(marker) :]
        pieces.append(_qp(_crlf(rest)))
        return pieces

    def fill(
        self, *, email: str, message_key: str, unsubscribe_url: str, preferences_url: str
    ) -> Copy:
        """The copy for one reader; `message_key` makes its Message-ID, the same on a retry."""
        local, _, domain = email.rpartition("@")
        recipient = f"{local}@{punycode(domain)}"
        values = {
            "to": recipient.encode(),
            "msgid": f"{message_key}@{self.msgid_domain}".encode(),
            "unsubscribe_header": unsubscribe_url.encode(),
            "text_email": _qp_value(email),
            "text_unsubscribe_url": _qp_value(unsubscribe_url),
            "text_preferences_url": _qp_value(preferences_url),
            "html_email": _qp_value(escape(email)),
            "html_unsubscribe_url": _qp_value(escape(unsubscribe_url)),
            "html_preferences_url": _qp_value(escape(preferences_url)),
        }
        raw = b"".join(values[p] if isinstance(p, str) else p for p in self.pieces)
        return Copy(raw=raw, sender=self.sender, recipient=recipient)


class _Verbatim(email.message.EmailMessage):
    """A parsed copy that serialises to the very bytes it was parsed from."""

    raw = b""

    def as_bytes(self, unixfrom=False, policy=None):
        return self.raw

    def as_string(self, unixfrom=False, maxheaderlen=0, policy=None):
        return self.raw.decode("ascii", "replace")


class ReceivedCopy(EmailMultiAlternatives):
    """A copy as the email package reads its bytes back, for Django's other mail backends.

    The file and console backends write the copy's exact bytes; the test outbox shows its
    subject, recipients, text and HTML as a mail client would decode them.
    """

    def __init__(self, copy: Copy):
        parsed = email.parser.BytesParser(policy=email.policy.default).parsebytes(copy.raw)
        super().__init__(
            subject=str(parsed["Subject"]),
            body=parsed.get_body(("plain",)).get_content(),
            from_email=str(parsed["From"]),
            to=[copy.recipient],
            headers={
                name: str(parsed[name])
                for name in ("Message-ID", "Date", "List-Unsubscribe", "List-Unsubscribe-Post")
                if name in parsed
            },
        )
        self.attach_alternative(parsed.get_body(("html",)).get_content(), "text/html")
        self.raw = copy.raw

    def message(self, *, policy=email.policy.default):
        parsed = email.parser.BytesParser(_class=_Verbatim, policy=policy).parsebytes(self.raw)
        parsed.raw = self.raw
        return parsed


# The SMTP server answered (refused this copy): the connection itself is still good.
_ANSWERED = (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused)


def _send_pipelined(smtp: smtplib.SMTP, copy: Copy) -> None:
    """One SMTP transaction in two round trips instead of four (PIPELINING, RFC 2920).

    MAIL, RCPT and DATA go in one write; the message follows only once DATA was answered
    354, as the RFC requires. Refusals raise smtplib's own exceptions, as sendmail() does.
    Sender and recipient are plain ASCII addresses (checked or punycoded before).
    """
    smtp.send(f"MAIL FROM:<{copy.sender}>\r\nRCPT TO:<{copy.recipient}>\r\nDATA\r\n".encode())
    (mail, mail_text), (rcpt, rcpt_text), (data, data_text) = (smtp.getreply() for _ in "123")
    if data == 354 and (mail != 250 or rcpt not in (250, 251)):
        # A server that took DATA anyway gets an empty message it will reject: no recipient.
        smtp.send(b".\r\n")
        smtp.getreply()
    if mail != 250:
        smtp.rset()
        raise smtplib.SMTPSenderRefused(mail, mail_text, copy.sender)
    if rcpt not in (250, 251):
        smtp.rset()
        raise smtplib.SMTPRecipientsRefused({copy.recipient: (rcpt, rcpt_text)})
    if data != 354:
        smtp.rset()
        raise smtplib.SMTPDataError(data, data_text)
    # Dot-stuffing (RFC 5321 4.5.2), as sendmail() does it: a line may start with a dot
    # (the first never does: it is a header). A copy ends with CRLF.
    smtp.send(copy.raw.replace(b"\n.", b"\n..") + b".\r\n")
    code, text = smtp.getreply()
    if code != 250:
        raise smtplib.SMTPDataError(code, text)


class Postman:
    """Sends copies over one mailer, keeping its SMTP connection open from copy to copy."""

    def __init__(self, mailer: BaseEmailBackend):
        self.mailer = mailer

    def __enter__(self):
        # Opened by the first copy: a sender that finds nothing left opens no connection.
        return self

    def __exit__(self, *exc):
        self.mailer.close()

    def send(self, copy: Copy) -> bool:
        """True once the server accepted the copy; raises with the server's refusal."""
        if not isinstance(self.mailer, SMTPBackend):
            return self.mailer.send_messages([copy.as_email()]) == 1
        # Django's SMTP backend would rebuild the message from an EmailMessage: hand the
        # ready bytes to its smtplib connection instead.
        if self.mailer.connection is None:
            self.mailer.open()
        smtp = self.mailer.connection
        try:
            smtp.ehlo_or_helo_if_needed()
            if smtp.has_extn("pipelining"):
                _send_pipelined(smtp, copy)
            else:
                smtp.sendmail(copy.sender, [copy.recipient], copy.raw)
        except _ANSWERED:
            raise
        except OSError:
            # Dropped or broken: the next copy opens a fresh connection.
            self.mailer.close()
            raise
        return True
