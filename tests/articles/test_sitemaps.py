import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Category
from tests.factories import make_article, make_author

pytestmark = pytest.mark.django_db

SITE = "https://www.exemple.fr"
NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)


def locations(root):
    return {
        url.findtext("sm:loc", namespaces=NS): url.findtext("sm:lastmod", namespaces=NS)
        for url in root.findall("sm:url", NS)
    }


def section(client, name):
    return locations(fetch(client, reverse("articles:sitemap-section", args=[name])))


def test_sitemap_index_lists_every_section_with_absolute_urls(client):
    make_article(published_at=datetime(2025, 8, 15, 21, 50, tzinfo=UTC))

    root = fetch(client, reverse("articles:sitemap"))

    entries = {
        s.findtext("sm:loc", namespaces=NS): s.findtext("sm:lastmod", namespaces=NS)
        for s in root.findall("sm:sitemap", NS)
    }
    assert set(entries) == {
        f"{SITE}/sitemap-{name}.xml"
        for name in ("articles", "rubriques", "mots-cles", "auteurs", "pages")
    }
    assert entries[f"{SITE}/sitemap-articles.xml"].startswith("2025-08-15T23:50:00")


def test_articles_sitemap_has_published_articles_with_their_last_change(client):
    revised = make_article(
        slug="revise",
        published_at=datetime(2025, 8, 10, 9, 0, tzinfo=UTC),
        revised_at=datetime(2025, 8, 12, 9, 0, tzinfo=UTC),
    )
    plain = make_article(slug="simple", published_at=datetime(2025, 8, 11, 9, 0, tzinfo=UTC))
    make_article(slug="brouillon", status=Article.Status.DRAFT)
    make_article(slug="demain", published_at=timezone.now() + timedelta(days=1))

    urls = section(client, "articles")

    assert urls == {
        f"{SITE}{revised.get_absolute_url()}": "2025-08-12",
        f"{SITE}{plain.get_absolute_url()}": "2025-08-11",
    }


def test_categories_tags_and_authors_sitemaps(client):
    writer = make_author(slug="camille-durand")
    make_author(slug="sans-article-publie")
    hidden_writer = make_author(slug="auteur-en-brouillon")
    make_article(authors=[writer], tags=["Alaska"])
    make_article(authors=[hidden_writer], tags=["Secret"], status=Article.Status.DRAFT)
    make_article(
        authors=[hidden_writer], tags=["Futur"], published_at=timezone.now() + timedelta(1)
    )

    categories = section(client, "rubriques")
    tags = section(client, "mots-cles")
    authors = section(client, "auteurs")

    assert set(categories) == {f"{SITE}{c.get_absolute_url()}" for c in Category.objects.all()}
    assert set(tags) == {f"{SITE}/mot-cle/alaska/"}
    assert set(authors) == {f"{SITE}/auteur/camille-durand/"}


def test_pages_sitemap_has_the_home_page_and_standing_pages(client):
    urls = section(client, "pages")
    assert set(urls) == {f"{SITE}/", f"{SITE}/qui-sommes-nous/"}


def test_unknown_sitemap_section_answers_404(client):
    response = client.get(reverse("articles:sitemap-section", args=["inconnue"]))
    assert response.status_code == 404


def test_news_sitemap_lists_the_last_two_days_only(client, time_machine):
    time_machine.move_to(datetime(2025, 8, 16, 12, 0, tzinfo=UTC))
    now = timezone.now()
    fresh = make_article(
        title="Poutine et Trump en Alaska : « pas d'accord »",
        slug="poutine-trump-alaska",
        published_at=datetime(2025, 8, 15, 21, 50, tzinfo=UTC),
    )
    make_article(slug="trop-ancien", published_at=now - timedelta(days=2, minutes=1))
    make_article(slug="brouillon", status=Article.Status.DRAFT)
    make_article(slug="programme", published_at=now + timedelta(hours=1))

    root = fetch(client, reverse("articles:sitemap-news"))

    urls = root.findall("sm:url", NS)
    assert [u.findtext("sm:loc", namespaces=NS) for u in urls] == [
        f"{SITE}{fresh.get_absolute_url()}"
    ]
    news = urls[0].find("news:news", NS)
    assert news.findtext("news:publication/news:name", namespaces=NS) == "Actualités Express"
    assert news.findtext("news:publication/news:language", namespaces=NS) == "fr"
    assert news.findtext("news:publication_date", namespaces=NS) == "2025-08-15T23:50:00+02:00"
    assert news.findtext("news:title", namespaces=NS) == fresh.title


def test_robots_txt_points_to_the_sitemaps_and_keeps_private_areas_out(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    for path in ("/admin/", "/apercu/", "/recherche/", "/lu/"):
        assert f"Disallow: {path}" in lines
    assert f"Sitemap: {SITE}/sitemap.xml" in lines
    assert f"Sitemap: {SITE}/sitemap-news.xml" in lines
