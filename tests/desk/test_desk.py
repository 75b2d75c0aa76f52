"""« Mon bureau »: what each person finds at /admin/, and what it costs to build."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.dates import french_duration, french_moment
from articles.models import Category
from planning import rules as planning
from planning.models import Assignment
from tests.admin_crawl import read
from tests.factories import make_editor, make_journalist
from tests.newsroom import newsroom_day, piece, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return make_journalist(username="julie"), make_editor(username="marc")


def desk(client, user):
    client.force_login(user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return response.content.decode()


def section(html, key):
    """The text of one panel of the desk."""
    match = re.search(rf'<section class="ae-panel[^"]*" id="bureau-{key}".*?</section>', html, re.S)
    return read(match.group(0))[0] if match else None


def queries(client, user):
    """How many SQL queries `user`'s desk takes."""
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("admin:index")).status_code == 200
    return len(captured)


def tiles(html):
    found = re.findall(
        r'ae-tile__count">(\d+)</span>\s*<span class="ae-tile__label">([^<]+)<', html
    )
    return {label: int(count) for count, label in found}


def test_journalist_finds_each_of_their_pieces_at_its_step(client, people):
    journalist, editor = people
    day = newsroom_day(journalist, editor)

    html = desk(client, journalist)

    assert tiles(html) == {
        "À reprendre": 1,
        "Brouillons": 2,
        "En relecture": 1,
        "Programmés": 1,
        "Publiés": 2,
    }
    sent_back = section(html, "changes_requested")
    assert "Les boulangers face à la flambée du prix du beurre" in sent_back
    assert "renvoyé par Marc Plume" in sent_back
    assert "trouvez celui de cette année" in sent_back  # the editor's comment
    assert "Quatre questions sur la réforme" in section(html, "draft")
    assert "attend depuis 3 heures" in section(html, "review")
    assert "Marché de Noël de Strasbourg" in section(html, "scheduled")
    assert "La Banque de France relève" in section(html, "published")
    # A colleague's piece is not on this desk.
    assert day["waiting_long"].title not in html


def test_editor_finds_the_queue_longest_wait_first_and_what_needs_them(client, people):
    journalist, editor = people
    day = newsroom_day(journalist, editor)

    html = desk(client, editor)

    assert tiles(html) == {
        "À relire": 2,
        "Publications programmées": 1,
        "Commentaires à modérer": 3,
        "Lettre en cours d’envoi": 1,
    }
    queue = section(html, "review")
    assert queue.index("Budget 2027") < queue.index("À Lyon, la ligne de tramway")
    assert "attend depuis 2 jours" in queue
    assert re.search(r'ae-line--late">\s*<a[^>]*>Budget 2027', html)  # waiting over a day
    assert "Camille Plume" in queue  # who wrote it
    assert "Le gazole était déjà à ce prix en 2019" in section(html, "comments")
    assert "3 envoyés sur 5" in section(html, "newsletter")
    assert day["drafts"][0].title not in html  # drafts stay on their author's desk


def test_every_line_of_the_desk_is_a_link_to_its_page(client, people):
    journalist, editor = people
    day = newsroom_day(journalist, editor)

    for person in (journalist, editor):
        html = desk(client, person)
        lines = re.findall(
            r'<li class="ae-line[^"]*">\s*<a class="ae-line__title" href="([^"]+)"', html
        )
        assert len(lines) == html.count('<li class="ae-line')
        for url in lines:
            assert client.get(url).status_code == 200, url
    assert reverse("admin:articles_article_change", args=[day["in_review"].pk]) in html


def test_empty_sections_say_so(client, people):
    journalist, _ = people

    html = desk(client, journalist)

    assert "Aucun brouillon en cours." in section(html, "draft")
    assert "Aucun article renvoyé : rien à reprendre." in section(html, "changes_requested")


def test_the_desk_costs_the_same_number_of_queries_with_many_articles(client, people):
    journalist, editor = people
    newsroom_day(journalist, editor)

    before = {person: queries(client, person) for person in people}
    for n in range(6):
        piece(journalist, f"Brouillon supplémentaire {n}")
        submitted(piece(journalist, f"Encore un article à relire {n}"), journalist, n)

    assert {person: queries(client, person) for person in people} == before


def sujet(editor, title, *, due_in, assignee=None):
    """A sujet planned by `editor`, due `due_in` from now (negative: already past)."""
    return planning.create(
        Assignment(
            title=title,
            category=Category.objects.get(slug="economie"),
            assignee=assignee,
            due_at=timezone.now() + due_in,
        ),
        by=editor,
    )


def test_editor_finds_every_late_sujet_longest_overdue_first(client, people):
    journalist, editor = people
    sujet(
        editor, "Les urgences de Rennes débordent", due_in=-timedelta(hours=2), assignee=journalist
    )
    sujet(editor, "Le port du Havre en grève", due_in=-timedelta(days=2))
    sujet(editor, "Le budget de Lyon", due_in=timedelta(hours=3), assignee=journalist)
    given_up = sujet(editor, "La foire de Caen", due_in=-timedelta(days=1), assignee=journalist)
    planning.abandon(given_up, by=editor, reason="Annulée.")

    html = desk(client, editor)

    assert tiles(html)["Sujets en retard"] == 2
    late = section(html, "late_sujets")
    assert late.index("Le port du Havre en grève") < late.index("Les urgences de Rennes")
    assert "à confier" in late and "en retard de 2 jours" in late
    assert "Julie" in late and "en retard de 2 heures" in late
    assert "Le budget de Lyon" not in late  # not due yet
    assert "La foire de Caen" not in late  # abandoned: no longer expected
    assert f'href="{reverse("admin:planning_assignment_changelist")}?etat=late"' in html
    # The journalist's own late sujet stays in « Mes sujets »; the newsroom's list is editors'.
    assert section(desk(client, journalist), "late_sujets") is None


def test_no_late_sujet_no_section(client, people):
    _, editor = people
    sujet(editor, "Le budget de Lyon", due_in=timedelta(hours=3))

    assert section(desk(client, editor), "late_sujets") is None


def test_late_sujets_cost_the_same_number_of_queries_however_many(client, people):
    _, editor = people
    sujet(editor, "Le port du Havre en grève", due_in=-timedelta(days=2))
    before = queries(client, editor)
    for n in range(6):
        sujet(editor, f"Sujet oublié {n}", due_in=-timedelta(hours=n + 1), assignee=people[0])

    assert queries(client, editor) == before


def test_durations_and_moments_read_as_a_newsroom_writes_them():
    assert french_duration(timedelta(seconds=20)) == "moins d’une minute"
    assert french_duration(timedelta(minutes=1)) == "1 minute"
    assert french_duration(timedelta(minutes=30)) == "30 minutes"
    assert french_duration(timedelta(hours=1)) == "1 heure"
    assert french_duration(timedelta(minutes=90)) == "1 h 30"
    assert french_duration(timedelta(hours=49)) == "2 jours"
    paris = ZoneInfo("Europe/Paris")
    now = datetime(2026, 11, 28, 10, 0, tzinfo=paris)
    assert french_moment(now.replace(hour=8, minute=5), now) == "aujourd’hui à 08h05"
    assert french_moment(now - timedelta(days=1), now) == "hier à 10h00"
    assert french_moment(datetime(2026, 11, 1, 9, 0, tzinfo=paris), now) == "1er novembre à 09h00"
    assert (
        french_moment(datetime(2025, 8, 15, 23, 50, tzinfo=paris), now, in_sentence=True)
        == "le 15 août 2025 à 23h50"
    )
