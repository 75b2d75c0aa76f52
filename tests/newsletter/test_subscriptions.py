from datetime import timedelta

import pytest

from newsletter import subscriptions
from newsletter.models import Delivery, Subscriber
from newsletter.subscriptions import LinkError
from public_forms.emails import normalize_email

from .factories import make_issue, make_subscriber

pytestmark = pytest.mark.django_db


def test_same_person_with_other_case_is_one_subscriber(mailoutbox):
    for raw in ["Jean@exemple.fr", "jean@EXEMPLE.FR", " JEAN@Exemple.fr"]:
        subscriptions.signup(email=normalize_email(raw), source="/")

    assert Subscriber.objects.count() == 1


def test_signup_records_consent_and_sends_one_confirmation(mailoutbox, time_machine):
    time_machine.move_to("2025-08-15 10:00 +02:00", tick=False)

    answer = subscriptions.signup(email="lea@exemple.fr", source="/articles/sommet/")

    subscriber = answer.subscriber
    assert answer.retry_at is None
    assert subscriber.status == Subscriber.Status.PENDING
    assert subscriber.consent_source == "/articles/sommet/"
    assert subscriber.consent_at.isoformat() == "2025-08-15T08:00:00+00:00"
    assert subscriber.confirmed_at is None
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["lea@exemple.fr"]
    assert "/newsletter/confirmation/" in mailoutbox[0].body


def test_pending_address_gets_a_fresh_confirmation_but_not_too_often(
    mailoutbox, time_machine, settings
):
    settings.NEWSLETTER_CONFIRM_RESEND_INTERVAL = 600
    time_machine.move_to("2025-08-15 10:00 +02:00", tick=False)
    subscriptions.signup(email="lea@exemple.fr", source="/")
    subscriptions.signup(email="lea@exemple.fr", source="/")
    assert len(mailoutbox) == 1

    time_machine.shift(timedelta(minutes=11))
    subscriptions.signup(email="lea@exemple.fr", source="/")

    assert len(mailoutbox) == 2
    assert mailoutbox[0].body != mailoutbox[1].body  # a new link, signed at a new time


def test_confirmed_address_signing_up_again_gets_no_email(mailoutbox):
    subscriber = make_subscriber(email="lea@exemple.fr")

    subscriptions.signup(email="lea@exemple.fr", source="/")

    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    assert mailoutbox == []


def test_unsubscribed_address_signing_up_again_must_confirm_again(mailoutbox):
    subscriber = make_subscriber(email="lea@exemple.fr", status=Subscriber.Status.UNSUBSCRIBED)

    subscriptions.signup(email="lea@exemple.fr", source="/rubrique/sports/")

    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING
    assert subscriber.consent_source == "/rubrique/sports/"
    assert len(mailoutbox) == 1


def test_confirm_stamps_the_time_once(time_machine):
    time_machine.move_to("2025-08-15 10:00 +02:00", tick=False)
    subscriber = make_subscriber(status=Subscriber.Status.PENDING)

    assert subscriptions.confirm(subscriber) is True
    time_machine.shift(timedelta(hours=1))
    assert subscriptions.confirm(subscriber) is False

    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    assert subscriber.confirmed_at.isoformat() == "2025-08-15T08:00:00+00:00"


def test_unsubscribe_keeps_the_record_and_drops_pending_copies():
    subscriber = make_subscriber()
    delivery = Delivery.objects.create(issue=make_issue(), subscriber=subscriber)

    subscriptions.unsubscribe(subscriber)

    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    assert subscriber.unsubscribed_at is not None
    assert subscriber.email.startswith("lecteur")
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SKIPPED


def test_an_old_confirmation_link_cannot_undo_an_unsubscribe():
    subscriber = make_subscriber(status=Subscriber.Status.PENDING)
    token = subscriptions.confirm_token(subscriber)
    subscriptions.confirm(subscriber)
    subscriptions.unsubscribe(subscriber)

    with pytest.raises(LinkError) as caught:
        subscriptions.confirm(subscriptions.subscriber_from_confirm_token(token))

    assert caught.value.reason == "unsubscribed"
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED


def test_a_failed_confirmation_email_keeps_the_signup_and_allows_a_retry(settings, mailoutbox):
    settings.MAILERS = {"default": {"BACKEND": "tests.newsletter.factories.RefusingBackend"}}

    subscriptions.signup(email="refuse@exemple.fr", source="/")

    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.PENDING
    assert subscriber.last_confirmation_sent_at is None


def test_a_signup_interrupted_by_the_database_leaves_no_subscriber(monkeypatch, mailoutbox):
    from django.db import OperationalError

    def database_gone(*args, **kwargs):
        raise OperationalError("connexion perdue")

    monkeypatch.setattr(subscriptions, "_claim_confirmation", database_gone)

    with pytest.raises(OperationalError):
        subscriptions.signup(email="lea@exemple.fr")

    assert not Subscriber.objects.exists()
    assert mailoutbox == []
