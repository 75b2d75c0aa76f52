"""Hostile markup sent through every public form and every admin text field never runs.

Each page that shows the data is parsed (tests/security/html_checks.py): no script other
than JSON-LD or our own files, no event handler, no javascript:/vbscript:/data: URL, no
iframe/object/embed/svg/math element.
"""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from taggit.models import Tag

from articles.models import Article, Page
from comments import notices
from comments.models import Comment
from newsletter.models import Subscriber
from tests.comments.factories import make_comment, post_comment
from tests.factories import make_article, make_author, make_photo
from tests.newsletter.factories import signup_data

from .html_checks import active_content, assert_no_active_content

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    '<a href="javascript:alert(1)">clic</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">clic</a>',
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    '<a href="jav&#x09;ascript:alert(1)">clic</a>',
    '<a href=" &#14;javascript:alert(1)">clic</a>',
    '<a href="VBScript:msgbox(1)">clic</a>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<form><button formaction="javascript:alert(1)">x</button></form>',
    '<object data="javascript:alert(1)"></object><embed src="javascript:alert(1)">',
    "</script><script>alert(1)</script>",
    "<p style=\"background:url('javascript:alert(1)')\" onmouseover=alert(1)>x</p>",
    "javascript:alert(1)",
    "{{ 7*7 }}",
    "{% debug %}",
]
# Every payload in one string: one post covers them all, which keeps the suite fast.
ALL = " ".join(PAYLOADS)
MARKER = "zanzibar"


def test_the_checker_catches_every_payload_it_is_meant_to_catch():
    """The collector is the proof: it must flag each payload pasted raw into a page."""
    for payload in PAYLOADS[:-3]:
        if payload == "javascript:alert(1)":
            continue
        assert active_content(f"<html><body>{payload}</body></html>").problems, payload
    assert active_content('<script src="//evil.example/x.js"></script>').problems
    assert not active_content('<script src="/static/site.js"></script>').problems
    assert not active_content('<script type="application/ld+json">{}</script>').problems
    assert not active_content('<img src="data:image/png;base64,AAAA">').problems


def check_page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    html = response.content.decode()
    return html, assert_no_active_content(html)


# --- Reader-sent data ---------------------------------------------------------------------


@pytest.mark.parametrize("linkify", [False, True])
def test_comment_and_reply_payloads_are_shown_as_text(client, settings, linkify):
    settings.COMMENTS_LINKIFY = linkify
    article = make_article(slug="debat")
    make_comment(article=make_article(), email="claire@example.org")  # A known reader.

    post_comment(client, article, name=PAYLOADS[0][:80], text=ALL)
    parent = Comment.objects.get(article=article)
    post_comment(
        client,
        article,
        ip="203.0.113.8",
        name='"><img src=x onerror=alert(1)>',
        text=ALL + " (réponse)",
        parent=str(parent.pk),
    )

    reply = Comment.objects.get(article=article, parent=parent)
    assert reply.status == Comment.Status.APPROVED
    html, _ = check_page(client, article.get_absolute_url())
    # What was typed is there, as text, for people to read.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "{{ 7*7 }}" in html and "{% debug %}" in html
    check_page(client, reverse("comments:reply", args=[parent.pk]))
    check_page(client, reverse("articles:home"))


def test_comment_error_page_echoes_payloads_as_text(client):
    article = make_article()

    response = post_comment(client, article, name=PAYLOADS[1], email=PAYLOADS[5], text=ALL)

    assert response.status_code == 400
    html = response.content.decode()
    assert_no_active_content(html)
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert not Comment.objects.exists()


def test_comment_error_page_with_a_hostile_parent_field(client):
    article = make_article()

    response = post_comment(client, article, text="Bonjour", parent='1"><script>alert(1)</script>')

    assert response.status_code == 400
    assert_no_active_content(response.content.decode())


def test_moderation_link_page_shows_a_hostile_comment_as_text(client, editor):
    comment = make_comment(name=PAYLOADS[2][:80], text=ALL, status=Comment.Status.PENDING)
    url = notices.moderation_url(comment, "approve", user=editor)

    check_page(client, url.removeprefix("http://testserver"))


