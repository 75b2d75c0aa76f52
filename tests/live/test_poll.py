import pytest
from django.urls import reverse

from live import rules
from tests.live.factories import make_editor, make_journalist, make_live, post_at

pytestmark = pytest.mark.django_db


@pytest.fixture(params=[False, True], ids=["origin", "page-cache"])
def page_cache(request, settings):
    """The endpoint behaves the same computed by the view and served from the page cache."""
    settings.PAGE_CACHE_ENABLED = request.param
    settings.FRAGMENT_CACHE_ENABLED = request.param
    return request.param


@pytest.fixture
def editor():
    return make_editor(username="edith")


@pytest.fixture
def writer():
    return make_journalist(username="wassila")


@pytest.fixture
def live(editor, writer):
    return make_live(editor=editor, writers=[writer], entry_rule="held")


def poll(client, live, **headers):
    return client.get(reverse("live:poll", args=[live.pk]), headers=headers)


def test_the_poll_endpoint_sends_only_published_entries_newest_first(
    client, live, editor, writer, page_cache
):
    older = post_at(live, editor, "Arrivée des délégations.", minutes_ago=4)
    post_at(live, writer, "Pas encore relue.")
    newer = post_at(live, editor, "Début de la réunion.", minutes_ago=1)
    gone = post_at(live, editor, "Erronée.")
    rules.withdraw(gone, by=editor, reason="Erreur de lieu")

    data = poll(client, live).json()

    assert [e["id"] for e in data["entries"]] == [newer.pk, older.pk]
    assert "Début de la réunion." in data["entries"][0]["html"]
    assert f'id="entree-{newer.pk}"' in data["entries"][0]["html"]
    assert data["withdrawn"] == [gone.pk]
    assert data["state"] == "running"


def test_the_poll_answers_304_while_nothing_changed_then_the_new_entry(
    client, live, editor, page_cache
):
    post_at(live, editor, "Première entrée.")
    first = poll(client, live)
    etag = first["ETag"]
    assert first.status_code == 200 and etag

    again = poll(client, live, if_none_match=etag)
    assert again.status_code == 304
    assert again.content == b""

    fresh = post_at(live, editor, "Deuxième entrée.")
    changed = poll(client, live, if_none_match=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert changed.json()["entries"][0]["id"] == fresh.pk


def test_a_held_entry_changes_nothing_for_pollers_until_published(client, live, editor, writer):
    etag = poll(client, live)["ETag"]
    held = post_at(live, writer, "En attente.")
    assert poll(client, live, if_none_match=etag).status_code == 304

    rules.publish(held, by=editor)
    response = poll(client, live, if_none_match=etag)
    assert response.status_code == 200
    assert [e["id"] for e in response.json()["entries"]] == [held.pk]


def test_the_poll_is_served_from_the_page_cache(client, live, editor, settings):
    settings.PAGE_CACHE_ENABLED = True
    post_at(live, editor, "Une entrée.")
    poll(client, live)

    assert poll(client, live)["X-Page-Cache"] == "hit"
    assert "s-maxage" in poll(client, live)["Cache-Control"]


def test_a_live_on_an_unpublished_article_has_no_poll_endpoint(client, live, editor):
    from articles import workflow

    workflow.unpublish(live.article, by=editor, comment="Retiré le temps d’une vérification.")

    assert poll(client, live).status_code == 404
    assert client.get(reverse("live:feed", args=[live.pk])).status_code == 404
