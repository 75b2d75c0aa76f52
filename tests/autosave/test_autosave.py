"""Autosave: a private copy of the article form, offered back on reopening; presence."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from autosave.models import Autosave, Presence
from tests.articles.test_admin_workflow import form_data
from tests.factories import make_article, make_editor, make_journalist

pytestmark = pytest.mark.django_db

S = Article.Status


@pytest.fixture
def journalist():
    return make_journalist(username="julie")


@pytest.fixture
def draft(journalist):
    return make_article(
        title="Le tramway de Lyon attendra",
        body="<p>La ligne ouvrira en juin.</p>",
        status=S.DRAFT,
        authors=[journalist.author_profile],
        created_by=journalist,
    )


def autosave(client, article, **changes):
    url = reverse("autosave:save", args=[article.pk]) if article else reverse("autosave:save-new")
    return client.post(
        url,
        {**form_data(article, **changes), "autosave": "1"}
        if article
        else {
            "autosave": "1",
            **changes,
        },
    )


def test_autosave_keeps_the_fields_privately_and_leaves_the_article_alone(
    client, journalist, draft
):
    client.force_login(journalist)

    answer = autosave(client, draft, body="<p>La ligne ouvrira en septembre, pas en juin.</p>")

    assert answer.status_code == 200
    assert answer.json()["saved"].startswith("Sauvegardé automatiquement à ")
    kept = Autosave.objects.get(user=journalist, article=draft)
    assert kept.fields["body"] == ["<p>La ligne ouvrira en septembre, pas en juin.</p>"]
    assert kept.base_version == draft.version
    draft.refresh_from_db()
    assert draft.body == "<p>La ligne ouvrira en juin.</p>"
    assert draft.revisions.count() == 0
    # Readers' pages know nothing of it.
    client.logout()
    assert (
        "septembre" not in client.get(reverse("articles:preview", args=[draft.pk])).content.decode()
    )


def test_expired_session_answers_json_saying_login_is_needed(journalist, draft):
    anonymous = Client()

    answer = autosave(anonymous, draft, title="Texte tapé pendant que la session expirait")

    assert answer.status_code == 401
    assert answer["Content-Type"] == "application/json"
    assert answer.json()["login_required"] is True
    assert "Votre session a expiré" in answer.json()["message"]
    assert not Autosave.objects.exists()
    assert anonymous.get(reverse("autosave:session")).json() == {"authenticated": False}


def test_logging_in_again_gives_the_page_a_working_csrf_token(journalist, draft):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(journalist)
    state = browser.get(reverse("autosave:session")).json()

    assert state["authenticated"] is True
    answer = browser.post(
        reverse("autosave:save", args=[draft.pk]),
        {**form_data(draft, title="Avec le jeton neuf"), "autosave": "1"},
        headers={"X-CSRFToken": state["csrf_token"]},
    )
    assert answer.status_code == 200
    assert Autosave.objects.get().fields["title"] == ["Avec le jeton neuf"]


def test_reopening_the_form_offers_the_autosaved_text_with_a_diff(client, journalist, draft):
    client.force_login(journalist)
    autosave(client, draft, body="<p>La ligne ouvrira en septembre.</p>")
    kept = Autosave.objects.get()

    html = client.get(reverse("admin:articles_article_change", args=[draft.pk])).content.decode()

    local = timezone.localtime(kept.saved_at)
    assert f"Reprendre la version enregistrée automatiquement à {local:%H}h{local:%M}" in html
    assert "<del>juin.</del>" in html and "<ins>septembre.</ins>" in html


def test_taking_the_autosave_fills_the_form_and_saving_forgets_it(client, journalist, draft):
    client.force_login(journalist)
    autosave(client, draft, title="Le tramway de Lyon attendra l’automne")
    change_url = reverse("admin:articles_article_change", args=[draft.pk])

    html = client.get(change_url + "?reprendre=1").content.decode()

    assert 'value="Le tramway de Lyon attendra l’automne"' in html
    assert "Texte repris de la sauvegarde automatique de" in html
    draft.refresh_from_db()
    assert draft.title == "Le tramway de Lyon attendra"

    answer = client.post(
        change_url, form_data(draft, title="Le tramway de Lyon attendra l’automne")
    )
    assert answer.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Le tramway de Lyon attendra l’automne"
    assert not Autosave.objects.exists()


def test_an_autosave_equal_to_the_saved_article_is_not_offered(client, journalist, draft):
    client.force_login(journalist)
    autosave(client, draft)

    html = client.get(reverse("admin:articles_article_change", args=[draft.pk])).content.decode()

    assert "Reprendre la version" not in html
    assert not Autosave.objects.exists()


def test_ignoring_the_autosave_deletes_it(client, journalist, draft):
    client.force_login(journalist)
    autosave(client, draft, title="Une autre idée de titre")

    answer = client.post(reverse("autosave:discard", args=[draft.pk]), follow=True)

    assert "La sauvegarde automatique a été supprimée." in answer.content.decode()
    assert not Autosave.objects.exists()


def test_new_article_form_is_autosaved_and_offered_back(client, journalist):
    client.force_login(journalist)
    answer = autosave(
        client, None, title="Inondations dans le Gard", body="<p>Les pompiers sont partout.</p>"
    )
    assert answer.status_code == 200

    html = client.get(reverse("admin:articles_article_add")).content.decode()
    assert "Reprendre la version enregistrée automatiquement" in html
    assert "<ins>Inondations dans le Gard</ins>" in html
    html = client.get(reverse("admin:articles_article_add") + "?reprendre=1").content.decode()
    assert 'value="Inondations dans le Gard"' in html


def test_nobody_autosaves_an_article_they_may_not_edit(client, journalist):
    someone_elses = make_article(title="Le papier d’un collègue", status=S.DRAFT)
    client.force_login(journalist)

    answer = autosave(client, someone_elses, title="Pas à moi")

    assert answer.status_code == 403
    assert "Vous ne pouvez plus modifier cet article" in answer.json()["message"]
    assert not Autosave.objects.exists()


def test_a_flood_of_text_is_refused_in_french(client, journalist, draft):
    client.force_login(journalist)

    answer = autosave(client, draft, body="<p>" + "x" * 500_000 + "</p>")

    assert answer.status_code == 413
    assert "trop long pour la sauvegarde automatique" in answer.json()["message"]


def test_the_second_person_sees_who_else_has_the_article_open(client, journalist, draft):
    editor = make_editor(username="lea")
    editor.author_profile.display_name = "Léa Marchetti"
    editor.author_profile.save()
    client.force_login(journalist)
    client.get(reverse("admin:articles_article_change", args=[draft.pk]))

    other = Client()
    other.force_login(editor)
    html = other.get(reverse("admin:articles_article_change", args=[draft.pk])).content.decode()
    assert re.search(r"Julie Plume a aussi cet article ouvert \(depuis \d\dh\d\d\)", html)

    # The heartbeat tells the first one too; leaving takes the name away.
    beat = client.post(reverse("autosave:save", args=[draft.pk]))
    assert beat.json()["presence"].startswith("Léa Marchetti a aussi cet article ouvert")
    other.post(reverse("autosave:save", args=[draft.pk]), {"leaving": "1"})
    assert client.post(reverse("autosave:save", args=[draft.pk])).json()["presence"] == ""
    assert Presence.objects.filter(user=journalist).exists()


def test_autosave_panel_needs_no_inline_script(client, journalist, draft):
    client.force_login(journalist)
    response = client.get(reverse("admin:articles_article_change", args=[draft.pk]))
    html = response.content.decode()

    assert 'id="ae-autosave"' in html and "/static/js/autosave.js" in html
    scripts = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", html)
    assert scripts == []
    assert (
        "'unsafe-inline'"
        not in response["Content-Security-Policy"].split("script-src")[1].split(";")[0]
    )
