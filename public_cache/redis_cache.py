"""Django's Redis cache, with one redis-py client per pool, and never fatal to a page.

The cache only makes pages faster: when Redis is down or stalled, reads are misses and writes
are dropped, so the site keeps answering from PostgreSQL, as django-redis's
IGNORE_EXCEPTIONS would. After an error each process leaves Redis alone for a few seconds
(a circuit breaker): a stalled server costs one timeout, not one per call of every page.
"""

import logging
import time

from django.core.cache.backends import redis as django_redis
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
BREAK_SECONDS = 10


class _Breaker:
    def __init__(self):
        self.open_until = 0.0

    def is_open(self) -> bool:
        return time.monotonic() < self.open_until

    def trip(self, operation, error):
        logger.warning(
            "Cache Redis indisponible (%s : %s), ignoré pendant %d s.",
            operation,
            type(error).__name__,
            BREAK_SECONDS,
        )
        self.open_until = time.monotonic() + BREAK_SECONDS


breaker = _Breaker()
_MISSING = object()


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

    def _guarded(self, operation, *args):
        """The parent's `operation`, or _MISSING when Redis fails or was failing just now."""
        if breaker.is_open():
            return _MISSING
        try:
            return getattr(super(), operation)(*args)
        except RedisError as error:
            breaker.trip(operation, error)
            return _MISSING

    def get(self, key, default):
        value = self._guarded("get", key, default)
        return default if value is _MISSING else value

    def get_many(self, keys):
        found = self._guarded("get_many", keys)
        return {} if found is _MISSING else found

    def set(self, key, value, timeout):
        self._guarded("set", key, value, timeout)

    def add(self, key, value, timeout):
        added = self._guarded("add", key, value, timeout)
        # Callers use add() as a lock against doubles: letting them through loses nothing.
        return True if added is _MISSING else added

    def incr(self, key, delta):
        value = self._guarded("incr", key, delta)
        if value is _MISSING:
            # As for a missing key: callers start the count over.
            raise ValueError(f"Key '{key}' not found.")
        return value

    def delete(self, key):
        deleted = self._guarded("delete", key)
        return False if deleted is _MISSING else deleted

    def get_many_raw(self, keys):
        if breaker.is_open():
            return None
        try:
            return self.get_client(None).mget(keys)
        except RedisError as error:
            breaker.trip("mget", error)
            return None


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient

    # A page cache hit compares a page's keys' generations (public_cache/pagecache.py): read
    # as stored, without Django's per-key naming, checks and decoding (half a hit's cache time).
    def redis_names(self, keys) -> list[str]:
        """The names Redis keeps these cache keys under (prefix and version applied)."""
        return [self.make_and_validate_key(key) for key in keys]

    def get_many_raw(self, names) -> list | None:
        """The bytes stored under these Redis names, undecoded and in order (None for a
        missing one); None when Redis fails. An integer is stored as its digits."""
        return self._cache.get_many_raw(names)
