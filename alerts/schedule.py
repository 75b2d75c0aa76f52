"""When the banner changes by itself, for the page cache (settings.PAGE_CACHE_SCHEDULES)."""

from .models import Alert


def next_change():
    """The next start or end of an alert: cached pages showing (or lacking) it expire then."""
    return Alert.objects.next_change()
