"""A tag whose name makes no address is refused in French, and a bad stored one breaks nothing."""

import importlib

import pytest
from django.apps import apps as current_apps
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from taggit.models import Tag

from articles.models import Article, Category
from articles.tags import parse_tags
from tests.comments.factories import make_comment
from tests.factories import make_article, make_editor, make_journalist, make_photo

pytestmark = pytest.mark.django_db

NO_ADDRESS = ["/>", "—", "...", "«»", "-", "_", "🇫🇷", "!!!", "&", "\u200b/"]


@pytest.mark.parametrize("name", NO_ADDRESS)
def test_a_tag_that_slugifies_to_nothing_is_refused_in_french(name):
    with pytest.raises(ValidationError) as refused:
        parse_tags(f"Alaska, {name}")
    message = refused.value.messages[0]
    assert "ni lettre ni chiffre" in message


@pytest.mark.parametrize("name", ["C++", "日本", "Ω", "4x4", "Île-de-France", "L'été"])
def test_short_or_non_latin_tags_that_make_an_address_are_kept(name):
    assert parse_tags(name) == [name]


def test_the_admin_form_refuses_it_and_keeps_what_was_typed(client):
    journalist = make_journalist(username="julie")
    client.force_login(journalist)
    photo = make_photo()

    response = client.post(
        reverse("admin:articles_article_add"),
        {
            "title": "Un reportage sur la banquise",
            "slug": "un-reportage-sur-la-banquise",
            "category": Category.objects.get(slug="economie").pk,
            "standfirst": "Le chapô du reportage.",
            "body": "<p>Texte</p>",
            "tags": "Climat, />",
            "hero_photo": photo.pk,
            "authors": [journalist.author_profile.pk],
            "meta_description": "",
        },
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "ni lettre ni chiffre" in html
    assert "Un reportage sur la banquise" in html
    assert not Article.objects.filter(slug="un-reportage-sur-la-banquise").exists()
    assert not Tag.objects.exists()


@pytest.fixture
def bad_tags():
    """Rows left by the old code: an empty slug, and one a URL cannot hold."""
    return [
        Tag.objects.create(name="/>", slug="placeholder-1"),
        Tag.objects.create(name="a/b", slug="placeholder-2"),
    ]


@pytest.fixture
def article_with_bad_tags(bad_tags):
    Tag.objects.filter(pk=bad_tags[0].pk).update(slug="")
    Tag.objects.filter(pk=bad_tags[1].pk).update(slug="a/b")
    article = make_article(tags=["Alaska"])
    article.tags.add(*Tag.objects.filter(pk__in=[t.pk for t in bad_tags]))
    for n in range(3):
        make_comment(article, text=f"Un avis numéro {n}.")
    return article


def test_a_stored_tag_without_address_takes_no_page_down(article_with_bad_tags, settings):
    settings.COMMENTS_PER_PAGE = 1
    article = article_with_bad_tags
    client = Client(raise_request_exception=False)
    pages = [
        article.get_absolute_url(),
        article.get_absolute_url() + "?commentaires=2",
        article.get_absolute_url() + "?commentaire=en-attente",
        reverse("articles:tag", args=["alaska"]),
        "/sitemap.xml",
        "/sitemap-mots-cles.xml",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<a href="/mot-cle/alaska/">Alaska</a>' in html
    assert "/&gt;" in html  # Shown, without a link.
    sitemap = client.get("/sitemap-mots-cles.xml").content.decode()
    assert "/mot-cle/alaska/" in sitemap
    assert "/mot-cle//" not in sitemap


def test_the_preview_and_comment_pages_survive_it_too(article_with_bad_tags):
    article = article_with_bad_tags
    editor = make_editor(username="edouard")
    client = Client(raise_request_exception=False)
    client.force_login(editor)
    assert client.get(reverse("articles:preview", args=[article.pk])).status_code == 200
    comment = article.comments.first()
    assert Client().get(reverse("comments:reply", args=[comment.pk])).status_code == 200


def test_the_data_migration_gives_stored_tags_a_safe_address(bad_tags):
    Tag.objects.filter(pk=bad_tags[0].pk).update(slug="")
    Tag.objects.filter(pk=bad_tags[1].pk).update(slug="a/b")
    Tag.objects.create(name="Alaska", slug="alaska")
    migration = importlib.import_module("articles.migrations.0014_tags_without_address")

    migration.give_tags_an_address(current_apps, None)

    slugs = dict(Tag.objects.values_list("name", "slug"))
    assert slugs == {
        "/>": f"mot-cle-{bad_tags[0].pk}",
        "a/b": "ab",
        "Alaska": "alaska",
    }
    for slug in slugs.values():
        assert reverse("articles:tag", args=[slug])
