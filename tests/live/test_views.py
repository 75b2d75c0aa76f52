import json
import re
import xml.etree.ElementTree as ET
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from live import rules
from tests.factories import make_article, make_photo
from tests.live.factories import make_editor, make_journalist, make_live, post_at
from tests.pages import assert_cacheable_and_csp_safe, typography_problems

pytestmark = pytest.mark.django_db

SITE = "https://www.exemple.fr"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def editor():
    return make_editor(username="edith")


@pytest.fixture
def writer():
    return make_journalist(username="wassila")


@pytest.fixture
def live(editor, writer):
    return make_live(
        editor=editor,
        writers=[writer],
        summary="Les deux présidents sont arrivés à Anchorage.\nLa rencontre a commencé.",
    )


def page_of(client, live, query=""):
    response = client.get(live.article.get_absolute_url() + query)
    assert response.status_code == 200
    return response.content.decode()


def entry_ids(html, prefix="entree"):
    return [int(n) for n in re.findall(rf'id="{prefix}-(\d+)"', html)]


def json_ld(html):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(block) for block in blocks]


def test_the_page_shows_the_summary_key_moments_first_then_entries_newest_first(
    client, live, writer, editor
):
    arrival = post_at(live, writer, "L’avion présidentiel se pose.", minutes_ago=50)
    meeting = post_at(live, writer, "La réunion commence.", minutes_ago=30)
    statement = post_at(live, writer, "Déclarations à la presse.", minutes_ago=5)
    rules.pin(meeting, by=editor)

    html = page_of(client, live)

    text = unescape(re.sub(r"<[^>]+>", " ", html))
    assert "L’essentiel" in text and "Les deux présidents sont arrivés à Anchorage." in text
    assert text.index("L’essentiel") < text.index("Moments clés") < text.index("Toutes les entrées")
    assert entry_ids(html, "moment-cle") == [meeting.pk]
    assert entry_ids(html) == [statement.pk, meeting.pk, arrival.pk]
    assert html.index('id="moment-cle-') < html.index('id="entree-')
    assert "Moment clé" in html
    assert "EN DIRECT".lower() in text.lower()


def test_times_are_absolute_in_the_html_for_the_script_to_make_relative(client, live, writer):
    entry = post_at(live, writer, "Une entrée.", minutes_ago=3)

    html = page_of(client, live)

    local = timezone.localtime(entry.published_at)
    assert (
        f'<time class="live-entry__time" datetime="{local.isoformat()}" data-relative>'
        f"{local:%H}h{local:%M}</time>"
    ) in html
    assert "il y a" not in html
    assert '<script src="/static/js/live.js" defer></script>' in html
    assert_cacheable_and_csp_safe(html)


def test_a_corrected_entry_says_when_it_was_changed(client, live, writer, editor):
    entry = post_at(live, writer, "Chiffre provisoire : 300 manifestants.")
    rules.correct(entry, by=editor, body="<p>Chiffre de la police : 450 manifestants.</p>")

    html = page_of(client, live)

    assert re.search(r'modifié à <time datetime="[^"]+">\d\dh\d\d</time>', html)
    assert "450 manifestants" in html and "300 manifestants" not in html


def test_withdrawn_and_held_entries_are_not_shown(client, editor, writer):
    live = make_live(editor=editor, writers=[writer], entry_rule="held")
    shown = post_at(live, editor, "Visible de tous.")
    held = post_at(live, writer, "Pas encore relue.")
    gone = post_at(live, editor, "Erreur de frappe grave.")
    rules.withdraw(gone, by=editor, reason="Doublon")

    html = page_of(client, live)

    assert entry_ids(html) == [shown.pk]
    assert "Pas encore relue" not in html and "Erreur de frappe" not in html
    assert held.pk not in entry_ids(html)


def test_old_entries_are_on_further_pages_and_a_page_beyond_the_last_is_404(client, live, editor):
    entries = [post_at(live, editor, f"Entrée {n}.", minutes_ago=200 - n) for n in range(65)]
    newest_first = [e.pk for e in reversed(entries)]

    first = page_of(client, live)
    third = page_of(client, live, "?page=3")

    assert entry_ids(first) == newest_first[:30]
    assert entry_ids(page_of(client, live, "?page=2")) == newest_first[30:60]
    assert entry_ids(third) == newest_first[60:]
    assert 'href="?page=2#direct"' in first and "Page 1 sur 3" in first
    assert 'id="live-summary-title"' in first and 'id="live-summary-title"' not in third
    assert client.get(live.article.get_absolute_url() + "?page=4").status_code == 404
    assert client.get(live.article.get_absolute_url() + "?page=02").status_code == 404


def test_live_blog_posting_json_ld_names_the_coverage_and_its_updates(client, live, writer, editor):
    first = post_at(live, writer, "Arrivée sur la base.", minutes_ago=20, title="Arrivée")
    second = post_at(live, writer, "Début de la réunion.", minutes_ago=10)

    data = next(d for d in json_ld(page_of(client, live)) if d["@type"] == "LiveBlogPosting")

    assert data["coverageStartTime"]
    assert "coverageEndTime" not in data
    assert [u["url"] for u in data["liveBlogUpdate"]] == [
        f"{SITE}{live.article.get_absolute_url()}#entree-{second.pk}",
        f"{SITE}{live.article.get_absolute_url()}#entree-{first.pk}",
    ]
    assert data["liveBlogUpdate"][1]["headline"] == "Arrivée"
    assert data["liveBlogUpdate"][0]["articleBody"] == "Début de la réunion."

    rules.end(live, by=editor)
    data = next(d for d in json_ld(page_of(client, live)) if d["@type"] == "LiveBlogPosting")
    assert data["coverageEndTime"]


