from datetime import UTC, datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from articles import workflow
from articles.models import Article, AuditEvent
from tests.factories import make_article, make_editor, make_journalist

pytestmark = pytest.mark.django_db


def test_publishing_records_who_when_and_the_state_before_and_after():
    editor = make_editor()
    article = make_article(status=Article.Status.REVIEW, published_at=None)

    workflow.publish(article, by=editor)

    event = AuditEvent.objects.get()
    assert event.action == AuditEvent.Action.PUBLISH
    assert event.actor == editor
    assert event.article_id == article.pk
    assert event.before["status"] == "review" and event.before["published_at"] is None
    assert event.after["status"] == "published" and event.after["published_at"]


def test_unpublishing_is_audited():
    editor = make_editor()
    article = make_article()

    workflow.unpublish(article, by=editor, comment="Erreur factuelle grave")

    event = AuditEvent.objects.get(action=AuditEvent.Action.UNPUBLISH)
    assert (event.before["status"], event.after["status"]) == ("published", "withdrawn")
    assert event.reason == "Erreur factuelle grave"


def test_deleting_keeps_the_article_text_in_the_trail():
    editor = make_editor()
    article = make_article(title="Un article supprimé", body="<p>Le texte perdu</p>")
    pk = article.pk

    workflow.delete(article, by=editor)

    assert not Article.objects.filter(pk=pk).exists()
    event = AuditEvent.objects.get(action=AuditEvent.Action.DELETE)
    assert event.article_id == pk
    assert event.article_title == "Un article supprimé"
    assert event.before["body"] == "<p>Le texte perdu</p>"
    assert event.after is None
    assert event.actor_name


def test_deleting_from_the_admin_goes_through_the_audit(client):
    editor = make_editor()
    article = make_article(title="À supprimer")
    client.force_login(editor)

    response = client.post(
        reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="delete", article_id=article.pk).exists()


def test_journalist_cannot_delete():
    journalist = make_journalist()
    article = make_article()
    with pytest.raises(PermissionDenied):
        workflow.delete(article, by=journalist)
    assert Article.objects.filter(pk=article.pk).exists()
    assert not AuditEvent.objects.exists()


def test_nobody_can_edit_the_trail_in_the_admin(admin_client):
    workflow.delete(make_article(), by=make_editor())
    event = AuditEvent.objects.get()
    assert admin_client.get(reverse("admin:articles_auditevent_changelist")).status_code == 200
    response = admin_client.post(
        reverse("admin:articles_auditevent_delete", args=[event.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


class TestTrailReadsInFrench:
    @pytest.fixture
    def unpublished(self, time_machine):
        time_machine.move_to(datetime(2025, 8, 15, 12, 5, tzinfo=UTC), tick=False)
        editor = make_editor(username="marc")
        article = make_article(
            title="Un article retiré", body="<p>Le maire a démissionné <b>lundi</b>.</p>"
        )
        workflow.unpublish(article, by=editor, comment="Information démentie par la mairie.")
        return AuditEvent.objects.get(action=AuditEvent.Action.UNPUBLISH)

    def test_list_shows_french_labels_local_time_and_the_reason(self, admin_client, unpublished):
        html = admin_client.get(reverse("admin:articles_auditevent_changelist")).content.decode()

        assert "15 août 2025 à 14h05" in html  # Paris, summer time
        assert "Dépublication" in html
        assert "Information démentie par la mairie." in html
        assert "Marc Plume" in html

    def test_event_page_shows_before_and_after_as_a_readable_diff(self, admin_client, unpublished):
        url = reverse("admin:articles_auditevent_change", args=[unpublished.pk])
        html = admin_client.get(url).content.decode()

        assert "<dt>État</dt>" in html
        assert "<del>Publié</del><ins>Dépublié</ins>" in html
        assert "&quot;status&quot;" not in html and "&lt;p&gt;" not in html
        assert "Information démentie par la mairie." in html

    def test_deleted_article_shows_its_last_text_as_text(self, admin_client):
        article = make_article(title="Supprimé", body="<p>Le <b>texte</b> perdu</p>")
        workflow.delete(article, by=make_editor())
        event = AuditEvent.objects.get()

        url = reverse("admin:articles_auditevent_change", args=[event.pk])
        html = admin_client.get(url).content.decode()

        assert "Dernier état de l’article" in html
        assert "Le texte perdu" in html
        assert "Supprimé (n° " in html
