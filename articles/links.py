"""Public addresses of articles, sections, authors, pages and images, computed once per process.

A page links to the same few dozen objects several times each, and reverse() walks the URL
patterns every time: a listing spent a tenth of its time there.
"""

from functools import lru_cache

from django.core.files.storage import default_storage
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import reverse


@lru_cache(maxsize=20_000)
def cached_url(name: str, *args) -> str:
    return reverse(name, args=args)


@lru_cache(maxsize=20_000)
def media_url(name: str) -> str:
    """A rendition's address: files get random names and are never rewritten in place."""
    return default_storage.url(name)


@receiver(setting_changed)
def _forget_urls(setting, **kwargs):
    # Tests that swap the URLconf or the script prefix must not see old addresses.
    if setting in {"ROOT_URLCONF", "FORCE_SCRIPT_NAME"}:
        cached_url.cache_clear()
    if setting in {"MEDIA_URL", "STORAGES"}:
        media_url.cache_clear()