def test_the_live_feed_lists_published_entries_newest_first(client, live, writer, editor):
    older = post_at(live, writer, "Les manifestants se rassemblent.", minutes_ago=9)
    newer = post_at(live, writer, "Le cortège avance.", minutes_ago=2, title="Le cortège")
    gone = post_at(live, editor, "Retirée.")
    rules.withdraw(gone, by=editor, reason="Doublon")

    response = client.get(reverse("live:feed", args=[live.pk]))

    assert response.status_code == 200
    channel = ET.fromstring(response.content).find("channel")
    items = channel.findall("item")
    assert [i.findtext("title") for i in items] == [
        "Le cortège",
        "Les manifestants se rassemblent.",
    ]
    assert items[0].findtext("link").endswith(f"#entree-{newer.pk}")
    assert items[1].findtext("link").endswith(f"#entree-{older.pk}")
    html = page_of(client, live)
    assert f'href="{SITE}{reverse("live:feed", args=[live.pk])}"' in html


def test_home_and_listing_cards_say_en_direct_while_the_live_runs(client, live, editor):
    category = live.article.category

    home = client.get("/").content.decode()
    listing = client.get(category.get_absolute_url()).content.decode()
    assert home.count('<span class="badge-live">En direct</span>') == 1
    assert '<span class="badge-live">En direct</span>' in listing

    rules.end(live, by=editor)
    assert "badge-live" not in client.get("/").content.decode()


def test_an_entry_shows_its_photo_credit_and_quoted_link(client, live, editor):
    photo = make_photo(caption="Le tarmac de la base", credit="Agence Nord")
    entry = post_at(live, editor, "Les deux avions côte à côte.")
    rules.correct(
        entry,
        by=editor,
        body=entry.body,
        photo=photo,
        quote_url="https://example.org/declaration",
        quote_text="La déclaration officielle",
    )

    html = page_of(client, live)

    assert "© Agence Nord" in html and "Le tarmac de la base" in html
    assert '<a href="https://example.org/declaration" rel="noopener nofollow">' in html


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("what", ["page", "poll", "feed"])
def test_query_count_does_not_grow_with_the_number_of_entries(client, live, editor, writer, what):
    url = {
        "page": live.article.get_absolute_url(),
        "poll": reverse("live:poll", args=[live.pk]),
        "feed": reverse("live:feed", args=[live.pk]),
    }[what]
    photo = make_photo()
    for n in range(3):
        entry = post_at(live, writer if n % 2 else editor, f"Entrée {n}.")
        rules.pin(entry, by=editor)
    with_few = _count_queries(client, url)
    for n in range(60):
        entry = post_at(live, writer if n % 2 else editor, f"Entrée {n}.")
        rules.correct(entry, by=editor, body=entry.body, photo=photo, quote_url="https://a.fr/")
        if n % 5 == 0:
            rules.pin(entry, by=editor)
    assert _count_queries(client, url) == with_few
    if what == "page":
        # An article page's own queries, plus the live's: its row, key moments, count, entries.
        plain = make_article(category=live.article.category)
        assert with_few == _count_queries(client, plain.get_absolute_url()) + 4
    else:
        assert with_few == {"poll": 3, "feed": 2}[what]


def test_the_live_page_keeps_french_typography_whatever_is_typed(client, live, writer, editor):
    entry = post_at(live, writer, "L'avion est là : enfin ! Qui l'eût cru ?")
    rules.correct(entry, by=editor, body=entry.body, title="L'arrivée : la foule")
    rules.update(
        live, by=editor, summary="Point d'étape : tout va bien ?", entry_rule="at_once", writers=[]
    )

    assert typography_problems(page_of(client, live)) == []


def test_a_new_entry_renews_the_live_page_and_its_poll_but_no_other_page(
    client, live, writer, caches_on
):
    other = make_article(title="Une autre histoire")
    poll = reverse("live:poll", args=[live.pk])
    urls = ["/", other.get_absolute_url(), live.article.get_absolute_url(), poll]
    for url in urls:
        client.get(url)
    assert all(client.get(url).get("X-Page-Cache") == "hit" for url in urls)

    entry = post_at(live, writer, "Dernière minute : la réunion est suspendue.")

    assert client.get("/").get("X-Page-Cache") == "hit"
    assert client.get(other.get_absolute_url()).get("X-Page-Cache") == "hit"
    page = client.get(live.article.get_absolute_url())
    assert page.get("X-Page-Cache") != "hit"
    assert entry_ids(page.content.decode()) == [entry.pk]
    assert client.get(poll).json()["entries"][0]["id"] == entry.pk


def test_ending_a_live_takes_the_badge_off_the_cached_home_page(client, live, editor, caches_on):
    assert "badge-live" in client.get("/").content.decode()
    client.get("/")

    rules.end(live, by=editor)

    assert "badge-live" not in client.get("/").content.decode()


def test_entries_show_at_once_on_pages_built_from_kept_fragments(client, live, writer, settings):
    settings.PAGE_CACHE_ENABLED = False
    settings.FRAGMENT_CACHE_ENABLED = True
    page_of(client, live)

    entry = post_at(live, writer, "Nouvelle entrée.")

    assert entry_ids(page_of(client, live)) == [entry.pk]
