"""Sending surrogate keys to every configured purger, after commit, without making anyone wait.

`purge_after_commit(keys)` is called by the invalidation rules once the change is committed:
the purge leaves at once from a background thread of this process, so the editor's request
never waits for a cache. A purger that fails (Varnish restarting, a CDN's API down) is retried
by a background task (`edge.tasks.retry_purge`), with growing delays, and the failure is
logged once, not at every attempt. Meanwhile the pages involved expire by themselves
(s-maxage).
"""

import logging
import threading
from collections.abc import Collection
from concurrent.futures import Future, ThreadPoolExecutor

from django.db import close_old_connections, transaction

from . import purgers
from .purgers import purge_now
from .tasks import schedule_retry

logger = logging.getLogger(__name__)

_executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="purge")
_pending: set[Future] = set()
_pending_lock = threading.Lock()


def purge_after_commit(keys: Collection[str]) -> None:
    """Purge these keys from every shared cache once the current transaction commits."""
    keys = sorted(set(keys))
    if keys:
        transaction.on_commit(lambda: _in_background(keys))


def _in_background(keys: list[str]) -> None:
    if not purgers.configured():
        return
    future = _executor.submit(_purge_or_retry_later, keys)
    with _pending_lock:
        _pending.add(future)
    future.add_done_callback(_forget)


def _forget(future: Future) -> None:
    with _pending_lock:
        _pending.discard(future)


def wait(timeout: float = 10.0) -> None:
    """Waits for the purges this process has sent (tests, management commands)."""
    with _pending_lock:
        futures = list(_pending)
    for future in futures:
        future.result(timeout=timeout)


def _purge_or_retry_later(keys: list[str]) -> None:
    try:
        failed = purge_now(keys)
        if failed:
            for name, error in failed.items():
                logger.warning(
                    "Purge de %d clés refusée par %s (%s) : nouvel essai en tâche de fond.",
                    len(keys),
                    name,
                    error,
                )
            schedule_retry(keys, list(failed), attempt=1)
    except Exception:
        logger.exception("Purge de %d clés impossible à envoyer.", len(keys))
    finally:
        # This thread may have used the database (the retry task): give its connection back.
        close_old_connections()
