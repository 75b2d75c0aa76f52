"""Purges retried in the background when a shared cache did not answer."""

import logging
from datetime import timedelta

from django.conf import settings
from django.tasks import task
from django.utils import timezone

from .purgers import purge_now

logger = logging.getLogger(__name__)


@task
def retry_purge(keys: list[str], names: list[str], attempt: int) -> list[str]:
    """Sends the keys again to the purgers that failed; returns those that still fail."""
    failed = purge_now(keys, names)
    recovered = sorted(set(names) - set(failed))
    if recovered:
        logger.info(
            "Purge de %d clés acceptée par %s au %de essai.",
            len(keys),
            ", ".join(recovered),
            attempt + 1,
        )
    if failed:
        if attempt >= settings.EDGE_PURGE_ATTEMPTS:
            logger.error(
                "Purge de %d clés abandonnée après %d essais (%s) : les pages expireront d’elles-mêmes.",
                len(keys),
                attempt + 1,
                "; ".join(f"{name} : {reason}" for name, reason in failed.items()),
            )
        else:
            schedule_retry(keys, list(failed), attempt=attempt + 1)
    return sorted(failed)


def schedule_retry(keys: list[str], names: list[str], *, attempt: int) -> None:
    """Enqueues the next attempt after 2, 4, 8… seconds (at most a minute apart)."""
    delay = min(2**attempt, 60)
    runner = retry_purge
    if runner.get_backend().supports_defer:
        runner = runner.using(run_after=timezone.now() + timedelta(seconds=delay))
    runner.enqueue(keys, names, attempt)
