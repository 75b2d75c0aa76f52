"""The Redis cache used in production, against the local Redis server."""

import os
import uuid

import pytest
import redis
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actualites import cache as cache_backend
from comments.models import Comment
from tests.comments.factories import post_comment, token_from
from tests.factories import make_article

REDIS_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/14")


def _redis_is_up():
    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not _redis_is_up(), reason=f"Redis injoignable ({REDIS_URL})"),
]


@pytest.fixture
def redis_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "actualites.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        }
    }
    cache = caches["default"]
    yield cache
    cache.clear()
    caches["default"].close()


def test_the_cache_keeps_counts_and_values_with_one_client_per_pool(redis_cache):
    redis_cache.set("a", {"x": 1}, 60)
    redis_cache.set("n", 1, 60)
    redis_cache.incr("n")

    assert redis_cache.get_many(["a", "n", "missing"]) == {"a": {"x": 1}, "n": 2}
    client = redis_cache._cache
    assert client.get_client() is client.get_client()


def test_pages_are_assembled_from_fragments_kept_in_redis(client, settings, redis_cache):
    settings.PAGE_CACHE_ENABLED = False
    settings.FRAGMENT_CACHE_ENABLED = True
    article = make_article(title="Servi depuis Redis")
    client.get(article.get_absolute_url())

    with CaptureQueriesContext(connection) as queries:
        response = client.get(article.get_absolute_url())

    assert "Servi depuis Redis" in response.content.decode()
    assert len(queries) <= 1


def test_the_site_keeps_working_when_redis_is_down(client, settings, caplog, monkeypatch):
    monkeypatch.setattr(cache_backend, "_last_warning", [0.0])
    settings.CACHES = {
        "default": {
            "BACKEND": "actualites.cache.RedisCache",
            # Nothing listens on port 1: every call fails at once, as when Redis is down.
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    settings.PAGE_CACHE_ENABLED = True
    settings.FRAGMENT_CACHE_ENABLED = True
    article = make_article(title="Publié pendant la panne")

    assert "Publié pendant la panne" in client.get("/").content.decode()
    assert client.get(article.get_absolute_url()).status_code == 200
    article.title = "Corrigé pendant la panne"
    article.save()
    assert "Corrigé pendant la panne" in client.get(article.get_absolute_url()).content.decode()
    response = post_comment(client, article, token=token_from(article))
    assert response.status_code == 302
    assert Comment.objects.filter(article=article).count() == 1
    assert "Cache Redis indisponible" in caplog.text
    caches["default"].close()
