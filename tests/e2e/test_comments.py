import pytest
from django.core.management import call_command

from comments.models import Comment
from tests.e2e.conftest import ARTIFACTS
from tests.factories import make_editor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


ARTICLE = "/articles/rencontre-poutine-trump-alaska/"


def test_reader_comments_on_the_seed_article_and_an_editor_approves_it(
    live_server, page, screenshot, settings
):
    settings.DEMO_MODE = False
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    # A person cannot type faster than the robot check allows; the browser here can.
    settings.COMMENTS_MIN_SECONDS = 0
    # As with `make run` (demo mode): the demo articles date from August 2025.
    settings.COMMENTS_CLOSE_AFTER_DAYS = 0
    call_command("load_demo", stdout=open("/dev/null", "w"))
    make_editor(username="moderatrice", password="Moderatrice-e2e-2025")

    page.goto(live_server.url + ARTICLE)
    assert page.locator(".comments__count").inner_text() == "Aucun commentaire pour le moment."
    page.fill("#id_name", "Camille Lectrice")
    page.fill("#id_email", "camille@example.org")
    page.fill("#id_text", "Merci pour ce compte rendu.\nLa conférence de presse était très brève.")
    page.click("text=Envoyer mon commentaire")

    page.wait_for_url("**/?commentaire=en-attente#commentaires")
    feedback = page.locator(".comments__feedback").inner_text()
    assert "Votre commentaire est en attente de modération" in feedback
    assert page.locator(".comment-list").count() == 0
    screenshot("comment-pending")

    editor = page.context.browser.new_context(locale="fr-FR").new_page()
    editor.goto(live_server.url + "/admin/comments/comment/")
    editor.fill("#id_username", "moderatrice")
    editor.fill("#id_password", "Moderatrice-e2e-2025")
    editor.click("input[type=submit], button[type=submit]")
    assert "1 en attente de modération" in editor.locator("h1").inner_text()
    comment = Comment.objects.get()
    editor.check(f"input.action-select[value='{comment.pk}']")
    editor.select_option("select[name=action]", "approve_selected")
    editor.click("button[name=index]")
    assert "1 commentaire publié." in editor.locator(".messagelist").inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    editor.screenshot(path=str(ARTIFACTS / "comment-approved-admin.png"), full_page=True)
    editor.context.close()

    page.reload()
    shown = page.locator(f"#comment-{comment.pk}")
    assert "Camille Lectrice" in shown.inner_text()
    assert "La conférence de presse était très brève." in shown.inner_text()
    assert page.locator(".comments__count").inner_text() == "1 commentaire"
    screenshot("comment-published")
