import json
import re
from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Category
from tests.factories import make_article, make_author, make_photo

pytestmark = pytest.mark.django_db

SITE = "https://www.exemple.fr"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def lead():
    return make_article(
        title="Poutine et Trump en Alaska",
        slug="poutine-trump-alaska",
        standfirst="Trois heures de discussions à Anchorage.",
        published_at=datetime(2025, 8, 15, 21, 50, tzinfo=UTC),
        revised_at=datetime(2025, 8, 16, 8, 0, tzinfo=UTC),
        authors=[make_author(display_name="Camille Durand", slug="camille-durand")],
        hero_photo=make_photo(
            caption="Vladimir Poutine et Donald Trump en Alaska, le 15 août 2025.",
            credit="Andrew Caballero Reynolds",
            alt_text="Deux présidents sur un tapis rouge",
            with_renditions=True,
        ),
        tags=["Alaska", "Diplomatie"],
    )


class HeadParser(HTMLParser):
    """Collects <meta>, <link> and JSON-LD blocks the way a crawler reads them."""

    def __init__(self):
        super().__init__()
        self.meta, self.links, self.json_ld, self.scripts = [], [], [], 0
        self._in_json = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta":
            self.meta.append(attrs)
        elif tag == "link":
            self.links.append(attrs)
        elif tag == "script":
            self.scripts += 1
            self._in_json = attrs.get("type") == "application/ld+json"
            if self._in_json:
                self.json_ld.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_json = False

    def handle_data(self, data):
        if self._in_json:
            self.json_ld[-1] += data

    def property(self, name):
        return [m["content"] for m in self.meta if m.get("property") == name]

    def name(self, name):
        return [m["content"] for m in self.meta if m.get("name") == name]

    def link(self, rel):
        return [link["href"] for link in self.links if link.get("rel") == rel]


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200
    parser = HeadParser()
    parser.feed(response.content.decode())
    return parser


def json_ld(parser, kind):
    blocks = [json.loads(block) for block in parser.json_ld]
    return next(block for block in blocks if block["@type"] == kind)


def test_article_page_has_canonical_url_description_and_robots(client, lead):
    page = parse(client, lead.get_absolute_url())

    assert page.link("canonical") == [f"{SITE}/articles/poutine-trump-alaska/"]
    assert page.name("description") == ["Trois heures de discussions à Anchorage."]
    assert page.name("robots") == ["max-image-preview:large"]


def test_article_page_has_open_graph_and_x_card_with_the_right_photo(client, lead):
    page = parse(client, lead.get_absolute_url())
    rendition = next(r for r in lead.hero_photo.renditions if r["width"] == 1200)
    image_url = f"{SITE}/media/{rendition['jpg']}"

    assert page.property("og:type") == ["article"]
    assert page.property("og:title") == ["Poutine et Trump en Alaska"]
    assert page.property("og:description") == ["Trois heures de discussions à Anchorage."]
    assert page.property("og:url") == [f"{SITE}/articles/poutine-trump-alaska/"]
    assert page.property("og:site_name") == ["Actualités Express"]
    assert page.property("og:locale") == ["fr_FR"]
    assert page.property("og:image") == [image_url]
    assert page.property("og:image:width") == ["1200"]
    assert page.property("og:image:height") == ["675"]
    assert page.property("og:image:alt") == ["Deux présidents sur un tapis rouge"]
    assert page.property("article:published_time") == ["2025-08-15T23:50:00+02:00"]
    assert page.property("article:modified_time") == ["2025-08-16T10:00:00+02:00"]
    assert page.property("article:section") == ["Politique"]
    assert page.property("article:tag") == ["Alaska", "Diplomatie"]
    assert page.property("article:author") == [f"{SITE}/auteur/camille-durand/"]
    assert page.name("twitter:card") == ["summary_large_image"]
    assert page.name("twitter:title") == ["Poutine et Trump en Alaska"]
    assert page.name("twitter:image") == [image_url]
    assert page.name("twitter:image:alt") == ["Deux présidents sur un tapis rouge"]


