"""Sending rules: compose an issue, render each copy, and deliver it exactly once.

Exactly once, concretely:
- one Delivery row per (issue, subscriber), guaranteed by a unique constraint;
- a worker claims a batch of pending rows with SELECT … FOR UPDATE SKIP LOCKED and stamps
  `claimed_at` in a short transaction, so parallel workers never take the same rows;
- each message is sent over the batch's one mail connection, and its row is marked `sent`
  in its own tiny transaction right after the server accepted it. A row marked `sent` is
  never sent again.
- If a worker dies, its claimed rows are still `pending`; once the claim is older than
  NEWSLETTER_CLAIM_TIMEOUT the next run takes them over. The only possible duplicate is the
  one message the server accepted in the instant before the worker died, before its row was
  marked: at most one message per dead worker (we chose that over possibly losing a copy).
"""

import email.policy
import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import transaction
from django.db.models import Count, Max, Q
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from articles.dates import french_datetime
from articles.models import Article

from . import subscriptions
from .models import Delivery, Issue, IssueArticle, Subscriber

logger = logging.getLogger(__name__)

# Personal values are put into each rendered copy by replacement: one render per category set.
_UNSUBSCRIBE = "%%DESABONNEMENT%%"
_PREFERENCES = "%%PREFERENCES%%"
_EMAIL = "%%ADRESSE%%"


FIRST_ISSUE_ARTICLES = 10


class NewsletterMessage(EmailMultiAlternatives):
    """A newsletter copy whose long headers stay readable.

    With the usual 78-character lines, Python's email package turns a List-Unsubscribe URL
    longer than a line into RFC 2047 encoded-words, which mail clients do not read as a URL.
    RFC 5322 allows header lines up to 998 characters.
    """

    def message(self, *, policy=email.policy.default):
        return super().message(policy=policy.clone(max_line_length=998))


class SendingError(Exception):
    """An issue cannot move to the requested state."""


def prefill_articles(issue: Issue) -> int:
    """Add the articles published since the last sent issue; returns how many were added.

    Before any issue was sent, the latest FIRST_ISSUE_ARTICLES articles are offered instead.
    """
    last_sent = Issue.objects.filter(status=Issue.Status.SENT).aggregate(at=Max("sent_at"))["at"]
    published = Article.objects.published().order_by("-published_at")
    candidates = (
        published.filter(published_at__gt=last_sent)
        if last_sent
        else published[:FIRST_ISSUE_ARTICLES]
    )
    already = set(issue.items.values_list("article_id", flat=True))
    position = issue.items.aggregate(top=Max("position"))["top"] or 0
    new_items = []
    for article in candidates:
        if article.pk in already:
            continue
        position += 1
        new_items.append(IssueArticle(issue=issue, article=article, position=position))
    IssueArticle.objects.bulk_create(new_items)
    return len(new_items)


def start_sending(issue: Issue, *, by: AbstractBaseUser | None = None) -> None:
    """Move a draft to "sending" and hand it to the background worker."""
    with transaction.atomic():
        updated = Issue.objects.filter(pk=issue.pk, status=Issue.Status.DRAFT).update(
            status=Issue.Status.SENDING, started_at=timezone.now()
        )
        if not updated:
            raise SendingError("Cette lettre a déjà été envoyée ou est en cours d'envoi.")
        if not issue.items.exists():
            raise SendingError("Ajoutez au moins un article avant d'envoyer la lettre.")
        transaction.on_commit(lambda: send_issue.enqueue(issue.pk))
    # The account's id, not its name: some newsrooms log in with an email address.
    logger.info("Envoi de la lettre %s lancé par le compte %s", issue.pk, getattr(by, "pk", None))
    issue.refresh_from_db()


def resume_sending(issue: Issue) -> None:
    """Hand an issue still being sent to the worker again (after a worker restart)."""
    if issue.status != Issue.Status.SENDING:
        raise SendingError("Seule une lettre en cours d'envoi peut être reprise.")
    send_issue.enqueue(issue.pk)


