"""Through Varnish with the shipped VCL: what a change purges, and nothing more."""

import pytest

from articles import workflow
from articles.models import Article, Category
from comments import moderation
from comments.models import Comment
from edge import purging
from tests.factories import make_article, make_author, make_editor

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

    assert edge.get(story.get_absolute_url()).status == 404
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
