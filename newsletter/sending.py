"""Sending rules: compose an issue, assemble each copy, and deliver it exactly once.

Exactly once, concretely:
- one Delivery row per (issue, subscriber), guaranteed by a unique constraint, listed once
  when the sending starts (the subscribers confirmed at that moment);
- several senders share one issue (`start_sending` enqueues NEWSLETTER_SENDERS tasks, each run
  by whichever worker process takes it). A sender claims a batch of pending rows with
  SELECT … FOR UPDATE SKIP LOCKED and stamps them with its claim in a short transaction, so
  parallel senders never take the same rows;
- each copy goes over the sender's one SMTP connection, and its row is marked `sent` in its
  own tiny transaction right after the server accepted it. A row marked `sent` is never
  sent again.
- A claim is held as a PostgreSQL advisory lock for as long as its batch is being sent: when a
  sender dies, its connection closes, the lock goes with it, and the next claim (of any
  sender still running, or of a task enqueued by « Relancer l'envoi ») takes its rows over at
  once. On SQLite, which has neither, a claim older than NEWSLETTER_CLAIM_TIMEOUT is taken over.
- The only possible duplicate is the one copy the server accepted in the instant before its
  sender died, before its row was marked: at most one copy per dead sender (we chose that over
  possibly losing a copy). Marks are committed without waiting for the disk
  (synchronous_commit off, for the sender's session only): a sender's death loses none, a
  crash of the PostgreSQL server itself may forget the last fraction of a second of them,
  and those copies would then be sent again.
"""

import logging
import secrets
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import mailers
from django.db import DatabaseError, connection, transaction
from django.db.models import Count, Max, Q
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from actualites.links import absolute_url
from articles.dates import french_datetime
from articles.models import Article

from . import subscriptions
from .copies import READER_VALUES, Copy, CopyTemplate, Postman
from .models import Delivery, Issue, IssueArticle, Subscriber

logger = logging.getLogger(__name__)

FIRST_ISSUE_ARTICLES = 10

# First key of the advisory locks that hold claims (the second is the claim's own number).
CLAIM_LOCK_SPACE = 0x4E4C


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
    """Move a draft to "sending" and hand it to the background senders."""
    with transaction.atomic():
        updated = Issue.objects.filter(pk=issue.pk, status=Issue.Status.DRAFT).update(
            status=Issue.Status.SENDING, started_at=timezone.now()
        )
        if not updated:
            raise SendingError("Cette lettre a déjà été envoyée ou est en cours d’envoi.")
        if not issue.items.exists():
            raise SendingError("Ajoutez au moins un article avant d’envoyer la lettre.")
        transaction.on_commit(lambda: _enqueue_senders(issue))
    # The account's id, not its name: some newsrooms log in with an email address.
    logger.info("Envoi de la lettre %s lancé par le compte %s", issue.pk, getattr(by, "pk", None))
    issue.refresh_from_db()


def resume_sending(issue: Issue) -> None:
    """Hand an issue still being sent to the senders again (after a worker died)."""
    if issue.status != Issue.Status.SENDING:
        raise SendingError("Seule une lettre en cours d’envoi peut être reprise.")
    _enqueue_senders(issue)


def _enqueue_senders(issue: Issue) -> None:
    # One task per sender: as many worker processes as are free share the issue.
    for _ in range(settings.NEWSLETTER_SENDERS):
        send_issue.enqueue(issue.pk)


