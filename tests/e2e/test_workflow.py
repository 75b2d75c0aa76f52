import re

import pytest
from django.core.management import call_command

from articles.models import Article
from tests.factories import make_photo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JOURNALIST = ("journaliste", "Journaliste-demo-2025")
EDITOR = ("editeur", "Editeur-demo-2025")


def log_in(page, base, account):
    page.goto(base + "/admin/login/")
    page.fill("#id_username", account[0])
    page.fill("#id_password", account[1])
    page.click("input[type=submit]")
    page.wait_for_selector("#user-tools")


def log_out(page):
    page.click("#logout-form button")
    page.wait_for_url("**/admin/logout/")


def pick(page, field, search, choice):
    """Choose in an admin autocomplete (select2) box."""
    page.click(f"#id_{field} + .select2 .select2-selection")
    page.fill(".select2-container--open .select2-search__field", search)
    page.click(f".select2-results__option:has-text('{choice}')")


def test_journalist_and_editor_play_the_whole_story(live_server, page, screenshot, settings):
    settings.DEMO_MODE = True
    call_command("load_demo", stdout=open("/dev/null", "w"))
    make_photo(caption="Un quai de la gare de Lyon désert", with_renditions=True)
    base = live_server.url

    # The journalist writes a draft in CKEditor and submits it.
    log_in(page, base, JOURNALIST)
    page.goto(base + "/admin/articles/article/add/")
    page.fill("#id_title", "Grève des cheminots : le trafic très perturbé")
    pick(page, "category", "Éco", "Économie")
    page.fill("#id_standfirst", "La SNCF prévoit un train sur trois jeudi.")
    page.click(".ck-editor__editable")
    page.keyboard.type("Les syndicats appellent à la grève dès mercredi soir.")
    page.click("input[name=_continue]")
    page.wait_for_selector(".ae-workflow")
    assert page.locator(".ae-status").first.inner_text() == "Brouillon"
    screenshot("workflow-1-draft")
    page.click("button[value=submit]")
    page.wait_for_selector("text=est soumis à relecture")
    assert "En relecture" in page.locator(".ae-workflow h2").inner_text()
    log_out(page)

    # The editor finds it in the review queue and sends it back with a comment.
    log_in(page, base, EDITOR)
    page.goto(base + "/admin/articles/article/a-relire/")
    # This article and the demo's own piece waiting for review (tools/demo_data.py).
    assert "À relire\u00a0: 2" in page.locator(".ae-counts").inner_text()
    page.click("text=Grève des cheminots")
    page.wait_for_selector("button[value=send_back]")
    assert "la photo principale" in page.locator(".ae-missing").inner_text()
    page.fill("#id_workflow_comment", "Il manque une photo : prenez celle du quai désert.")
    screenshot("workflow-2-review")
    page.click("button[value=send_back]")
    page.wait_for_selector("text=est renvoyé à son auteur")
    log_out(page)

    # The journalist sees the comment, adds the photo and resubmits.
    log_in(page, base, JOURNALIST)
    page.goto(base + "/admin/articles/article/")
    page.click("text=Grève des cheminots")
    comment = page.locator(".ae-sent-back")
    assert "Il manque une photo : prenez celle du quai désert." in comment.inner_text()
    screenshot("workflow-3-sent-back")
    pick(page, "hero_photo", "quai", "Un quai de la gare de Lyon désert")
    page.click("button[value=submit]")
    page.wait_for_selector("text=est soumis à relecture")
    log_out(page)

    # The editor sees what changed and publishes.
    log_in(page, base, EDITOR)
    page.goto(base + "/admin/articles/article/a-relire/")
    page.click("text=Grève des cheminots")
    assert "Photo principale" in page.locator(".ae-diff").inner_text()
    page.click("button[value=publish]")
    page.wait_for_selector("text=est publié")
    history = page.locator(".ae-history").inner_text()
    assert history.count("Soumis à relecture") == 2
    assert "Renvoyé à l’auteur" in history and "Publié" in history
    screenshot("workflow-4-published")

    # Readers see it on the site.
    article = Article.objects.get(title__startswith="Grève des cheminots")
    assert article.is_published
    page.goto(base + article.get_absolute_url())
    assert re.search("Grève des cheminots", page.locator("h1").inner_text())
    assert "Les syndicats appellent à la grève" in page.locator(".article__body").inner_text()
    screenshot("workflow-5-public")