def progress_report(issue: Issue, *, now: datetime | None = None) -> dict:
    """Where the sending of an issue stands, in numbers and in one French sentence.

    Read by the issue's admin page and by its JSON endpoint (polled by newsletter-progress.js).
    The send has stalled when nothing moved for NEWSLETTER_CLAIM_TIMEOUT: that is also when a
    relaunched worker may take over copies a dead one had claimed.
    """
    now = now or timezone.now()
    counts = issue.deliveries.aggregate(
        total=Count("pk"),
        **{status.value: Count("pk", filter=Q(status=status.value)) for status in Delivery.Status},
        last_claim=Max("claimed_at"),
        last_sent=Max("sent_at"),
    )
    total = counts["total"]
    done = total - counts[Delivery.Status.PENDING]
    activity = [t for t in (issue.started_at, counts["last_claim"], counts["last_sent"]) if t]
    last_activity = max(activity) if activity else None
    sending = issue.status == Issue.Status.SENDING
    stalled = (
        sending
        and last_activity is not None
        and (now - last_activity).total_seconds() > settings.NEWSLETTER_CLAIM_TIMEOUT
    )
    if issue.status == Issue.Status.SENT:
        message = f"Envoi terminé le {french_datetime(issue.sent_at)}."
    elif stalled:
        message = (
            f"Plus rien n'est parti depuis le {french_datetime(last_activity)} : le service "
            "d'envoi semble arrêté. Relancez l'envoi : les copies déjà parties ne seront pas "
            "renvoyées."
        )
    elif sending and total == 0:
        expected = Subscriber.objects.confirmed().count()
        message = (
            f"Envoi lancé : préparation des copies pour {expected} "
            f"abonné{'s' if expected > 1 else ''} confirmé{'s' if expected > 1 else ''}…"
        )
    elif sending:
        copies = "copie traitée" if total == 1 else "copies traitées"
        message = f"Envoi en cours : {done} sur {total} {copies}."
    else:
        message = "La lettre n'a pas encore été envoyée."
    return {
        "status": issue.status,
        "label": issue.get_status_display(),
        "sent": counts[Delivery.Status.SENT],
        "failed": counts[Delivery.Status.FAILED],
        "skipped": counts[Delivery.Status.SKIPPED],
        "pending": counts[Delivery.Status.PENDING],
        "total": total,
        "done": done,
        "percent": round(100 * done / total) if total else 0,
        "stalled": stalled,
        "finished": issue.status == Issue.Status.SENT,
        "message": message,
    }


def _issue_articles(issue: Issue) -> list[Article]:
    return [
        item.article
        for item in issue.items.select_related("article__category", "article__hero_photo").filter(
            article__in=Article.objects.published()
        )
    ]


class Composer:
    """Renders the copies of one issue, once per set of categories."""

    def __init__(self, issue: Issue):
        self.issue = issue
        self.articles = _issue_articles(issue)
        self._rendered: dict[tuple[frozenset[int], bool], tuple[str, str] | None] = {}

    def _render(self, category_ids: frozenset[int], test: bool) -> tuple[str, str] | None:
        key = (category_ids, test)
        if key not in self._rendered:
            articles = [
                a for a in self.articles if not category_ids or a.category_id in category_ids
            ]
            if not articles:
                self._rendered[key] = None
            else:
                context = {
                    "issue": self.issue,
                    "items": [_item(article) for article in articles],
                    "site_name": settings.SITE_NAME,
                    "site_url": settings.SITE_URL,
                    "unsubscribe_url": _UNSUBSCRIBE,
                    "preferences_url": _PREFERENCES,
                    "email": _EMAIL,
                    "test": test,
                }
                self._rendered[key] = (
                    render_to_string("newsletter/email/issue.txt", context),
                    render_to_string("newsletter/email/issue.html", context),
                )
        return self._rendered[key]

    def message_for(
        self, subscriber: Subscriber, *, category_ids: frozenset[int], test: bool = False
    ) -> EmailMultiAlternatives | None:
        """The subscriber's copy, or None when none of the articles is in their categories."""
        rendered = self._render(category_ids, test)
        if rendered is None:
            return None
        text, html = rendered
        if test:
            # A copy for the newsroom, from no subscriber: its personal links lead to a page
            # that says so, and no List-Unsubscribe header offers to unsubscribe anyone.
            unsubscribe = preferences = subscriptions.absolute(reverse("newsletter:test-copy"))
            headers = {}
        else:
            unsubscribe = subscriptions.unsubscribe_url(subscriber)
            preferences = subscriptions.preferences_url(subscriber)
            headers = {
                "List-Unsubscribe": f"<{unsubscribe}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            }
        text = (
            text.replace(_UNSUBSCRIBE, unsubscribe)
            .replace(_PREFERENCES, preferences)
            .replace(_EMAIL, subscriber.email)
        )
        html = (
            html.replace(_UNSUBSCRIBE, escape(unsubscribe))
            .replace(_PREFERENCES, escape(preferences))
            .replace(_EMAIL, escape(subscriber.email))
        )
        message = NewsletterMessage(
            subject=("[TEST] " if test else "") + self.issue.subject,
            body=text,
            to=[subscriber.email],
            headers=headers,
        )
        message.attach_alternative(html, "text/html")
        return message


def _item(article: Article) -> dict:
    photo = article.hero_photo
    return {
        "article": article,
        "url": subscriptions.absolute(article.get_absolute_url()),
        "photo": photo,
        "photo_url": subscriptions.absolute(photo.url_for_width(600)) if photo else "",
    }


def preview(issue: Issue) -> tuple[str, str]:
    """Text and HTML of the issue as a subscriber to every category would receive it."""
    message = Composer(issue).message_for(
        Subscriber(email="lecteur@exemple.fr"), category_ids=frozenset()
    )
    if message is None:
        return "Aucun article dans cette lettre.", "<p>Aucun article dans cette lettre.</p>"
    return message.body, message.alternatives[0].content


def send_test(issue: Issue, *, to: str) -> None:
    """Send one test copy to a newsroom address, marked as such; its personal links lead to a
    page explaining what they do in the subscribers' copies."""
    message = Composer(issue).message_for(Subscriber(email=to), category_ids=frozenset(), test=True)
    if message is None:
        raise SendingError("Ajoutez au moins un article publié avant d'envoyer un test.")
    message.send()


def create_deliveries(issue: Issue) -> None:
    """One pending row per confirmed subscriber, in batches, never loading them all."""
    batch_size = settings.NEWSLETTER_BATCH_SIZE
    batch = []
    for subscriber_id in (
        Subscriber.objects.confirmed()
        .order_by("pk")
        .values_list("pk", flat=True)
        .iterator(chunk_size=batch_size)
    ):
        batch.append(Delivery(issue=issue, subscriber_id=subscriber_id))
        if len(batch) >= batch_size:
            Delivery.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    if batch:
        Delivery.objects.bulk_create(batch, ignore_conflicts=True)


def _claim_batch(issue: Issue, *, now: datetime) -> list[Delivery]:
    stale = now - timedelta(seconds=settings.NEWSLETTER_CLAIM_TIMEOUT)
    with transaction.atomic():
        rows = list(
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(issue=issue, status=Delivery.Status.PENDING)
            .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale))
            .order_by("pk")
            .values_list("pk", flat=True)[: settings.NEWSLETTER_BATCH_SIZE]
        )
        Delivery.objects.filter(pk__in=rows).update(claimed_at=now)
    return list(
        Delivery.objects.filter(pk__in=rows)
        .select_related("subscriber")
        .prefetch_related("subscriber__categories")
        .order_by("pk")
    )


