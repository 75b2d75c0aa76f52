from django.apps import AppConfig


class PublicCacheConfig(AppConfig):
    """What readers get from the caches: whole pages, fragments, kept objects, form tokens."""

    name = "public_cache"
    verbose_name = "Cache des pages publiques"
