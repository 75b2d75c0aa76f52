"""Dates as French readers write them, "15 août 2025 à 14h05", in the site's time zone.

Django's date filter formats through the translation machinery on every call; a news page
prints a hundred dates (cards, comments), so these few formats are written out here.
"""

from django.utils import timezone

MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def _local(value):
    return timezone.localtime(value) if timezone.is_aware(value) else value


def french_date(value) -> str:
    """ "1er mars 2026", "15 août 2025"; "" for no date."""
    if not value:
        return ""
    value = _local(value)
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {MONTHS[value.month - 1]} {value.year}"


def french_datetime(value) -> str:
    """ "15 août 2025 à 14h05"."""
    if not value:
        return ""
    value = _local(value)
    return f"{french_date(value)} à {value:%H}h{value:%M}"


def iso(value) -> str:
    """The machine-readable form for <time datetime>, with the local offset."""
    return _local(value).isoformat() if value else ""
