"""Versions in the admin: viewed as readers would see them, restored after a confirmation."""

import pytest
from django.urls import reverse

from articles import workflow
from articles.models import Article, AuditEvent, Transition
from tests.factories import make_article, make_editor, make_journalist

pytestmark = pytest.mark.django_db

S = Article.Status


@pytest.fixture
def editor(client):
    user = make_editor(username="marc")
    client.force_login(user)
    return user


def two_versions(status=S.PUBLISHED, **overrides):
    """An article whose version 1 had a subheading and a quote, and version 2 is current."""
    editor = make_editor(username="lea")
    article = make_article(
        status=status,
        title="Le budget participatif adopté",
        body="<p>Le conseil a voté.</p><h2>Un calendrier</h2><blockquote><p>« Enfin »</p>"
        "</blockquote>",
        **overrides,
    )
    first = workflow.save_revision(article, by=editor)
    article.title = "Le budget participatif adopté de justesse"
    article.body = "<p>Le conseil a voté de justesse.</p>"
    article.save()
    workflow.save_revision(article, by=editor)
    return article, first


def revision_url(first):
    return reverse("admin:articles_article_revision", args=[first.article_id, first.pk])


def restore_url(first):
    return reverse("admin:articles_article_restore", args=[first.article_id, first.pk])


def test_a_version_is_shown_as_readers_would_see_it_with_what_differs(client, editor):
    article, first = two_versions()

    html = client.get(revision_url(first)).content.decode()

    assert '<div class="rich-text"><p>Le conseil a voté.</p><h2>Un calendrier</h2>' in html
    assert "«\u00a0Enfin\u00a0»" in html  # with the site's typography
    assert "Ce que la restauration changerait à la version actuelle (n° 2)" in html
    assert "Le budget participatif adopté<del> de justesse</del>" in html
    assert restore_url(first) in html


def test_journalist_cannot_see_the_versions_of_someone_elses_article(client):
    article, first = two_versions(status=S.DRAFT, published_at=None)
    client.force_login(make_journalist())

    assert client.get(revision_url(first)).status_code == 404
    assert client.post(restore_url(first)).status_code == 404


def test_restoring_asks_for_confirmation_first(client, editor):
    article, first = two_versions(status=S.DRAFT, published_at=None)

    html = client.get(restore_url(first)).content.decode()

    assert "Restaurer la version n° 1 ?" in html
    assert "redevient un brouillon" in html
    article.refresh_from_db()
    assert article.title == "Le budget participatif adopté de justesse"


def test_confirmed_restore_of_a_draft_is_audited(client, editor):
    article, first = two_versions(status=S.DRAFT, published_at=None)

    response = client.post(restore_url(first))

    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.title, article.status) == ("Le budget participatif adopté", S.DRAFT)
    event = AuditEvent.objects.get(action=AuditEvent.Action.RESTORE)
    assert event.actor == editor
    assert event.reason == "Version n° 1 restaurée."


def test_live_article_restore_needs_a_note_and_stays_online(client, editor):
    article, first = two_versions()

    refused = client.post(restore_url(first), {"note_kind": "update", "note_text": ""})

    assert refused.status_code == 200
    assert "rédigez une note de mise à jour" in refused.content.decode()
    article.refresh_from_db()
    assert article.title.endswith("de justesse")

    client.post(
        restore_url(first),
        {"note_kind": "correction", "note_text": "Le vote n'était pas serré : texte rétabli."},
    )

    article.refresh_from_db()
    assert (article.title, article.status) == ("Le budget participatif adopté", S.PUBLISHED)
    assert article.notes.get().text == "Le vote n'était pas serré : texte rétabli."
    assert article.transitions.filter(action=Transition.Action.RESTORE).exists()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.RESTORE).count() == 1


def test_live_article_restore_as_a_minor_fix(client, editor):
    article, first = two_versions()

    client.post(restore_url(first), {"minor_fix": "on"})

    article.refresh_from_db()
    assert article.title == "Le budget participatif adopté"
    assert not article.notes.exists()
