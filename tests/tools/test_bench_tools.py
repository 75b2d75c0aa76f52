import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from articles.models import Article

pytestmark = pytest.mark.django_db


def test_seed_archive_builds_a_published_archive_with_tags_and_authors(settings):
    settings.PHOTO_RENDITION_WIDTHS = [480]
    call_command("seed_archive", articles=30, photos=2, authors=3, tags=10, stdout=StringIO())

    assert Article.objects.published().count() == 30
    article = Article.objects.published().first()
    assert article.authors.count() == 1
    assert article.tags.count() == 3
    assert article.hero_photo.renditions

    call_command("seed_archive", articles=30, photos=2, authors=3, tags=10, stdout=StringIO())
    assert Article.objects.count() == 30


def test_bench_urls_and_query_counts_point_at_real_pages(settings):
    settings.PHOTO_RENDITION_WIDTHS = [480]
    call_command("seed_archive", articles=30, photos=2, authors=3, tags=10, stdout=StringIO())
    out = StringIO()
    call_command("bench_urls", stdout=out)
    urls = json.loads(out.getvalue())

    client = Client()
    for name in ("api_articles", "api_article", "api_articles_page_50"):
        assert client.get(urls[name]).status_code == 200, name
    # The « Les plus lus » beacon of the hot article: a signed address the site accepts.
    assert client.post(urls["read_beacon"]).status_code == 204
    assert client.post(urls["read_beacon"].replace(":", "x")).status_code == 400
    # Past the last of the 30 articles: an empty page, reached by a valid cursor.
    assert client.get(urls["api_articles_page_50"]).json()["items"] == []

    counts = StringIO()
    call_command("bench_queries", urls["home"], urls["article"], stdout=counts)
    result = json.loads(counts.getvalue())
    assert all(count > 0 for count in result["complet"].values())
    # Built from kept fragments, a page reads far less than when rendered whole.
    for path, count in result["fragments"].items():
        assert count < result["complet"][path]


def test_paging_through_the_archive_with_the_api_costs_the_same_queries_per_page(settings):
    settings.PHOTO_RENDITION_WIDTHS = [480]
    call_command("seed_archive", articles=120, photos=2, authors=3, tags=10, stdout=StringIO())
    out = StringIO()
    call_command("bench_api", limit=10, stdout=out)
    result = json.loads(out.getvalue())

    assert result["pages"] == 12
    assert result["articles"] == result["distinct"] == 120
    assert result["queries_min"] == result["queries_max"] == 3
