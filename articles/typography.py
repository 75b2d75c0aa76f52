"""French typography at display time: no-break spaces where a line must not break."""

import re

from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

NBSP = "\u00a0"  # before a colon, inside guillemets
NNBSP = "\u202f"  # narrow, before ; ! ?

_TAG = re.compile(r"(<[^>]*>)")
_BEFORE_HIGH_PUNCT = re.compile(r"[ \u00a0\u202f]*([;!?])")
_BEFORE_COLON = re.compile(r"[ \u00a0]+:")
_AFTER_OPENING_GUILLEMET = re.compile(r"«[ \u00a0\u202f]*")
_BEFORE_CLOSING_GUILLEMET = re.compile(r"[ \u00a0\u202f]*»")
# A typewriter apostrophe between two letters is a typographic one (l'État → l’État).
_APOSTROPHE = re.compile(r"(?<=[^\W\d_])(?:'|&#x27;|&#39;)(?=[^\W\d_])")
_ENTITY = re.compile(r"(&[#a-zA-Z0-9]+;)")


def _fix_text(text: str, *, opens: bool) -> str:
    # `opens`: nothing comes before this text; elsewhere a sign at its very start follows a
    # word of the text before a tag (« <em>Vraiment</em>? »).
    text = _BEFORE_HIGH_PUNCT.sub(
        lambda m: m.group(1) if m.start() == 0 and opens else NNBSP + m.group(1), text
    )
    text = _BEFORE_COLON.sub(NBSP + ":", text)
    text = _AFTER_OPENING_GUILLEMET.sub("«" + NBSP, text)
    text = _BEFORE_CLOSING_GUILLEMET.sub(NBSP + "»", text)
    return text


def _fix_segment(text: str, *, opens: bool = True) -> str:
    text = _APOSTROPHE.sub("\u2019", text)
    # Entities such as &amp; end with ';' and must stay untouched.
    parts = _ENTITY.split(text)
    # A sign right after an entity (« &lt;! ») follows no word: it gets no space.
    return "".join(
        part if index % 2 else _fix_text(part, opens=opens or index > 0)
        for index, part in enumerate(parts)
    )


def french_typography(value) -> str:
    """Apply French spacing to text or sanitized HTML, touching text between tags only."""
    html = str(conditional_escape(value))
    parts = _TAG.split(html)
    return mark_safe(
        "".join(
            part if index % 2 else _fix_segment(part, opens=index == 0)
            for index, part in enumerate(parts)
        )
    )


def french_text(text: str, *, opens: bool = True) -> str:
    """French typography for plain text that is not HTML (an e-mail, a message).

    `opens=False`: the text follows a word (a web address), so a « ! » at its start gets its
    space."""
    return _fix_segment(text, opens=opens)


def french_number(value) -> str:
    """A whole number grouped by thousands with narrow no-break spaces: 3000 → « 3 000 »."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return value
    return f"{number:,}".replace(",", NNBSP)