def _mark(delivery: Delivery, status: str, *, error: str = "") -> None:
    # Autocommit: each mark is its own small transaction, kept even if the worker dies next.
    Delivery.objects.filter(pk=delivery.pk).update(
        status=status,
        error=error[:1000],
        sent_at=timezone.now() if status == Delivery.Status.SENT else None,
    )


def _send_batch(composer: Composer, batch: list[Delivery]) -> None:
    # Re-read statuses now: someone may have unsubscribed since the rows were created.
    still_confirmed = set(
        Subscriber.objects.confirmed()
        .filter(pk__in=[d.subscriber_id for d in batch])
        .values_list("pk", flat=True)
    )
    with mailers.default as connection:
        for delivery in batch:
            subscriber = delivery.subscriber
            if subscriber.pk not in still_confirmed:
                _mark(delivery, Delivery.Status.SKIPPED, error="abonné non confirmé")
                continue
            category_ids = frozenset(c.pk for c in subscriber.categories.all())
            message = composer.message_for(subscriber, category_ids=category_ids)
            if message is None:
                _mark(delivery, Delivery.Status.SKIPPED, error="aucun article de ses rubriques")
                continue
            try:
                accepted = connection.send_messages([message])
            except Exception as exc:  # noqa: BLE001 - any refusal is recorded on the row
                # SMTP errors quote the address: the row keeps the detail, the log its class.
                logger.warning("Envoi %s refusé : %s", delivery.pk, type(exc).__name__)
                _mark(delivery, Delivery.Status.FAILED, error=str(exc) or exc.__class__.__name__)
                continue
            if accepted:
                _mark(delivery, Delivery.Status.SENT)
            else:
                _mark(delivery, Delivery.Status.FAILED, error="refusé par le serveur")


def deliver(issue: Issue) -> dict[str, int]:
    """Send every pending copy of an issue being sent; safe to run again after a crash."""
    issue = Issue.objects.get(pk=issue.pk)
    if issue.status != Issue.Status.SENDING:
        return issue.progress()
    create_deliveries(issue)
    composer = Composer(issue)
    while batch := _claim_batch(issue, now=timezone.now()):
        _send_batch(composer, batch)
    if not issue.deliveries.filter(status=Delivery.Status.PENDING).exists():
        Issue.objects.filter(pk=issue.pk, status=Issue.Status.SENDING).update(
            status=Issue.Status.SENT, sent_at=timezone.now()
        )
    return issue.progress()


@task()
def send_issue(issue_id: int) -> dict[str, int]:
    """Background task: deliver one issue (enqueued by start_sending)."""
    return deliver(Issue.objects.get(pk=issue_id))
