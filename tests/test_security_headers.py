import pytest
from django.urls import reverse

from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_public_pages_get_the_strict_content_security_policy(client):
    article = make_article()
    for url in (reverse("articles:home"), article.get_absolute_url(), "/qui-sommes-nous/"):
        policy = client.get(url)["Content-Security-Policy"]
        assert "script-src 'self';" in policy
        assert "style-src 'self';" in policy
        assert "unsafe-inline" not in policy
        assert "frame-ancestors 'none'" in policy


def test_admin_gets_only_the_inline_styles_ckeditor_needs(admin_client):
    policy = admin_client.get(reverse("admin:articles_article_add"))["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in policy
    assert "script-src 'self';" in policy


def test_pages_refuse_framing_and_sniffing(client):
    response = client.get(reverse("articles:home"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
