"""The photo of a live story, changed through the admin by each role (the probe's finding 1)."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, AuditEvent
from photos.models import Photo
from tests.factories import image_bytes, make_article, make_editor, make_journalist, make_user
from tests.factories import upload as make_upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("caches_on")]

FAKE = {"caption": "Une légende trompeuse", "credit": "© Faux crédit", "alt_text": "Autre chose"}


@pytest.fixture
def julie():
    return make_journalist(username="julie")


@pytest.fixture
def front_page_story(julie):
    """The lead story, signed by Julie, seen (and cached) by readers."""
    article = make_article(
        title="Le sommet d'Anchorage",
        is_featured=True,
        authors=[julie.author_profile],
        created_by=julie,
    )
    Client().get("/")
    Client().get(article.get_absolute_url())
    return article


def post_change(client, photo, **overrides):
    data = {**FAKE, "image": make_upload("faux.jpg", image_bytes(colour=(250, 0, 0)))}
    data.update(overrides)
    return client.post(reverse("admin:photos_photo_change", args=[photo.pk]), data)


def reader_sees(url, text):
    return text in Client().get(url).content.decode()


def test_a_journalist_cannot_change_the_photo_of_the_front_page_story(
    client, julie, front_page_story
):
    photo = front_page_story.hero_photo
    original_image = photo.image.name
    client.force_login(julie)

    response = post_change(client, photo)

    assert response.status_code == 403
    photo.refresh_from_db()
    assert (photo.image.name, photo.credit) == (original_image, "Andrew Caballero Reynolds")
    assert not reader_sees("/", "Faux crédit")
    assert not reader_sees(front_page_story.get_absolute_url(), "Faux crédit")


def test_the_journalist_sees_the_photo_read_only_and_why(client, julie, front_page_story):
    client.force_login(julie)

    response = client.get(
        reverse("admin:photos_photo_change", args=[front_page_story.hero_photo.pk])
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="credit"' not in html
    assert "seuls les éditeurs peuvent la modifier" in html
    assert "Le sommet d&#x27;Anchorage" in html


@pytest.mark.parametrize("state", ["review", "scheduled", "withdrawn"])
def test_nor_the_photo_of_her_article_in_review_scheduled_or_withdrawn(client, julie, state):
    at = {"review": None, "withdrawn": None, "scheduled": timezone.now() + timedelta(days=1)}
    status = {"scheduled": Article.Status.PUBLISHED}.get(state, state)
    article = make_article(status=status, published_at=at[state], authors=[julie.author_profile])
    client.force_login(julie)

    assert post_change(client, article.hero_photo).status_code == 403
    assert Photo.objects.get(pk=article.hero_photo.pk).credit == "Andrew Caballero Reynolds"


def test_a_journalist_changes_the_photo_of_her_own_draft(client, julie):
    draft = make_article(status=Article.Status.DRAFT, published_at=None, created_by=julie)
    client.force_login(julie)

    response = post_change(client, draft.hero_photo, credit="AFP")

    assert response.status_code == 302
    assert Photo.objects.get(pk=draft.hero_photo.pk).credit == "AFP"
    assert draft.transitions.get().comment.startswith("Photo")


def test_an_editor_change_shows_at_once_and_is_recorded(client, front_page_story):
    editor = make_editor(username="edouard")
    client.force_login(editor)
    photo = front_page_story.hero_photo
    old_image = photo.image.name

    response = post_change(client, photo, credit="Agence Nouvelle")

    assert response.status_code == 302
    photo.refresh_from_db()
    assert photo.image.name != old_image
    home = Client().get("/").content.decode()
    story = Client().get(front_page_story.get_absolute_url()).content.decode()
    assert "Agence Nouvelle" in home or "Agence Nouvelle" in story
    assert "© Agence Nouvelle" in story and "Une légende trompeuse" in story
    assert photo.url_for_width(1200) in story  # og:image
    assert old_image not in story
    assert "Agence Nouvelle" in Client().get("/flux/").content.decode()
    event = AuditEvent.objects.get(action=AuditEvent.Action.PHOTO)
    assert event.article_id == front_page_story.pk and event.actor == editor
    trail = client.get(reverse("admin:articles_auditevent_change", args=[event.pk]))
    trail_html = trail.content.decode()
    assert "Modification de sa photo" in trail_html
    for label in ["Image de la photo", "Légende de la photo", "Crédit de la photo"]:
        assert label in trail_html
    assert "<ins>Nouvelle</ins>" in trail_html or "<ins>Agence Nouvelle</ins>" in trail_html
    history = client.get(reverse("admin:articles_article_change", args=[front_page_story.pk]))
    html = history.content.decode()
    assert "Photo modifiée" in html
    assert "« Andrew Caballero Reynolds » → « Agence Nouvelle »" in html


def test_staff_without_a_role_and_anonymous_visitors_change_nothing(client, front_page_story):
    photo = front_page_story.hero_photo
    assert post_change(Client(), photo).status_code == 302  # To the login page.
    client.force_login(make_user(is_staff=True))
    assert post_change(client, photo).status_code == 403
    assert Photo.objects.get(pk=photo.pk).credit == "Andrew Caballero Reynolds"
