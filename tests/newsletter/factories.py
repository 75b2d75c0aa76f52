"""Small plain factories and helpers for the newsletter tests."""

import itertools
from datetime import timedelta

import time_machine
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone

from newsletter.forms import form_token
from newsletter.models import Issue, IssueArticle, Subscriber

_counter = itertools.count(1)


def make_subscriber(categories=(), **overrides):
    n = next(_counter)
    overrides.setdefault("email", f"lecteur{n}@exemple.fr")
    overrides.setdefault("email_key", overrides["email"].lower())
    overrides.setdefault("status", Subscriber.Status.CONFIRMED)
    overrides.setdefault("consent_at", timezone.now())
    overrides.setdefault("consent_source", "/")
    if overrides["status"] == Subscriber.Status.CONFIRMED:
        overrides.setdefault("confirmed_at", timezone.now())
    subscriber = Subscriber.objects.create(**overrides)
    if categories:
        subscriber.categories.set(categories)
    return subscriber


def make_issue(articles=(), **overrides):
    overrides.setdefault("subject", f"La lettre numéro {next(_counter)}")
    overrides.setdefault("introduction", "Bonjour,\nvoici l'essentiel de la semaine.")
    issue = Issue.objects.create(**overrides)
    for position, article in enumerate(articles, start=1):
        IssueArticle.objects.create(issue=issue, article=article, position=position)
    return issue


def signup_data(email, *, age=10, **extra):
    """What the public form posts, as if the reader had reached it `age` seconds ago."""
    with time_machine.travel(timezone.now() - timedelta(seconds=age), tick=False):
        stamp = form_token()
    return {"email": email, "site_web": "", "horodatage": stamp, "source": "/", **extra}


class CrashingBackend(EmailBackend):
    """Accepts `crash_after` messages, then dies like a killed worker would."""

    crash_after = 0
    accepted = 0

    def send_messages(self, messages):
        if CrashingBackend.accepted >= CrashingBackend.crash_after:
            raise WorkerKilled
        CrashingBackend.accepted += len(messages)
        return super().send_messages(messages)


class WorkerKilled(BaseException):
    """Not an Exception: nothing in the sending code may swallow it, as with SIGKILL."""


class RefusingBackend(EmailBackend):
    """The server refuses one address and accepts the others."""

    refused = "refuse@exemple.fr"

    def send_messages(self, messages):
        for message in messages:
            if self.refused in message.to:
                raise OSError("550 boîte inconnue")
        return super().send_messages(messages)
