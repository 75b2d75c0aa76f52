"""Date fields in the admin read in French even in a browser set to English."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.e2e.test_desk import PASSWORD, log_in
from tests.factories import make_article, make_editor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def english_browser(browser):
    # Headless Chromium's own default: its date fields show 11/29/2026, 07:00 AM.
    context = browser.new_context(locale="en-US", viewport={"width": 1366, "height": 900})
    yield context.new_page()
    context.close()


def test_a_date_typed_in_the_planning_form_is_written_out_in_french(live_server, english_browser):
    make_editor(username="marc")
    page = english_browser
    log_in(page, live_server.url, "marc", PASSWORD)

    page.goto(live_server.url + "/admin/planning/assignment/add/")
    page.fill("#id_due_at", "2030-03-04T18:00")

    assert page.inner_text("#id_due_at + output.ae-when") == "lundi 4 mars 2030 à 18h00"


def test_the_calendar_says_in_french_when_a_piece_is_scheduled(live_server, english_browser):
    make_editor(username="marc")
    at = datetime(2030, 12, 1, 7, 0, tzinfo=ZoneInfo("Europe/Paris"))
    article = make_article(title="Demain matin", published_at=at)
    page = english_browser
    log_in(page, live_server.url, "marc", PASSWORD)

    page.goto(live_server.url + "/admin/planning/assignment/calendrier/?date=2030-12-01")

    field = f"#at-publication-{article.pk}"
    assert page.input_value(field) == "2030-12-01T07:00"
    assert page.inner_text(f"{field} + output.ae-when") == "dimanche 1er décembre 2030 à 07h00"
