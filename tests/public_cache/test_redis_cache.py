"""The Redis cache used in production, against the local Redis server."""

import os
import socket
import time
import uuid

import pytest
import redis
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag

from articles.models import Category
from comments.models import Comment
from public_cache import invalidation, pagecache
from public_cache import redis_cache as cache_backend
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
    pytest.mark.usefixtures("caches_on"),
    pytest.mark.skipif(not _redis_is_up(), reason=f"Redis injoignable ({REDIS_URL})"),
]


@pytest.fixture(autouse=True)
def fresh_breaker(monkeypatch):
    """Each test starts with a process that has seen no Redis error."""
    monkeypatch.setattr(cache_backend, "breaker", cache_backend._Breaker())


def use_redis(settings, location, timeout=None):
    settings.CACHES = {
        "default": {
            "BACKEND": "public_cache.redis_cache.RedisCache",
            "LOCATION": location,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
            **(
                {"OPTIONS": {"socket_connect_timeout": timeout, "socket_timeout": timeout}}
                if timeout
                else {}
            ),
        }
    }
    return caches["default"]


@pytest.fixture
def redis_cache(settings):
    cache = use_redis(settings, REDIS_URL)
    yield cache
    cache.clear()
    cache.close()


@pytest.fixture
def redis_commands(monkeypatch):
    """(command, first key) of every command sent to Redis from here on."""
    commands = []
    execute = redis.Redis.execute_command

    def counted(self, *args, **options):
        commands.append((args[0], str(args[1]) if len(args) > 1 else ""))
        return execute(self, *args, **options)

    monkeypatch.setattr(redis.Redis, "execute_command", counted)
    return commands


def names(commands) -> list:
    return [name for name, _key in commands]


def test_the_cache_keeps_counts_and_values(redis_cache):
    redis_cache.set("a", {"x": 1}, 60)
    redis_cache.set("n", 1, 60)
    redis_cache.incr("n")

    assert redis_cache.get_many(["a", "n", "missing"]) == {"a": {"x": 1}, "n": 2}


def test_pages_are_assembled_from_fragments_kept_in_redis(client, settings, redis_cache):
    settings.PAGE_CACHE_ENABLED = False
    article = make_article(title="Servi depuis Redis")
    client.get(article.get_absolute_url())
    pagecache.forget_local_fragments()  # as in another gunicorn worker

    with CaptureQueriesContext(connection) as queries:
        response = client.get(article.get_absolute_url())

    assert "Servi depuis Redis" in response.content.decode()
    assert len(queries) <= 1


def test_the_site_keeps_working_when_redis_is_down(client, settings, caplog):
    # Nothing listens on port 1: every call fails at once, as when Redis is stopped.
    cache = use_redis(settings, "redis://127.0.0.1:1/0", timeout=0.2)
    article = make_article(title="Publié pendant la panne")

    assert "Publié pendant la panne" in client.get("/").content.decode()
    assert client.get(article.get_absolute_url()).status_code == 200
    article.title = "Corrigé pendant la panne"
    article.save()
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<h1 class="article__title">Corrigé pendant la panne</h1>' in html
    response = post_comment(client, article, token=token_from(article))
    assert response.status_code == 302
    assert Comment.objects.filter(article=article).count() == 1
    assert "Cache Redis indisponible" in caplog.text
    cache.close()


def test_a_stalled_redis_costs_a_page_one_timeout_not_one_per_call(client, settings):
    # A server that accepts connections and never answers, as a stalled Redis does.
    with socket.socket() as stalled:
        stalled.bind(("127.0.0.1", 0))
        stalled.listen(64)
        port = stalled.getsockname()[1]
        cache = use_redis(settings, f"redis://127.0.0.1:{port}/0", timeout=0.5)
        article = make_article(title="Servi malgré Redis figé")

        started = time.monotonic()
        html = client.get(article.get_absolute_url()).content.decode()
        elapsed = time.monotonic() - started
        cache.close()

    assert "Servi malgré Redis figé" in html
    # A page makes a dozen cache calls: without the breaker, 0.5 s each.
    assert elapsed < 2.5


def test_a_hit_asks_redis_one_thing_while_nothing_it_shows_changes(
    client, redis_cache, redis_commands
):
    hot = make_article(title="L’article le plus lu", category=Category.objects.get(slug="sports"))
    elsewhere = make_article(title="Ailleurs", category=Category.objects.get(slug="politique"))
    url = hot.get_absolute_url()
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"

    def asked_for_a_hit():
        redis_commands.clear()
        assert client.get(url)["X-Page-Cache"] == "hit"
        return names(redis_commands)

    assert asked_for_a_hit() == ["MGET"]  # the epoch: nothing changed since this process checked
    invalidation.changed(article=elsewhere)
    assert asked_for_a_hit() == ["MGET", "MGET"]  # then its keys' generations, unchanged
    assert asked_for_a_hit() == ["MGET"]


def test_a_page_assembled_from_kept_fragments_asks_redis_one_thing_while_nothing_changes(
    client, settings, redis_cache, redis_commands
):
    settings.PAGE_CACHE_ENABLED = False
    article = make_article(title="Le récit du jour", tags=["Budget"])
    url = article.get_absolute_url()
    client.get(url)

    def asked_for_the_page():
        redis_commands.clear()
        assert "Le récit du jour" in client.get(url).content.decode()
        return names(redis_commands)

    # The epoch and the next publication: every fragment was checked under this epoch.
    assert asked_for_the_page() == ["MGET"]
    invalidation.changed(tag=Tag.objects.create(name="Sans rapport"))
    assert asked_for_the_page()[0] == "MGET"
    # Then whether that change is complete, asked once for the whole page, and the
    # generations of the fragments' keys (fragments share what the page already read).
    assert [name for name, key in redis_commands if "pagecache:change:" in key] == ["GET"]
    # Trusted again until the next change.
    assert asked_for_the_page() == ["MGET"]


def test_fragments_showing_what_changed_are_rendered_again_the_others_trusted_anew(
    client, settings, redis_cache, redis_commands
):
    settings.PAGE_CACHE_ENABLED = False
    article = make_article(title="Le récit du jour")
    url = article.get_absolute_url()
    client.get(url)
    client.get(url)
    type(article).objects.filter(pk=article.pk).update(title="Le récit corrigé")
    invalidation.changed(article=article)

    assert "Le récit corrigé" in client.get(url).content.decode()
    redis_commands.clear()
    html = client.get(url).content.decode()

    assert "Le récit corrigé" in html
    assert names(redis_commands) == ["MGET"]
