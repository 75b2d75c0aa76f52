"""The shipped VCL, through a real varnishd: who is served from the cache, who goes through,
what a purge removes, and what readers get when the site is down."""

import json
import time
from urllib.parse import urlencode

import pytest
from django.test import Client
from pytest_django.live_server_helper import LiveServer

from articles.models import Article, Category
from comments.models import Comment
from edge import purging
from newsletter.models import Subscriber
from tests.factories import make_article, make_author, make_user

from .varnish import wait_until

pytestmark = [pytest.mark.edge, pytest.mark.django_db(transaction=True)]

ANALYTICS = (
    "_ga=GA1.2.1234567890.1732790000; _gid=GA1.2.987654321.1732790000; _fbp=fb.1.1732790000.42; "
    "cookieconsent_status=dismiss; didomi_token=eyJ1c2VyX2lkIjoiMSJ9"
)


def test_anonymous_readers_share_one_copy_whatever_their_cookies_and_languages(edge):
    article = make_article(title="La réforme des retraites adoptée")
    path = article.get_absolute_url()

    first = edge.get(path, Accept_Language="fr-FR,fr;q=0.9")
    assert first.status == 200
    assert first.cache == "miss"
    assert "La réforme des retraites adoptée" in first.body

    readers = [
        {"Cookie": ANALYTICS, "Accept-Language": "en-US,en;q=0.8"},
        {"Cookie": "_ga=GA1.2.5; csrftoken=abc123", "Accept-Language": "de-DE"},
        {"Accept-Language": "es-ES,es;q=0.9,fr;q=0.5"},
        {},
    ]
    for headers in readers:
        answer = edge.request("GET", path, headers)
        assert (answer.status, answer.cache) == (200, "hit"), headers
        assert answer.body == first.body
    # A link shared with campaign parameters is the same story, in any order.
    shared = edge.get(path + "?utm_source=lettre&utm_medium=email&fbclid=XyZ", Cookie=ANALYTICS)
    assert (shared.status, shared.cache) == (200, "hit")


def test_a_reader_with_only_analytics_cookies_fills_the_cache_for_everyone(edge):
    article = make_article(title="Marée noire au large de Brest")

    first = edge.get(article.get_absolute_url(), Cookie=ANALYTICS, Accept_Language="en")
    assert first.cache == "miss"
    assert "set-cookie" not in {name.lower() for name in first.headers}

    assert edge.get(article.get_absolute_url()).cache == "hit"


SURROGATE_HEADERS = {"xkey", "surrogate-key", "cache-tag"}


def test_browsers_never_see_the_surrogate_keys(edge):
    """The site names what a page shows in xkey, Surrogate-Key and Cache-Tag (edge/keys.py):
    Varnish keeps xkey for its purges and delivers none of the three, hit, miss or pass."""
    article = make_article(title="Les clés restent chez nous")
    path = article.get_absolute_url()
    at_origin = Client().get(path)
    assert SURROGATE_HEADERS <= {name.lower() for name in at_origin.headers}

    editor = Client()
    editor.force_login(make_user(is_staff=True))
    staff = f"sessionid={editor.cookies['sessionid'].value}"
    answers = [edge.get(path), edge.get(path, Cookie=ANALYTICS), edge.get(path, Cookie=staff)]
    assert [answer.cache for answer in answers] == ["miss", "hit", "pass"]
    for answer in answers:
        assert SURROGATE_HEADERS.isdisjoint(name.lower() for name in answer.headers), answer.cache
    # Still kept with the object: its key purges it.
    assert "Purged 1" in edge.purge(f"article-{article.pk}").body
    assert edge.get(path).cache == "miss"


def test_the_newsroom_goes_through_and_sees_the_current_text(edge):
    article = make_article(title="Titre du matin")
    path = article.get_absolute_url()
    assert edge.get(path).cache == "miss"
    # Changed behind every cache's back: only a visitor who goes through sees it.
    Article.objects.filter(pk=article.pk).update(title="Titre corrigé à midi")

    editor = Client()
    editor.force_login(make_user(is_staff=True))
    session = editor.cookies["sessionid"].value
    for _ in range(2):
        answer = edge.get(path, Cookie=f"{ANALYTICS}; sessionid={session}")
        assert (answer.status, answer.cache) == (200, "pass")
        assert "Titre corrigé à midi" in answer.body
        assert "private" in answer.headers["Cache-Control"]

    reader = edge.get(path, Cookie=ANALYTICS)
    assert reader.cache == "hit"
    assert "Titre du matin" in reader.body


