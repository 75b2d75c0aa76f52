"""The photo of the front-page story: read-only for the journalist, changed and recorded by the
editor, and the new credit on the site at once (pages cached as in production)."""

import pytest
from django.core.management import call_command

from articles.models import Article, AuditEvent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JOURNALIST = ("journaliste", "Journaliste-demo-2025")
EDITOR = ("editeur", "Editeur-demo-2025")


def log_in(page, base, account):
    page.goto(base + "/admin/login/")
    page.fill("#id_username", account[0])
    page.fill("#id_password", account[1])
    page.click("input[type=submit]")
    page.wait_for_selector("#user-tools")


def test_the_front_page_photo_is_the_editors_to_change(
    live_server, page, screenshot, settings, caches_on
):
    settings.DEMO_MODE = True
    call_command("load_demo", stdout=open("/dev/null", "w"))
    base = live_server.url
    story = Article.objects.published().filter(is_featured=True).first()
    photo = story.hero_photo
    page.goto(base + story.get_absolute_url())  # Readers have the page cached.
    assert page.locator("figcaption .credit").inner_text() == photo.credit_line

    # The journalist (who signs the story) sees the photo, read-only, and why.
    log_in(page, base, JOURNALIST)
    page.goto(f"{base}/admin/photos/photo/{photo.pk}/change/")
    assert page.locator("#id_credit").count() == 0
    notice = page.locator(".messagelist").inner_text()
    assert "seuls les éditeurs peuvent la modifier" in notice
    assert story.title in page.locator(".field-used_by").inner_text()
    screenshot("photo-1-journalist-read-only")
    page.click("#logout-form button")

    # The editor corrects the credit: recorded in the story's history and audited.
    log_in(page, base, EDITOR)
    page.goto(f"{base}/admin/photos/photo/{photo.pk}/change/")
    assert "inscrite dans leur historique" in page.locator(".messagelist").inner_text()
    page.fill("#id_credit", "Agence France-Presse")
    screenshot("photo-2-editor-form")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    page.goto(f"{base}/admin/articles/article/{story.pk}/change/")
    history = page.locator(".ae-history").inner_text()
    assert "Photo modifiée" in history
    assert "→ « Agence France-Presse »" in history
    page.locator(".ae-history").scroll_into_view_if_needed()
    screenshot("photo-3-article-history")
    assert AuditEvent.objects.filter(action=AuditEvent.Action.PHOTO, article_id=story.pk).exists()

    # Readers see the new credit at once, although the page was cached.
    reader = page.context.browser.new_page()
    reader.goto(base + story.get_absolute_url())
    assert "© Agence France-Presse" in reader.locator("figcaption .credit").inner_text()
    reader.close()
