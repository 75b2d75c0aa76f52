"""The API over HTTP: conditional requests, CORS for reading only, JSON errors, its schema."""

import json

import pytest
from django.urls import get_resolver
from openapi_spec_validator import validate

from tests.factories import make_article

from .helpers import get_json

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    "/api/v1/articles/",
    "/api/v1/articles/le-sujet/",
    "/api/v1/categories/",
    "/api/v1/categories/politique/",
    "/api/v1/authors/",
    "/api/v1/authors/anne/",
    "/api/v1/tags/",
    "/api/v1/tags/alaska/",
    "/api/v1/openapi.json",
]


@pytest.fixture
def story():
    from tests.factories import make_author

    return make_article(slug="le-sujet", tags=["Alaska"], authors=[make_author(slug="anne")])


@pytest.mark.parametrize("url", ENDPOINTS)
def test_unchanged_answer_is_a_304_with_its_etag(client, story, url):
    first = client.get(url)
    assert first.status_code == 200
    etag = first["ETag"]
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again["Access-Control-Allow-Origin"] == "*"


def test_a_changed_article_gets_a_new_etag(client, story):
    etag = client.get("/api/v1/articles/le-sujet/")["ETag"]
    story.title = "Le sujet du jour, mis à jour"
    story.save()
    changed = client.get("/api/v1/articles/le-sujet/", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert json.loads(changed.content)["title"] == "Le sujet du jour, mis à jour"


@pytest.mark.parametrize("url", [*ENDPOINTS, "/api/v1/articles/absent/", "/api/v1/articles/?x=1"])
def test_reads_are_open_to_every_origin(client, story, url):
    response = client.get(url, headers={"Origin": "https://partenaire.example"})
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    assert "Access-Control-Allow-Credentials" not in response
    head = client.head(url)
    assert head.status_code == response.status_code
    assert head.content == b""
    assert head["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options", "trace"])
def test_other_methods_get_a_json_405_without_cors(client, story, method):
    response = getattr(client, method)(
        "/api/v1/articles/", headers={"Origin": "https://partenaire.example"}
    )
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert "Access-Control-Allow-Origin" not in response
    assert json.loads(response.content)["detail"].startswith("L’API publique est en lecture seule")


@pytest.mark.parametrize("url", ["/api/", "/api/v1/", "/api/v1/inconnu/", "/api/v2/articles/"])
def test_addresses_that_name_nothing_are_a_json_404(client, url):
    body = get_json(client, url, status=404)
    assert body["detail"].startswith("Rien à cette adresse de l’API")


def test_the_schema_is_valid_openapi_and_documents_every_endpoint(client):
    schema = get_json(client, "/api/v1/openapi.json")
    validate(schema)
    documented = {
        (path, method) for path, operations in schema["paths"].items() for method in operations
    }
    assert documented == {
        ("/api/v1/articles/", "get"),
        ("/api/v1/articles/{slug}/", "get"),
        ("/api/v1/categories/", "get"),
        ("/api/v1/categories/{slug}/", "get"),
        ("/api/v1/authors/", "get"),
        ("/api/v1/authors/{slug}/", "get"),
        ("/api/v1/tags/", "get"),
        ("/api/v1/tags/{slug}/", "get"),
        ("/api/v1/lives/", "get"),
        ("/api/v1/lives/{id}/", "get"),
        ("/api/v1/lives/{id}/entries/", "get"),
    }
    # Every route of the API is one of them (nothing served undocumented).
    api = next(p for p in get_resolver().url_patterns if str(p.pattern) == "api/")
    ninja = next(p for p in api.url_patterns if getattr(p, "namespace", None) == "api")
    served = {str(p.pattern) for p in ninja.url_patterns}
    assert served == {
        "openapi.json",
        "articles/",
        "articles/<slug>/",
        "categories/",
        "categories/<slug>/",
        "authors/",
        "authors/<slug>/",
        "tags/",
        "tags/<slug>/",
        "lives/",
        "lives/<int:id>/",
        "lives/<int:id>/entries/",
        "",
    }
    parameters = {p["name"] for p in schema["paths"]["/api/v1/articles/"]["get"]["parameters"]}
    assert parameters == {"category", "tag", "author", "since", "until", "limit", "cursor"}
    for operations in schema["paths"].values():
        assert {"200", "400"} <= set(operations["get"]["responses"])
