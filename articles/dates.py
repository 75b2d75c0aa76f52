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


def french_moment(value, now, *, in_sentence=False) -> str:
    """ "aujourd’hui à 14h05", "hier à 09h30", "12 novembre à 18h00": a time near `now`.

    In a sentence, a date takes its article: "publié le 12 novembre à 18h00".
    """
    local, today = _local(value), _local(now).date()
    hour = f"à {local:%H}h{local:%M}"
    names = {0: "aujourd’hui", -1: "hier", 1: "demain"}
    offset = (local.date() - today).days
    if offset in names:
        return f"{names[offset]} {hour}"
    if local.year == today.year:
        day = "1er" if local.day == 1 else str(local.day)
        moment = f"{day} {MONTHS[local.month - 1]} {hour}"
    else:
        moment = f"{_day(local)} {hour}"
    return f"le {moment}" if in_sentence else moment


def french_time(value) -> str:
    """ "14h05"."""
    if not value:
        return ""
    return f"{_local(value):%H}h{_local(value):%M}"


def iso(value) -> str:
    """The machine-readable form for <time datetime>, with the local offset."""
    return _local(value).isoformat() if value else ""


def french_duration(delta) -> str:
    """ "30 minutes", "1 h 30", "3 jours": a wait or a delay, rounded down to what matters."""
    minutes = max(0, int(delta.total_seconds() // 60))
    if minutes < 1:
        return "moins d’une minute"
    if minutes < 60:
        return f"{minutes} minute{'s' if minutes > 1 else ''}"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        if minutes == 0:
            return f"{hours} heure{'s' if hours > 1 else ''}"
        return f"{hours} h {minutes:02d}"
    days = hours // 24
    return f"{days} jour{'s' if days > 1 else ''}"
