"""« Mon bureau », the review queue and the article list in Chromium, on a 1366 px screen."""

import pytest

from tests.e2e.conftest import ARTIFACTS
from tests.factories import make_editor, make_journalist
from tests.newsroom import newsroom_day

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Mot-de-passe-solide-42"  # tests.factories.make_user's


@pytest.fixture
def laptop(browser):
    """A newsroom laptop's screen: 1366 px wide."""
    context = browser.new_context(locale="fr-FR", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def shoot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def log_in(page, base, username, password=PASSWORD):
    page.context.clear_cookies()
    page.goto(base + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")


def overflow(page, selector):
    """How many pixels the element is wider than the space it has (0: it fits)."""
    return page.eval_on_selector(selector, "e => e.scrollWidth - e.clientWidth")


def test_each_role_works_from_its_desk_and_the_queue_fits_a_laptop(live_server, laptop):
    journalist, editor = make_journalist(username="julie"), make_editor(username="marc")
    newsroom_day(journalist, editor)
    base, page = live_server.url, laptop

    # The journalist: what was sent back comes first, with the editor's comment.
    log_in(page, base, "julie")
    page.wait_for_selector(".ae-desk")
    assert page.locator("h1").inner_text() == "Mon bureau"
    assert page.locator(".ae-tile").first.inner_text().split() == ["1", "À", "reprendre"]
    comment = page.locator("#bureau-changes_requested .ae-line__quote")
    assert "trouvez celui de cette année" in comment.inner_text()
    assert page.locator(".ae-apps").is_visible()  # the whole admin, beside the desk
    shoot(page, "desk-journalist")
    page.click("#bureau-changes_requested .ae-line__title")
    page.wait_for_selector(".ae-sent-back")
    assert "Les boulangers face à la flambée" in page.locator("#id_title").input_value()

    # The editor: the queue, longest wait first, then to the queue itself.
    log_in(page, base, "marc")
    page.wait_for_selector(".ae-desk")
    queue = page.locator("#bureau-review .ae-line")
    assert queue.count() == 2
    assert queue.first.locator(".ae-line__aside").inner_text() == "attend depuis 2 jours"
    assert "ae-line--late" in queue.first.get_attribute("class")
    assert page.locator("#bureau-comments .ae-panel__count").inner_text() == "3"
    shoot(page, "desk-editor")
    page.click("#bureau-review h2 a")
    page.wait_for_selector("#result_list")
    assert page.locator("h1").inner_text() == "À relire"
    assert overflow(page, "#changelist-form .results") == 0
    title_cell = page.locator("#result_list th.field-title_column").first.bounding_box()
    assert title_cell["width"] >= 250
    assert title_cell["height"] < 120  # three lines at most, not eight
    shoot(page, "review-queue")

    # The whole list: every column, « Modifié » included, on screen.
    page.goto(base + "/admin/articles/article/")
    page.wait_for_selector("#result_list")
    assert overflow(page, "#changelist-form .results") == 0
    modified = page.locator("#result_list thead th.column-updated_column").bounding_box()
    assert modified["x"] + modified["width"] <= 1366
    shoot(page, "article-list")


def test_a_locked_out_login_sees_the_newsrooms_page(live_server, laptop, settings):
    make_journalist(username="julie")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(laptop, live_server.url, "julie", "pas-le-bon")

    assert "réessayez dans 30 minutes" in laptop.locator("#content").inner_text()
    assert laptop.locator("#site-name").inner_text() == "Actualités Express — rédaction"
    shoot(laptop, "login-lockout")
