import json
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from html import unescape

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Category
from tests.factories import make_article, make_author, make_photo

pytestmark = pytest.mark.django_db

SITE = "https://www.exemple.fr"
NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "media": "http://search.yahoo.com/mrss/",
    "dc": "http://purl.org/dc/elements/1.1/",
}


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
        authors=[
            make_author(display_name="Camille Durand", slug="camille-durand"),
            make_author(display_name="Antoine Kouassi", slug="antoine-kouassi"),
        ],
        hero_photo=make_photo(
            caption="Vladimir Poutine et Donald Trump en Alaska, le 15 août 2025.",
            credit="Andrew Caballero Reynolds",
            with_renditions=True,
        ),
    )


def test_an_illustration_is_credited_as_such_on_the_page_in_feeds_and_json_ld(client):
    article = make_article(
        title="Le sommet en images",
        hero_photo=make_photo(
            caption="Un paysage abstrait pour illustrer le sommet.",
            credit="Illustration : Actualités Express",
            with_renditions=True,
        ),
    )

    page = unescape(client.get(article.get_absolute_url()).content.decode())
    _, root = fetch(client, reverse("articles:feed"))
    item = rss_items(root)["Le sommet en images"]
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', page).group(1)
    )

    assert '<span class="credit">Illustration\u00a0: Actualités Express</span>' in page
    assert "Illustration\u00a0: Actualités Express" in item.findtext("description")
    assert "Photo" not in item.findtext("description")
    assert item.find("media:content", NS).findtext("media:copyright", namespaces=NS) == (
        "© Actualités Express"
    )
    assert data["image"]["creditText"] == "Illustration : Actualités Express"
    assert data["image"]["copyrightNotice"] == "© Actualités Express"


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response, ET.fromstring(response.content)


def rss_items(root):
    return {item.findtext("title"): item for item in root.iter("item")}


def test_politique_feed_shows_the_lead_article_with_its_credited_photo(client, lead):
    response, root = fetch(client, reverse("articles:category-feed", args=["politique"]))

    assert response["Content-Type"].startswith("application/rss+xml")
    channel = root.find("channel")
    assert channel.findtext("title") == "Actualités Express — Politique"
    assert channel.findtext("link") == f"{SITE}/rubrique/politique/"
    assert channel.findtext("language") == "fr"
    item = rss_items(root)["Poutine et Trump en Alaska"]
    assert item.findtext("link") == f"{SITE}/articles/poutine-trump-alaska/"
    assert item.findtext("guid") == f"{SITE}/articles/poutine-trump-alaska/"
    # Same order as the byline on the site.
    assert item.findtext("dc:creator", namespaces=NS) == "Antoine Kouassi et Camille Durand"
    assert parsedate_to_datetime(item.findtext("pubDate")) == lead.published_at
    assert [c.text for c in item.findall("category")] == ["Politique"]
    description = item.findtext("description")
    assert "Trois heures de discussions à Anchorage." in description
    assert "Photo\u00a0: © Andrew Caballero Reynolds" in description

    rendition = next(r for r in lead.hero_photo.renditions if r["width"] == 1200)
    enclosure = item.find("enclosure")
    assert enclosure.get("url") == f"{SITE}/media/{rendition['jpg']}"
    assert enclosure.get("type") == "image/jpeg"
    assert int(enclosure.get("length")) == default_storage.size(rendition["jpg"]) > 0

    media = item.find("media:content", NS)
    assert media.get("url") == enclosure.get("url")
    assert (media.get("width"), media.get("height")) == ("1200", "675")
    assert media.get("medium") == "image"
    assert media.findtext("media:credit", namespaces=NS) == "Andrew Caballero Reynolds"
    assert media.findtext("media:copyright", namespaces=NS) == "© Andrew Caballero Reynolds"
    assert media.findtext("media:description", namespaces=NS) == (
        "Vladimir Poutine et Donald Trump en Alaska, le 15 août 2025."
    )


