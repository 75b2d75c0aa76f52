"""Measure sending one issue to many subscribers: time and peak memory, into a sink."""

import time
import tracemalloc

from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

from articles.models import Article, Category, Photo

from . import sending
from .models import Issue, IssueArticle, Subscriber


class SinkBackend(BaseEmailBackend):
    """Builds every message as an SMTP server would receive it, then throws it away."""

    sent = 0
    bytes = 0

    def send_messages(self, email_messages):
        for message in email_messages:
            SinkBackend.bytes += len(message.message().as_bytes())
        SinkBackend.sent += len(email_messages)
        return len(email_messages)


def _issue() -> Issue:
    photo = Photo.objects.create(
        image="photos/banc-d-essai.jpg",
        width=1200,
        height=675,
        credit="Banc d'essai",
        alt_text="Photo de test",
        renditions=[{"width": 800, "height": 450, "jpg": "renditions/banc-800.jpg"}],
    )
    categories = list(Category.objects.all()) or [
        Category.objects.create(name="Politique", slug="politique")
    ]
    issue = Issue.objects.create(subject="Banc d'essai", introduction="Bonjour")
    for n in range(6):
        article = Article.objects.create(
            title=f"Article de banc d'essai {n}",
            slug=f"banc-d-essai-{n}",
            standfirst="Un chapô de longueur ordinaire pour mesurer le rendu de la lettre.",
            body="<p>Texte</p>",
            category=categories[n % len(categories)],
            hero_photo=photo,
            status=Article.Status.PUBLISHED,
            published_at=timezone.now(),
        )
        IssueArticle.objects.create(issue=issue, article=article, position=n)
    return issue


def create_confirmed_subscribers(count: int) -> None:
    """Bulk-create `count` confirmed subscribers (also used by `manage.py seed_archive`)."""
    categories = list(Category.objects.values_list("pk", flat=True))
    through = Subscriber.categories.through
    for start in range(0, count, 2000):
        batch = [
            Subscriber(
                email=f"abonne{n}@banc-essai.example",
                email_key=f"abonne{n}@banc-essai.example",
                status=Subscriber.Status.CONFIRMED,
                confirmed_at=timezone.now(),
            )
            for n in range(start, min(start + 2000, count))
        ]
        created = Subscriber.objects.bulk_create(batch)
        # One subscriber in three chose a single category: several renderings are exercised.
        if categories and created[0].pk is not None:
            through.objects.bulk_create(
                through(subscriber_id=s.pk, category_id=categories[i % len(categories)])
                for i, s in enumerate(created)
                if i % 3 == 0
            )


def run(*, subscribers: int, trace_memory: bool = True) -> dict:
    """Create the subscribers and one issue, then time its delivery.

    tracemalloc roughly doubles the time it measures: pass trace_memory=False for timing only.
    """
    started = time.perf_counter()
    create_confirmed_subscribers(subscribers)
    issue = _issue()
    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.SENDING)
    setup = time.perf_counter() - started

    SinkBackend.sent = SinkBackend.bytes = 0
    if trace_memory:
        tracemalloc.start()
    started = time.perf_counter()
    progress = sending.deliver(issue)
    seconds = time.perf_counter() - started
    peak = 0
    if trace_memory:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return {
        "subscribers": subscribers,
        "setup_seconds": round(setup, 2),
        "seconds": round(seconds, 2),
        "per_second": round(SinkBackend.sent / seconds) if seconds else 0,
        "peak_mib": round(peak / 1024 / 1024, 1) if trace_memory else None,
        "messages": SinkBackend.sent,
        "megabytes_sent": round(SinkBackend.bytes / 1024 / 1024, 1),
        **progress,
    }
