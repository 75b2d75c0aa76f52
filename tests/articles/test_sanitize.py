import pytest

from articles.models import Page
from tests.factories import make_article

pytestmark = pytest.mark.django_db

PAYLOADS = [
    '<script>alert("x")</script>',
    '<img src="x" onerror="alert(1)">',
    '<a href="javascript:alert(1)">clic</a>',
    '<p style="background:url(javascript:alert(1))" onclick="alert(1)">texte</p>',
    '<iframe src="https://evil.example"></iframe>',
    "<svg><script>alert(1)</script></svg>",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_article_body_is_sanitized_when_saved(payload):
    article = make_article(body=f"<p>Avant</p>{payload}<p>Après</p>")
    article.refresh_from_db()

    lowered = article.body.lower()
    for forbidden in ("<script", "onerror", "onclick", "javascript:", "<iframe", "style=", "<svg"):
        assert forbidden not in lowered
    assert "<p>Avant</p>" in article.body
    assert "<p>Après</p>" in article.body


def test_editorial_markup_survives_sanitizing():
    body = (
        "<h2>Intertitre</h2><h3>Sous-titre</h3><blockquote><p>Une citation</p></blockquote>"
        '<ul><li>un</li></ul><p><a href="https://example.org/">lien</a></p>'
        '<figure class="image"><img src="/media/editor/a.jpg" alt="x"><figcaption>Légende'
        "</figcaption></figure>"
    )
    article = make_article(body=body)
    article.refresh_from_db()

    for kept in (
        "<h2>",
        "<h3>",
        "<blockquote>",
        "<li>",
        'href="https://example.org/"',
        "<figcaption>",
        'src="/media/editor/a.jpg"',
    ):
        assert kept in article.body
    assert 'rel="noopener noreferrer"' in article.body


def test_page_body_is_sanitized_too():
    page = Page.objects.get(slug="qui-sommes-nous")
    page.body = '<p onmouseover="x()">Bonjour</p><script>bad()</script>'
    page.save()
    page.refresh_from_db()
    assert page.body == "<p>Bonjour</p>"
