"""Oversized, empty, control-character, malformed and hostile values: never a 500.

Every answer is a 4xx or a friendly page; and a valid post in any script is kept intact.
"""

import unicodedata

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from comments.models import Comment
from newsletter import subscriptions
from newsletter.models import Subscriber
from tests.comments.factories import make_comment, post_comment
from tests.factories import make_article
from tests.newsletter.factories import make_subscriber, signup_data
from tests.pages import readable

pytestmark = pytest.mark.django_db

BIG = "é" * 100_000
GARBAGE = [
    "",
    " ",
    BIG,
    "\x00",
    "a\x00b",
    "\x01\x07\x1b[31m\x7f\x85",
    "\u202egnp.exe",
    "\u200b\u200b",
    "😀" * 50,
    "e" + "\u0301" * 200,
    "\ufffe\uffff",
    "../../../../etc/passwd",
    "%00",
    "' OR 1=1 --",
]
PAGES = ["-1", "0", "1.5", "NaN", "inf", "-inf", "1e9", "99999999999999999999999", "0x10", "abc"]


def status_of(response):
    assert response.status_code < 500
    return response.status_code


@pytest.fixture
def article():
    article = make_article(slug="le-sujet", title="Le sujet du jour", tags=["Alaska"])
    for n in range(13):  # Two pages of listings everywhere.
        make_article(
            title=f"Un autre sujet, numéro {n}",
            category=article.category,
            authors=list(article.authors.all()),
            tags=["Alaska"],
        )
    return article


@pytest.fixture
def listings(article):
    author = article.authors.get()
    return [
        reverse("articles:home"),
        article.category.get_absolute_url(),
        reverse("articles:tag", args=["alaska"]),
        author.get_absolute_url(),
        reverse("articles:search") + "?q=sujet",
    ]


def test_pagination_survives_any_page_number(client, listings):
    for url in listings:
        joiner = "&" if "?" in url else "?"
        for page in [*PAGES, "%00", "%ff%fe", "1&page=2&page=abc"]:
            response = client.get(f"{url}{joiner}page={page}")
            assert response.status_code == 404, (url, page)
        second = client.get(f"{url}{joiner}page=2")
        # The home page is a single page; the listings have two.
        if url == "/":
            assert second.status_code == 404
        else:
            assert "pagination" in second.content.decode(), url


def test_search_survives_any_query(client, article):
    url = reverse("articles:search")
    for value in [*GARBAGE, '"', '"""', "-", "!", "a & b | c", "(", "<->", ":*", "*", "\\"]:
        response = client.get(url, {"q": value})
        assert response.status_code == 200, repr(value[:20])
    repeated = "&".join(["q=sujet"] * 50)
    assert client.get(f"{url}?{repeated}").status_code == 200
    assert client.get(f"{url}?q=%ff%fe%fd&page=%ff").status_code == 200
    assert client.get(f"{url}?q=%ed%a0%80sujet").status_code == 200
    long = client.get(url, {"q": "sujet " * 20_000})
    assert long.status_code == 200
    assert "seuls ses 200 premiers caractères" in long.content.decode()


def test_slugs_and_ids_of_every_kind_never_crash(client, article):
    long_slug = "a" * 5000
    values = [long_slug, "a%00b", "%00", "..%2F..%2Fetc", "%ff%fe", "caf%C3%A9", "%E2%80%AE"]
    prefixes = ["/articles/", "/rubrique/", "/mot-cle/", "/auteur/", "/", "/apercu/"]
    for prefix in prefixes:
        for value in values:
            assert client.get(f"{prefix}{value}/").status_code in (301, 302, 404), (prefix, value)
    for prefix in ["/rubrique/", "/mot-cle/"]:
        assert client.get(f"{prefix}{long_slug}/flux/").status_code == 404
    huge = "9" * 30
    for url in [f"/apercu/{huge}/", f"/commentaires/{huge}/repondre/"]:
        assert client.get(url).status_code == 404, url
    assert client.post(f"/commentaires/articles/{huge}/envoyer/", {}).status_code == 404
    assert client.get(f"/sitemap-{long_slug}.xml").status_code == 404


def test_preview_urls_never_crash_for_staff(client, article, editor):
    client.force_login(editor)
    for value in ["9" * 30, "0", "-1", "1.5", "abc", "%00"]:
        assert status_of(client.get(f"/apercu/{value}/")) in (404,), value
    assert client.get(reverse("articles:preview", args=[article.pk])).status_code == 200


