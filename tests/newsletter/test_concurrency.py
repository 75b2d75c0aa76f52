"""Races that only a real database shows: run on PostgreSQL (skipped on SQLite)."""

import threading
from collections import Counter

import pytest
from django.core import mail
from django.db import connection, connections

from articles.models import Category
from newsletter import sending, subscriptions
from newsletter.models import Issue, Subscriber
from tests.factories import make_article

from .factories import make_issue, make_subscriber

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="concurrence : PostgreSQL seulement"
    ),
]


def run_in_threads(count, target):
    barrier = threading.Barrier(count)
    errors = []

    def worker():
        try:
            barrier.wait()
            target()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def test_twenty_simultaneous_signups_of_one_address_make_one_subscriber(mailoutbox):
    run_in_threads(20, lambda: subscriptions.signup(email="lea@exemple.fr", source="/"))

    assert Subscriber.objects.filter(email_key="lea@exemple.fr").count() == 1
    assert len(mailoutbox) == 1


def test_parallel_workers_send_each_copy_exactly_once(settings, mailoutbox):
    settings.NEWSLETTER_BATCH_SIZE = 5
    # Transactional tests empty the tables, migrated categories included: make one.
    category, _ = Category.objects.get_or_create(slug="politique", defaults={"name": "Politique"})
    issue = make_issue(articles=[make_article(category=category)], status=Issue.Status.SENDING)
    subscribers = [make_subscriber() for _ in range(60)]

    run_in_threads(4, lambda: sending.deliver(Issue.objects.get(pk=issue.pk)))

    sent = Counter(address for message in mail.outbox for address in message.to)
    assert sent == Counter({s.email: 1 for s in subscribers})
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT
    assert issue.progress()["sent"] == 60
