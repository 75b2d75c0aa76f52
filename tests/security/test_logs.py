"""Logs never carry a reader's email address or IP address (they are personal data)."""

import logging
import re
import smtplib

import pytest
from django.core.mail.backends.locmem import EmailBackend
from django.urls import reverse

from comments import moderation
from comments.models import Comment
from newsletter import sending, subscriptions
from newsletter.models import Subscriber
from tests.comments.factories import post_comment
from tests.factories import make_article, make_editor, make_user
from tests.newsletter.factories import make_issue, make_subscriber, signup_data

pytestmark = pytest.mark.django_db

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
IPV4 = re.compile(r"\b\d{1,3}(\.\d{1,3}){3}\b")


class RecipientRefusingBackend(EmailBackend):
    """The server refuses every recipient, naming them, as smtplib does."""

    def send_messages(self, messages):
        raise smtplib.SMTPRecipientsRefused({m.to[0]: (550, b"Mailbox unknown") for m in messages})


def logged_text(caplog):
    lines = []
    for record in caplog.records:
        lines.append(record.getMessage())
        if record.exc_info:
            lines.append(logging.Formatter().formatException(record.exc_info))
    return "\n".join(lines)


def assert_nothing_personal(caplog, *values):
    text = logged_text(caplog)
    for value in values:
        assert value not in text
    assert not EMAIL.search(text), EMAIL.search(text)
    assert not IPV4.search(text), IPV4.search(text)


def test_posting_and_moderating_a_comment_logs_no_email_nor_ip(client, caplog, mailoutbox):
    caplog.set_level(logging.INFO)
    make_editor(username="edouard", email="edouard@redaction.example")
    article = make_article()

    post_comment(client, article, ip="198.51.100.23", email="claire@example.org", text="Bravo.")
    post_comment(client, article, ip="198.51.100.23", email="pas une adresse", text="Bis.")
    comment = Comment.objects.get()
    comment.notify_on_approval = True
    comment.save()
    moderation.approve(comment)

    # The moderators' digests and the reader's notice went out.
    assert {address for message in mailoutbox for address in message.to} >= {
        "edouard@redaction.example",
        "claire@example.org",
    }
    assert_nothing_personal(caplog, "claire@example.org", "198.51.100.23", "edouard@")


def test_signing_up_confirming_and_unsubscribing_logs_no_email_nor_ip(client, caplog):
    caplog.set_level(logging.INFO)

    client.post(
        reverse("newsletter:subscribe"), signup_data("lea@exemple.fr"), REMOTE_ADDR="198.51.100.24"
    )
    client.post(reverse("newsletter:subscribe"), signup_data("lea@"), REMOTE_ADDR="198.51.100.24")
    subscriber = Subscriber.objects.get()
    client.post(reverse("newsletter:confirm", args=[subscriptions.confirm_token(subscriber)]))
    client.post(
        reverse("newsletter:unsubscribe", args=[subscriptions.unsubscribe_token(subscriber)])
    )

    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    assert_nothing_personal(caplog, "lea@exemple.fr", "198.51.100.24")


def test_a_failed_confirmation_email_logs_no_address(client, caplog, settings):
    caplog.set_level(logging.INFO)
    settings.MAILERS = {"default": {"BACKEND": "tests.security.test_logs.RecipientRefusingBackend"}}

    client.post(reverse("newsletter:subscribe"), signup_data("lea@exemple.fr"))

    assert caplog.records  # The failure is logged...
    assert_nothing_personal(caplog, "lea@exemple.fr")  # ...without the address.


def test_sending_an_issue_logs_no_address_of_staff_or_readers(caplog, settings):
    caplog.set_level(logging.INFO)
    settings.MAILERS = {"default": {"BACKEND": "tests.security.test_logs.RecipientRefusingBackend"}}
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    issue = make_issue(articles=[make_article()])
    make_subscriber(email="refuse@exemple.fr")
    # Some newsrooms use the email address as the login name.
    editor = make_user(username="chef@redaction.example", is_staff=True)

    sending.start_sending(issue, by=editor)
    sending.deliver(issue)

    assert any("refusé" in record.getMessage() for record in caplog.records)
    assert_nothing_personal(caplog, "refuse@exemple.fr", "chef@redaction.example")


def test_the_checker_sees_an_address_or_an_ip():
    class Record:
        exc_info = None

        def __init__(self, message):
            self.message = message

        def getMessage(self):
            return self.message

    class Log:
        records = [Record("envoi à lea@exemple.fr depuis 203.0.113.9")]

    with pytest.raises(AssertionError):
        assert_nothing_personal(Log())