def test_a_reader_pinned_to_the_primary_database_goes_through(edge):
    article = make_article()
    edge.get(article.get_absolute_url())

    pinned = edge.get(article.get_absolute_url(), Cookie="_ga=GA1.2.5; ae_lecture_primaire=1:x")
    assert (pinned.status, pinned.cache) == (200, "pass")


def test_a_comment_posted_through_varnish_reaches_the_site(edge, settings):
    settings.COMMENTS_MIN_SECONDS = 0
    article = make_article()
    edge.get(article.get_absolute_url())
    token = edge.get(f"/commentaires/articles/{article.pk}/jeton/").body
    token = json.loads(token)["token"]

    form = (
        "name=Nadia&email=nadia%40example.org&website=&token="
        + token
        + "&text=Merci+pour+ce+r%C3%A9cit+pr%C3%A9cis."
    )
    for _ in range(2):
        answer = edge.request(
            "POST",
            f"/commentaires/articles/{article.pk}/envoyer/",
            {"Content-Type": "application/x-www-form-urlencoded", "Cookie": ANALYTICS},
            body=form,
        )
        assert (answer.status, answer.cache) == (302, "pass")
    stored = Comment.objects.get(article=article)
    assert stored.text == "Merci pour ce récit précis."


def test_readers_of_a_page_kept_by_varnish_get_tokens_of_the_moment(edge, settings):
    """« Trop rapide » measures from when this reader reached the form, not from when
    Varnish kept the page (static/js/form-token.js asks for the token)."""
    settings.COMMENTS_MIN_SECONDS = 1
    article = make_article()
    path = article.get_absolute_url()
    edge.get(path)
    kept = edge.get(path)
    assert kept.cache == "hit"
    assert '<input type="hidden" name="token" id="id_token">' in kept.body

    token_url = f"/commentaires/articles/{article.pk}/jeton/"
    first, second = edge.get(token_url, Cookie=ANALYTICS), edge.get(token_url)
    assert first.cache != "hit" and second.cache != "hit"
    assert json.loads(first.body)["token"] != json.loads(second.body)["token"]

    def post(token):
        form = urlencode(
            {
                "name": "Nadia",
                "email": "nadia@example.org",
                "website": "",
                "token": token,
                "text": "Un avis réfléchi.",
            }
        )
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        return edge.request("POST", f"/commentaires/articles/{article.pk}/envoyer/", headers, form)

    token = json.loads(edge.get(token_url).body)["token"]
    too_fast = post(token)
    assert too_fast.status == 400
    assert "un peu vite" in too_fast.body
    time.sleep(1.1)
    assert post(token).status == 302
    assert Comment.objects.get(article=article).text == "Un avis réfléchi."


def test_readers_of_a_page_kept_by_varnish_subscribe_with_signup_tokens_of_the_moment(
    edge, settings
):
    """The newsletter form in every page's footer: no token in the kept page, one of the
    moment from /newsletter/jeton/ (never kept), « trop rapide » counted from it (#18)."""
    settings.NEWSLETTER_FORM_MIN_AGE = 1
    edge.get("/")
    kept = edge.get("/", Cookie=ANALYTICS)
    assert kept.cache == "hit"
    assert '<input type="hidden" name="horodatage" value="">' in kept.body

    first, second = edge.get("/newsletter/jeton/", Cookie=ANALYTICS), edge.get("/newsletter/jeton/")
    assert first.cache != "hit" and second.cache != "hit"
    assert json.loads(first.body)["token"] != json.loads(second.body)["token"]

    def post(token):
        form = urlencode({"email": "nadia@example.org", "site_web": "", "horodatage": token})
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": ANALYTICS}
        return edge.request("POST", "/newsletter/", headers, form)

    token = json.loads(edge.get("/newsletter/jeton/").body)["token"]
    too_fast = post(token)
    assert too_fast.status == 400
    assert "patientez un instant" in too_fast.body
    time.sleep(1.1)
    assert post(token).status == 302
    assert Subscriber.objects.get().email == "nadia@example.org"


def test_administration_is_never_cached(edge):
    for _ in range(2):
        answer = edge.get("/admin/login/")
        assert (answer.status, answer.cache) == (200, "pass")