@pytest.mark.parametrize(
    "email",
    [
        '"><script>alert(1)</script>@exemple.fr',
        'lea@exemple.fr"><svg onload=alert(1)>',
        "javascript:alert(1)@exemple.fr",
        "<img src=x onerror=alert(1)>",
        "{{ 7*7 }}@exemple.fr",
    ],
)
def test_newsletter_error_page_echoes_a_hostile_address_as_text(client, email):
    response = client.post(
        reverse("newsletter:subscribe"), signup_data(email, source='"><script>alert(1)</script>')
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert_no_active_content(html)
    assert "alert(1)" in html  # Given back to be corrected, as text.
    assert not Subscriber.objects.exists()


def test_search_query_payloads_are_shown_as_text(client):
    make_article(title=f"Le port de {MARKER}", standfirst=f"Escale à {MARKER}.")
    for query in [*PAYLOADS, f"{MARKER} {ALL}"[:190], f"{MARKER} <script>"]:
        response = client.get(reverse("articles:search"), {"q": query})
        assert response.status_code == 200, query
        assert_no_active_content(response.content.decode())


# --- Admin-side data ----------------------------------------------------------------------


@pytest.fixture
def hostile_article():
    """Every admin text field of an article, its photo, author and tag full of payloads."""
    photo = make_photo(
        with_renditions=True,
        caption=f"{MARKER} {ALL}"[:300],
        credit=PAYLOADS[1],
        alt_text='"><script>alert(1)</script> <svg onload=alert(1)>',
    )
    author = make_author(display_name='"><img src=x onerror=alert(1)>', slug="auteur-hostile")
    author.bio = ALL[:1000]
    author.portrait = photo
    author.save()
    article = make_article(
        title=f"{MARKER} </script><script>alert(1)</script> {{{{ 7*7 }}}}",
        slug="article-hostile",
        standfirst=f"{MARKER} {ALL}"[:600],
        body=f"<p>{MARKER}</p>" + "".join(PAYLOADS),
        meta_description="",
        hero_photo=photo,
        authors=[author],
        tags=["<script>alert(1)</script>", '"><svg onload=alert(1)>'],
    )
    about = Page.objects.get(slug="qui-sommes-nous")
    about.title = "<script>alert(1)</script> Qui sommes-nous"
    about.summary = ALL[:600]
    about.body = "".join(PAYLOADS)
    about.save()
    return article


def test_article_body_keeps_no_active_content_once_saved(hostile_article):
    stored = Article.objects.get(pk=hostile_article.pk).body
    assert_no_active_content(stored)
    assert "<script" not in stored.lower() and "onerror" not in stored.lower()


def test_every_page_showing_admin_data_has_no_active_content(client, hostile_article, editor):
    article = hostile_article
    urls = [
        article.get_absolute_url(),
        reverse("articles:home"),
        article.category.get_absolute_url(),
        reverse("articles:author", args=["auteur-hostile"]),
        reverse("articles:page", args=["qui-sommes-nous"]),
        reverse("articles:search") + f"?q={MARKER}",
    ]
    urls += [reverse("articles:tag", args=[tag.slug]) for tag in Tag.objects.all()]
    for url in urls:
        html, json_ld = check_page(client, url)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html or url.startswith("/mot-cle/"), url

    _html, json_ld = check_page(client, article.get_absolute_url())
    headlines = [block.get("headline") for block in json_ld]
    assert article.title in headlines  # The JSON-LD still says exactly what the title says.

    client.force_login(editor)
    check_page(client, reverse("articles:preview", args=[article.pk]))


FEEDS = ["articles:feed", "articles:feed-atom"]
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.mark.parametrize("feed", FEEDS)
def test_feeds_are_well_formed_and_carry_no_active_html(client, hostile_article, feed):
    response = client.get(reverse(feed))
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # Well-formed XML: nothing broke out of its element.

    forbidden = {"script", "iframe", "svg", "img", "object", "embed", "math"}
    assert not [el.tag for el in root.iter() if el.tag.rsplit("}", 1)[-1] in forbidden]
    html_texts = [el.text or "" for el in root.iter("description")]
    html_texts += [el.text or "" for el in root.iter(f"{ATOM}summary") if el.get("type") == "html"]
    assert any(MARKER in text for text in html_texts)
    for text in html_texts:
        assert_no_active_content(text)
    # Titles are text, as the RSS Advisory Board and Atom say: readers show them literally,
    # so the payload reads as typed and is never handed to them as markup to interpret.
    titles = [item.findtext("title") for item in root.iter("item")]
    titles += [entry.findtext(f"{ATOM}title") for entry in root.iter(f"{ATOM}entry")]
    assert hostile_article.title in titles
    category_feed = reverse(feed.replace("articles:", "articles:category-"), args=["politique"])
    ET.fromstring(client.get(category_feed).content)
