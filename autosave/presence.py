"""Who else has an article's form open: a heartbeat every ~20 s, forgotten after EXPIRY."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractUser
from django.utils import timezone

from articles.dates import french_time
from articles.models import Article
from newsroom.roles import display_name

from .models import Presence

# Three missed heartbeats and a bit: a closed tab disappears within a minute and a half.
EXPIRY = timedelta(seconds=75)


@dataclass
class Other:
    name: str
    since: datetime

    @property
    def since_label(self) -> str:
        return french_time(self.since)


def heartbeat(article: Article, *, by: AbstractUser) -> None:
    """`by` has the form open now; since when, unless their last sign is too old."""
    now = timezone.now()
    updated = Presence.objects.filter(article=article, user=by, seen_at__gte=now - EXPIRY).update(
        seen_at=now
    )
    if not updated:
        Presence.objects.update_or_create(
            article=article, user=by, defaults={"since": now, "seen_at": now}
        )


def leave(article: Article, *, by: AbstractUser) -> None:
    Presence.objects.filter(article=article, user=by).delete()


def others(article: Article, *, viewer: AbstractUser) -> list[Other]:
    """The others with the form open, who opened it first first."""
    rows = (
        Presence.objects.filter(article=article, seen_at__gte=timezone.now() - EXPIRY)
        .exclude(user=viewer)
        .select_related("user__author_profile")
        .order_by("since")
    )
    return [Other(name=display_name(row.user), since=row.since) for row in rows]


def sentence(people: list[Other]) -> str:
    """ "Léa Marchetti a aussi cet article ouvert (depuis 14h05)." ; "" for nobody."""
    if not people:
        return ""
    if len(people) == 1:
        return f"{people[0].name} a aussi cet article ouvert (depuis {people[0].since_label})."
    parts = [f"{person.name} (depuis {person.since_label})" for person in people]
    return ", ".join(parts[:-1]) + f" et {parts[-1]} ont aussi cet article ouvert."
