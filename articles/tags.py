"""Tag input normalized before django-taggit stores it (settings.TAGGIT_TAGS_FROM_STRING)."""

import unicodedata

from django.core.exceptions import ValidationError
from django.urls import NoReverseMatch
from taggit.models import Tag
from taggit.utils import _parse_tags

from .links import cached_url

MAX_TAG_LENGTH = 50


def normalize_tag(name: str) -> str:
    """One spelling per tag: NFC, trimmed, inner whitespace collapsed."""
    name = unicodedata.normalize("NFC", name)
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    return " ".join(name.split())


def parse_tags(tagstring: str) -> list[str]:
    names = []
    for raw in _parse_tags(tagstring or ""):
        name = normalize_tag(raw)
        if not name:
            continue
        if len(name) > MAX_TAG_LENGTH:
            raise ValidationError(
                "Le mot-clé « %(tag)s… » dépasse %(max)s caractères.",
                code="tag_too_long",
                params={"tag": name[:20], "max": MAX_TAG_LENGTH},
            )
        # The slug django-taggit would give it: without one, the tag's page has no address.
        if not Tag().slugify(name):
            raise ValidationError(
                "Le mot-clé « %(tag)s » ne contient ni lettre ni chiffre : il ne peut pas avoir "
                "de page. Retirez-le, ou écrivez-le avec des mots.",
                code="tag_without_address",
                params={"tag": name},
            )
        if name.casefold() not in {n.casefold() for n in names}:
            names.append(name)
    return names


def tag_url(tag: Tag) -> str | None:
    """The tag's page; None for a stored slug that no address can hold (shown unlinked)."""
    try:
        return cached_url("articles:tag", tag.slug)
    except NoReverseMatch:
        return None
