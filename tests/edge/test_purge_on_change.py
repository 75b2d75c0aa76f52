"""Through Varnish with the shipped VCL: what a change purges, and nothing more."""

import pytest
from django.test import Client
from django.urls import reverse

from articles import workflow
from articles.models import Article, Category
from comments import moderation
from comments.models import Comment
from edge import purging
from tests.factories import make_article, make_author, make_editor, make_user

pytestmark = [pytest.mark.edge, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def purged_by_the_site(edge, settings):
    settings.VARNISH_PURGE_URLS = [f"http://127.0.0.1:{edge.purge_port}/"]
    settings.COMMENTS_CLOSE_AFTER_DAYS = 0
    return edge


@pytest.fixture
def newsroom():
    politique = Category.objects.get(slug="politique")
    sports = Category.objects.get(slug="sports")
    anne, paul = make_author(), make_author()
    make_article(category=politique, authors=[anne], tags=["Budget"], title="Le budget voté")
    match = make_article(category=sports, authors=[paul], tags=["Football"], title="Victoire 2-0")
    return politique, sports, anne, paul, match


def warm(edge, paths):
    for path in paths:
        assert edge.get(path).status == 200, path
        assert edge.get(path).cache == "hit", path


def cache_states(edge, paths):
    return {path: edge.get(path).cache for path in paths}


def test_a_publication_purges_the_pages_showing_the_article_and_nothing_else(
    purged_by_the_site, newsroom
):
    edge = purged_by_the_site
    politique, sports, anne, paul, match = newsroom
    draft = make_article(
        category=politique,
        authors=[anne],
        tags=["Budget"],
        title="La loi de finances rectificative",
        status=Article.Status.REVIEW,
    )
    showing_it = [
        "/",
        politique.get_absolute_url(),
        f"/rubrique/{politique.slug}/flux/",
        "/mot-cle/budget/",
        anne.get_absolute_url(),
        "/flux/",
        "/flux/atom/",
        "/sitemap-news.xml",
    ]
    elsewhere = [
        sports.get_absolute_url(),
        f"/rubrique/{sports.slug}/flux/",
        "/mot-cle/football/",
        paul.get_absolute_url(),
        match.get_absolute_url(),
        # Another story of « Politique », by Anne, on « Budget »: it prints their names, which
        # a publication does not change (the hot article stays cached while its rubric moves).
        Article.objects.get(title="Le budget voté").get_absolute_url(),
    ]
    warm(edge, showing_it + elsewhere)

    workflow.publish(draft, by=make_editor())
    purging.wait()

    assert cache_states(edge, showing_it) == dict.fromkeys(showing_it, "miss")
    for path in showing_it:
        assert "La loi de finances rectificative" in edge.get(path).body, path
    assert edge.get(draft.get_absolute_url()).status == 200
    assert cache_states(edge, elsewhere) == dict.fromkeys(elsewhere, "hit")


def test_an_unpublished_article_is_gone_from_varnish_at_once(purged_by_the_site, newsroom):
    edge = purged_by_the_site
    politique, *_ = newsroom
    story = make_article(category=politique, title="Une information à retirer")
    warm(edge, [story.get_absolute_url(), "/", politique.get_absolute_url()])

    workflow.unpublish(story, by=make_editor(), comment="Source non confirmée")
    purging.wait()

    assert edge.get(story.get_absolute_url()).status == 410
    for path in ("/", politique.get_absolute_url()):
        assert "Une information à retirer" not in edge.get(path).body, path


def test_a_published_comment_purges_its_article_and_the_cards_counting_it(
    purged_by_the_site, newsroom
):
    edge = purged_by_the_site
    politique, sports, anne, paul, match = newsroom
    story = make_article(category=politique, title="Réforme des retraites")
    elsewhere = [match.get_absolute_url(), sports.get_absolute_url(), "/flux/", "/sitemap.xml"]
    warm(edge, [story.get_absolute_url(), "/", *elsewhere])
    comment = Comment.objects.create(
        article=story, name="Lina", email="lina@example.org", text="Un débat utile."
    )

    moderation.approve(comment, by=make_editor())
    purging.wait()

    page = edge.get(story.get_absolute_url())
    assert page.cache == "miss"
    assert "Un débat utile." in page.body
    assert edge.get("/").cache == "miss"  # the card of the story counts its comments
    assert cache_states(edge, elsewhere) == dict.fromkeys(elsewhere, "hit")


def rename_in_admin(obj, data):
    editor = Client()
    editor.force_login(make_user(is_staff=True, is_superuser=True))
    meta = obj._meta
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
    assert editor.post(url, data).status_code == 302
    purging.wait()
    return editor


def test_a_renamed_rubric_shows_at_once_on_every_page_printing_its_name(
    purged_by_the_site, newsroom
):
    edge = purged_by_the_site
    politique, sports, anne, paul, match = newsroom
    budget = Article.objects.get(title="Le budget voté")
    kicker = f'<a class="kicker" href="{politique.get_absolute_url()}">{{}}</a>'
    # The navigation prints every rubric on every HTML page; feeds print their items' rubrics.
    printing_it = [
        budget.get_absolute_url(),
        anne.get_absolute_url(),
        "/mot-cle/budget/",
        politique.get_absolute_url(),
        "/",
        "/flux/",
        "/flux/atom/",
        f"/rubrique/{politique.slug}/flux/",
    ]
    warm(edge, printing_it)
    assert kicker.format("Politique") in edge.get(budget.get_absolute_url()).body

    data = {"name": "Vie politique", "slug": politique.slug, "position": politique.position}
    editor = rename_in_admin(politique, data)

    # At the origin (staff go through Varnish) and through Varnish, at once.
    assert kicker.format("Vie politique") in editor.get(budget.get_absolute_url()).content.decode()
    assert cache_states(edge, printing_it) == dict.fromkeys(printing_it, "miss")
    for path in printing_it:
        assert "Vie politique" in edge.get(path).body, path
    assert kicker.format("Vie politique") in edge.get(budget.get_absolute_url()).body


def test_a_renamed_author_shows_at_once_where_her_name_is_printed_and_nowhere_else(
    purged_by_the_site, newsroom
):
    edge = purged_by_the_site
    politique, sports, anne, paul, match = newsroom
    budget = Article.objects.get(title="Le budget voté")
    printing_it = [
        budget.get_absolute_url(),  # its byline
        anne.get_absolute_url(),
        politique.get_absolute_url(),  # the card of « Le budget voté »
        "/mot-cle/budget/",
        "/",
        "/flux/",
    ]
    elsewhere = [
        match.get_absolute_url(),
        paul.get_absolute_url(),
        sports.get_absolute_url(),
        "/mot-cle/football/",
    ]
    warm(edge, printing_it + elsewhere)

    data = {"user": anne.user_id, "display_name": "Anne Nouveau-Nom", "slug": anne.slug}
    editor = rename_in_admin(anne, data)

    assert "Anne Nouveau-Nom" in editor.get(budget.get_absolute_url()).content.decode()
    assert cache_states(edge, printing_it) == dict.fromkeys(printing_it, "miss")
    for path in printing_it:
        assert "Anne Nouveau-Nom" in edge.get(path).body, path
    assert cache_states(edge, elsewhere) == dict.fromkeys(elsewhere, "hit")
