"""Counting reads for « Les plus lus »: no database write per view, no cookie, no address kept.

With Redis (production), a read adds 1 to its article in two sorted sets, the current minute's
and the current hour's, which expire by themselves (after 61 minutes and 25 hours). The most
read of a window is the union of its buckets (ZUNIONSTORE), the oldest bucket weighted by the
part of it still inside the window, so the window slides smoothly rather than by whole hours.

Without Redis (SQLite, `make run`), reads are added up in each process's memory and written
every MOST_READ_FLUSH_SECONDS, one UPDATE per article read meanwhile (HourlyReads): one write
per process every half minute, whatever the traffic, instead of one per view.
"""

import logging
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

import redis
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Case, F, FloatField, Sum, Value, When
from django.utils import timezone

logger = logging.getLogger(__name__)

HOUR = "hour"
DAY = "day"
# Each window is made of buckets: (seconds per bucket with Redis, window length in seconds).
WINDOWS = {HOUR: (60, 3600), DAY: (3600, 86400)}

# Crawlers, link previews, monitors and scripts name themselves in their user agent; a browser
# always sends one. Substrings rather than a regular expression: ten times faster.
_BOT_WORDS = (
    "bot", "crawl", "spider", "slurp", "archiver", "facebookexternalhit", "embedly", "preview",
    "monitor", "pingdom", "uptime", "lighthouse", "headless", "phantom", "curl", "wget",
    "python", "java/", "go-http", "okhttp", "httpclient", "libwww", "scrapy", "feedfetcher",
    "scanner",
)  # fmt: skip


def is_bot(user_agent: str) -> bool:
    agent = user_agent.lower()
    return not agent or any(word in agent for word in _BOT_WORDS)


def count_read(article_id: int, *, at: datetime | None = None) -> None:
    """One read of an article by a reader (callers have left bots and the newsroom out)."""
    _counters().add(int(article_id), at or timezone.now())


def most_read(window: str, *, limit: int, at: datetime | None = None) -> list[tuple[int, float]]:
    """(article id, reads) of the window ending at `at` (now), most read first. Unpublished
    articles may be among them: callers look them up through `published()`."""
    return _counters().top(window, limit, at or timezone.now())


def flush() -> None:
    """Write this process's pending reads (database counters only)."""
    _counters().flush()


def buckets(seconds: int, length: int, at: datetime) -> list[tuple[int, float]]:
    """(bucket start, weight) covering the `length` seconds before `at`: the current bucket,
    whole ones, and the oldest weighted by the part of it still inside the window."""
    now = at.timestamp()
    current = int(now // seconds) * seconds
    elapsed = (now - current) / seconds
    count = length // seconds
    weights = [1.0] * count + [1.0 - elapsed]
    return [(current - i * seconds, weight) for i, weight in enumerate(weights) if weight > 0]


class RedisCounters:
    def __init__(self, url: str, prefix: str, timeout: float):
        self.client = redis.Redis.from_url(
            url, socket_timeout=timeout, socket_connect_timeout=timeout
        )
        self.prefix = f"{prefix}:mostread"
        # After an error, Redis is left alone for a while: a stalled server costs one timeout.
        self.resting_until = 0.0

    def add(self, article_id: int, at: datetime) -> None:
        now = int(at.timestamp())
        pipe = self.client.pipeline(transaction=False)
        for seconds, length in WINDOWS.values():
            key = f"{self.prefix}:{seconds}:{now - now % seconds}"
            pipe.zincrby(key, 1, article_id)
            pipe.expire(key, length + seconds + 60)
        self._run(pipe)

    def top(self, window: str, limit: int, at: datetime) -> list[tuple[int, float]]:
        seconds, length = WINDOWS[window]
        weights = {
            f"{self.prefix}:{seconds}:{start}": weight
            for start, weight in buckets(seconds, length, at)
        }
        union = f"{self.prefix}:union:{window}"
        pipe = self.client.pipeline(transaction=True)
        pipe.zunionstore(union, weights)
        pipe.zrevrange(union, 0, limit - 1, withscores=True)
        pipe.delete(union)
        results = self._run(pipe)
        return [(int(member), score) for member, score in results[1]] if results else []

    def flush(self) -> None:
        pass

    def _run(self, pipe):
        if time.monotonic() < self.resting_until:
            return None
        try:
            return pipe.execute()
        except redis.RedisError as error:
            logger.warning("Les plus lus : Redis injoignable (%s), ignoré 10 s.", error)
            self.resting_until = time.monotonic() + 10
            return None


class DatabaseCounters:
    # Hourly rows only: the last hour is the current hour and the part of the previous one.
    SECONDS = 3600

    def __init__(self, flush_seconds: float):
        self.flush_seconds = flush_seconds
        self.pending = Counter()
        self.lock = threading.Lock()
        self.flushed_at = time.monotonic()

    def add(self, article_id: int, at: datetime) -> None:
        hour = datetime.fromtimestamp(int(at.timestamp()) // self.SECONDS * self.SECONDS, UTC)
        with self.lock:
            self.pending[article_id, hour] += 1
            due = time.monotonic() - self.flushed_at >= self.flush_seconds
        if due:
            self.flush()

    def flush(self) -> None:
        from .models import HourlyReads

        with self.lock:
            pending, self.pending = self.pending, Counter()
            self.flushed_at = time.monotonic()
        for (article_id, hour), reads in pending.items():
            rows = HourlyReads.objects.filter(article_id=article_id, hour=hour)
            if rows.update(reads=F("reads") + reads):
                continue
            try:
                with transaction.atomic():
                    HourlyReads.objects.create(article_id=article_id, hour=hour, reads=reads)
            except IntegrityError:
                # Another process created the row meanwhile, or the article is gone.
                rows.update(reads=F("reads") + reads)
        if pending:
            HourlyReads.objects.filter(hour__lt=timezone.now() - timedelta(days=2)).delete()

    def top(self, window: str, limit: int, at: datetime) -> list[tuple[int, float]]:
        from .models import HourlyReads

        self.flush()
        weights = [
            (datetime.fromtimestamp(start, UTC), weight)
            for start, weight in buckets(self.SECONDS, WINDOWS[window][1], at)
        ]
        oldest, oldest_weight = weights[-1]
        score = Sum(
            Case(
                When(hour=oldest, then=F("reads") * Value(oldest_weight)),
                default=F("reads") * Value(1.0),
                output_field=FloatField(),
            )
        )
        rows = (
            HourlyReads.objects.filter(hour__gte=oldest, hour__lte=weights[0][0])
            .values("article_id")
            .annotate(score=score)
            .order_by("-score", "-article_id")[:limit]
        )
        return [(row["article_id"], row["score"]) for row in rows]


_lock = threading.Lock()
_instances: dict = {}


def _counters():
    """This process's counters: Redis when REDIS_URL is set, the database otherwise."""
    url = settings.REDIS_URL
    found = _instances.get(url)
    if found is None:
        with _lock:
            found = _instances.get(url)
            if found is None:
                if url:
                    found = RedisCounters(
                        url,
                        settings.CACHES["default"].get("KEY_PREFIX", "ae"),
                        settings.REDIS_TIMEOUT_SECONDS,
                    )
                else:
                    found = DatabaseCounters(settings.MOST_READ_FLUSH_SECONDS)
                _instances[url] = found
    return found


def forget() -> None:
    """Start over with new counters (tests)."""
    with _lock:
        _instances.clear()
