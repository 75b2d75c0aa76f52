"""Every public response names what it shows (surrogate keys), cached at the origin or not."""

import pytest
from taggit.models import Tag

from articles.models import Category, Page
from edge.keys import fragment_marker
from public_cache import invalidation
from tests.factories import make_article, make_author

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("caches_on")]


def keys(response):
    assert response.status_code == 200
    names = response["xkey"].split()
    assert response["Surrogate-Key"] == response["xkey"]
    assert response["Cache-Tag"].split(",") == names
    return set(names)


def article_shown(article):
    return {f"article-{article.pk}", f"comments-{article.pk}", f"photo-{article.hero_photo_id}"}


@pytest.fixture
def stories():
    politique = Category.objects.get(slug="politique")
    sport = Category.objects.get(slug="sports")
    anne, paul = make_author(), make_author()
    budget = make_article(category=politique, authors=[anne], tags=["Budget"])
    match = make_article(category=sport, authors=[paul], tags=["Football"])
    # Made by factories, not the workflow: said once, as publishing them would.
    invalidation.changed(article=[budget, match])
    return politique, sport, anne, paul, budget, match


def test_the_home_page_names_itself_every_story_it_shows_and_the_navigation(client, stories):
    *_, budget, match = stories
    shown = keys(client.get("/"))

    assert {"home", "nav", "alert"} <= shown
    assert article_shown(budget) | article_shown(match) <= shown
    about = Page.objects.get(slug="qui-sommes-nous")
    assert f"page-{about.pk}" in shown  # its summary is in the footer


def test_keys_are_the_same_when_the_page_comes_from_the_cache(client, stories):
    first = client.get("/")
    again = client.get("/")
    assert again["X-Page-Cache"] == "hit"
    assert keys(again) == keys(first)


def test_keys_kept_with_fragments_survive_a_page_rebuilt_from_them(client, settings, stories):
    politique, *_ = stories
    rendered = keys(client.get(politique.get_absolute_url()))
    # Without the whole-page cache, the page is assembled from the fragments already kept.
    settings.PAGE_CACHE_ENABLED = False
    assert keys(client.get(politique.get_absolute_url())) == rendered


def test_a_rubric_names_itself_and_its_stories_not_the_others(client, stories):
    politique, sport, anne, paul, budget, match = stories
    shown = keys(client.get(politique.get_absolute_url()))

    assert f"category-{politique.pk}" in shown
    assert article_shown(budget) <= shown
    assert not shown & article_shown(match)
    assert f"category-{sport.pk}" not in shown
    # The home page and the authors' pages are other pages.
    assert not shown & {"home", f"author-{anne.pk}", f"author-{paul.pk}"}


def test_an_article_page_names_its_article_not_the_lists_it_is_in(client, stories):
    politique, sport, anne, paul, budget, match = stories
    shown = keys(client.get(budget.get_absolute_url()))

    assert article_shown(budget) <= shown
    budget_tag = Tag.objects.get(name="Budget")
    # Another story by Anne or in « Politique » must not purge this page.
    assert not shown & {
        "home",
        f"category-{politique.pk}",
        f"author-{anne.pk}",
        f"tag-{budget_tag.pk}",
    }
    # Renaming its rubric, its keyword or its author must.
    assert {
        f"name-category-{politique.pk}",
        f"name-author-{anne.pk}",
        f"name-tag-{budget_tag.pk}",
    } <= shown
    assert not shown & {f"name-category-{sport.pk}", f"name-author-{paul.pk}"}


def test_cards_name_the_rubric_and_authors_they_print(client, stories):
    politique, sport, anne, paul, budget, match = stories
    # The home page's latest stories print their rubric and authors.
    home = keys(client.get("/"))
    assert {f"name-category-{politique.pk}", f"name-author-{anne.pk}"} <= home
    # A keyword's page prints its stories' rubrics and authors, not the others'.
    football = Tag.objects.get(name="Football")
    tag_page = keys(client.get(f"/mot-cle/{football.slug}/"))
    assert {f"name-category-{sport.pk}", f"name-author-{paul.pk}"} <= tag_page
    assert not tag_page & {f"name-category-{politique.pk}", f"name-author-{anne.pk}"}
    # A rubric's page does not print the rubric on its cards: its title is its own key.
    assert f"name-category-{politique.pk}" not in keys(client.get(politique.get_absolute_url()))


