"""In a real browser, under the site's CSP: the « Alerte info » banner (readable, accessible)
and « Les plus lus » fed by the beacon of our static script."""

from pathlib import Path

import pytest

from alerts import rules
from alerts.models import Alert
from mostread import counters
from tests.e2e.test_reader_pages import _AXE_RUN, AXE, TOLERATED
from tests.factories import make_article, make_editor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

READER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
def database_counters(settings):
    settings.REDIS_URL = ""
    settings.MOST_READ_FLUSH_SECONDS = 0
    counters.forget()
    yield
    counters.forget()


def open_page(browser, url, *, user_agent=READER, width=1280):
    context = browser.new_context(
        locale="fr-FR", user_agent=user_agent, viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    page.csp_reports = []
    page.on(
        "console",
        lambda message: (
            page.csp_reports.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    return context, page


def test_a_reader_is_counted_by_the_beacon_and_the_home_page_lists_the_article(
    live_server, browser, database_counters
):
    article = make_article(title="Une lecture qui compte")
    context, page = open_page(browser, live_server.url)
    with page.expect_request(lambda r: "/lu/" in r.url and r.method == "POST") as sent:
        page.goto(live_server.url + article.get_absolute_url())
    assert sent.value.response().status == 204
    assert [pk for pk, _ in counters.most_read(counters.DAY, limit=5)] == [article.pk]

    page.goto(live_server.url + "/")
    assert page.locator(".most-read--home li").all_inner_texts() == ["Une lecture qui compte"]
    assert page.csp_reports == []
    context.close()


def test_a_headless_crawler_running_the_script_is_not_counted(
    live_server, browser, database_counters
):
    article = make_article()
    context, page = open_page(browser, live_server.url, user_agent="")
    default_agent = page.evaluate("navigator.userAgent")
    context.close()
    assert "HeadlessChrome" in default_agent

    context, page = open_page(browser, live_server.url, user_agent=default_agent)
    with page.expect_request(lambda r: "/lu/" in r.url) as sent:
        page.goto(live_server.url + article.get_absolute_url())
    assert sent.value.response().status == 204
    assert counters.most_read(counters.DAY, limit=5) == []
    context.close()


@pytest.mark.parametrize("width", [1366, 390])
def test_the_alert_banner_is_readable_and_passes_axe(live_server, browser, width):
    article = make_article()
    rules.save(
        Alert(text="Tempête : la circulation des trains est interrompue", link="/"),
        by=make_editor(),
    )
    context, page = open_page(browser, live_server.url, width=width)
    page.goto(live_server.url + article.get_absolute_url())

    banner = page.get_by_role("region", name="Alerte info")
    assert "Tempête\u00a0: la circulation des trains est interrompue" in banner.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"alerte-info-{width}.png"))
    page.evaluate(AXE)
    assert [v for v in page.evaluate(_AXE_RUN) if v["impact"] not in TOLERATED] == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.csp_reports == []
    context.close()
