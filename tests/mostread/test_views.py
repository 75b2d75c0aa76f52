"""The read beacon and the « Les plus lus » block that readers see."""

import re
from datetime import timedelta

import pytest
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from articles import workflow
from mostread import counters
from mostread.models import HourlyReads
from mostread.views import read_token
from tests.factories import make_article, make_editor
from tests.pages import assert_cacheable_and_csp_safe

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"


@pytest.fixture(autouse=True)
def database_counters(settings):
    settings.REDIS_URL = ""
    settings.MOST_READ_FLUSH_SECONDS = 0
    counters.forget()
    yield
    counters.forget()


def beacon_of(client, article):
    html = client.get(article.get_absolute_url(), headers={"user-agent": BROWSER}).content.decode()
    found = re.search(
        r'<script src="[^"]+most-read[^"]*\.js" defer data-read-beacon="([^"]+)">', html
    )
    assert found, "no read beacon on the article page"
    return found.group(1)


def beacon(article):
    """The address an article page's script sends its beacon to (without rendering the page,
    which would compute the block for the next few minutes)."""
    return reverse("mostread:read", args=[read_token(article.pk)])


def send(client, address, user_agent=BROWSER, **headers):
    return client.post(address, headers={"user-agent": user_agent, **headers})


def day_ranking():
    return [pk for pk, _ in counters.most_read(counters.DAY, limit=10)]


def test_a_readers_beacon_counts_the_article_and_sets_no_cookie(client):
    article = make_article()
    address = beacon_of(client, article)
    assert address == beacon(article)

    response = send(client, address, origin="http://testserver", sec_fetch_site="same-origin")

    assert response.status_code == 204
    assert not response.cookies
    assert response["Cache-Control"] == "no-store"
    assert day_ranking() == [article.pk]


def test_bots_and_the_newsroom_are_not_counted(client):
    article = make_article()
    address = beacon(article)

    assert send(client, address, user_agent="Googlebot/2.1").status_code == 204
    assert send(client, address, user_agent="").status_code == 204
    assert send(client, address, origin="https://ailleurs.example").status_code == 204
    assert send(client, address, sec_fetch_site="cross-site").status_code == 204
    client.force_login(make_editor())
    assert send(client, address).status_code == 204

    assert day_ranking() == []


def test_a_beacon_from_another_site_is_not_counted_one_from_a_trusted_origin_is(client, settings):
    # The public forms' rule (public_forms.guard.same_origin): the site seen through a proxy
    # under another address is one of ours.
    settings.CSRF_TRUSTED_ORIGINS = ["https://www.actualites-express.example"]
    article = make_article()
    address = beacon(article)

    foreign = send(client, address, origin="https://ailleurs.example", sec_fetch_site="same-origin")
    assert foreign.status_code == 204
    assert stored_reads(article) == 0

    trusted = "https://www.actualites-express.example"
    assert send(client, address, origin=trusted, sec_fetch_site="same-origin").status_code == 204
    assert stored_reads(article) == 1


def stored_reads(article):
    return HourlyReads.objects.filter(article=article).aggregate(reads=Sum("reads"))["reads"] or 0


def test_a_forged_beacon_address_counts_nothing(client):
    article = make_article()
    forged = reverse("mostread:read", args=[f"{article.pk + 1}:AAAAAAAA"])
    assert send(client, forged).status_code == 400
    assert client.get(beacon(article)).status_code == 405
    assert day_ranking() == []


def test_the_home_page_lists_the_most_read_articles_in_order(client):
    first = make_article(title="Le plus lu d'aujourd'hui")
    second = make_article(title="Le deuxième : très lu aussi")
    make_article(title="Un article que personne ne lit")
    for article, reads in ((second, 2), (first, 5)):
        address = beacon(article)
        for _ in range(reads):
            send(client, address)

    response = client.get(reverse("articles:home"))
    html = response.content.decode()

    # Named for the shared caches (Varnish, CDN) like everything a page shows.
    assert {"most-read", f"article-{first.pk}"} <= set(response["xkey"].split())
    block = re.search(r'<section class="most-read most-read--home".*?</section>', html, re.S)
    assert block, "no « Les plus lus » block on the home page"
    titles = re.findall(r"<li><a href=\"[^\"]+\">([^<]+)</a></li>", block.group(0))
    assert titles == ["Le plus lu d’aujourd’hui", "Le deuxième\u00a0: très lu aussi"]
    assert f'href="{first.get_absolute_url()}"' in block.group(0)
    assert_cacheable_and_csp_safe(html)


def test_the_block_is_shown_beside_articles(client):
    read_one = make_article(title="Une enquête très lue")
    send(client, beacon(read_one))

    html = client.get(make_article().get_absolute_url()).content.decode()

    aside = re.search(r'<aside class="article__aside">.*?</aside>', html, re.S).group(0)
    assert 'class="most-read"' in aside and "Une enquête très lue" in aside


def test_an_unpublished_article_is_never_listed(client, caches_on):
    shown, withdrawn = make_article(title="Toujours en ligne"), make_article(title="Retiré du site")
    for article in (shown, withdrawn):
        send(client, beacon(article))
    home = reverse("articles:home")
    assert sorted(most_read_titles(client.get(home))) == ["Retiré du site", "Toujours en ligne"]

    workflow.unpublish(withdrawn, by=make_editor(), comment="Erreur factuelle.")

    assert most_read_titles(client.get(home)) == ["Toujours en ligne"]


def test_the_block_is_refreshed_after_a_few_minutes_on_cached_pages(
    client, settings, time_machine, caches_on
):
    time_machine.move_to(timezone.now(), tick=False)
    early, late = make_article(title="Lu ce matin"), make_article(title="Lu plus tard")
    send(client, beacon(early))
    home = reverse("articles:home")
    assert "Lu ce matin" in client.get(home).content.decode()

    for _ in range(3):
        send(client, beacon(late))
    assert most_read_titles(client.get(home)) == ["Lu ce matin"]

    time_machine.shift(timedelta(seconds=settings.MOST_READ_REFRESH_SECONDS))
    assert most_read_titles(client.get(home)) == ["Lu plus tard", "Lu ce matin"]


def most_read_titles(response):
    block = re.search(r'<section class="most-read.*?</section>', response.content.decode(), re.S)
    return re.findall(r"<li><a href=\"[^\"]+\">([^<]+)</a></li>", block.group(0)) if block else []


def test_a_preview_sends_no_beacon(client):
    draft = make_article(status="draft", published_at=None)
    client.force_login(make_editor())
    html = client.get(reverse("articles:preview", args=[draft.pk])).content.decode()
    assert "Aperçu" in html
    assert "data-read-beacon" not in html
