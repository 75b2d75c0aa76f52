"""Readable word-by-word differences: between two revisions, and in the audit trail."""

import re
from datetime import datetime
from difflib import SequenceMatcher
from html import unescape

from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe

from photos.models import Photo

from .dates import french_datetime
from .models import Article, Category

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


# The audit trail's snapshots (workflow.audit_snapshot), field by field, in the reader's words.
AUDIT_FIELDS = [
    ("status", "État"),
    ("published_at", "Date de publication"),
    ("slug", "Adresse (slug)"),
    ("category_id", "Rubrique"),
    ("title", "Titre"),
    ("standfirst", "Chapô"),
    ("body", "Texte"),
    ("hero_photo_id", "Photo principale"),
    # A change to the photo itself (photos/rules.py).
    ("image", "Image de la photo"),
    ("caption", "Légende de la photo"),
    ("credit", "Crédit de la photo"),
    ("alt_text", "Texte alternatif de la photo"),
]


def audit_diff(before: dict | None, after: dict | None) -> list[tuple[str, SafeString]]:
    """(label, diff) for each field of an audit event that changed; all fields if one is missing.

    A deletion has no "after": its last state is shown whole, as plain escaped text.
    """

    def readable(key, value) -> str:
        if value is None or value == "":
            return "—"
        if key == "status":
            return str(Article.Status(value).label) if value in Article.Status.values else value
        if key == "published_at":
            return french_datetime(datetime.fromisoformat(value))
        if key == "category_id":
            return str(Category.objects.filter(pk=value).first() or f"rubrique n° {value}")
        if key == "hero_photo_id":
            photo = Photo.objects.filter(pk=value).first()
            return f"{photo} ({photo.credit_line})" if photo else f"photo n° {value}"
        if key == "body":
            return as_text(value)
        return str(value)

    before, after = before or {}, after or {}
    rows = []
    for key, label in AUDIT_FIELDS:
        if key not in before and key not in after:
            continue
        old, new = readable(key, before.get(key)), readable(key, after.get(key))
        if not before or not after:
            rows.append((label, escape(old if before else new)))
        elif old != new:
            rows.append((label, html_diff(old, new)))
    return rows
