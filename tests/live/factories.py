"""Lives for the tests: an editor opens one on a published article, writers post in it."""

from datetime import timedelta

from django.utils import timezone

from live import rules
from live.models import Live, LiveEntry
from tests.factories import make_article, make_editor, make_journalist


def make_live(*, editor=None, writers=(), article=None, **settings) -> Live:
    editor = editor or make_editor()
    article = article or make_article(title="Sommet en Alaska : suivez la rencontre en direct")
    return rules.start(article, by=editor, writers=writers, **settings)


def post_at(live, by, text, minutes_ago=0, **extra) -> LiveEntry:
    """An entry posted `minutes_ago` minutes back (its time rewritten after posting)."""
    entry = rules.post(live, by=by, text=text, **extra)
    if minutes_ago:
        moment = timezone.now() - timedelta(minutes=minutes_ago)
        LiveEntry.objects.filter(pk=entry.pk).update(
            created_at=moment, published_at=moment if entry.published_at else None
        )
        entry.refresh_from_db()
    return entry


__all__ = ["make_live", "post_at", "make_editor", "make_journalist"]
