import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from newsletter.models import Delivery, Issue, IssueArticle, Subscriber
from newsroom.roles import EDITORS, JOURNALISTS, sync_roles
from tests.factories import make_article, make_user

from .factories import make_issue, make_subscriber

pytestmark = pytest.mark.django_db


def staff(client, role, **overrides):
    sync_roles()
    user = make_user(is_staff=True, **overrides)
    user.groups.add(Group.objects.get(name=role))
    client.force_login(user)
    return user


@pytest.fixture
def editor(client):
    return staff(client, EDITORS, email="editeur@actualites.example")


def test_editor_sees_subscribers_with_counts_and_can_search(client, editor):
    make_subscriber(email="lea@exemple.fr", consent_source="/rubrique/sports/")
    make_subscriber(email="paul@exemple.fr", status=Subscriber.Status.PENDING)
    make_subscriber(email="zoe@exemple.fr", status=Subscriber.Status.UNSUBSCRIBED)

    page = client.get(reverse("admin:newsletter_subscriber_changelist"))
    found = client.get(reverse("admin:newsletter_subscriber_changelist"), {"q": "LEA@"})

    html = page.content.decode()
    assert "Confirmés&nbsp;: 1 · en attente&nbsp;: 1 · désabonnés&nbsp;: 1 · total&nbsp;: 3" in html
    assert "/rubrique/sports/" in html
    assert "lea@exemple.fr" in found.content.decode()
    assert "paul@exemple.fr" not in found.content.decode()


def test_editor_exports_subscribers_as_csv_without_formulas(client, editor):
    make_subscriber(email="=cmd@exemple.fr")
    make_subscriber(email="lea@exemple.fr")

    response = client.post(
        reverse("admin:newsletter_subscriber_changelist"),
        {"action": "export_csv", "select_across": "1", "index": "0", "_selected_action": ["0"]},
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    content = b"".join(response.streaming_content).decode().lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(content)))
    assert rows[0][:2] == ["adresse", "statut"]
    assert sorted(r[0] for r in rows[1:]) == ["'=cmd@exemple.fr", "lea@exemple.fr"]
    assert rows[1][1] == "confirmé"


def test_journalist_has_no_access_to_subscribers(client):
    staff(client, JOURNALISTS)

    response = client.get(reverse("admin:newsletter_subscriber_changelist"))

    assert response.status_code == 403


