"""The desk and the comment moderation list, on a phone (390 px) and on a laptop (1366 px)."""

import pytest

from tests.e2e.test_desk import PASSWORD, log_in, overflow, shoot
from tests.factories import make_editor, make_journalist
from tests.newsroom import newsroom_day

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def screen(browser):
    contexts = []

    def open_at(width):
        context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": 844})
        contexts.append(context)
        return context.new_page()

    yield open_at
    for context in contexts:
        context.close()


def test_the_editors_desk_fits_a_phone(live_server, screen):
    newsroom_day(make_journalist(username="julie"), make_editor(username="marc"))
    page = screen(390)

    log_in(page, live_server.url, "marc", PASSWORD)
    page.wait_for_selector(".ae-desk")

    assert page.evaluate("document.documentElement.scrollWidth") == 390
    for panel in page.locator(".ae-panel").all():
        box = panel.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    shoot(page, "desk-editor-390")


@pytest.mark.parametrize("width", [390, 1366])
def test_the_comment_moderation_list_shows_every_column_without_scrolling(
    live_server, screen, width
):
    newsroom_day(make_journalist(username="julie"), make_editor(username="marc"))
    page = screen(width)

    log_in(page, live_server.url, "marc", PASSWORD)
    page.goto(live_server.url + "/admin/comments/comment/?status=pending")
    page.wait_for_selector("#result_list")

    assert overflow(page, "#changelist-form .results") == 0
    first = page.locator("#result_list tbody tr").first
    # The comment's text is the widest thing a moderator reads, wider than the article's title.
    excerpt = first.locator(".field-excerpt").bounding_box()
    article = first.locator(".field-article").bounding_box()
    assert excerpt["width"] >= article["width"]
    reasons = first.locator(".field-held_because")
    assert reasons.bounding_box()["x"] + reasons.bounding_box()["width"] <= width
    shoot(page, f"comments-moderation-{width}")
