"""The article list and the review queue: who wrote it, when it was submitted, who touched it last."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.admin_crawl import read
from tests.factories import make_editor, make_journalist
from tests.newsroom import newsroom_day, piece, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def day():
    journalist, editor = make_journalist(username="julie"), make_editor(username="marc")
    return {"journalist": journalist, "editor": editor, **newsroom_day(journalist, editor)}


def rows(html):
    """Each row of the list as its visible text, in order."""
    return [
        read(row)[0]
        for row in re.findall(r'<tr>\s*<td class="action-checkbox">.*?</tr>', html, re.S)
    ]


def row_of(html, title):
    return next(row for row in rows(html) if title in row)


def test_list_shows_authors_submission_wait_and_last_editor(client, day):
    client.force_login(day["editor"])

    html = client.get(reverse("admin:articles_article_changelist")).content.decode()

    headers = re.findall(r'<div class="text">(?:<a [^>]*>|<span>)([^<]+)<', html)
    assert headers == [
        "Titre",
        "Auteurs",
        "Statut",
        "Soumis",
        "Publication",
        "Modifié",
    ]
    waiting = row_of(html, "Budget 2027")
    assert "Camille Plume" in waiting
    assert "attend depuis 2 jours" in waiting
    assert "par Camille Plume" in waiting  # submitting is the last thing done to it
    sent_back = row_of(html, "Les boulangers face à la flambée")
    assert "Julie Plume" in sent_back and "par Marc Plume" in sent_back
    assert "attend depuis" not in sent_back  # no longer waiting for review


def test_review_queue_lists_pieces_under_review_longest_wait_first(client, day):
    client.force_login(day["editor"])

    response = client.get(reverse("admin:articles_article_review_queue"), follow=True)

    html = response.content.decode()
    titles = re.findall(r'<span class="ae-list-title">([^<]+)</span>', html)
    assert [title[:12] for title in titles] == ["Budget 2027 ", "À Lyon, la l"]
    assert "<h1>À relire</h1>" in html
    assert 'class="sortable column-submitted_column sorted ascending"' in html


def test_the_list_costs_the_same_number_of_queries_with_more_articles(client, day):
    client.force_login(day["editor"])
    url = reverse("admin:articles_article_changelist")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    before = queries()
    for n in range(5):
        submitted(piece(day["journalist"], f"Un article de plus {n}"), day["journalist"], n)

    assert queries() == before


def test_journalists_list_shows_only_their_pieces_with_the_same_columns(client, day):
    client.force_login(day["journalist"])

    html = client.get(reverse("admin:articles_article_changelist")).content.decode()

    assert "Budget 2027" not in html  # a colleague's
    assert "attend depuis 3 heures" in row_of(html, "À Lyon, la ligne de tramway")