def test_newsletter_links_with_broken_tokens_get_the_friendly_page(client):
    subscriber = make_subscriber()
    good = subscriptions.unsubscribe_token(subscriber)
    tokens = [
        "x" * 10_000,
        "a%00b",
        "%00",
        "..%2F..%2Fetc",
        "%ff%fe",
        "%E2%80%AE",
        good + "x",
        good[:-1],
        good.upper(),
        signing.Signer(salt=subscriptions.UNSUBSCRIBE_SALT).sign("pas-un-uuid"),
        signing.Signer(salt=subscriptions.UNSUBSCRIBE_SALT).sign("0" * 32 + "\x00"),
    ]
    for name in ["confirm", "unsubscribe", "preferences"]:
        for token in tokens:
            url = f"/newsletter/{reverse(f'newsletter:{name}', args=['T']).split('/')[2]}/{token}/"
            for method in (client.get, client.post):
                response = method(url)
                assert response.status_code in (400, 404), (name, token[:30])
                if response.status_code == 400:
                    assert "Ce lien n" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED


def test_preferences_form_refuses_garbage_categories_in_french(client):
    subscriber = make_subscriber()
    url = reverse("newsletter:preferences", args=[subscriptions.preferences_token(subscriber)])
    for value in ["abc", "9" * 30, "-" + "9" * 30, "--5", "²", "١٢", "-1", "1.5", "\x00", BIG]:
        response = client.post(url, {"categories": value})
        assert response.status_code == 200, value[:20]
        assert "errorlist" in response.content.decode()
    assert subscriber.categories.count() == 0


def test_moderation_links_with_broken_tokens_get_the_friendly_page(client):
    for token in ["x" * 10_000, "a%00b", "%ff%fe", "..%2F..", ":", "a:b:c"]:
        for method in (client.get, client.post, client.head):
            response = method(f"/commentaires/moderer/{token}/")
            assert response.status_code in (400, 404), token[:30]


@pytest.mark.parametrize("value", GARBAGE, ids=lambda v: repr(v[:12]))
def test_comment_form_answers_any_field_value_in_french(client, value):
    article = make_article()
    for field in ["name", "email", "text", "parent", "token", "website", "notify_on_approval"]:
        response = post_comment(client, article, ip=f"203.0.113.{len(field)}", **{field: value})
        assert status_of(response) in (302, 400), field
        if response.status_code == 400:
            html = response.content.decode()
            assert "Votre commentaire n'a pas encore été envoyé" in readable(html), field
    for comment in Comment.objects.all():
        assert "\x00" not in comment.name + comment.text + comment.email


def test_comment_headers_of_any_kind_are_stored_safely(client, settings):
    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    article = make_article()
    headers = [
        {"User-Agent": "Mozilla\x00/5.0 " + "x" * 10_000},
        {"User-Agent": "\x01\x02\x1b"},
        {"X-Forwarded-For": "pas-une-ip, \x00, 999.1.1.1"},
        {"X-Forwarded-For": "1.2.3.4, ::ffff:10.0.0.1%eth0"},
        {"Origin": "null"},
        {"Origin": "http://testserver\x00.evil"},
    ]
    for n, extra in enumerate(headers):
        response = post_comment(client, article, headers=extra, text=f"Avis numéro {n}.")
        assert status_of(response) in (302, 403)
    for comment in Comment.objects.all():
        assert "\x00" not in comment.user_agent and len(comment.user_agent) <= 300


