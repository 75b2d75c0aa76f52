import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reader_follows_the_lead_story_and_sees_the_illustration_credit(
    live_server, page, screenshot, settings
):
    settings.DEMO_MODE = False
    call_command("load_demo", stdout=open("/dev/null", "w"))

    page.goto(live_server.url + "/")
    lead = page.locator(".lead__title a")
    assert "Alaska" in lead.inner_text()
    screenshot("home")
    lead.click()

    page.wait_for_url("**/articles/rencontre-poutine-trump-alaska/")
    caption = page.locator(".article__hero figcaption")
    assert "pas une photographie de la rencontre" in caption.inner_text()
    assert "Illustration\u00a0: Actualités Express" in caption.inner_text()
    hero = page.locator(".article__hero img")
    assert hero.evaluate("img => img.complete && img.naturalWidth > 0")
    assert page.locator(".article__body h2").count() >= 2
    assert page.locator("time").first.inner_text().startswith("15 août 2025")
    screenshot("article")
