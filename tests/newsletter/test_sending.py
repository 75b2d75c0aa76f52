import email.policy
import re
from collections import Counter
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.utils import timezone

from articles.models import Article, Category
from newsletter import sending, subscriptions
from newsletter.models import Delivery, Issue, Subscriber
from tests.factories import make_article, make_photo

from . import factories
from .factories import make_issue, make_subscriber

pytestmark = pytest.mark.django_db


@pytest.fixture
def issue():
    return make_issue(
        articles=[
            make_article(title="Sommet en Alaska", hero_photo=make_photo(with_renditions=True))
        ],
        status=Issue.Status.SENDING,
    )


def recipients(outbox):
    return Counter(address for message in outbox for address in message.to)


def test_each_confirmed_subscriber_gets_exactly_one_copy(issue, mailoutbox, settings):
    settings.NEWSLETTER_BATCH_SIZE = 2
    confirmed = [make_subscriber() for _ in range(5)]
    make_subscriber(status=Subscriber.Status.PENDING, email="attente@exemple.fr")
    make_subscriber(status=Subscriber.Status.UNSUBSCRIBED, email="parti@exemple.fr")

    progress = sending.send_issue.call(issue.pk)

    assert recipients(mailoutbox) == Counter({s.email: 1 for s in confirmed})
    assert progress["sent"] == 5 and progress["total"] == 5
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT
    assert issue.sent_at is not None


def test_running_the_task_again_sends_nothing_more(issue, mailoutbox):
    make_subscriber()
    sending.send_issue.call(issue.pk)
    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.SENDING)  # as if re-enqueued

    sending.send_issue.call(issue.pk)

    assert len(mailoutbox) == 1


def test_a_worker_killed_mid_batch_is_finished_by_the_next_run_without_duplicates(
    issue, settings, time_machine
):
    settings.NEWSLETTER_BATCH_SIZE = 4
    settings.NEWSLETTER_CLAIM_TIMEOUT = 600
    settings.MAILERS = {"default": {"BACKEND": "tests.newsletter.factories.CrashingBackend"}}
    subscribers = [make_subscriber() for _ in range(10)]
    factories.CrashingBackend.accepted, factories.CrashingBackend.crash_after = 0, 6
    time_machine.move_to(timezone.now(), tick=False)

    with pytest.raises(factories.WorkerKilled):
        sending.deliver(issue)
    assert len(mail.outbox) == 6
    assert issue.deliveries.filter(status=Delivery.Status.SENT).count() == 6

    factories.CrashingBackend.crash_after = 1000
    if connection.vendor != "postgresql":
        # SQLite cannot tell a dead worker from a slow one: a fresh claim is left alone…
        sending.deliver(issue)
        assert issue.deliveries.filter(status=Delivery.Status.PENDING).count() == 2
        issue.refresh_from_db()
        assert issue.status == Issue.Status.SENDING
        # …until it is stale.
        time_machine.shift(timedelta(minutes=11))
    # PostgreSQL knows at once: the dead worker's claim lock went with it.
    sending.deliver(issue)

    assert recipients(mail.outbox) == Counter({s.email: 1 for s in subscribers})
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT


@pytest.mark.skipif(connection.vendor != "postgresql", reason="verrous consultatifs : PostgreSQL")
def test_rows_claimed_by_a_live_sender_are_left_to_it_until_it_is_gone(issue, mailoutbox):
    import psycopg

    subscribers = [make_subscriber() for _ in range(3)]
    sending.create_deliveries(issue)
    taken = Delivery.objects.get(subscriber=subscribers[0])
    Delivery.objects.filter(pk=taken.pk).update(claimed_by=4242, claimed_at=timezone.now())
    params = connection.get_connection_params()
    other_sender = psycopg.connect(
        **{k: v for k, v in params.items() if k in {"dbname", "host", "port", "user"}},
        autocommit=True,
    )
    other_sender.execute("SELECT pg_advisory_lock(%s, 4242)", [sending.CLAIM_LOCK_SPACE])

    sending.deliver(issue)

    assert recipients(mailoutbox) == Counter({s.email: 1 for s in subscribers[1:]})
    taken.refresh_from_db()
    assert taken.status == Delivery.Status.PENDING
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENDING

    other_sender.close()  # as when its process is killed: the server drops its locks
    sending.deliver(issue)

    assert recipients(mailoutbox) == Counter({s.email: 1 for s in subscribers})
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT


