"""Hostile input to the public API: bad cursors, huge limits, unknown filters, injections.

Every answer is JSON with a French `detail`: a 400 for what the client sent wrong, a 404 for
an address that names nothing published; never a 500, never the site's HTML.
"""

import json
from urllib.parse import quote

import pytest
from django.core import signing

from api import cursors
from tests.factories import make_article

pytestmark = pytest.mark.django_db

HOSTILE = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "é" * 5000,
    "\u202egnp",
    "😀",
    "' OR 1=1 --",
    "politique' OR '1'='1",
    "politique; DROP TABLE articles_article; --",
    "%",
    "_",
    "\\",
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "{{7*7}}",
    "${jndi:ldap://x}",
]
CURSORS = [
    "x" * 10_000,
    "abc",
    "abc:def",
    ":",
    "%00",
    "null",
    "[]",
    "W10:",
    signing.Signer(salt=cursors.SALT).sign_object(["articles"]),
    signing.Signer(salt=cursors.SALT).sign_object(["articles", "9999-99-99", 1]),
    signing.Signer(salt=cursors.SALT).sign_object(["articles", 1.5, 1]),
    signing.Signer(salt=cursors.SALT).sign_object(["articles", 10**30, True]),
    signing.Signer(salt=cursors.SALT).sign_object({"articles": 1}),
    signing.Signer(salt="autre").sign_object(["articles", 1, 1]),
]
LIMITS = ["0", "-1", "51", "1000000", "9" * 400, "1e3", "1.5", "abc", "", "%00", "0x10", "NaN"]
DATES = ["2026-13-01", "0000-01-01", "0001-01-01", "9999-12-31", "hier", "2026-1-1x", "%00", ""]
LISTS = ["/api/v1/articles/", "/api/v1/authors/", "/api/v1/tags/"]


@pytest.fixture(autouse=True)
def story():
    return make_article(slug="le-sujet", tags=["Alaska"])


def refused(client, url, status=400):
    response = client.get(url)
    assert response.status_code == status, (url[:120], response.status_code, response.content[:200])
    assert response["Content-Type"].startswith("application/json")
    detail = json.loads(response.content)["detail"]
    assert detail and "Traceback" not in detail
    return detail


def test_bad_cursors_are_a_400_that_says_to_start_again(client):
    for url in LISTS:
        for cursor in CURSORS:
            detail = refused(client, f"{url}?cursor={quote(cursor)}")
            assert detail.startswith("Curseur invalide"), cursor[:40]
    # A cursor of one list is no cursor of another.
    tags = signing.Signer(salt=cursors.SALT).sign_object(["tags", "a"])
    assert client.get(f"/api/v1/tags/?cursor={tags}").status_code == 200
    for url in ("/api/v1/articles/", "/api/v1/authors/"):
        assert refused(client, f"{url}?cursor={tags}").startswith("Curseur invalide")


def test_limits_out_of_range_or_not_numbers_are_a_400(client):
    for url in LISTS:
        for limit in LIMITS:
            assert "limit" in refused(client, f"{url}?limit={quote(limit, safe='%')}"), limit


def test_bad_dates_are_a_400(client):
    for parameter in ("since", "until"):
        for value in DATES:
            assert "date" in refused(client, f"/api/v1/articles/?{parameter}={quote(value)}")
    refused(client, "/api/v1/articles/?since=2026-11-02&until=2026-11-01")


def test_unknown_or_repeated_or_mangled_parameters_are_a_400(client):
    for query in ("rubrique=politique", "page=2", "format=xml", "%00=1", "a" * 3000 + "=1", "=1"):
        detail = refused(client, f"/api/v1/articles/?{query}")
        assert detail.startswith("Paramètre inconnu")
    for url in ("/api/v1/categories/", "/api/v1/articles/le-sujet/", "/api/v1/tags/alaska/"):
        refused(client, f"{url}?limit=5")


def test_injection_in_filters_is_a_400_and_changes_nothing(client):
    for parameter in ("category", "tag", "author"):
        for value in HOSTILE:
            refused(client, f"/api/v1/articles/?{parameter}={quote(value, safe='')}")
    # Still there, still one.
    assert client.get("/api/v1/articles/le-sujet/").status_code == 200
    assert len(client.get("/api/v1/articles/").json()["items"]) == 1


def test_hostile_addresses_are_a_json_404(client):
    for kind in ("articles", "categories", "authors", "tags"):
        for value in [*HOSTILE[1:], "a" * 5000]:
            refused(client, f"/api/v1/{kind}/{quote(value, safe='')}/", status=404)


def test_bytes_that_are_not_utf8_never_crash(client):
    for query in ("category=%ff%fe", "tag=%ed%a0%80", "cursor=%ff", "limit=%c0%af"):
        response = client.get(f"/api/v1/articles/?{query}")
        assert response.status_code == 400, query


def test_hostile_live_addresses_and_since_values(client):
    from tests.live.factories import make_live

    live = make_live()
    for value in ["9" * 30, "0", "-1", "abc", "%00", "1.5"]:
        refused(client, f"/api/v1/lives/{value}/", status=404)
        refused(client, f"/api/v1/lives/{value}/entries/", status=404)
    entries = f"/api/v1/lives/{live.pk}/entries/"
    for value in [*DATES, "2026-11-28T25:00:00Z", "1e30", "9" * 40, "2026-11-28T12:00:00+99:00"]:
        refused(client, f"{entries}?since={quote(value)}")
    for cursor in CURSORS:
        assert refused(client, f"{entries}?cursor={quote(cursor)}").startswith("Curseur invalide")
