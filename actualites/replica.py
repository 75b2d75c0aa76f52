"""Anonymous public reads from a PostgreSQL standby (DATABASE_REPLICA_URL), the rest from the primary.

Who reads where, decided once per request by ReplicaReadsMiddleware in a context variable
(the router only reads it, so the tasks worker, management commands and anything outside a
request always use the primary):
- a GET or HEAD without a session cookie (a reader, not the newsroom), outside the admin and
  the previews, reads from the standby;
- everything else reads and writes on the primary; so does a reader for
  DATABASE_REPLICA_PIN_SECONDS after one of their own POSTs succeeded (a signed cookie), so
  they see what they just did: their comment, their categories;
- and so does every reader while the standby has not yet replayed the last change pages show:
  pagecache records the primary's WAL position when it invalidates pages, and a request that
  needs the database first compares it with the standby's. A page rebuilt after a change, and
  kept in the cache for everyone, is never older than the change. A standby that does not
  answer sends its readers to the primary too.
"""

import contextvars
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import MiddlewareNotUsed
from django.core.signing import BadSignature
from django.db import DatabaseError, connections

logger = logging.getLogger(__name__)

REPLICA = "replica"
PIN_COOKIE = "ae_lecture_primaire"
PIN_SALT = "actualites.replica.pin"
FLOOR_KEY = "replica:primary-position"
# Seconds a standby that failed to answer is left aside by this process.
_RETRY_AFTER = 10


@dataclass
class _Plan:
    standby_allowed: bool
    standby_caught_up: bool | None = None  # asked the first time the request reads


_plan: contextvars.ContextVar[_Plan | None] = contextvars.ContextVar("replica_plan", default=None)
_standby_down_until = 0.0


def configured() -> bool:
    return REPLICA in settings.DATABASES


class ReplicaRouter:
    """Reads go to the standby only when the current request's plan allows it."""

    def db_for_read(self, model, **hints):
        plan = _plan.get()
        if plan is None or not plan.standby_allowed:
            return "default"
        if plan.standby_caught_up is None:
            plan.standby_caught_up = _standby_caught_up()
        return REPLICA if plan.standby_caught_up else "default"

    def db_for_write(self, model, **hints):
        # Explicit: an object read from the standby is still saved on the primary.
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # One database, two servers.

    def allow_migrate(self, db, app_label, **hints):
        return db != REPLICA


def _lsn(text: str) -> int:
    high, _, low = text.partition("/")
    return (int(high, 16) << 32) + int(low, 16)


def remember_primary_position() -> None:
    """Called when pages are invalidated: the standby must reach this point to serve them."""
    if not configured():
        return
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()::text")
            position = _lsn(cursor.fetchone()[0])
    except DatabaseError:
        return
    # Keep the furthest position seen (two writers at once: the larger one stays).
    if position > (cache.get(FLOOR_KEY) or 0):
        cache.set(FLOOR_KEY, position, timeout=None)


def _standby_caught_up() -> bool:
    global _standby_down_until
    if time.monotonic() < _standby_down_until:
        return False
    floor = cache.get(FLOOR_KEY) or 0
    try:
        with connections[REPLICA].cursor() as cursor:
            # NULL when the server is not a standby: then it has nothing to catch up.
            cursor.execute("SELECT pg_last_wal_replay_lsn()::text")
            replayed = cursor.fetchone()[0]
    except DatabaseError as error:
        logger.warning(
            "Réplique injoignable (%s) : lectures sur le primaire.", type(error).__name__
        )
        _standby_down_until = time.monotonic() + _RETRY_AFTER
        connections[REPLICA].close()
        return False
    return replayed is None or _lsn(replayed) >= floor


def _is_pinned(request) -> bool:
    if PIN_COOKIE not in request.COOKIES:
        return False
    try:
        request.get_signed_cookie(
            PIN_COOKIE, salt=PIN_SALT, max_age=settings.DATABASE_REPLICA_PIN_SECONDS
        )
    except (BadSignature, KeyError):
        return False
    return True


class ReplicaReadsMiddleware:
    """Decides, before anything reads, whether this request may read from the standby."""

    def __init__(self, get_response):
        if not configured():
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        safe = request.method in ("GET", "HEAD")
        reader = settings.SESSION_COOKIE_NAME not in request.COOKIES
        allowed = (
            safe
            and reader
            and not request.path.startswith(settings.REPLICA_PRIMARY_PATH_PREFIXES)
            and not _is_pinned(request)
        )
        token = _plan.set(_Plan(standby_allowed=allowed))
        try:
            response = self.get_response(request)
        finally:
            _plan.reset(token)
        if reader and not safe and response.status_code < 400:
            # Their next pages come from the primary: they see what they just did. Only on
            # this (never cached) answer: the pages they then read stay the same for everyone.
            response.set_signed_cookie(
                PIN_COOKIE,
                "1",
                salt=PIN_SALT,
                max_age=settings.DATABASE_REPLICA_PIN_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response
