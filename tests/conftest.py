import pytest
from django.core.cache import cache

from public_cache import pagecache


@pytest.fixture(autouse=True)
def isolated_media_and_static(settings, tmp_path):
    """Uploads go to a throw-away folder; static files need no collectstatic run."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    pagecache.forget_local_fragments()
    yield
    cache.clear()
    pagecache.forget_local_fragments()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def default_content(request):
    """The sections and about page a data migration creates, back after any database flush.

    Transactional tests (browser, concurrency) end with a flush that empties every table.
    """
    uses_db = request.node.get_closest_marker("django_db") or {
        "db",
        "transactional_db",
        "live_server",
    } & set(request.fixturenames)
    if uses_db:
        from articles.defaults import ensure_defaults

        ensure_defaults()


@pytest.fixture
def page_cache_on(settings):
    """Public pages kept whole (the setting is off in tests unless asked for)."""
    settings.PAGE_CACHE_ENABLED = True


@pytest.fixture
def caches_on(page_cache_on, settings):
    """Public pages kept whole and the fragments they are built from, both, as in production."""
    settings.FRAGMENT_CACHE_ENABLED = True


@pytest.fixture(params=["pages", "fragments", "both"])
def cache_layer(request, settings):
    """Invalidation holds for whole answers, for the pieces they are built from, and both."""
    settings.PAGE_CACHE_ENABLED = request.param in ("pages", "both")
    settings.FRAGMENT_CACHE_ENABLED = request.param in ("fragments", "both")