def progress_report(issue: Issue, *, now: datetime | None = None) -> dict:
    """Where the sending of an issue stands, in numbers and in one French sentence.

    Read by the issue's admin page and by its JSON endpoint (polled by newsletter-progress.js).
    The send has stalled when nothing moved for NEWSLETTER_CLAIM_TIMEOUT. A relaunched worker
    takes over the copies a dead one had claimed at once on PostgreSQL, after that timeout on
    SQLite (see the module docstring).
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
            f"Plus rien n’est parti depuis le {french_datetime(last_activity)} : le service "
            "d’envoi semble arrêté. Relancez l’envoi : les copies déjà parties ne seront pas "
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
        message = "La lettre n’a pas encore été envoyée."
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
    """Builds the copies of one issue: one MIME message per variant, then one join per reader.

    A variant is the list of articles a reader gets: readers whose categories select the same
    articles share it.
    """

    def __init__(self, issue: Issue, *, test: bool = False):
        self.issue = issue
        self.test = test
        self.subject = ("[TEST] " if test else "") + issue.subject
        self.articles = _issue_articles(issue)
        self.links = subscriptions.PersonalLinks()
        self._by_categories: dict[frozenset[int], CopyTemplate | None] = {}
        self._by_articles: dict[tuple[int, ...], CopyTemplate] = {}

    def _template(self, category_ids: frozenset[int]) -> CopyTemplate | None:
        if category_ids not in self._by_categories:
            articles = [
                a for a in self.articles if not category_ids or a.category_id in category_ids
            ]
            key = tuple(a.pk for a in articles)
            if not articles:
                self._by_categories[category_ids] = None
            elif key in self._by_articles:
                self._by_categories[category_ids] = self._by_articles[key]
            else:
                template = self._build(articles)
                self._by_articles[key] = self._by_categories[category_ids] = template
        return self._by_categories[category_ids]

    def _build(self, articles: list[Article]) -> CopyTemplate:
        # Markers (letters and digits only: no escaping changes them) stand for reader values.
        nonce = secrets.token_hex(8)
        markers = {name: f"ae{nonce}{name.replace('_', '')}" for name in READER_VALUES}
        context = {
            "issue": self.issue,
            "items": [_item(article) for article in articles],
            "site_name": settings.SITE_NAME,
            "site_url": settings.SITE_URL,
            "test": self.test,
            **markers,
        }
        return CopyTemplate(
            subject=self.subject,
            text=render_to_string("newsletter/email/issue.txt", context),
            html=render_to_string("newsletter/email/issue.html", context),
            markers=markers,
            # A copy for the newsroom, from no subscriber: nothing offers to unsubscribe anyone.
            list_unsubscribe=not self.test,
        )

    def copy_for(
        self, subscriber: "Subscriber | Recipient", *, category_ids: frozenset[int]
    ) -> Copy | None:
        """The subscriber's copy, or None when none of the articles is in their categories."""
        template = self._template(category_ids)
        if template is None:
            return None
        if self.test:
            # Its personal links lead to a page that says what they do in subscribers' copies.
            unsubscribe = preferences = absolute_url(reverse("newsletter:test-copy"))
        else:
            unsubscribe = self.links.unsubscribe_url(subscriber)
            preferences = self.links.preferences_url(subscriber)
        return template.fill(
            email=subscriber.email,
            message_key=f"lettre{self.issue.pk}.{subscriber.token.hex}",
            unsubscribe_url=unsubscribe,
            preferences_url=preferences,
        )


def _item(article: Article) -> dict:
    photo = article.hero_photo
    return {
        "article": article,
        "url": absolute_url(article.get_absolute_url()),
        "photo": photo,
        "photo_url": absolute_url(photo.url_for_width(600)) if photo else "",
    }


def preview(issue: Issue) -> tuple[str, str]:
    """Text and HTML of the issue as a subscriber to every category would receive it."""
    copy = Composer(issue).copy_for(
        Subscriber(email="lecteur@exemple.fr"), category_ids=frozenset()
    )
    if copy is None:
        return "Aucun article dans cette lettre.", "<p>Aucun article dans cette lettre.</p>"
    message = copy.as_email()
    return message.body, message.alternatives[0].content


def send_test(issue: Issue, *, to: str) -> None:
    """Send one test copy to a newsroom address, marked as such; its personal links lead to a
    page explaining what they do in the subscribers' copies."""
    copy = Composer(issue, test=True).copy_for(Subscriber(email=to), category_ids=frozenset())
    if copy is None:
        raise SendingError("Ajoutez au moins un article publié avant d’envoyer un test.")
    with Postman(mailers.default) as postman:
        postman.send(copy)


def create_deliveries(issue: Issue) -> None:
    """One pending row per confirmed subscriber, listed once, in one statement.

    Senders starting together wait on the issue's row lock; the first lists, the others find
    the rows there. INSERT … SELECT: a list of 200 000 never passes through Python.
    """
    with transaction.atomic():
        Issue.objects.select_for_update().get(pk=issue.pk)
        if issue.deliveries.exists():
            return
        deliveries, subscribers = (
            connection.ops.quote_name(model._meta.db_table) for model in (Delivery, Subscriber)
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {deliveries} (issue_id, subscriber_id, status, error) "
                f"SELECT %s, id, %s, '' FROM {subscribers} WHERE status = %s",
                [issue.pk, Delivery.Status.PENDING, Subscriber.Status.CONFIRMED],
            )


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def _new_claim() -> int:
    """A claim number, held as a session advisory lock on PostgreSQL until released."""
    while True:
        claim = secrets.randbelow(2**31 - 1) + 1
        if not _postgres():
            return claim
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [CLAIM_LOCK_SPACE, claim])
            if cursor.fetchone()[0]:
                return claim


def _release_claim(claim: int) -> None:
    if not _postgres():
        return
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [CLAIM_LOCK_SPACE, claim])
    except DatabaseError:
        pass  # The connection is gone, and the lock with it.


def _abandoned_claims(issue: Issue, *, mine: int) -> list[int]:
    """Claims on pending rows whose sender is gone (its lock is free), locked till commit.

    Holding each one's lock for the claiming transaction means no live sender can hold it
    meanwhile: rows are never taken from a sender that is still sending them.
    """
    claims = list(
        Delivery.objects.filter(issue=issue, status=Delivery.Status.PENDING)
        .filter(claimed_by__isnull=False)
        .exclude(claimed_by=mine)
        .values_list("claimed_by", flat=True)
        .distinct()
    )
    if not claims:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT claim FROM unnest(%s::integer[]) AS claim "
            "WHERE pg_try_advisory_xact_lock(%s, claim)",
            [claims, CLAIM_LOCK_SPACE],
        )
        return [row[0] for row in cursor.fetchall()]