def test_news_article_json_ld_field_by_field(client, lead):
    page = parse(client, lead.get_absolute_url())
    data = json_ld(page, "NewsArticle")
    rendition = next(r for r in lead.hero_photo.renditions if r["width"] == 1200)

    assert data["@context"] == "https://schema.org"
    assert data["headline"] == "Poutine et Trump en Alaska"
    assert data["description"] == "Trois heures de discussions à Anchorage."
    assert data["datePublished"] == "2025-08-15T23:50:00+02:00"
    assert data["dateModified"] == "2025-08-16T10:00:00+02:00"
    assert data["articleSection"] == "Politique"
    assert data["inLanguage"] == "fr-FR"
    assert data["keywords"] == ["Alaska", "Diplomatie"]
    assert data["mainEntityOfPage"] == {
        "@type": "WebPage",
        "@id": f"{SITE}/articles/poutine-trump-alaska/",
    }
    assert data["image"] == {
        "@type": "ImageObject",
        "url": f"{SITE}/media/{rendition['jpg']}",
        "contentUrl": f"{SITE}/media/{rendition['jpg']}",
        "width": 1200,
        "height": 675,
        "caption": "Vladimir Poutine et Donald Trump en Alaska, le 15 août 2025.",
        "creditText": "Andrew Caballero Reynolds",
        "copyrightNotice": "© Andrew Caballero Reynolds",
    }
    assert data["author"] == [
        {"@type": "Person", "name": "Camille Durand", "url": f"{SITE}/auteur/camille-durand/"}
    ]
    publisher = data["publisher"]
    assert publisher["@type"] == "Organization"
    assert publisher["name"] == "Actualités Express"
    assert publisher["logo"]["@type"] == "ImageObject"
    assert publisher["logo"]["url"] == f"{SITE}/static/img/logo.png"
    assert (publisher["logo"]["width"], publisher["logo"]["height"]) == (600, 60)


def test_publisher_logo_exists_with_the_declared_size(client):
    from django.contrib.staticfiles import finders
    from PIL import Image

    with Image.open(finders.find("img/logo.png")) as logo:
        assert logo.format == "PNG"
        assert logo.size == (600, 60)


def test_breadcrumb_json_ld(client, lead):
    data = json_ld(parse(client, lead.get_absolute_url()), "BreadcrumbList")

    assert data["@context"] == "https://schema.org"
    assert [
        (item["@type"], item["position"], item["name"], item["item"])
        for item in data["itemListElement"]
    ] == [
        ("ListItem", 1, "Accueil", f"{SITE}/"),
        ("ListItem", 2, "Politique", f"{SITE}/rubrique/politique/"),
        ("ListItem", 3, "Poutine et Trump en Alaska", f"{SITE}/articles/poutine-trump-alaska/"),
    ]


def test_json_ld_cannot_be_closed_by_a_title(client):
    title = "Fin </script><script>alert(1)</script> & <!-- fin"
    article = make_article(title=title, standfirst="Un chapô </SCRIPT> piégé.")

    response = client.get(article.get_absolute_url())
    html = response.content.decode()
    page = HeadParser()
    page.feed(html)

    assert "<script>alert(1)" not in html
    # The two JSON-LD blocks and two static scripts (the read beacon, the comment form's
    # token), nothing else.
    assert page.scripts == 4
    assert json_ld(page, "NewsArticle")["headline"] == title
    assert json_ld(page, "NewsArticle")["description"] == "Un chapô </SCRIPT> piégé."
    assert json_ld(page, "BreadcrumbList")["itemListElement"][2]["name"] == title
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "\\u003C/script\\u003E" in block
    assert page.property("og:title") == [title]


def test_article_without_photo_has_a_summary_card_and_no_image(client):
    article = make_article(hero_photo=None)

    page = parse(client, article.get_absolute_url())

    assert page.property("og:image") == []
    assert page.name("twitter:card") == ["summary"]
    assert "image" not in json_ld(page, "NewsArticle")


def test_meta_description_overrides_the_standfirst(client):
    article = make_article(meta_description="Résumé pour les moteurs.")

    page = parse(client, article.get_absolute_url())

    assert page.name("description") == ["Résumé pour les moteurs."]
    assert page.property("og:description") == ["Résumé pour les moteurs."]
    assert json_ld(page, "NewsArticle")["description"] == "Résumé pour les moteurs."


def test_listing_pages_have_their_canonical_url(client, lead):
    for _ in range(13):
        make_article()

    category = parse(client, reverse("articles:category", args=["politique"]))
    second = parse(client, reverse("articles:category", args=["politique"]) + "?page=2")
    home = parse(client, reverse("articles:home"))
    about = parse(client, "/qui-sommes-nous/")

    assert category.link("canonical") == [f"{SITE}/rubrique/politique/"]
    assert category.property("og:type") == ["website"]
    assert category.property("og:title") == ["Politique"]
    assert second.link("canonical") == [f"{SITE}/rubrique/politique/?page=2"]
    assert home.link("canonical") == [f"{SITE}/"]
    assert about.link("canonical") == [f"{SITE}/qui-sommes-nous/"]
    for page in (category, home, about):
        assert page.json_ld == []


def test_article_metadata_adds_no_query_per_tag_or_author(client, lead):
    # Tags, authors, category and photo all come from what the page already loaded.
    other = make_article(
        category=Category.objects.get(slug="sports"),
        tags=["Rugby", "Finale", "Stade", "Coupe", "Europe"],
        authors=[make_author(), make_author(), make_author()],
    )

    with CaptureQueriesContext(connection) as lead_queries:
        client.get(lead.get_absolute_url())
    with CaptureQueriesContext(connection) as other_queries:
        client.get(other.get_absolute_url())

    assert len(other_queries) == len(lead_queries)
