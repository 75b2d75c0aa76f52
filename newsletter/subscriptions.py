"""Subscription rules: signup with double opt-in, confirmation, unsubscribe, preferences."""

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from actualites.links import LinkError, absolute_url
from actualites.mail import Message
from public_forms.emails import email_key

from .models import Delivery, Subscriber

logger = logging.getLogger(__name__)

CONFIRM_SALT = "newsletter.confirm"
UNSUBSCRIBE_SALT = "newsletter.unsubscribe"
PREFERENCES_SALT = "newsletter.preferences"


def confirm_token(subscriber: Subscriber) -> str:
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign(subscriber.token.hex)


def unsubscribe_token(subscriber: Subscriber) -> str:
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(subscriber.token.hex)


def preferences_token(subscriber: Subscriber) -> str:
    return signing.Signer(salt=PREFERENCES_SALT).sign(subscriber.token.hex)


def unsubscribe_url(subscriber: Subscriber) -> str:
    return absolute_url(reverse("newsletter:unsubscribe", args=[unsubscribe_token(subscriber)]))


def preferences_url(subscriber: Subscriber) -> str:
    return absolute_url(reverse("newsletter:preferences", args=[preferences_token(subscriber)]))


class PersonalLinks:
    """Unsubscribe and preferences URLs for many subscribers, each route resolved once.

    Resolving a route costs more than signing the token: a sending makes thousands a second.
    """

    _SLOT = "0jeton0"

    def __init__(self):
        self._unsubscribe = self._around_token("newsletter:unsubscribe")
        self._preferences = self._around_token("newsletter:preferences")
        # The same signatures as unsubscribe_token() and preferences_token(), signers made once.
        self._unsubscribe_signer = signing.Signer(salt=UNSUBSCRIBE_SALT)
        self._preferences_signer = signing.Signer(salt=PREFERENCES_SALT)

    def _around_token(self, route: str) -> tuple[str, str]:
        before, slot, after = absolute_url(reverse(route, args=[self._SLOT])).partition(self._SLOT)
        if not slot or self._SLOT in after:
            raise ValueError(f"Adresse inattendue pour {route}")
        return before, after

    def unsubscribe_url(self, subscriber: Subscriber) -> str:
        before, after = self._unsubscribe
        return f"{before}{self._unsubscribe_signer.sign(subscriber.token.hex)}{after}"

    def preferences_url(self, subscriber: Subscriber) -> str:
        before, after = self._preferences
        return f"{before}{self._preferences_signer.sign(subscriber.token.hex)}{after}"


def _subscriber_for(token_hex: str) -> Subscriber:
    try:
        return Subscriber.objects.get(token=token_hex)
    except (Subscriber.DoesNotExist, ValidationError, ValueError):
        raise LinkError("invalid") from None


def subscriber_from_confirm_token(token: str) -> Subscriber:
    """The subscriber a confirmation link is for; LinkError if expired or tampered with."""
    try:
        value = signing.TimestampSigner(salt=CONFIRM_SALT).unsign(
            token, max_age=settings.NEWSLETTER_CONFIRM_MAX_AGE
        )
    except signing.SignatureExpired:
        raise LinkError("expired") from None
    except signing.BadSignature:
        raise LinkError("invalid") from None
    return _subscriber_for(value)


def subscriber_from_token(token: str, *, salt: str) -> Subscriber:
    """The subscriber a personal unsubscribe or preferences link is for."""
    try:
        value = signing.Signer(salt=salt).unsign(token)
    except signing.BadSignature:
        raise LinkError("invalid") from None
    return _subscriber_for(value)


@dataclass(frozen=True)
class Signup:
    subscriber: Subscriber
    # Set when this request sent nothing because one went out a moment ago: from when
    # another confirmation can be asked for.
    retry_at: datetime | None = None


def signup(*, email: str, source: str = "") -> Signup:
    """Record a signup request and send a confirmation if one is due.

    Whatever the address's state, the caller answers the same thing: nothing here leaks
    whether someone is subscribed. A confirmed address asking again within the resend
    interval gets the same `retry_at` as one waiting for its confirmation e-mail.
    """
    now = timezone.now()
    key = email_key(email)
    # Every write is one transaction: a database lost halfway leaves no signup the reader was
    # told failed. The email goes out after the commit, never while holding the row.
    with transaction.atomic():
        try:
            with transaction.atomic():
                subscriber, created = Subscriber.objects.get_or_create(
                    email_key=key,
                    defaults={"email": email, "consent_at": now, "consent_source": source[:300]},
                )
        except IntegrityError:
            # Another request created the same address between our SELECT and INSERT.
            subscriber, created = Subscriber.objects.get(email_key=key), False
        if subscriber.status == Subscriber.Status.CONFIRMED:
            return Signup(subscriber, retry_at=_asked_recently(key, now=now))
        if not created:
            # Pending, or unsubscribed and asking again: a new explicit double opt-in.
            Subscriber.objects.filter(pk=subscriber.pk).exclude(
                status=Subscriber.Status.CONFIRMED
            ).update(
                email=email,
                status=Subscriber.Status.PENDING,
                consent_at=now,
                consent_source=source[:300],
            )
            subscriber.refresh_from_db()
        due = _claim_confirmation(subscriber, now=now)
    if not due:
        sent_at = subscriber.last_confirmation_sent_at
        interval = timedelta(seconds=settings.NEWSLETTER_CONFIRM_RESEND_INTERVAL)
        return Signup(subscriber, retry_at=sent_at + interval if sent_at else None)
    _send_confirmation(subscriber)
    return Signup(subscriber)


