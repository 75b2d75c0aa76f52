"""What a client sends cannot multiply cached pages: one copy per page of the canonical site."""

import re

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.urls import reverse

from comments.templatetags.comments_tags import FEEDBACK
from tests.factories import make_article

pytestmark = pytest.mark.django_db

PAGE_ENTRY = re.compile(r"pagecache:[0-9a-f]{64}$")


@pytest.fixture(autouse=True)
def canonical_site(settings, page_cache_on):
    """Pages kept whole, for the one address the site answers as."""
    settings.SITE_URL = "https://www.actualites-express.example"
    settings.ALLOWED_HOSTS = [
        "www.actualites-express.example",
        "127.0.0.1",
        "localhost",
        "testserver",
    ]


def stored_pages():
    """How many whole pages the (local memory) cache holds."""
    return sum(1 for key in cache._cache if PAGE_ENTRY.search(key))


def test_the_host_port_does_not_make_new_copies_of_a_page(client):
    make_article()
    responses = [
        client.get("/", headers={"host": f"127.0.0.1:{port}"}) for port in range(40001, 40006)
    ]

    assert [r.status_code for r in responses] == [200] * 5
    assert [r.get("X-Page-Cache") for r in responses] == [None] + ["hit"] * 4
    assert stored_pages() == 1


@pytest.mark.parametrize(
    "host",
    ["localhost", "LOCALHOST:8080", "www.actualites-express.example:443", "127.0.0.1.", "[::1]"],
)
def test_every_allowed_host_shares_the_canonical_site_s_copy(client, settings, host):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "[::1]"]
    article = make_article()
    client.get(article.get_absolute_url(), headers={"host": "www.actualites-express.example"})

    response = client.get(article.get_absolute_url(), headers={"host": host})

    assert response["X-Page-Cache"] == "hit"
    assert stored_pages() == 1


def test_a_host_outside_allowed_hosts_is_refused_and_stores_nothing(client):
    make_article()
    response = client.get("/", headers={"host": "pirate.example"})
    assert response.status_code == 400
    assert stored_pages() == 0


@pytest.mark.parametrize(
    "query",
    [
        "?page=01",
        "?page=+2",
        "?page=2.0",
        "?page=deux",
        "?page=",
        "?page=2&page=2",
        "?page=%202",
        "?commentaires=0002",
        "?commentaire=n-importe-quoi",
        "?commentaire=EN-ATTENTE",
        "?tri=recent",
        "?Page=2",
    ],
)
def test_parameters_not_spelled_as_the_site_links_them_bypass_the_cache(client, query):
    article = make_article()
    url = article.get_absolute_url() + query

    first, second = client.get(url), client.get(url)

    assert first.status_code == second.status_code == 200
    assert "X-Page-Cache" not in second
    assert stored_pages() == 0


@pytest.mark.parametrize("query", ["?page=2", "?commentaires=3", "?commentaire=en-attente"])
def test_parameters_spelled_as_the_site_links_them_are_cached(client, query):
    article = make_article()
    url = article.get_absolute_url() + query
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"


def test_the_notices_after_posting_a_comment_are_the_values_kept():
    assert set(FEEDBACK) == set(django_settings.PAGE_CACHE_QUERY_PARAMS["commentaire"])


def test_a_flood_of_random_values_stores_nothing(client):
    make_article()
    for n in range(50):
        client.get(f"{reverse('articles:home')}?page=0{n}")
        client.get(f"{reverse('articles:home')}?commentaire=x{n}")
    assert stored_pages() == 0
