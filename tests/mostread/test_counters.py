"""Counting reads for « Les plus lus », in Redis and in the database fallback."""

import os
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import redis
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mostread import counters
from mostread.models import HourlyReads
from tests.factories import make_article

REDIS_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/14")
START = datetime(2026, 11, 28, 9, 15, tzinfo=UTC)


def _redis_is_up():
    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


@pytest.fixture(params=["redis", "database"])
def backend(request, settings):
    """The same promises with Redis (production) and without (SQLite, `make run`)."""
    counters.forget()
    if request.param == "redis":
        if not _redis_is_up():
            pytest.skip(f"Redis injoignable ({REDIS_URL})")
        settings.REDIS_URL = REDIS_URL
        # A prefix of its own: tests never see each other's counts.
        settings.CACHES = {
            **settings.CACHES,
            "default": {**settings.CACHES["default"], "KEY_PREFIX": f"test-{uuid.uuid4().hex}"},
        }
    else:
        settings.REDIS_URL = ""
    yield request.param
    counters.forget()


def read(article, times, at):
    for _ in range(times):
        counters.count_read(article.pk, at=at)


def ranking(window, at):
    return [
        (article_id, round(score, 2))
        for article_id, score in counters.most_read(window, limit=10, at=at)
    ]


@pytest.mark.django_db
def test_the_day_window_slides_hour_by_hour(backend):
    morning, noon = make_article(), make_article()
    read(morning, 6, START)
    read(noon, 4, START + timedelta(hours=3))

    assert ranking(counters.DAY, START + timedelta(hours=3, minutes=5)) == [
        (morning.pk, 6),
        (noon.pk, 4),
    ]
    # 24 hours after 9:15, half of the 9 o'clock hour is still inside the window.
    assert ranking(counters.DAY, START + timedelta(hours=24, minutes=15)) == [
        (noon.pk, 4),
        (morning.pk, 3),
    ]
    assert ranking(counters.DAY, START + timedelta(hours=25)) == [(noon.pk, 4)]
    assert ranking(counters.DAY, START + timedelta(hours=28)) == []


@pytest.mark.django_db
def test_the_last_hour_forgets_older_reads(backend):
    earlier, now = make_article(), make_article()
    read(earlier, 5, START)
    read(now, 2, START + timedelta(minutes=50))

    assert [pk for pk, _ in ranking(counters.HOUR, START + timedelta(minutes=55))] == [
        earlier.pk,
        now.pk,
    ]
    # An hour and a half after 10:05, its reads have left the last hour (in Redis, counted
    # by the minute; the database's hourly rows keep a part of them a little longer).
    later = START + timedelta(hours=2, minutes=20)
    assert ranking(counters.HOUR, later + timedelta(hours=1 if backend == "database" else 0)) == []
    assert ranking(counters.DAY, later) == [(earlier.pk, 5), (now.pk, 2)]


@pytest.mark.django_db
def test_the_database_fallback_writes_in_bulk_not_once_per_view(settings):
    settings.REDIS_URL = ""
    settings.MOST_READ_FLUSH_SECONDS = 3600
    counters.forget()
    article = make_article()

    with CaptureQueriesContext(connection) as queries:
        read(article, 50, START)
    assert len(queries) == 0
    assert not HourlyReads.objects.exists()

    counters.flush()
    stored = HourlyReads.objects.get()
    assert (stored.article_id, stored.hour, stored.reads) == (
        article.pk,
        START.replace(minute=0),
        50,
    )

    read(article, 7, START + timedelta(minutes=20))
    counters.flush()
    assert HourlyReads.objects.get().reads == 57
    counters.forget()


@pytest.mark.parametrize(
    "user_agent",
    [
        "",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "curl/8.5.0",
        "python-requests/2.32.3",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0",
    ],
)
def test_bots_are_recognised_by_their_user_agent(user_agent):
    assert counters.is_bot(user_agent)


@pytest.mark.parametrize(
    "user_agent",
    [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/131.0.0.0 Safari/537.36",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
    ],
)
def test_browsers_are_readers(user_agent):
    assert not counters.is_bot(user_agent)
