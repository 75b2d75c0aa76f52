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


def _day(local) -> str:
    day = "1er" if local.day == 1 else str(local.day)
    return f"{day} {MONTHS[local.month - 1]} {local.year}"


def french_date(value) -> str:
    """ "1er mars 2026", "15 août 2025"; "" for no date."""
    return _day(_local(value)) if value else ""


def french_datetime(value) -> str:
    """ "15 août 2025 à 14h05"."""
    if not value:
        return ""
    local = _local(value)
    return f"{_day(local)} à {local:%H}h{local:%M}"


def iso(value) -> str:
    """The machine-readable form for <time datetime>, with the local offset."""
    return _local(value).isoformat() if value else ""
