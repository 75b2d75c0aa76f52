"""The planning calendar: sujets by due time, publications and lives by their time, day by day."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from articles.dates import MONTHS, french_time
from articles.models import Article
from newsroom.roles import display_name

from .models import Assignment

DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


@dataclass
class Item:
    kind: str  # "sujet", "publication" or "direct"
    at: datetime
    title: str
    url: str
    person: str
    category: str
    state: str
    late: bool = False
    article: Article | None = None

    @property
    def time(self) -> str:
        return french_time(self.at)


@dataclass
class Day:
    day: date
    items: list[Item] = field(default_factory=list)
    today: bool = False
    link: str = ""

    @property
    def label(self) -> str:
        first = "1er" if self.day.day == 1 else str(self.day.day)
        return f"{DAYS[self.day.weekday()]} {first} {MONTHS[self.day.month - 1]}"


def week_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def days(start: date, count: int, *, category=None, person=None, urls) -> list[Day]:
    """`count` days from `start`, each with its sujets and publications in time order."""
    zone = timezone.get_current_timezone()
    begin = datetime.combine(start, time.min, tzinfo=zone)
    end = begin + timedelta(days=count)
    sujets = Assignment.objects.for_calendar().filter(due_at__gte=begin, due_at__lt=end)
    # Publications to come (scheduled) and those already out in the period.
    articles = (
        Article.objects.filter(
            status=Article.Status.PUBLISHED, published_at__gte=begin, published_at__lt=end
        )
        .select_related("category")
        .prefetch_related("authors")
        .defer("body", "search_vector")
    )
    if category:
        sujets = sujets.filter(category=category)
        articles = articles.filter(category=category)
    if person:
        sujets = sujets.filter(assignee=person)
        articles = articles.filter(Q(authors__user=person) | Q(created_by=person)).distinct()
    calendar = {start + timedelta(days=n): Day(start + timedelta(days=n)) for n in range(count)}
    today = timezone.localdate()
    if today in calendar:
        calendar[today].today = True
    for sujet in sujets:
        calendar[timezone.localtime(sujet.due_at).date()].items.append(
            Item(
                kind="sujet",
                at=sujet.due_at,
                title=sujet.title,
                url=urls["sujet"](sujet),
                person=_who(sujet.assignee),
                category=sujet.category.name,
                state=sujet.state_label,
                late=sujet.is_late,
                # A delivered piece under review may be scheduled from here.
                article=sujet.article
                if sujet.article and sujet.article.status == Article.Status.REVIEW
                else None,
            )
        )
    for article in articles:
        calendar[timezone.localtime(article.published_at).date()].items.append(
            Item(
                kind="publication",
                at=article.published_at,
                title=article.title,
                url=urls["article"](article),
                person=", ".join(a.display_name for a in article.authors.all()),
                category=article.category.name,
                state="Programmé" if article.is_scheduled else "Publié",
                article=article if article.is_scheduled else None,
            )
        )
    for live in _lives(begin, end, category, person):
        moment = max(live.started_at, begin)  # a live still running shows from the first day
        calendar[timezone.localtime(moment).date()].items.append(
            Item(
                kind="direct",
                at=live.started_at,
                title=live.article.title,
                url=urls["live"](live),
                person=", ".join(_who(writer) for writer in live.writers.all()),
                category=live.article.category.name,
                state=live.get_state_display(),
            )
        )
    for day in calendar.values():
        day.items.sort(key=lambda item: (item.at, item.kind))
    return list(calendar.values())


def _lives(begin, end, category, person):
    """Lives started in the period, and those still running from before it."""
    from live.models import Live

    lives = (
        Live.objects.filter(started_at__lt=end)
        .filter(Q(started_at__gte=begin) | Q(state=Live.State.RUNNING))
        .select_related("article__category")
        .prefetch_related("writers__author_profile")
    )
    if category:
        lives = lives.filter(article__category=category)
    if person:
        lives = lives.filter(writers=person)
    return lives


def _who(user) -> str:
    return display_name(user) if user else "à confier"
