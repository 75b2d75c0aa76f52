"""Public pages answer only the methods they serve (405 with Allow otherwise), and the admin
login never sends anyone to a page that does not exist."""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from newsletter import subscriptions
from tests.comments.factories import make_comment
from tests.factories import make_article, make_editor
from tests.newsletter.factories import make_subscriber

pytestmark = pytest.mark.django_db

UNSERVED = ["TRACE", "OPTIONS", "PUT", "DELETE", "PATCH", "PROPFIND"]


@pytest.fixture
def public_urls():
    """One address for each public view, with the methods it serves."""
    article = make_article(tags=["Alaska"])
    comment = make_comment(article=article)
    subscriber = make_subscriber()
    safe = ("GET", "HEAD")
    return {
        reverse("articles:home"): safe,
        article.category.get_absolute_url(): safe,
        reverse("articles:tag", args=["alaska"]): safe,
        article.authors.get().get_absolute_url(): safe,
        article.get_absolute_url(): safe,
        "/qui-sommes-nous/": safe,
        reverse("articles:search") + "?q=sujet": safe,
        reverse("articles:feed"): safe,
        reverse("articles:feed-atom"): safe,
        reverse("articles:category-feed", args=["politique"]): safe,
        reverse("articles:category-feed-atom", args=["politique"]): safe,
        reverse("articles:robots"): safe,
        reverse("articles:sitemap"): safe,
        reverse("articles:sitemap-news"): safe,
        reverse("articles:sitemap-section", args=["articles"]): safe,
        reverse("articles:preview", args=[article.pk]): safe,
        reverse("articles:editor-upload"): ("POST",),
        reverse("comments:post", args=[article.pk]): ("POST",),
        reverse("comments:reply", args=[comment.pk]): safe,
        reverse("comments:moderate", args=["jeton"]): ("GET", "HEAD", "POST"),
        reverse("newsletter:subscribe"): ("GET", "HEAD", "POST"),
        reverse("newsletter:thanks"): safe,
        reverse("newsletter:confirmed"): safe,
        reverse("newsletter:test-copy"): safe,
        reverse("newsletter:confirm", args=[subscriptions.confirm_token(subscriber)]): (
            "GET",
            "HEAD",
            "POST",
        ),
        reverse("newsletter:unsubscribe", args=[subscriptions.unsubscribe_token(subscriber)]): (
            "GET",
            "HEAD",
            "POST",
        ),
        reverse("newsletter:preferences", args=[subscriptions.preferences_token(subscriber)]): (
            "GET",
            "HEAD",
            "POST",
        ),
        "/healthz": safe,
        "/favicon.ico": safe,
        "/api/v1/articles/": safe,
        f"/api/v1/articles/{article.slug}/": safe,
        "/api/v1/categories/": safe,
        "/api/v1/tags/alaska/": safe,
        "/api/v1/openapi.json": safe,
        "/api/v1/inconnu/": safe,
    }


def test_public_pages_answer_405_with_allow_to_methods_they_do_not_serve(public_urls):
    # A CSRF cookie, as a browser that visited the site before would send.
    client = Client(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = "a" * 32
    for url, served in public_urls.items():
        for method in [*UNSERVED, *{"GET", "POST"} - set(served)]:
            response = client.generic(method, url)
            assert response.status_code == 405, (method, url, response.status_code)
            assert response["Allow"] == ", ".join(served), (method, url)


def test_head_is_served_wherever_get_is(client, public_urls):
    for url, served in public_urls.items():
        if "GET" in served:
            assert client.head(url).status_code != 405, url


def _public_views(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if route.startswith("admin/"):
            continue
        if isinstance(pattern, URLResolver):
            yield from _public_views(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern.callback


def test_every_public_view_declares_the_methods_it_serves():
    views = dict(_public_views(get_resolver().url_patterns))
    assert len(views) > 20
    undeclared = [
        route for route, view in views.items() if not getattr(view, "allowed_methods", None)
    ]
    assert undeclared == []


@pytest.mark.parametrize(
    "next_url",
    ["https://pirate.example/", "//pirate.example/", "javascript:alert(1)", "/\\pirate.example"],
)
def test_an_unsafe_next_after_login_leads_to_the_dashboard(client, next_url):
    make_editor(username="edith", password="Mot-de-passe-solide-42")

    response = client.post(
        f"{reverse('admin:login')}?next={next_url}",
        {"username": "edith", "password": "Mot-de-passe-solide-42", "next": next_url},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_a_safe_next_after_login_is_followed(client):
    make_editor(username="edith", password="Mot-de-passe-solide-42")
    target = reverse("admin:articles_article_changelist")

    response = client.post(
        reverse("admin:login"),
        {"username": "edith", "password": "Mot-de-passe-solide-42", "next": target},
    )

    assert response["Location"] == target