def _asked_recently(key: str, *, now) -> datetime | None:
    """For a confirmed address, which gets no e-mail: when another request could be answered
    as for an address waiting for its confirmation; None the first time in the interval."""
    interval = settings.NEWSLETTER_CONFIRM_RESEND_INTERVAL
    cache_key = "newsletter:demande:" + hashlib.sha256(key.encode()).hexdigest()[:32]
    if cache.add(cache_key, now.timestamp(), timeout=interval):
        return None
    asked_at = cache.get(cache_key)
    if asked_at is None:
        return None
    return datetime.fromtimestamp(asked_at + interval, tz=now.tzinfo)


def _claim_confirmation(subscriber: Subscriber, *, now) -> bool:
    """True for the one request allowed to send a confirmation now (atomic UPDATE)."""
    threshold = now - timedelta(seconds=settings.NEWSLETTER_CONFIRM_RESEND_INTERVAL)
    claimed = (
        Subscriber.objects.filter(pk=subscriber.pk, status=Subscriber.Status.PENDING)
        .filter(
            Q(last_confirmation_sent_at__isnull=True) | Q(last_confirmation_sent_at__lt=threshold)
        )
        .update(last_confirmation_sent_at=now)
    )
    return claimed == 1


def _send_confirmation(subscriber: Subscriber) -> None:
    context = {
        "subscriber": subscriber,
        "confirm_url": absolute_url(
            reverse("newsletter:confirm", args=[confirm_token(subscriber)])
        ),
        "max_age_days": settings.NEWSLETTER_CONFIRM_MAX_AGE // 86400,
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
    }
    message = Message(
        subject=f"Confirmez votre abonnement à la newsletter d’{settings.SITE_NAME}",
        body=render_to_string("newsletter/email/confirmation.txt", context),
        to=[subscriber.email],
        html=render_to_string("newsletter/email/confirmation.html", context),
    )
    try:
        message.send()
    except Exception as exc:  # noqa: BLE001 - any failure leaves the signup to retry
        # The signup is kept; let the next attempt send a fresh confirmation at once. Only the
        # error's class is logged: SMTP errors quote the recipient's address.
        logger.error(
            "Confirmation newsletter non envoyée (abonné %s) : %s",
            subscriber.pk,
            type(exc).__name__,
        )
        Subscriber.objects.filter(pk=subscriber.pk).update(last_confirmation_sent_at=None)


def confirm(subscriber: Subscriber) -> bool:
    """Confirm a pending subscriber; False if already confirmed. LinkError if unsubscribed."""
    if subscriber.status == Subscriber.Status.CONFIRMED:
        return False
    if subscriber.status == Subscriber.Status.UNSUBSCRIBED:
        # An old link must not undo an unsubscribe: a new signup is needed.
        raise LinkError("unsubscribed")
    now = timezone.now()
    updated = Subscriber.objects.filter(pk=subscriber.pk, status=Subscriber.Status.PENDING).update(
        status=Subscriber.Status.CONFIRMED, confirmed_at=now, unsubscribed_at=None
    )
    subscriber.refresh_from_db()
    return updated == 1


def unsubscribe(subscriber: Subscriber) -> None:
    """Stop every mailing to this subscriber at once; the record is kept."""
    now = timezone.now()
    with transaction.atomic():
        Subscriber.objects.filter(pk=subscriber.pk).exclude(
            status=Subscriber.Status.UNSUBSCRIBED
        ).update(status=Subscriber.Status.UNSUBSCRIBED, unsubscribed_at=now)
        # Copies not yet sent of an issue being sent are dropped.
        Delivery.objects.filter(subscriber=subscriber, status=Delivery.Status.PENDING).update(
            status=Delivery.Status.SKIPPED, error="désabonné pendant l’envoi"
        )
    subscriber.refresh_from_db()


def set_preferences(subscriber: Subscriber, *, categories) -> None:
    """Choose the categories received; none means all."""
    subscriber.categories.set(categories)
