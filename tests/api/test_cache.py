"""API answers follow the pages' cache: kept for anonymous readers, fresh at once after a
change, never past the next scheduled publication."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from articles import workflow
from articles.models import Article, Category
from tests.articles.test_admin_workflow import form_data
from tests.factories import make_article, make_editor
from tests.public_cache.layers import get
from tests.public_cache.test_invalidation import admin_save

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]


def slugs(response):
    return [item["slug"] for item in json.loads(response.content)["items"]]


@pytest.mark.parametrize(
    "url", ["/api/v1/articles/", "/api/v1/articles/le-sujet/", "/api/v1/categories/"]
)
def test_a_second_read_comes_from_the_cache_without_queries(client, url):
    make_article(slug="le-sujet")
    first = get(client, url)
    second = get(client, url)
    assert first.status_code == second.status_code == 200
    assert second["X-Page-Cache"] == "hit"
    assert second.queries == 0
    assert second.content == first.content
    assert second["Access-Control-Allow-Origin"] == "*"
    assert "s-maxage=" in second["Cache-Control"] and "public" in second["Cache-Control"]
    assert get(client, url, if_none_match=second["ETag"]).status_code == 304


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/articles/?category=politique&limit=5",
        "/api/v1/tags/?limit=1",
        "/api/v1/authors/?limit=1",
    ],
)
def test_filtered_reads_are_built_from_kept_data_without_queries(client, settings, url):
    settings.PAGE_CACHE_ENABLED = False
    settings.FRAGMENT_CACHE_ENABLED = True
    make_article(tags=["Alaska", "Climat"])
    make_article(tags=["Climat"])
    first = get(client, url)
    second = get(client, url)
    assert first.status_code == 200
    assert second.content == first.content
    assert second.queries == 0


def test_a_publication_shows_in_the_api_at_once(client, cache_layer):
    editor = make_editor(username="edmond")
    make_article(slug="deja-la")
    waiting = make_article(slug="tout-juste", status=Article.Status.REVIEW)
    assert slugs(get(client, "/api/v1/articles/")) == ["deja-la"]
    assert slugs(get(client, "/api/v1/articles/?category=politique")) == ["deja-la"]
    assert get(client, "/api/v1/articles/tout-juste/").status_code == 404

    workflow.publish(waiting, by=editor)

    assert slugs(get(client, "/api/v1/articles/")) == ["tout-juste", "deja-la"]
    assert slugs(get(client, "/api/v1/articles/?category=politique")) == ["tout-juste", "deja-la"]
    assert get(client, "/api/v1/articles/tout-juste/").status_code == 200


def test_an_unpublication_removes_the_article_at_once(client, cache_layer):
    editor = make_editor(username="edmee")
    article = make_article(slug="bientot-retire", tags=["Éphémère"])
    assert get(client, "/api/v1/articles/bientot-retire/").status_code == 200
    assert slugs(get(client, "/api/v1/tags/")) == ["éphémère"]

    workflow.unpublish(article, by=editor, comment="Information non confirmée")

    assert get(client, "/api/v1/articles/bientot-retire/").status_code == 404
    assert slugs(get(client, "/api/v1/articles/")) == []
    assert slugs(get(client, "/api/v1/tags/")) == []


def test_a_corrected_article_and_a_renamed_rubric_are_fresh_at_once(client, cache_layer):
    article = make_article(slug="le-sujet", title="Version initiale")
    get(client, "/api/v1/articles/le-sujet/")
    get(client, "/api/v1/categories/")
    # Through the admin, whose saves say what changed (no model signal does).
    admin_save(article, form_data(article, title="Version corrigée", note_text="Titre corrigé."))
    politics = Category.objects.get(slug="politique")
    admin_save(politics, {"name": "Vie publique", "slug": "politique", "position": 1})

    assert json.loads(get(client, "/api/v1/articles/le-sujet/").content)["title"] == (
        "Version corrigée"
    )
    names = [c["name"] for c in json.loads(get(client, "/api/v1/categories/").content)["items"]]
    assert "Vie publique" in names


def test_a_scheduled_article_appears_on_time_although_answers_are_cached(client, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    make_article(slug="deja-publie")
    make_article(slug="programme", published_at=timezone.now() + timedelta(minutes=2))
    assert slugs(get(client, "/api/v1/articles/")) == ["deja-publie"]
    assert get(client, "/api/v1/articles/")["X-Page-Cache"] == "hit"

    time_machine.shift(timedelta(minutes=2, seconds=1))

    assert slugs(get(client, "/api/v1/articles/")) == ["programme", "deja-publie"]


def test_staff_get_fresh_private_answers(client):
    from tests.factories import make_user

    make_article(slug="le-sujet")
    client.force_login(make_user(is_staff=True))
    response = get(client, "/api/v1/articles/")
    assert response["Cache-Control"] == "private, no-cache"
    assert "X-Page-Cache" not in get(client, "/api/v1/articles/")


def test_a_new_live_entry_shows_at_once_while_polls_are_cached(client, settings, cache_layer):
    from live import rules
    from tests.live.factories import make_live

    editor = make_editor(username="edgar")
    live = make_live(editor=editor)
    rules.post(live, by=editor, text="Premiere entrée.")
    url = f"/api/v1/lives/{live.pk}/entries/"
    since = json.loads(get(client, url).content)["next_since"]
    polled = get(client, f"{url}?since={since}")
    assert json.loads(polled.content)["items"] == []
    again = get(client, f"{url}?since={since}")
    assert again.content == polled.content
    if settings.FRAGMENT_CACHE_ENABLED:  # a poll carries a parameter: built from kept data
        assert again.queries == 0

    rules.post(live, by=editor, text="Deuxième entrée.")

    fresh = json.loads(get(client, f"{url}?since={since}").content)
    assert [e["body_html"] for e in fresh["items"]] == ["<p>Deuxième entrée.</p>"]


def keys(response):
    return set(response["xkey"].split())


@pytest.mark.parametrize("layer", ["rendered", "kept"])
def test_answers_name_what_they_show_for_purges(client, settings, layer):
    """Surrogate keys (edge/keys.py): `api`, and each article, photo, rubric, tag, author or
    live shown, whether the answer is computed or served from kept data."""
    from tests.factories import make_author

    settings.PAGE_CACHE_ENABLED = False
    settings.FRAGMENT_CACHE_ENABLED = layer == "kept"
    author = make_author(slug="anne")
    article = make_article(slug="le-sujet", authors=[author], tags=["Alaska"])
    photo = f"photo-{article.hero_photo_id}"
    rubric = f"category-{article.category_id}"
    tag = f"tag-{article.tags.get().pk}"
    expected = {
        "/api/v1/articles/": {"api", f"article-{article.pk}", photo},
        "/api/v1/articles/le-sujet/": {"api", f"article-{article.pk}", photo},
        "/api/v1/articles/?category=politique": {"api", f"article-{article.pk}", rubric},
        "/api/v1/articles/?tag=alaska&author=anne": {"api", tag, f"author-{author.pk}"},
        "/api/v1/categories/politique/": {"api", rubric},
        "/api/v1/tags/": {"api", tag},
        "/api/v1/authors/anne/": {"api", f"author-{author.pk}"},
    }
    for url, named in expected.items():
        first, second = get(client, url), get(client, url)
        assert named <= keys(first), url
        assert keys(second) == keys(first), url


def test_a_rewritten_live_summary_shows_at_once_in_the_live_and_its_lists(client, cache_layer):
    from live import rules
    from tests.live.factories import make_live

    editor = make_editor(username="edmee")
    live = make_live(editor=editor)
    urls = [f"/api/v1/lives/{live.pk}/", "/api/v1/lives/?limit=5"]
    for url in urls:
        get(client, url)
        get(client, url)

    rules.update(
        live,
        by=editor,
        summary="Les deux délégations se retrouvent.",
        entry_rule=live.entry_rule,
        writers=[],
    )

    detail = json.loads(get(client, urls[0]).content)
    listed = json.loads(get(client, urls[1]).content)["items"]
    assert detail["summary"] == ["Les deux délégations se retrouvent."]
    assert listed[0]["summary"] == ["Les deux délégations se retrouvent."]
