"""Django's Redis cache, with one redis-py client per pool, and never fatal to a page.

The cache only makes pages faster: when Redis is down or slow, reads are misses and writes
are dropped (with a warning in the logs, at most once a minute per process), so the site
keeps answering from PostgreSQL, as django-redis's IGNORE_EXCEPTIONS would.
"""

import logging
import time

from django.core.cache.backends import redis as django_redis
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
_WARN_EVERY_SECONDS = 60
_last_warning = [0.0]


def _warn(operation, error):
    now = time.monotonic()
    if now - _last_warning[0] >= _WARN_EVERY_SECONDS:
        _last_warning[0] = now
        logger.warning("Cache Redis indisponible (%s) : %s", operation, type(error).__name__)


class RedisCacheClient(django_redis.RedisCacheClient):
    # Django builds a new redis-py client for every cache call, and redis-py 8 fills ~170
    # response callbacks for each: a third of a page's cache time. A client is only a
    # thread-safe handle on its pool, so one per pool is enough.
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client

    def get(self, key, default):
        try:
            return super().get(key, default)
        except RedisError as error:
            _warn("get", error)
            return default

    def get_many(self, keys):
        try:
            return super().get_many(keys)
        except RedisError as error:
            _warn("get_many", error)
            return {}

    def set(self, key, value, timeout):
        try:
            super().set(key, value, timeout)
        except RedisError as error:
            _warn("set", error)

    def add(self, key, value, timeout):
        try:
            return super().add(key, value, timeout)
        except RedisError as error:
            # Callers use add() as a lock against doubles: letting them through loses nothing.
            _warn("add", error)
            return True

    def incr(self, key, delta):
        try:
            return super().incr(key, delta)
        except RedisError as error:
            # As for a missing key: callers start the count over.
            _warn("incr", error)
            raise ValueError(f"Key '{key}' not found.") from error

    def delete(self, key):
        try:
            return super().delete(key)
        except RedisError as error:
            _warn("delete", error)
            return False


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