@dataclass(frozen=True, slots=True)
class Recipient:
    """One claimed row and what its copy needs, read without building model instances."""

    delivery_id: int
    email: str
    token: uuid.UUID
    confirmed: bool
    category_ids: frozenset[int]


def _claim_batch(issue: Issue, *, claim: int, now: datetime) -> list[Recipient]:
    with transaction.atomic():
        if _postgres():
            free = Q(claimed_by__isnull=True) | Q(
                claimed_by__in=_abandoned_claims(issue, mine=claim)
            )
        else:
            stale = now - timedelta(seconds=settings.NEWSLETTER_CLAIM_TIMEOUT)
            free = Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale)
        rows = list(
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(free, issue=issue, status=Delivery.Status.PENDING)
            .order_by("pk")
            .values_list("pk", flat=True)[: settings.NEWSLETTER_BATCH_SIZE]
        )
        Delivery.objects.filter(pk__in=rows).update(claimed_at=now, claimed_by=claim)
    claimed = list(
        Delivery.objects.filter(pk__in=rows)
        .order_by("pk")
        .values_list("pk", "subscriber_id", "subscriber__email", "subscriber__token")
        .annotate(confirmed=Q(subscriber__status=Subscriber.Status.CONFIRMED))
    )
    # Re-read now, not when the rows were listed: someone may have unsubscribed or changed
    # their categories since.
    categories: dict[int, set[int]] = {}
    for subscriber_id, category_id in Subscriber.categories.through.objects.filter(
        subscriber_id__in=[row[1] for row in claimed]
    ).values_list("subscriber_id", "category_id"):
        categories.setdefault(subscriber_id, set()).add(category_id)
    return [
        Recipient(
            delivery_id=pk,
            email=email,
            token=token,
            confirmed=confirmed,
            category_ids=frozenset(categories.get(subscriber_id, ())),
        )
        for pk, subscriber_id, email, token, confirmed in claimed
    ]


def _mark_sent(recipient: Recipient) -> None:
    # Autocommit: each mark is its own small transaction, kept even if the worker dies next.
    # Plain SQL, one parameter: the ORM's UPDATE cost twice the round trip, once per copy.
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {connection.ops.quote_name(Delivery._meta.db_table)} "
            "SET status = 'sent', error = '', sent_at = CURRENT_TIMESTAMP WHERE id = %s",
            [recipient.delivery_id],
        )


def _mark(recipient: Recipient, status: str, *, error: str) -> None:
    Delivery.objects.filter(pk=recipient.delivery_id).update(status=status, error=error[:1000])


@dataclass
class _Sender:
    """What one sender keeps from batch to batch: its copies and its SMTP connection."""

    composer: Composer
    postman: Postman


def _send_batch(sender: _Sender, batch: list[Recipient]) -> None:
    for recipient in batch:
        if not recipient.confirmed:
            _mark(recipient, Delivery.Status.SKIPPED, error="abonné non confirmé")
            continue
        copy = sender.composer.copy_for(recipient, category_ids=recipient.category_ids)
        if copy is None:
            _mark(recipient, Delivery.Status.SKIPPED, error="aucun article de ses rubriques")
            continue
        try:
            accepted = sender.postman.send(copy)
        except Exception as exc:  # noqa: BLE001 - any refusal is recorded on the row
            # SMTP errors quote the address: the row keeps the detail, the log its class.
            logger.warning("Envoi %s refusé : %s", recipient.delivery_id, type(exc).__name__)
            _mark(recipient, Delivery.Status.FAILED, error=str(exc) or exc.__class__.__name__)
            continue
        if accepted:
            _mark_sent(recipient)
        else:
            _mark(recipient, Delivery.Status.FAILED, error="refusé par le serveur")


@contextmanager
def _marks_without_waiting_for_disk():
    """synchronous_commit off for this session while it sends (see the module docstring)."""
    if not _postgres():
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute("RESET synchronous_commit")
        except DatabaseError:
            pass


def deliver(issue: Issue) -> dict[str, int]:
    """Send pending copies of an issue being sent until none is left to claim.

    Safe to run in several processes at once, and again after a crash.
    """
    issue = Issue.objects.get(pk=issue.pk)
    if issue.status != Issue.Status.SENDING:
        return issue.progress()
    create_deliveries(issue)
    sender = _Sender(composer=Composer(issue), postman=Postman(mailers.default))
    with _marks_without_waiting_for_disk(), sender.postman:
        while True:
            claim = _new_claim()
            try:
                batch = _claim_batch(issue, claim=claim, now=timezone.now())
                if not batch:
                    break
                _send_batch(sender, batch)
            finally:
                _release_claim(claim)
    if not issue.deliveries.filter(status=Delivery.Status.PENDING).exists():
        Issue.objects.filter(pk=issue.pk, status=Issue.Status.SENDING).update(
            status=Issue.Status.SENT, sent_at=timezone.now()
        )
    return issue.progress()


@task()
def send_issue(issue_id: int) -> dict[str, int]:
    """Background task: one sender of an issue (start_sending enqueues several)."""
    return deliver(Issue.objects.get(pk=issue_id))
