"""Lives in the API: their published entries, and what changed since the last poll."""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import workflow
from articles.models import Article
from live import rules
from live.models import Live
from tests.factories import make_article, make_user
from tests.live.factories import make_editor, make_journalist, make_live, post_at

from .helpers import get_json

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return make_editor(username="edwige")


@pytest.fixture
def live(editor):
    live = make_live(editor=editor, summary="Les deux présidents sont arrivés.\nPas d'accord.")
    post_at(live, editor, "Arrivée à Anchorage.", minutes_ago=30, title="Arrivée")
    post_at(live, editor, "Début de l'entretien.", minutes_ago=20)
    return live


def entries_url(live, **query):
    base = f"/api/v1/lives/{live.pk}/entries/"
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_a_live_and_its_published_entries(client, live, editor):
    writer = make_journalist(username="jade")
    rules.update(
        live,
        by=editor,
        summary=live.summary,
        writers=[writer],
        entry_rule=Live.EntryRule.HELD,
    )
    rules.post(live, by=writer, text="Gardée pour un éditeur.")

    lives = get_json(client, "/api/v1/lives/")["items"]
    assert [item["id"] for item in lives] == [live.pk]
    body = get_json(client, f"/api/v1/lives/{live.pk}/")
    assert body["state"] == "running"
    assert body["summary"] == ["Les deux présidents sont arrivés.", "Pas d’accord."]
    assert body["article"]["slug"] == live.article.slug

    stream = get_json(client, entries_url(live))
    assert [e["body_html"] for e in stream["items"]] == [
        "<p>Début de l’entretien.</p>",
        "<p>Arrivée à Anchorage.</p>",
    ]
    assert stream["items"][1]["title"] == "Arrivée"
    assert stream["items"][0]["author"] == {"slug": "edwige", "name": "Edwige Plume"}
    assert stream["items"][0]["url"].endswith(f"#entree-{stream['items'][0]['id']}")
    assert stream["next_since"].endswith("Z")
    article = get_json(client, f"/api/v1/articles/{live.article.slug}/")
    assert article["live"]["id"] == live.pk
    assert article["live"]["state"] == "running"


def test_polling_with_since_gets_only_what_changed(client, live, editor):
    first = get_json(client, entries_url(live))
    since = first["next_since"]
    nothing = get_json(client, entries_url(live, since=since))
    assert nothing["items"] == [] and nothing["withdrawn"] == []
    assert nothing["next_since"] == since

    old, recent = live.entries.order_by("published_at")
    added = rules.post(live, by=editor, text="Fin de l'entretien.")
    rules.correct(old, by=editor, body="<p>Arrivée à Anchorage, sous la pluie.</p>")
    rules.withdraw(recent, by=editor, reason="Heure erronée")

    changes = get_json(client, entries_url(live, since=since))
    assert [e["id"] for e in changes["items"]] == [added.pk, old.pk]
    assert changes["items"][1]["corrected_at"] is not None
    assert changes["withdrawn"] == [recent.pk]
    assert changes["next_since"] > since
    # Asked again from there: nothing, and the same value to keep asking with.
    settled = get_json(client, entries_url(live, since=changes["next_since"]))
    assert settled["items"] == [] and settled["withdrawn"] == []
    assert settled["next_since"] == changes["next_since"]


def test_polling_catches_up_a_page_at_a_time(client, live, editor):
    since = get_json(client, entries_url(live))["next_since"]
    posted = [rules.post(live, by=editor, text=f"Entrée {n}.") for n in range(5)]
    seen = []
    for _ in range(3):
        answer = get_json(client, entries_url(live, since=since, limit=2))
        seen += [e["id"] for e in answer["items"]]
        since = answer["next_since"]
    assert seen == [entry.pk for entry in posted]
    assert answer["more"] is False


def test_lives_come_latest_started_first_a_page_at_a_time(client, editor):
    lives = [make_live(editor=editor, article=make_article()) for _ in range(5)]
    for hours_ago, started in enumerate(reversed(lives)):
        Live.objects.filter(pk=started.pk).update(
            started_at=timezone.now() - timedelta(hours=hours_ago)
        )

    seen, url = [], "/api/v1/lives/?limit=2"
    while url:
        answer = get_json(client, url.removeprefix("http://127.0.0.1:8000"))
        seen += [item["id"] for item in answer["items"]]
        url = answer["next"]

    assert seen == [started.pk for started in reversed(lives)]


def test_a_live_on_an_unpublished_article_is_not_shown(client, live, editor):
    workflow.unpublish(live.article, by=editor, comment="Direct annulé")
    assert get_json(client, "/api/v1/lives/")["items"] == []
    get_json(client, f"/api/v1/lives/{live.pk}/", status=404)
    get_json(client, entries_url(live), status=404)


def test_entries_of_a_live_cost_a_fixed_number_of_queries(client, live, editor):
    def count():
        with CaptureQueriesContext(connection) as queries:
            get_json(client, entries_url(live))
            since = get_json(client, entries_url(live, since="2000-01-01T00:00:00Z"))
        return len(queries), len(since["items"])

    few, shown = count()
    for n in range(15):
        post_at(live, editor, f"Encore une entrée, la {n}.", minutes_ago=10)
    many, more_shown = count()
    assert few == many <= 8
    assert more_shown > shown


@pytest.mark.parametrize(
    "query",
    ["since=hier", "since=2026-13-01T00:00:00Z", "since=0001-01-01T00:00:00Z", "cursor=x"],
)
def test_bad_since_or_cursor_is_a_400(client, live, query):
    assert get_json(client, f"{entries_url(live)}?{query}", status=400)["detail"]


def test_since_and_cursor_together_are_a_400(client, live):
    cursor = get_json(client, entries_url(live, limit=1))["next_cursor"]
    detail = get_json(
        client, entries_url(live, since="2026-01-01T00:00:00Z", cursor=cursor), status=400
    )["detail"]
    assert detail.startswith("«\u00a0cursor\u00a0» et «\u00a0since\u00a0» ne vont pas ensemble")


def test_scheduled_or_draft_articles_never_show_their_live(client, editor):
    article = make_article(slug="plus-tard")
    live = make_live(editor=editor, article=article)
    Article.objects.filter(pk=article.pk).update(published_at=timezone.now() + timedelta(hours=1))
    get_json(client, f"/api/v1/lives/{live.pk}/", status=404)
    assert json.loads(client.get("/api/v1/lives/").content)["items"] == []


def test_an_entry_by_an_account_without_byline_shows_no_author(client, live, editor):
    account = make_user(username="compte.interne", email="interne@exemple.org", is_staff=True)
    rules.update(
        live, by=editor, summary=live.summary, writers=[account], entry_rule=live.entry_rule
    )
    rules.post(live, by=account, text="Une entrée sans signature publique.")
    newest = get_json(client, entries_url(live))["items"][0]
    assert newest["body_html"] == "<p>Une entrée sans signature publique.</p>"
    assert newest["author"] is None
