"""French typography at display time: no-break spaces where a line must not break."""

import re

from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

NBSP = "\u00a0"  # before a colon, inside guillemets
NNBSP = "\u202f"  # narrow, before ; ! ?

_TAG = re.compile(r"(<[^>]*>)")
_BEFORE_HIGH_PUNCT = re.compile(r"[ \u00a0\u202f]*([;!?])")
_BEFORE_COLON = re.compile(r"(?<=\S)[ \u00a0]+:")
_AFTER_OPENING_GUILLEMET = re.compile(r"«[ \u00a0\u202f]*")
_BEFORE_CLOSING_GUILLEMET = re.compile(r"[ \u00a0\u202f]*»")
# A typewriter apostrophe between two letters is a typographic one (l'État → l’État).
_APOSTROPHE = re.compile(r"(?<=[^\W\d_])(?:'|&#x27;|&#39;)(?=[^\W\d_])")


def _fix_text(text: str) -> str:
    text = _BEFORE_HIGH_PUNCT.sub(lambda m: NNBSP + m.group(1) if m.start() else m.group(1), text)
    text = _BEFORE_COLON.sub(NBSP + ":", text)
    text = _AFTER_OPENING_GUILLEMET.sub("«" + NBSP, text)
    text = _BEFORE_CLOSING_GUILLEMET.sub(NBSP + "»", text)
    return text


def _fix_segment(text: str) -> str:
    text = _APOSTROPHE.sub("\u2019", text)
    # Entities such as &amp; end with ';' and must stay untouched.
    parts = re.split(r"(&[#a-zA-Z0-9]+;)", text)
    return "".join(p if p.startswith("&") and p.endswith(";") else _fix_text(p) for p in parts)


def french_typography(value) -> str:
    """Apply French spacing to text or sanitized HTML, touching text between tags only."""
    html = str(conditional_escape(value))
    return mark_safe(
        "".join(part if part.startswith("<") else _fix_segment(part) for part in _TAG.split(html))
    )


def french_number(value) -> str:
    """A whole number grouped by thousands with narrow no-break spaces: 3000 → « 3 000 »."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return value
    return f"{number:,}".replace(",", NNBSP)
