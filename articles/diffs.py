"""Readable word-by-word differences between two revisions, for the reviewing editor."""

import re
from difflib import SequenceMatcher
from html import unescape

from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe

# Block-level ends become line breaks, so that a paragraph stays a paragraph in the diff.
BLOCK_END = re.compile(r"</(p|h[1-6]|li|blockquote|figure|figcaption|tr|ul|ol)>|<br\s*/?>", re.I)
TOKENS = re.compile(r"\s+|[^\s]+")


def as_text(html: str) -> str:
    """Rich text as the reader reads it: no tags, one block per line."""
    text = unescape(strip_tags(BLOCK_END.sub("\n", html or "")))
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def html_diff(old: str, new: str) -> SafeString:
    """Every piece escaped; removed words in <del>, added words in <ins>."""
    before, after = TOKENS.findall(old or ""), TOKENS.findall(new or "")
    parts = []
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        removed, added = escape("".join(before[i1:i2])), escape("".join(after[j1:j2]))
        if op == "equal":
            parts.append(removed)
        if op in ("delete", "replace"):
            parts.append(f"<del>{removed}</del>")
        if op in ("insert", "replace"):
            parts.append(f"<ins>{added}</ins>")
    return mark_safe("".join(parts))  # noqa: S308 — every piece was escaped above


def revision_diff(old, new) -> list[tuple[str, SafeString]]:
    """(field label, diff) for each field that differs between two revisions."""
    fields = [
        ("Titre", old.title, new.title),
        ("Chapô", old.standfirst, new.standfirst),
        ("Texte", as_text(old.body), as_text(new.body)),
        ("Photo principale", _photo(old), _photo(new)),
    ]
    return [(label, html_diff(a, b)) for label, a, b in fields if a != b]


def _photo(revision) -> str:
    photo = revision.hero_photo
    return f"{photo} ({photo.credit_line})" if photo else "aucune"