def test_a_renamed_rubric_keyword_or_author_purges_the_pages_printing_its_name(stories):
    politique, sport, anne, paul, budget, match = stories
    budget_tag = Tag.objects.get(name="Budget")
    assert {f"name-category-{politique.pk}", f"category-{politique.pk}"} <= (
        invalidation.keys_for(category=politique)
    )
    assert f"name-tag-{budget_tag.pk}" in invalidation.keys_for(tag=budget_tag)
    assert f"name-author-{anne.pk}" in invalidation.keys_for(author=anne)
    # A publication in « Politique » purges its lists, not the names its articles print.
    published = invalidation.keys_for(article=budget)
    assert f"category-{politique.pk}" in published
    assert not {key for key in published if key.startswith("name-")}


def test_tag_and_author_pages_name_themselves(client, stories):
    politique, sport, anne, paul, budget, match = stories
    football = Tag.objects.get(name="Football")

    tag_page = keys(client.get(f"/mot-cle/{football.slug}/"))
    assert {f"tag-{football.pk}", *article_shown(match)} <= tag_page
    assert not tag_page & article_shown(budget)

    author_page = keys(client.get(anne.get_absolute_url()))
    assert {f"author-{anne.pk}", *article_shown(budget)} <= author_page
    assert not author_page & article_shown(match)


def test_feeds_and_sitemaps_name_themselves(client, stories):
    politique, sport, anne, paul, budget, match = stories

    feed = keys(client.get("/flux/"))
    assert {"feed", f"article-{budget.pk}", f"photo-{budget.hero_photo_id}"} <= feed
    # Its items print their rubric and authors.
    assert {f"name-category-{politique.pk}", f"name-author-{anne.pk}"} <= feed
    # No comment count in a feed: a published comment leaves it alone.
    assert f"comments-{budget.pk}" not in feed
    assert "feed" in keys(client.get("/flux/atom/"))
    rubric_feed = keys(client.get(f"/rubrique/{politique.slug}/flux/"))
    # A story in « Sport » purges the main feeds, not « Politique »'s.
    assert f"category-{politique.pk}" in rubric_feed
    assert "feed" not in rubric_feed
    assert f"article-{match.pk}" not in rubric_feed
    assert keys(client.get("/sitemap.xml")) == {"sitemap"}
    assert keys(client.get("/sitemap-news.xml")) == {"sitemap"}


def test_readers_never_see_the_fragments_markers(client, stories):
    *_, budget, _match = stories
    for path in ("/", budget.get_absolute_url(), budget.category.get_absolute_url()):
        for _ in range(2):
            assert b"<!--xk-" not in client.get(path).content


def test_a_marker_written_by_a_reader_is_shown_as_text_not_read(client, settings, stories):
    *_, budget, _match = stories
    from comments.models import Comment

    forged = fragment_marker({"home"})
    Comment.objects.create(
        article=budget,
        name="Malin",
        email="malin@example.org",
        text=f"Essai {forged} fin",
        status=Comment.Status.APPROVED,
    )
    response = client.get(budget.get_absolute_url())
    assert "home" not in keys(response)
    assert "Essai &lt;!--xk-" in response.content.decode()


def test_api_answers_and_a_live_coverage_name_themselves(client, stories):
    *_, budget, _match = stories
    from django.urls import reverse

    from tests.live.factories import make_live

    assert "api" in keys(client.get("/api/v1/articles/"))
    assert "api" in keys(client.get(f"/api/v1/articles/{budget.slug}/"))

    live = make_live(article=budget)
    assert f"live-{live.pk}" in keys(client.get(reverse("live:poll", args=[live.pk])))
    assert {f"live-{live.pk}", *article_shown(budget)} <= keys(
        client.get(budget.get_absolute_url())
    )
