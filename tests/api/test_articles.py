"""The articles of the public API: only what readers may see, with what apps need to show it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles import workflow
from articles.models import Article, ArticleNote, Category
from tests.factories import make_article, make_author, make_editor, make_photo

from .helpers import crawl_articles, get_json

pytestmark = pytest.mark.django_db


@pytest.fixture
def hidden():
    """One article of each kind readers must not see, sharing a tag and an author of their own."""
    author = make_author(slug="plume-cachee", display_name="Plume Cachée")
    kinds = {
        "draft": {"status": Article.Status.DRAFT},
        "review": {"status": Article.Status.REVIEW},
        "changes": {"status": Article.Status.CHANGES_REQUESTED},
        "withdrawn": {"status": Article.Status.WITHDRAWN, "published_at": timezone.now()},
        "scheduled": {
            "status": Article.Status.PUBLISHED,
            "published_at": timezone.now() + timedelta(hours=2),
        },
    }
    return {
        kind: make_article(slug=f"cache-{kind}", tags=["Scoop à venir"], authors=[author], **fields)
        for kind, fields in kinds.items()
    }


def test_unpublished_articles_are_absent_from_lists_and_404(client, hidden):
    shown = make_article(slug="en-ligne", tags=["Alaska"])
    listed = [item["slug"] for item in crawl_articles(client)]
    assert listed == ["en-ligne"]
    for article in hidden.values():
        body = get_json(client, f"/api/v1/articles/{article.slug}/", status=404)
        assert body == {"detail": "Aucun article publié à cette adresse."}
    assert get_json(client, f"/api/v1/articles/{shown.slug}/")["slug"] == "en-ligne"


def test_tags_and_authors_of_unpublished_articles_are_not_shown(client, hidden):
    make_article(tags=["Alaska"])
    assert [t["slug"] for t in get_json(client, "/api/v1/tags/")["items"]] == ["alaska"]
    assert "plume-cachee" not in [a["slug"] for a in get_json(client, "/api/v1/authors/")["items"]]
    get_json(client, "/api/v1/tags/scoop-à-venir/", status=404)
    get_json(client, "/api/v1/authors/plume-cachee/", status=404)
    # Filtering by them is refused as for names that do not exist: nothing tells them apart.
    for query, unknown in (("tag=scoop-à-venir", "tag=rien"), ("author=plume-cachee", "author=x")):
        refused = get_json(client, f"/api/v1/articles/?{query}", status=400)["detail"]
        assert (
            refused.split("«")[0]
            == get_json(client, f"/api/v1/articles/?{unknown}", status=400)["detail"].split("«")[0]
        )


def test_a_scheduled_article_appears_at_its_time(client, hidden, time_machine):
    scheduled = hidden["scheduled"]
    time_machine.move_to(scheduled.published_at + timedelta(minutes=1))
    assert get_json(client, f"/api/v1/articles/{scheduled.slug}/")["slug"] == scheduled.slug
    assert [item["slug"] for item in crawl_articles(client)] == [scheduled.slug]


def test_an_unpublished_article_leaves_the_api_at_once(client):
    editor = make_editor(username="edith")
    article = make_article(slug="retiree")
    get_json(client, "/api/v1/articles/retiree/")
    workflow.unpublish(article, by=editor, comment="Erreur de date")
    get_json(client, "/api/v1/articles/retiree/", status=404)
    assert get_json(client, "/api/v1/articles/")["items"] == []


def test_article_detail_gives_text_credited_photo_authors_tags_and_notes(client, settings):
    settings.SITE_URL = "https://www.exemple.fr"
    photo = make_photo(
        with_renditions=True,
        credit="AFP",
        caption="Le port d'Anchorage",
        alt_text="Des bateaux au port",
    )
    author = make_author(slug="lea-martin", display_name="Léa Martin", bio="Grand reporter.")
    article = make_article(
        slug="sommet",
        title="Le sommet d'Anchorage",
        body='<p>Premier paragraphe : le sommet.</p><p><a href="/rubrique/politique/">Plus</a></p>',
        hero_photo=photo,
        authors=[author],
        tags=["Alaska", "Diplomatie"],
    )
    ArticleNote.objects.create(article=article, kind="correction", text="Une date corrigée.")

    body = get_json(client, "/api/v1/articles/sommet/")

    assert body["title"] == "Le sommet d’Anchorage"
    assert body["url"] == "https://www.exemple.fr/articles/sommet/"
    assert body["category"] == {"slug": "politique", "name": "Politique"}
    assert body["authors"] == [{"slug": "lea-martin", "name": "Léa Martin"}]
    assert body["tags"] == [
        {"slug": "alaska", "name": "Alaska"},
        {"slug": "diplomatie", "name": "Diplomatie"},
    ]
    assert "Premier paragraphe\u00a0: le sommet." in body["body_html"]
    assert 'href="https://www.exemple.fr/rubrique/politique/"' in body["body_html"]
    assert body["notes"][0]["kind"] == "correction"
    assert body["notes"][0]["text"] == "Une date corrigée."
    hero = body["photo"]
    assert hero["credit"] == "© AFP"
    assert hero["alt"] == "Des bateaux au port"
    assert hero["caption"] == "Le port d’Anchorage"
    assert hero["url"].startswith("https://www.exemple.fr/media/photos/")
    assert [r["width"] for r in hero["renditions"]] == sorted(r["width"] for r in photo.renditions)
    assert len(hero["renditions"]) == len(photo.renditions) > 1
    for rendition in hero["renditions"]:
        assert rendition["jpeg"].startswith("https://www.exemple.fr/media/")
        assert rendition["webp"].endswith(".webp")


def test_an_illustration_is_credited_as_one(client):
    make_article(slug="dessin", hero_photo=make_photo(credit="Illustration : Actualités Express"))
    assert (
        get_json(client, "/api/v1/articles/dessin/")["photo"]["credit"]
        == "Illustration\u00a0: Actualités Express"
    )


def test_list_filters_by_category_tag_author_and_dates(client):
    sports = Category.objects.get(slug="sports")
    author = make_author(slug="reporter")
    now = timezone.now()
    make_article(slug="vieux", published_at=now - timedelta(days=40), tags=["Alaska"])
    make_article(slug="sport", category=sports, published_at=now - timedelta(days=2))
    make_article(slug="signe", authors=[author], published_at=now - timedelta(days=1))

    def slugs(query):
        return [item["slug"] for item in get_json(client, f"/api/v1/articles/?{query}")["items"]]

    assert slugs("category=sports") == ["sport"]
    assert slugs("tag=alaska") == ["vieux"]
    assert slugs("author=reporter") == ["signe"]
    old_day = timezone.localdate(now - timedelta(days=40))
    assert slugs(f"until={old_day.isoformat()}") == ["vieux"]
    assert slugs(f"since={old_day.isoformat()}&until={old_day.isoformat()}") == ["vieux"]
    assert slugs(f"since={(old_day + timedelta(days=1)).isoformat()}") == ["signe", "sport"]
    assert slugs("category=sports&author=reporter") == []


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("category=inconnue", "Aucune rubrique «\u00a0inconnue\u00a0»"),
        ("author=personne", "Aucun auteur «\u00a0personne\u00a0»"),
        ("tag=rien", "Aucun mot-clé à cette adresse"),
        ("limit=51", "«\u00a0limit\u00a0» doit être un nombre entier de 1 à 50."),
        ("since=hier", "«\u00a0since\u00a0» doit être une date écrite AAAA-MM-JJ"),
        ("since=2026-11-02&until=2026-11-01", "«\u00a0since\u00a0» doit être antérieure"),
        ("categorie=sports", "Paramètre inconnu\u00a0: «\u00a0categorie\u00a0»"),
    ],
)
def test_a_filter_that_names_nothing_is_a_400_in_french(client, query, message):
    make_article()
    body = get_json(client, f"/api/v1/articles/?{query}", status=400)
    assert body["detail"].startswith(message), body


def test_campaign_parameters_are_ignored_like_on_pages(client):
    make_article(slug="partage")
    body = get_json(client, "/api/v1/articles/?utm_source=lettre&utm_medium=email&fbclid=x")
    assert [item["slug"] for item in body["items"]] == ["partage"]
    assert get_json(client, "/api/v1/articles/partage/?utm_campaign=matin")["slug"] == "partage"


def test_pages_follow_each_other_without_repeat_nor_gap(client):
    for _ in range(7):
        make_article()
    expected = list(Article.objects.published().order_by("-published_at", "-pk"))
    first = get_json(client, "/api/v1/articles/?limit=3")
    assert len(first["items"]) == 3
    assert first["next"].startswith("http://127.0.0.1:8000/api/v1/articles/?limit=3&cursor=")
    assert [item["id"] for item in crawl_articles(client, "/api/v1/articles/?limit=3")] == [
        article.pk for article in expected
    ]


def test_pagination_is_stable_while_articles_are_published_between_pages(client):
    older = [make_article(published_at=timezone.now() - timedelta(hours=10 + n)) for n in range(6)]
    first = get_json(client, "/api/v1/articles/?limit=3")
    # Two stories go online while the app reads the first page.
    make_article(slug="breve-1", published_at=timezone.now() - timedelta(minutes=1))
    make_article(slug="breve-2", published_at=timezone.now())
    second = get_json(client, first["next"].removeprefix("http://127.0.0.1:8000"))
    seen = [item["id"] for item in first["items"] + second["items"]]
    assert seen == [article.pk for article in older]
    assert second["next"] is None


def test_pagination_goes_on_past_articles_unpublished_between_pages(client):
    editor = make_editor(username="eloi")
    articles = [
        make_article(published_at=timezone.now() - timedelta(hours=n + 1)) for n in range(6)
    ]
    first = get_json(client, "/api/v1/articles/?limit=3")
    workflow.unpublish(articles[2], by=editor, comment="Doublon")  # the last one of the first page
    second = get_json(client, first["next"].removeprefix("http://127.0.0.1:8000"))
    assert [item["id"] for item in second["items"]] == [a.pk for a in articles[3:]]


def test_a_cursor_from_another_list_or_tampered_with_is_a_400(client):
    for n in range(3):
        make_article(tags=[f"Sujet {n}"])
    tags_cursor = get_json(client, "/api/v1/tags/?limit=1")["next_cursor"]
    articles_cursor = get_json(client, "/api/v1/articles/?limit=1")["next_cursor"]
    for cursor in (tags_cursor, articles_cursor[:-2] + "xx", articles_cursor + "a", "", "abc"):
        body = get_json(client, f"/api/v1/articles/?cursor={cursor}", status=400)
        assert body["detail"].startswith("Curseur invalide")


def test_categories_authors_and_tags(client):
    author = make_author(slug="anne", display_name="Anne Auteure", bio="Correspondante.")
    make_article(authors=[author], tags=["Alaska", "Climat"])
    categories = get_json(client, "/api/v1/categories/")["items"]
    assert [c["slug"] for c in categories] == list(Category.objects.values_list("slug", flat=True))
    assert get_json(client, "/api/v1/categories/politique/")["name"] == "Politique"
    assert get_json(client, "/api/v1/authors/anne/") == {
        "slug": "anne",
        "name": "Anne Auteure",
        "bio": "Correspondante.",
        "url": "http://127.0.0.1:8000/auteur/anne/",
        "portrait": None,
    }
    tags = get_json(client, "/api/v1/tags/?limit=1")
    assert tags["items"] == [
        {"slug": "alaska", "name": "Alaska", "url": "http://127.0.0.1:8000/mot-cle/alaska/"}
    ]
    assert [t["slug"] for t in get_json(client, tags["next"])["items"]] == ["climat"]
    get_json(client, "/api/v1/categories/inconnue/", status=404)
