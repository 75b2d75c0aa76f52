"""The photo library's rules (photos/rules.py): who may change a photo, what it records."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db.models.signals import post_save
from django.utils import timezone

from articles.models import Article, AuditEvent, Transition
from photos import rules as photos
from photos.models import Photo
from tests.factories import (
    image_bytes,
    make_article,
    make_author,
    make_editor,
    make_journalist,
    make_photo,
    upload,
)

pytestmark = pytest.mark.django_db

Status = Article.Status


@pytest.fixture
def julie():
    return make_journalist(username="julie")


@pytest.fixture
def edouard():
    return make_editor(username="edouard")


def article_of(author, status, **overrides):
    if status == "scheduled":
        overrides["published_at"] = timezone.now() + timedelta(days=1)
        status = Status.PUBLISHED
    elif status != Status.PUBLISHED:
        overrides.setdefault("published_at", None)
    return make_article(status=status, authors=[author.author_profile], **overrides)


def edit(photo, **values):
    """The photo as a form leaves it: changed in memory, not saved."""
    photo = Photo.objects.get(pk=photo.pk)
    for name, value in values.items():
        setattr(photo, name, value)
    return photo


@pytest.mark.parametrize("status", [Status.DRAFT, Status.CHANGES_REQUESTED])
def test_a_journalist_may_change_the_photo_of_her_own_article_still_in_her_hands(julie, status):
    article = article_of(julie, status)
    assert photos.why_locked(julie, article.hero_photo) == ""
    assert photos.can_change(julie, article.hero_photo)


@pytest.mark.parametrize("status", [Status.REVIEW, Status.PUBLISHED, "scheduled", Status.WITHDRAWN])
def test_a_journalist_may_not_change_a_photo_an_article_past_her_hands_uses(julie, status):
    article = article_of(julie, status, title="Le sommet d'Anchorage")

    assert not photos.can_change(julie, article.hero_photo)
    assert "Le sommet d'Anchorage" in photos.why_locked(julie, article.hero_photo)
    assert "n’est plus entre vos mains" in photos.why_locked(julie, article.hero_photo)
    assert "éditeurs" in photos.why_locked(julie, article.hero_photo)


def test_a_journalist_may_not_change_the_photo_of_a_colleague_s_draft(julie):
    colleague = make_journalist(username="marc")
    article = article_of(colleague, Status.DRAFT)
    assert not photos.can_change(julie, article.hero_photo)
    assert "dont vous n’êtes pas l’auteur" in photos.why_locked(julie, article.hero_photo)


def test_a_journalist_may_not_change_an_author_s_portrait(julie):
    portrait = make_photo()
    make_author(portrait=portrait)
    assert "portrait" in photos.why_locked(julie, portrait)


def test_a_photo_no_one_uses_is_free_to_change(julie):
    assert photos.can_change(julie, make_photo())


@pytest.mark.parametrize("status", [Status.REVIEW, Status.PUBLISHED, "scheduled", Status.WITHDRAWN])
def test_an_editor_may_change_any_photo(edouard, julie, status):
    article = article_of(julie, status)
    make_author(portrait=article.hero_photo)
    assert photos.can_change(edouard, article.hero_photo)


def test_changing_a_locked_photo_is_refused_and_changes_nothing(julie):
    article = article_of(julie, Status.PUBLISHED)
    photo = edit(article.hero_photo, credit="Faux crédit")

    with pytest.raises(PermissionDenied):
        photos.change(photo, by=julie)

    assert Photo.objects.get(pk=photo.pk).credit == "Andrew Caballero Reynolds"
    assert not Transition.objects.exists() and not AuditEvent.objects.exists()


def test_a_change_to_a_photo_in_use_goes_to_each_article_s_history(edouard, julie):
    live = article_of(julie, Status.PUBLISHED, title="En ligne")
    photo = live.hero_photo
    scheduled = article_of(julie, "scheduled", title="Pour demain", hero_photo=photo)
    draft = article_of(julie, Status.DRAFT, title="Brouillon", hero_photo=photo)
    other = article_of(julie, Status.PUBLISHED, title="Une autre photo")

    steps = photos.change(
        edit(photo, caption="Nouvelle légende", credit="Agence Nouvelle"), by=edouard
    )

    assert {step.article_id for step in steps} == {live.pk, scheduled.pk, draft.pk}
    for article in (live, scheduled, draft):
        step = article.transitions.get()
        assert step.action == Transition.Action.PHOTO
        assert step.get_action_display() == "Photo modifiée"
        assert step.by == edouard
        assert (step.from_status, step.to_status) == (article.status, article.status)
        assert "« Andrew Caballero Reynolds » → « Agence Nouvelle »" in step.comment
        assert "Nouvelle légende" in step.comment
    assert not other.transitions.exists()


def test_a_change_to_a_photo_readers_see_or_editors_review_is_audited(edouard, julie):
    photo = make_photo()
    audited = [
        article_of(julie, Status.PUBLISHED, hero_photo=photo),
        article_of(julie, "scheduled", hero_photo=photo),
        article_of(julie, Status.REVIEW, hero_photo=photo),
    ]
    article_of(julie, Status.DRAFT, hero_photo=photo)
    article_of(julie, Status.WITHDRAWN, hero_photo=photo)
    new_image = upload("nouvelle.jpg", image_bytes(colour=(200, 10, 10)))

    photos.change(edit(photo, image=new_image, credit="Agence Nouvelle"), by=edouard)

    events = AuditEvent.objects.filter(action=AuditEvent.Action.PHOTO)
    assert sorted(event.article_id for event in events) == sorted(a.pk for a in audited)
    event = events.first()
    assert event.actor == edouard and event.actor_name == "Edouard Plume"
    assert event.before["credit"] == "Andrew Caballero Reynolds"
    assert event.after["credit"] == "Agence Nouvelle"
    assert event.before["image"] != event.after["image"]
    assert event.after["photo_id"] == photo.pk


def test_a_new_image_gets_new_renditions(edouard, julie):
    article = article_of(julie, Status.PUBLISHED)
    photo = Photo.objects.get(pk=article.hero_photo.pk)
    photos.change(edit(photo, image=upload("autre.jpg")), by=edouard)

    photo.refresh_from_db()
    assert photo.renditions
    assert all(photo.image.name.rsplit("/", 1)[-1][:-4] in r["jpg"] for r in photo.renditions)


def test_saving_a_photo_unchanged_records_nothing(edouard, julie):
    article = article_of(julie, Status.PUBLISHED)
    photos.change(edit(article.hero_photo), by=edouard)
    assert not Transition.objects.exists() and not AuditEvent.objects.exists()


def test_the_change_refreshes_cached_pages_without_relying_on_signals(
    client, edouard, julie, caches_on
):
    article = article_of(julie, Status.PUBLISHED)
    client.get(article.get_absolute_url())
    client.get("/flux/")
    receivers = post_save.receivers
    post_save.receivers = []  # No receiver at all: the rules call the refresh themselves.
    post_save.sender_receivers_cache.clear()
    try:
        photos.change(edit(article.hero_photo, credit="Agence Nouvelle"), by=edouard)
    finally:
        post_save.receivers = receivers
        post_save.sender_receivers_cache.clear()

    assert "Agence Nouvelle" in client.get(article.get_absolute_url()).content.decode()
    assert "Agence Nouvelle" in client.get("/flux/").content.decode()


def test_adding_a_photo_stamps_who_and_makes_renditions(julie):
    photo = Photo(caption="Le port", credit="AFP", alt_text="Un port")
    photo.image.save("port.jpg", upload(), save=False)

    photos.add(photo, by=julie)

    photo.refresh_from_db()
    assert photo.uploaded_by == julie
    assert photo.renditions