def test_a_refused_address_is_marked_failed_and_the_others_are_sent(issue, settings):
    settings.MAILERS = {"default": {"BACKEND": "tests.newsletter.factories.RefusingBackend"}}
    make_subscriber(email="refuse@exemple.fr")
    make_subscriber(email="ok@exemple.fr")

    progress = sending.deliver(issue)

    assert progress["sent"] == 1 and progress["failed"] == 1
    failed = Delivery.objects.get(status=Delivery.Status.FAILED)
    assert failed.subscriber.email == "refuse@exemple.fr"
    assert "550" in failed.error
    assert [m.to for m in mail.outbox] == [["ok@exemple.fr"]]


def test_someone_unsubscribing_during_the_sending_gets_nothing(issue, settings, mailoutbox):
    settings.NEWSLETTER_BATCH_SIZE = 1
    subscribers = [make_subscriber() for _ in range(3)]
    original = sending._send_batch
    leaving = []

    def unsubscribe_someone_after_the_first_batch(composer, batch):
        original(composer, batch)
        if not leaving:
            pending = Delivery.objects.filter(status=Delivery.Status.PENDING).first()
            leaving.append(pending.subscriber)
            Client().post(
                subscriptions.unsubscribe_url(pending.subscriber),
                "List-Unsubscribe=One-Click",
                content_type="application/x-www-form-urlencoded",
            )

    sending._send_batch = unsubscribe_someone_after_the_first_batch
    try:
        sending.deliver(issue)
    finally:
        sending._send_batch = original

    assert recipients(mailoutbox) == Counter({s.email: 1 for s in subscribers if s != leaving[0]})
    assert Delivery.objects.get(subscriber=leaving[0]).status == Delivery.Status.SKIPPED


def test_unsubscribed_after_rows_were_created_is_skipped(issue, mailoutbox):
    subscriber = make_subscriber()
    sending.create_deliveries(issue)
    Subscriber.objects.filter(pk=subscriber.pk).update(status=Subscriber.Status.UNSUBSCRIBED)

    sending.deliver(issue)

    assert mailoutbox == []
    assert Delivery.objects.get().status == Delivery.Status.SKIPPED


def test_each_copy_keeps_only_the_subscribers_categories(mailoutbox):
    sports, culture = (
        Category.objects.get(slug="sports"),
        Category.objects.get(slug="culture-et-divertissement"),
    )
    economy = Category.objects.get(slug="economie")
    issue = make_issue(
        articles=[
            make_article(title="Finale de Roland-Garros", category=sports),
            make_article(title="Festival d'Avignon", category=culture),
        ],
        status=Issue.Status.SENDING,
    )
    fan = make_subscriber(email="fan@exemple.fr", categories=[sports])
    everyone = make_subscriber(email="tout@exemple.fr")
    make_subscriber(email="eco@exemple.fr", categories=[economy])

    sending.deliver(issue)

    copies = {m.to[0]: m.body for m in mailoutbox}
    assert set(copies) == {fan.email, everyone.email}
    assert "Roland-Garros" in copies[fan.email] and "Avignon" not in copies[fan.email]
    assert "Roland-Garros" in copies[everyone.email] and "Avignon" in copies[everyone.email]
    skipped = Delivery.objects.get(subscriber__email="eco@exemple.fr")
    assert skipped.status == Delivery.Status.SKIPPED


