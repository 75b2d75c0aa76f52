"""The site's e-mails, written one way: French typography, subjects that fold cleanly, and in
development a folder of files a person can read (var/mail/).

Rules modules call `send_mail()` (or build a `Message` when they add an HTML version); the
newsletter's copies (newsletter/copies.py) use `POLICY` for the same headers.
"""

import email.policy
import re
from datetime import datetime
from email.header import Header
from pathlib import Path

from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.utils.text import slugify

from articles.typography import french_text

# Web and e-mail addresses are written as they are: « ?status=1 », « o'neil@exemple.fr ».
_VERBATIM = re.compile(r"(https?://\S+|\S+@\S+)")


class _Policy(email.policy.EmailPolicy):
    """The standard policy, but a subject with accents is written as whole encoded words.

    Python's folder can emit an empty encoded word (« =?utf-8?q??= ») that some mail
    programs show as is, when a fold falls between plain words and accented ones; the
    older `Header` encoder never does.
    """

    def _fold(self, name, value, refold_binary=False):
        text = str(value)
        if name.lower() == "subject" and not text.isascii():
            folded = Header(text, "utf-8", header_name=name, maxlinelen=self.max_line_length)
            return f"{name}: {folded.encode(linesep=self.linesep)}{self.linesep}"
        return super()._fold(name, value, refold_binary=refold_binary)


POLICY = _Policy()
SMTP_POLICY = POLICY.clone(linesep="\r\n")


def french(text: str) -> str:
    """French typography for an e-mail's plain text, leaving its web addresses untouched."""
    return "".join(
        part if index % 2 else french_text(part, opens=index == 0)
        for index, part in enumerate(_VERBATIM.split(text))
    )


class Message(EmailMultiAlternatives):
    """An e-mail of the site: French subject and text, headers through POLICY."""

    def __init__(self, *, subject: str, body: str, to: list[str], html: str | None = None):
        super().__init__(subject=french(subject), body=french(body), to=to)
        if html is not None:
            self.attach_alternative(html, "text/html")

    def message(self, *, policy=email.policy.default):
        return super().message(policy=SMTP_POLICY if policy.linesep == "\r\n" else POLICY)


def send_mail(subject: str, body: str, from_email: None, recipient_list: list[str]) -> int:
    """Django's send_mail(), for the site's messages (the sender is always DEFAULT_FROM_EMAIL)."""
    return Message(subject=subject, body=body, to=recipient_list).send()


class ReadableFileBackend(BaseEmailBackend):
    """Development: each e-mail as a text file to read (`.txt`) and its exact bytes (`.eml`,
    which any mail program opens, HTML version included), in `file_path`."""

    def __init__(self, *, file_path: str, **kwargs):
        super().__init__(**kwargs)
        self.folder = Path(file_path)

    def send_messages(self, email_messages):
        self.folder.mkdir(parents=True, exist_ok=True)
        for sent in email_messages:
            message = sent.message()
            stem = self._stem(str(message.get("Subject", "")))
            (self.folder / f"{stem}.eml").write_bytes(message.as_bytes())
            (self.folder / f"{stem}.txt").write_text(readable(message), encoding="utf-8")
        return len(email_messages)

    def _stem(self, subject: str) -> str:
        base = f"{datetime.now():%Y%m%d-%H%M%S}-{slugify(subject)[:50] or 'sans-objet'}"
        stem, n = base, 1
        while (self.folder / f"{stem}.eml").exists():
            n += 1
            stem = f"{base}-{n}"
        return stem


def readable(message) -> str:
    """An e-mail as a person reads it: its headers decoded, then its plain text."""
    lines = [
        f"{label}\u00a0: {message[name]}"
        for name, label in (("Subject", "Objet"), ("From", "De"), ("To", "À"), ("Date", "Date"))
        if message[name]
    ]
    plain = message.get_body(preferencelist=("plain",))
    text = plain.get_content() if plain is not None else "(pas de version texte)"
    if message.get_body(preferencelist=("html",)) is not None:
        lines.append("Version HTML\u00a0: ouvrez le fichier .eml du même nom.")
    return "\n".join(lines) + "\n\n" + text