def test_comment_post_with_invalid_utf8_and_too_many_fields(client):
    article = make_article()
    url = reverse("comments:post", args=[article.pk])
    raw = b"name=%ff%fe&email=a%40b.fr&text=%c3%28%80&token=%00"
    response = client.post(url, raw, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    many = "&".join(f"f{n}=1" for n in range(2000))
    response = client.post(url, many, content_type="application/x-www-form-urlencoded")
    assert status_of(response) == 400


@pytest.mark.parametrize("value", GARBAGE, ids=lambda v: repr(v[:12]))
def test_newsletter_signup_answers_any_field_value_in_french(client, value):
    for field in ["email", "horodatage", "source", "site_web"]:
        data = signup_data("lea@exemple.fr")
        data[field] = value
        response = client.post(reverse("newsletter:subscribe"), data)
        # 200: the same address asked again a moment ago, and the page says so.
        assert status_of(response) in (200, 302, 400, 429), field
        if response.status_code == 400:
            html = response.content.decode()
            assert 'class="newsletter-form__error"' in html, field
            if field != "email":
                assert 'value="lea@exemple.fr"' in html  # The address typed is kept.
    for subscriber in Subscriber.objects.all():
        assert "\x00" not in subscriber.email + subscriber.consent_source


def test_newsletter_signup_with_invalid_utf8(client):
    raw = b"email=%ff%fe%40exemple.fr&horodatage=%c3%28&source=%80"
    response = client.post(
        reverse("newsletter:subscribe"), raw, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert not Subscriber.objects.exists()


# --- Valid input in any script is kept, exactly ------------------------------------------

UNICODE_TEXT = (
    "Très bien écrit 👏🏽 — « merci » !\n"
    "مقال ممتاز، شكراً\n"
    "כתבה מצוינת\n"
    "Zoë, Ångström, naïve, ﬁn, 日本語のテキスト, e\u0301"
)


def test_a_valid_comment_in_any_script_is_stored_and_shown_intact(client):
    article = make_article(slug="monde")
    make_comment(article=make_article(), email="amal@example.org")  # Known: published at once.

    response = post_comment(
        client, article, name="Amal \u202eعمر\u202c 🌍", email="amal@example.org", text=UNICODE_TEXT
    )

    assert response.status_code == 302
    comment = Comment.objects.get(article=article)
    expected = unicodedata.normalize("NFC", UNICODE_TEXT)
    assert comment.text == expected
    assert comment.name == "Amal عمر 🌍"  # The bidi override is dropped, the name kept.
    html = Client().get(article.get_absolute_url()).content.decode()
    for line in expected.split("\n"):
        assert (
            line.replace("« ", "«\u00a0").replace(" »", "\u00a0»").replace(" !", "\u202f!")
            in (html)
            or line in html
        ), line
    assert "Amal عمر 🌍" in html


def test_a_valid_international_address_is_stored_intact(client, mailoutbox):
    response = client.post(reverse("newsletter:subscribe"), signup_data("zoë@exémple.fr"))

    assert response.status_code in (302, 400)
    if response.status_code == 302:
        assert Subscriber.objects.get().email == "zoë@exémple.fr"
    else:
        assert "n'est pas valide" in readable(response.content.decode())


def test_feeds_and_sitemaps_survive_garbage_parameters(client, article):
    urls = ["/sitemap.xml", "/sitemap-news.xml", "/robots.txt", "/flux/", "/flux/atom/"]
    urls += [f"/sitemap-articles.xml?p={page}" for page in PAGES]
    urls += ["/sitemap-articles.xml?p=%00", "/flux/?page=NaN&q=%ff"]
    for url in urls:
        assert status_of(client.get(url)) in (200, 404), url


# --- What the second probe added: empty slugs, other charsets, hosts, proxies, photo edits ---

NOTHING_LEFT = ["/>", "…", "---", "«»", "🇫🇷", "\u200b", "%", "?", "#", "'", '"', "&amp;", "<b>"]


@pytest.mark.parametrize("value", [*GARBAGE, *NOTHING_LEFT], ids=lambda v: repr(v[:12]))
def test_any_tag_typed_is_refused_in_french_or_gets_a_page(client, value):
    from taggit.models import Tag

    from tests.factories import make_editor

    editor = make_editor(username="edith")
    article = make_article(slug="le-sujet", authors=[editor.author_profile])
    client.force_login(editor)
    form = {
        "title": article.title,
        "slug": article.slug,
        "category": article.category.pk,
        "standfirst": article.standfirst,
        "body": article.body,
        "tags": f"Alaska, {value}",
        "hero_photo": article.hero_photo.pk,
        "authors": [editor.author_profile.pk],
        "meta_description": "",
        "version": article.version,
        "minor_fix": "on",
    }

    response = client.post(reverse("admin:articles_article_change", args=[article.pk]), form)

    assert status_of(response) in (200, 302)
    if response.status_code == 200:
        assert "errorlist" in response.content.decode()
    for tag in Tag.objects.all():
        assert tag.slug and "/" not in tag.slug, (tag.name, tag.slug)
        assert Client().get(reverse("articles:tag", args=[tag.slug])).status_code in (200, 404)
    assert Client().get(article.get_absolute_url()).status_code == 200
    assert Client().get("/sitemap-mots-cles.xml").status_code == 200


FORM_POSTS = [
    "/newsletter/",
    "/admin/login/",
    "/redaction/images/",
    "/commentaires/moderer/jeton/",
    "/commentaires/articles/1/envoyer/",
]


@pytest.mark.parametrize("charset", ["utf-16", "utf-32", "latin-1", "cp1252", "utf-7", "shift_jis"])
@pytest.mark.parametrize("cookie", [True, False], ids=["cookie-csrf", "sans-cookie"])
def test_form_bodies_in_any_other_charset_get_a_400(charset, cookie):
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    if cookie:
        client.cookies["csrftoken"] = "a" * 32
    body = "email=lea@exemple.fr&name=Léa&text=Très bien".encode(charset, errors="replace")
    for url in FORM_POSTS:
        for content_type in [
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
        ]:
            response = client.generic(
                "POST", url, body, content_type=f"{content_type}; charset={charset}"
            )
            assert response.status_code == 400, (url, content_type, response.status_code)


HOSTS = [
    "127.0.0.1:1",
    "127.0.0.1:65535",
    "LOCALHOST",
    "localhost.",
    "[::1]:8080",
    "127.0.0.1:abc",
    "pirate.example",
    "127.0.0.1@pirate.example",
    "a" * 300,
    "",
    "127.0.0.1 ",
    "127.0.0.1\x00",
]


def test_host_header_variations_are_served_once_or_refused(client, article, settings):
    import re

    from django.core.cache import cache

    settings.PAGE_CACHE_ENABLED = True
    for host in HOSTS:
        for url in ["/", article.get_absolute_url(), "/flux/", "/sitemap.xml"]:
            response = Client(raise_request_exception=False).get(url, headers={"host": host})
            assert status_of(response) in (200, 400), (host, url)
    pages = [key for key in cache._cache if re.search(r"pagecache:[0-9a-f]{64}$", key)]
    assert len(pages) <= 4


FORWARDED = [
    "",
    "pas-une-ip",
    "\x00",
    "1.2.3.4, \x00",
    "1.2.3.4, ::ffff:10.0.0.1%eth0",
    "999.1.1.1",
    "[::1]:99999",
    ",,,,",
    "1.2.3.4," * 1000,
    "203.0.113.9:abc",
    "unknown, 203.0.113.9",
]


@pytest.mark.parametrize("peer", ["10.0.0.1", "198.51.100.7"], ids=["proxy-de-confiance", "direct"])
def test_proxy_headers_of_any_kind_give_a_real_address_or_the_peer(client, settings, peer):
    import ipaddress

    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    settings.COMMENTS_RATE_LIMIT = 1000
    article = make_article()
    for n, forwarded in enumerate(FORWARDED):
        headers = {"X-Forwarded-For": forwarded, "X-Real-IP": "6.6.6.6", "Forwarded": "for=6.6.6.6"}
        response = post_comment(client, article, ip=peer, headers=headers, text=f"Avis {n}.")
        assert status_of(response) == 302
    for stored in Comment.objects.values_list("ip", flat=True):
        ipaddress.ip_address(stored)
        assert stored != "6.6.6.6"
        if peer != "10.0.0.1":
            assert stored == peer


PHOTO_VALUES = {
    "caption": ["<script>alert(1)</script>", "\x00", "é" * 400, "\u202eeitreS"],
    "credit": ["© Faux crédit", "", "<b>AFP</b>", "x" * 200],
    "alt_text": ["", '" onerror="alert(1)', "\ufeff"],
}


@pytest.mark.parametrize("role", ["anonyme", "sans-role", "redacteur", "editeur"])
def test_photo_edits_by_each_role_with_hostile_values(client, role):
    from photos.models import Photo
    from tests.factories import make_editor, make_journalist, make_user

    article = make_article(title="À la une")
    photo = article.hero_photo
    people = {
        "anonyme": None,
        "sans-role": make_user(is_staff=True),
        "redacteur": make_journalist(username="julie"),
        "editeur": make_editor(username="edith"),
    }
    if people[role]:
        client.force_login(people[role])
    url = reverse("admin:photos_photo_change", args=[photo.pk])
    for field, values in PHOTO_VALUES.items():
        for value in values:
            data = {"caption": photo.caption, "credit": photo.credit, "alt_text": photo.alt_text}
            data[field] = value
            response = client.post(url, data)
            expected = {"anonyme": {302}, "sans-role": {403}, "redacteur": {403}}
            assert status_of(response) in expected.get(role, {200, 302}), (field, value[:20])
            if role == "editeur" and response.status_code == 200:
                assert "errorlist" in response.content.decode()
    stored = Photo.objects.get(pk=photo.pk)
    if role != "editeur":
        assert stored.credit == "Andrew Caballero Reynolds"
    html = Client().get(article.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html and "<b>AFP</b>" not in html