def test_every_copy_carries_one_click_unsubscribe_headers_that_work(issue, mailoutbox):
    subscriber = make_subscriber()
    sending.deliver(issue)

    url = subscriptions.unsubscribe_url(subscriber)
    # As the SMTP backend serialises it: the URL must stay literal, never an encoded-word.
    raw = mailoutbox[0].message(policy=email.policy.SMTP).as_bytes()
    assert f"\r\nList-Unsubscribe: <{url}>\r\n".encode() in raw
    assert b"\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n" in raw
    assert url.startswith("http://127.0.0.1:8000/newsletter/desabonnement/")

    response = Client().post(
        url.removeprefix("http://127.0.0.1:8000"),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED


def test_the_email_has_text_and_html_with_titles_photos_credits_and_links(issue, mailoutbox):
    subscriber = make_subscriber()
    article = Article.objects.get(title="Sommet en Alaska")
    sending.deliver(issue)

    message = mailoutbox[0]
    html = message.alternatives[0].content
    article_url = f"http://127.0.0.1:8000{article.get_absolute_url()}"
    for part in (message.body, html):
        assert "Sommet en Alaska" in part
        assert "Un chapô clair" in part
        assert article_url in part
        assert "© Andrew Caballero Reynolds" in part
        assert subscriptions.preferences_url(subscriber) in part
    assert 'src="http://127.0.0.1:8000/media/renditions/' in html
    assert "style=" in html  # email clients need inline styles
    assert "voici l'essentiel de la semaine" in message.body


def test_an_illustration_is_credited_as_such_in_the_newsletter(mailoutbox):
    make_subscriber()
    photo = make_photo(credit="Illustration : Actualités Express", with_renditions=True)
    issue = make_issue(
        articles=[make_article(title="Sommet illustré", hero_photo=photo)],
        status=Issue.Status.SENDING,
    )

    sending.deliver(issue)

    message = mailoutbox[0]
    for part in (message.body, message.alternatives[0].content):
        assert "Illustration\u00a0: Actualités Express" in part
        assert "Photo" not in part


def test_subscriber_data_is_escaped_in_the_html(issue, mailoutbox):
    make_subscriber(email="o'brien&co@exemple.fr")

    sending.deliver(issue)

    message = mailoutbox[0]
    html = message.alternatives[0].content
    assert "o&#x27;brien&amp;co@exemple.fr" in html
    assert "o'brien&co@exemple.fr" not in html
    assert "o'brien&co@exemple.fr" in message.body


def test_unpublished_articles_are_left_out_of_the_issue(mailoutbox):
    issue = make_issue(
        articles=[
            make_article(title="Publié"),
            make_article(title="Brouillon", status=Article.Status.DRAFT),
        ],
        status=Issue.Status.SENDING,
    )
    make_subscriber()

    sending.deliver(issue)

    assert "Publié" in mailoutbox[0].body and "Brouillon" not in mailoutbox[0].body


def test_start_sending_hands_the_issue_to_the_task(
    settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    issue = make_issue(articles=[make_article()])
    make_subscriber()

    with django_capture_on_commit_callbacks(execute=True):
        sending.start_sending(issue)

    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT
    assert len(mailoutbox) == 1
    with pytest.raises(sending.SendingError):
        sending.start_sending(issue)


def test_an_empty_issue_cannot_be_sent():
    issue = make_issue()

    with pytest.raises(sending.SendingError, match="au moins un article"):
        sending.start_sending(issue)

    issue.refresh_from_db()
    assert issue.status == Issue.Status.DRAFT


def test_prefill_adds_the_articles_published_since_the_last_issue(time_machine):
    time_machine.move_to("2025-08-15 10:00 +02:00", tick=False)
    old = make_article(title="Avant", published_at="2025-08-10T08:00:00+00:00")
    make_issue(articles=[old], status=Issue.Status.SENT, sent_at="2025-08-11T08:00:00+00:00")
    new = make_article(title="Après", published_at="2025-08-12T08:00:00+00:00")
    newer = make_article(title="Encore après", published_at="2025-08-14T08:00:00+00:00")
    make_article(title="Programmé", published_at="2025-08-20T08:00:00+00:00")
    draft = make_issue(articles=[newer])

    added = sending.prefill_articles(draft)

    assert added == 1
    assert list(draft.items.values_list("article__title", flat=True)) == ["Encore après", "Après"]
    assert new in draft.articles.all()


def test_the_first_issue_is_prefilled_with_the_latest_articles():
    for n in range(12):
        make_article(title=f"Article {n}")
    issue = make_issue()

    added = sending.prefill_articles(issue)

    assert added == sending.FIRST_ISSUE_ARTICLES
    newest = Article.objects.published().order_by("-published_at").first()
    assert issue.items.first().article == newest


def test_preview_and_test_copy(issue, mailoutbox):
    text, html = sending.preview(issue)
    assert "Sommet en Alaska" in text and "Sommet en Alaska" in html

    sending.send_test(issue, to="redaction@exemple.fr")

    assert mailoutbox[0].subject.startswith("[TEST] ")
    assert mailoutbox[0].to == ["redaction@exemple.fr"]
    assert Delivery.objects.count() == 0


def test_a_test_copy_says_so_and_its_links_lead_to_a_page_that_explains_them(issue, mailoutbox):
    sending.send_test(issue, to="redaction@exemple.fr")

    message = mailoutbox[0]
    html = message.alternatives[0].content
    assert "List-Unsubscribe" not in message.extra_headers
    assert "EXEMPLAIRE DE TEST" in message.body
    assert "Exemplaire de test" in html
    links = set(re.findall(r"http://127\.0\.0\.1:8000(/newsletter/[^\s\"<]+)", message.body + html))
    assert links == {"/newsletter/exemplaire-de-test/"}
    page = Client().get("/newsletter/exemplaire-de-test/")
    assert page.status_code == 200
    assert "Ce lien vient d’un exemplaire de test" in page.content.decode()