def test_search_results_are_not_kept(edge):
    make_article(title="Le port de Marseille en grève")
    for _ in range(2):
        answer = edge.get("/recherche/?q=Marseille")
        assert answer.status == 200
        assert answer.cache == "miss"  # remembered as not cacheable: asked again each time


def test_pages_stay_readable_from_varnish_when_the_site_is_down(varnish_in_front_of, settings):
    settings.PAGE_CACHE_ENABLED = True
    settings.PAGE_CACHE_SECONDS = 1  # s-maxage=1: the copy is past its lifetime at once
    article = make_article(title="Tempête sur la Bretagne")
    site = LiveServer("127.0.0.1:0")
    varnish = varnish_in_front_of(site.thread.port)
    try:
        assert varnish.get(article.get_absolute_url()).cache == "miss"
        assert wait_until(varnish.backend_healthy)
    finally:
        site.stop()
    assert wait_until(lambda: not varnish.backend_healthy()), "la sonde /healthz ne voit rien"
    time.sleep(1.1)

    stale = varnish.get(article.get_absolute_url(), Cookie=ANALYTICS)
    assert (stale.status, stale.cache) == (200, "hit-stale")
    assert "Tempête sur la Bretagne" in stale.body

    never_kept = varnish.get("/rubrique/sports/")
    assert never_kept.status == 503
    assert "momentanément indisponible" in never_kept.body


# --- Purge by surrogate key (xkey), against a stub site whose pages carry keys ----------------


def test_a_purge_removes_exactly_the_pages_carrying_its_keys(varnish_in_front_of, stub_site):
    site = stub_site(
        {"/une": "home article-1", "/politique": "category-3 article-2", "/sport": "category-4"}
    )
    varnish = varnish_in_front_of(site.server_port)
    for path in site.pages:
        assert varnish.get(path).cache == "miss"
        kept = varnish.get(path)
        assert kept.cache == "hit"
        assert "xkey" not in {name.lower() for name in kept.headers}

    purged = varnish.purge("article-2", "home")
    assert purged.status == 200
    assert "Purged 2" in purged.body

    assert varnish.get("/une").body == "/une #2"
    assert varnish.get("/politique").body == "/politique #2"
    sport = varnish.get("/sport")
    assert (sport.cache, sport.body) == ("hit", "/sport #1")


def test_only_the_purge_listener_and_its_clients_may_purge(varnish_in_front_of, stub_site):
    site = stub_site({"/une": "home"})
    varnish = varnish_in_front_of(site.server_port)
    varnish.get("/une")

    from_readers = varnish.purge("home", port=varnish.port)
    assert from_readers.status == 403
    assert varnish.purge().status == 400
    assert varnish.get("/une").cache == "hit"


# --- The site's own pages, purged by the keys they carry --------------------------------------


def test_an_articles_key_purges_every_page_showing_it_and_nothing_else(edge, settings):
    politique = Category.objects.get(slug="politique")
    sports = Category.objects.get(slug="sports")
    anne, paul = make_author(), make_author()
    budget = make_article(category=politique, authors=[anne], tags=["Budget"])
    match = make_article(category=sports, authors=[paul], tags=["Football"])
    showing_budget = [
        "/",
        budget.get_absolute_url(),
        politique.get_absolute_url(),
        "/mot-cle/budget/",
        anne.get_absolute_url(),
        "/flux/",
        "/flux/atom/",
        f"/rubrique/{politique.slug}/flux/",
    ]
    not_showing_it = [
        match.get_absolute_url(),
        sports.get_absolute_url(),
        "/mot-cle/football/",
        paul.get_absolute_url(),
        f"/rubrique/{sports.slug}/flux/",
        "/sitemap.xml",
    ]
    for path in showing_budget + not_showing_it:
        assert edge.get(path).status == 200, path
        assert edge.get(path).cache == "hit", path

    settings.VARNISH_PURGE_URLS = [f"http://127.0.0.1:{edge.purge_port}/"]
    assert purging.purge_now([f"article-{budget.pk}"]) == {}

    assert {path: edge.get(path).cache for path in showing_budget} == dict.fromkeys(
        showing_budget, "miss"
    )
    assert {path: edge.get(path).cache for path in not_showing_it} == dict.fromkeys(
        not_showing_it, "hit"
    )
