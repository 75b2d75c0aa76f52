"""Each endpoint costs a fixed number of SQL queries, whatever the archive and the page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Category
from tests.factories import make_article, make_author, make_photo

from .helpers import get_json

pytestmark = pytest.mark.django_db

BUDGET = {
    "/api/v1/articles/": 3,  # articles with rubric and photo, their authors, their tags
    "/api/v1/articles/?category=politique&tag=alaska&author=plume": 6,  # + the three filters
    "/api/v1/articles/un-article/": 4,  # the article, its authors, tags and notes
    "/api/v1/categories/": 1,
    "/api/v1/categories/politique/": 1,
    "/api/v1/authors/": 1,
    "/api/v1/authors/plume/": 1,
    "/api/v1/tags/": 1,
    "/api/v1/tags/alaska/": 1,
}


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        page = get_json(client, url)
    return len(captured), page


def _add_articles(count, author, photo):
    categories = list(Category.objects.all())
    for n in range(count):
        make_article(
            category=categories[n % len(categories)] if n % 2 else categories[0],
            authors=[author, make_author()],
            tags=["Alaska", f"Sujet {n}"],
            hero_photo=photo,
        )


@pytest.mark.parametrize("url", BUDGET)
def test_query_count_is_within_budget_and_does_not_grow_with_the_archive(client, url):
    author = make_author(slug="plume", portrait=make_photo())
    photo = make_photo(with_renditions=True)
    make_article(slug="un-article", authors=[author], tags=["Alaska", "Monde"], hero_photo=photo)
    _add_articles(2, author, photo)
    with_few, page = _queries(client, url)
    _add_articles(40, author, photo)
    with_many, bigger = _queries(client, url)
    assert with_few == with_many <= BUDGET[url], (with_few, with_many)
    if "items" in bigger and "/categories/" not in url:
        assert len(bigger["items"]) > len(page["items"]) or len(page["items"]) == 20


def test_paging_through_the_archive_costs_the_same_on_every_page(client):
    author = make_author(slug="plume")
    _add_articles(30, author, make_photo())
    url, counts, seen = "/api/v1/articles/?limit=4", [], 0
    while url:
        count, page = _queries(client, url)
        counts.append(count)
        seen += len(page["items"])
        url = page["next"]
    assert seen == 30
    assert len(counts) == 8
    assert set(counts) == {3}