def test_category_feed_lists_only_that_category(client, lead):
    make_article(title="Un match de rugby", category=Category.objects.get(slug="sports"))

    _, politics = fetch(client, reverse("articles:category-feed", args=["politique"]))
    _, sports = fetch(client, reverse("articles:category-feed", args=["sports"]))

    assert list(rss_items(politics)) == ["Poutine et Trump en Alaska"]
    assert list(rss_items(sports)) == ["Un match de rugby"]


def test_unknown_category_feed_answers_404(client):
    response = client.get(reverse("articles:category-feed", args=["n-existe-pas"]))
    assert response.status_code == 404


def test_site_feed_has_no_draft_or_scheduled_article(client, lead):
    make_article(title="Un brouillon", status=Article.Status.DRAFT)
    make_article(title="Pour demain", published_at=timezone.now() + timedelta(hours=3))
    make_article(title="En sport", category=Category.objects.get(slug="sports"))

    for name in ("articles:feed", "articles:feed-atom"):
        body = client.get(reverse(name)).content.decode()
        assert "Poutine et Trump en Alaska" in body
        assert "En sport" in body
        assert "Un brouillon" not in body
        assert "Pour demain" not in body


def test_feed_holds_the_twenty_newest_articles(client):
    photo = make_photo()
    author = make_author()
    now = timezone.now()
    for i in range(25):
        make_article(
            title=f"Dépêche {i:02d}",
            hero_photo=photo,
            authors=[author],
            published_at=now - timedelta(minutes=i + 1),
        )

    _, root = fetch(client, reverse("articles:feed"))

    assert list(rss_items(root)) == [f"Dépêche {i:02d}" for i in range(20)]


def test_article_without_photo_has_no_enclosure(client):
    make_article(title="Sans image", hero_photo=None)

    _, root = fetch(client, reverse("articles:feed"))

    item = rss_items(root)["Sans image"]
    assert item.find("enclosure") is None
    assert item.find("media:content", NS) is None


def test_titles_with_markup_stay_text(client):
    make_article(title="Le <b>gras</b> & l'italique")

    _, rss = fetch(client, reverse("articles:feed"))
    _, atom = fetch(client, reverse("articles:feed-atom"))

    # Titles are text in both formats, escaped once by XML only: parsed, they read as typed.
    rss_title = next(iter(rss_items(rss)))
    assert rss_title == "Le <b>gras</b> & l'italique"
    assert atom.find("atom:entry/atom:title", NS).text == "Le <b>gras</b> & l'italique"


def test_atom_feed_of_a_category_carries_authors_enclosure_and_credit(client, lead):
    response, root = fetch(client, reverse("articles:category-feed-atom", args=["politique"]))

    assert response["Content-Type"].startswith("application/atom+xml")
    assert root.findtext("atom:title", namespaces=NS) == "Actualités Express — Politique"
    self_link = root.find("atom:link[@rel='self']", NS)
    assert self_link.get("href") == f"{SITE}/rubrique/politique/flux/atom/"
    entry = root.find("atom:entry", NS)
    assert entry.findtext("atom:title", namespaces=NS) == "Poutine et Trump en Alaska"
    assert entry.find("atom:link[@rel='alternate']", NS).get("href") == (
        f"{SITE}/articles/poutine-trump-alaska/"
    )
    assert entry.findtext("atom:author/atom:name", namespaces=NS) == (
        "Antoine Kouassi et Camille Durand"
    )
    assert entry.findtext("atom:published", namespaces=NS) == "2025-08-15T21:50:00+00:00"
    assert entry.find("atom:category", NS).get("term") == "Politique"
    enclosure = entry.find("atom:link[@rel='enclosure']", NS)
    assert enclosure.get("href").endswith("-1200.jpg")
    credit = entry.find("media:content/media:credit", NS)
    assert credit.text == "Andrew Caballero Reynolds"


def test_pages_advertise_the_site_and_category_feeds(client, lead):
    home = client.get(reverse("articles:home")).content.decode()
    category = client.get(reverse("articles:category", args=["politique"])).content.decode()

    assert (
        f'type="application/rss+xml" title="Actualités Express (RSS)" href="{SITE}/flux/"' in home
    )
    assert f'href="{SITE}/rubrique/politique/flux/"' in category
    assert 'href="/rubrique/politique/flux/" type="application/rss+xml"' in category