def test_editor_composes_previews_tests_and_sends_an_issue(
    client, editor, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    article = make_article(title="Sommet en Alaska")
    make_subscriber(email="lea@exemple.fr")
    response = client.post(
        reverse("admin:newsletter_issue_add"),
        {
            "subject": "La lettre du 15 août",
            "introduction": "Bonjour",
            "items-TOTAL_FORMS": "1",
            "items-INITIAL_FORMS": "0",
            "items-0-position": "1",
            "items-0-article": article.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    issue = Issue.objects.get()
    assert issue.created_by == editor
    assert IssueArticle.objects.get().article == article

    html = client.get(reverse("admin:newsletter_issue_preview", args=[issue.pk]))
    text = client.get(reverse("admin:newsletter_issue_preview_text", args=[issue.pk]))
    assert "Sommet en Alaska" in html.content.decode()
    assert text["Content-Type"].startswith("text/plain")

    client.post(reverse("admin:newsletter_issue_test", args=[issue.pk]))
    assert mailoutbox[-1].to == ["editeur@actualites.example"]
    assert mailoutbox[-1].subject == "[TEST] La lettre du 15 août"

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:newsletter_issue_send", args=[issue.pk]))

    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT
    assert mailoutbox[-1].to == ["lea@exemple.fr"]
    page = client.get(reverse("admin:newsletter_issue_change", args=[issue.pk])).content.decode()
    assert 'envoyés&nbsp;: <span data-progress="sent">1</span>' in page
    assert 'total&nbsp;: <span data-progress="total">1</span>' in page
    assert "Envoi terminé le" in page


def test_prefill_button_adds_recent_articles(client, editor):
    make_article(title="Tout frais")
    issue = make_issue()

    client.post(reverse("admin:newsletter_issue_prefill", args=[issue.pk]))

    assert list(issue.articles.values_list("title", flat=True)) == ["Tout frais"]


def test_a_sent_issue_cannot_be_sent_again(client, editor, mailoutbox):
    issue = make_issue(articles=[make_article()], status=Issue.Status.SENT)
    make_subscriber()

    response = client.post(reverse("admin:newsletter_issue_send", args=[issue.pk]), follow=True)

    assert "déjà été envoyée" in response.content.decode()
    assert Delivery.objects.count() == 0
    assert mailoutbox == []


def test_sending_needs_the_send_permission(client):
    user = staff(client, JOURNALISTS)
    issue = make_issue(articles=[make_article()])
    del user

    response = client.post(reverse("admin:newsletter_issue_send", args=[issue.pk]))

    assert response.status_code == 403
    issue.refresh_from_db()
    assert issue.status == Issue.Status.DRAFT


def test_a_subject_with_a_line_break_is_refused(client, editor):
    response = client.post(
        reverse("admin:newsletter_issue_add"),
        {
            "subject": "Objet\r\nBcc: cible@exemple.fr",
            "introduction": "",
            "items-TOTAL_FORMS": "0",
            "items-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 200
    assert "L’objet doit tenir sur une seule ligne." in response.content.decode()
    assert Issue.objects.count() == 0


def test_sending_asks_for_confirmation_first_and_a_get_sends_nothing(client, editor, mailoutbox):
    issue = make_issue(articles=[make_article()])
    make_subscriber()

    response = client.get(reverse("admin:newsletter_issue_send", args=[issue.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "1 abonné confirmé" in html
    assert "Oui, envoyer maintenant" in html
    issue.refresh_from_db()
    assert issue.status == Issue.Status.DRAFT
    assert mailoutbox == []


class TestSendingProgress:
    def test_right_after_send_the_page_says_what_is_happening(self, client, editor):
        make_subscriber()
        make_subscriber()
        issue = make_issue(articles=[make_article()])
        client.post(reverse("admin:newsletter_issue_send", args=[issue.pk]))

        page = client.get(reverse("admin:newsletter_issue_change", args=[issue.pk]))

        html = page.content.decode()
        assert "Envoi lancé : préparation des copies pour 2 abonnés confirmés…" in html
        assert 'data-progress="resume" hidden' in html

    def test_progress_endpoint_gives_the_counts(self, client, editor):
        issue = make_issue(articles=[make_article()], status=Issue.Status.SENDING)
        issue.started_at = timezone.now()
        issue.save()
        for status in ("sent", "sent", "failed", "pending"):
            Delivery.objects.create(issue=issue, subscriber=make_subscriber(), status=status)

        data = client.get(reverse("admin:newsletter_issue_progress", args=[issue.pk])).json()

        assert (data["sent"], data["failed"], data["pending"], data["total"]) == (2, 1, 1, 4)
        assert data["percent"] == 75
        assert data["message"] == "Envoi en cours : 3 sur 4 copies traitées."
        assert data["stalled"] is False

    def test_relaunch_is_offered_only_once_the_send_has_stalled(self, client, editor, time_machine):
        start = timezone.now()
        time_machine.move_to(start, tick=False)
        issue = make_issue(articles=[make_article()], status=Issue.Status.SENDING)
        issue.started_at = timezone.now()
        issue.save()
        Delivery.objects.create(
            issue=issue, subscriber=make_subscriber(), claimed_at=timezone.now()
        )
        url = reverse("admin:newsletter_issue_change", args=[issue.pk])
        assert 'data-progress="resume" hidden' in client.get(url).content.decode()

        time_machine.move_to(start + timedelta(minutes=11), tick=False)

        html = client.get(url).content.decode()
        assert 'data-progress="resume">' in html
        assert "le service d’envoi semble arrêté" in html

    def test_journalist_cannot_read_the_progress(self, client):
        issue = make_issue()
        staff(client, JOURNALISTS)
        response = client.get(reverse("admin:newsletter_issue_progress", args=[issue.pk]))
        assert response.status_code == 403
