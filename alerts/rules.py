"""The rules of the « Alerte info » banner: who may set it, the audit trail, and the refresh of
every public page it shows on.

The admin and tests call these functions; nothing else writes an alert.
"""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from newsroom.roles import is_editor
from public_cache import invalidation

from .models import Alert, AlertEvent

Action = AlertEvent.Action


def may_manage(user: AbstractUser) -> bool:
    """Editors only: a banner on every page is an editorial decision, like a publication."""
    return is_editor(user)


def save(alert: Alert, *, by: AbstractUser) -> Alert:
    """Set a new alert or change one; it shows (or changes) on every page at once."""
    _require(by)
    alert.full_clean()
    with transaction.atomic():
        before = None
        if alert.pk is not None:
            stored = Alert.objects.select_for_update().filter(pk=alert.pk).first()
            before = snapshot(stored) if stored else None
        if alert.pk is None:
            alert.created_by = by
        alert.save()
        after = snapshot(alert)
        if before != after:
            _audit(Action.SET if before is None else Action.CHANGE, alert, by, before, after)
        _pages_changed()
    return alert


def end(alert: Alert, *, by: AbstractUser) -> Alert:
    """Take an alert off the site now, before its planned end."""
    _require(by)
    with transaction.atomic():
        before = snapshot(alert)
        now = timezone.now()
        alert.ends_at = now
        if alert.starts_at > now:
            alert.starts_at = now
        alert.save(update_fields=["ends_at", "starts_at", "updated_at"])
        _audit(Action.END, alert, by, before, snapshot(alert))
        _pages_changed()
    return alert


def delete(alert: Alert, *, by: AbstractUser) -> None:
    """Delete an alert (shown or not); the trail keeps what it said."""
    _require(by)
    with transaction.atomic():
        _audit(Action.DELETE, alert, by, snapshot(alert), None)
        alert.delete()
        _pages_changed()


def snapshot(alert: Alert) -> dict:
    """What the audit trail keeps of an alert."""
    return {
        "text": alert.text,
        "link": alert.link,
        "starts_at": alert.starts_at.isoformat() if alert.starts_at else None,
        "ends_at": alert.ends_at.isoformat() if alert.ends_at else None,
    }


def _require(user) -> None:
    if not may_manage(user):
        raise PermissionDenied("Seuls les éditeurs peuvent mettre en place une alerte info.")


def _pages_changed() -> None:
    # The banner is part of every public page: all of them (and their fragments) are stale,
    # here and in the shared caches (every page carries the key « alert »). Its start and end
    # times bound how long pages are kept, s-maxage included (PAGE_CACHE_SCHEDULES).
    invalidation.changed(alert=True)


def _audit(action, alert, user, before, after) -> AlertEvent:
    return AlertEvent.record(
        action,
        by=user,
        alert_id=alert.pk,
        alert_text=alert.text,
        before=before,
        after=after,
    )
