"""Autosave in the browser: a closed tab or an expired session loses no text."""

from urllib.parse import parse_qs

import pytest
from django.contrib.sessions.models import Session

from articles.models import Article, Category
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_live_edits import PASSWORD, log_in, open_in_editor
from tests.e2e.test_workflow import pick
from tests.factories import make_article, make_journalist

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = "Les pompiers du Gard ont évacué trois cents habitants pendant la nuit."


@pytest.fixture(autouse=True)
def quick_autosave(settings):
    settings.AUTOSAVE_INTERVAL_SECONDS = 1


def kept_whole_text(response) -> bool:
    """An autosave the server accepted whose body holds all of TEXT."""
    if "/sauvegarde-auto/articles/" not in response.url or not response.ok:
        return False
    posted = parse_qs(response.request.post_data or "")
    return "autosave" in posted and TEXT in posted.get("body", [""])[0]


def test_text_of_a_closed_tab_is_recovered_on_reopening(live_server, page):
    journalist = make_journalist(username="julie", password=PASSWORD)
    log_in(page, live_server.url, journalist.username)
    page.goto(live_server.url + "/admin/articles/article/add/", wait_until="commit")
    page.wait_for_selector(".ck-editor__editable")
    page.fill("#id_title", "Inondations dans le Gard : la nuit où l’eau est montée")
    pick(page, "category", "Soci", "Société")
    page.fill("#id_standfirst", "Trois cents habitants évacués.")
    page.click(".ck-editor__editable")
    # A tick during the typing saves the first words and already shows « Sauvegardé »: closing
    # the tab is safe once the server has answered for the whole text.
    with page.expect_response(lambda response: kept_whole_text(response)):
        page.keyboard.type(TEXT)
    page.wait_for_selector(".ae-autosave__status.is-ok")
    assert "Sauvegardé automatiquement à" in page.inner_text(".ae-autosave__status")
    context = page.context
    page.close()

    again = context.new_page()
    again.goto(live_server.url + "/admin/articles/article/add/", wait_until="commit")
    again.wait_for_selector(".ae-recover")
    assert TEXT in again.inner_text(".ae-recover__diff")
    ARTIFACTS.mkdir(exist_ok=True)
    again.screenshot(path=str(ARTIFACTS / "autosave-offer.png"), full_page=True)
    again.click("text=Reprendre la version enregistrée automatiquement à")
    again.wait_for_selector(".ae-recovered")
    again.wait_for_selector(f".ck-editor__editable:has-text('{TEXT[:30]}')")
    assert again.input_value("#id_title").startswith("Inondations dans le Gard")
    again.click("input[name=_save]")
    again.wait_for_selector(".messagelist .success")

    article = Article.objects.get()
    assert TEXT in article.body
    assert article.category == Category.objects.get(name="Société")


def test_expired_session_keeps_the_text_and_saving_works_after_logging_in_again(
    live_server, page, screenshot
):
    journalist = make_journalist(username="julie", password=PASSWORD)
    article = make_article(
        title="Le tramway de Lyon attendra",
        body="<p>La ligne ouvrira en juin.</p>",
        status=Article.Status.DRAFT,
        authors=[journalist.author_profile],
        created_by=journalist,
    )
    log_in(page, live_server.url, journalist.username)
    open_in_editor(page, live_server.url, article)

    Session.objects.all().delete()  # the working day is over
    page.fill("#id_title", "Le tramway de Lyon attendra l’automne")
    page.wait_for_selector(".ae-autosave__alert:has-text('Votre session a expiré')")
    screenshot("autosave-session-expired")
    # The save is held: the form asks whether the session is back and stays, with the text.
    with page.expect_response("**/sauvegarde-auto/session/"):
        page.click("input[name=_save]")
    assert page.url == f"{live_server.url}/admin/articles/article/{article.pk}/change/"
    assert page.input_value("#id_title") == "Le tramway de Lyon attendra l’automne"

    other_tab = page.context.new_page()
    log_in(other_tab, live_server.url, journalist.username)
    other_tab.close()
    page.wait_for_selector(".ae-autosave__alert:has-text('Vous êtes de nouveau connecté')")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")

    article.refresh_from_db()
    assert article.title == "Le tramway de Lyon attendra l’automne"


def test_both_people_on_an_article_see_each_other(live_server, browser, page, screenshot):
    from tests.factories import make_editor

    journalist = make_journalist(username="julie", password=PASSWORD)
    editor = make_editor(username="lea", password=PASSWORD)
    editor.author_profile.display_name = "Léa Marchetti"
    editor.author_profile.save()
    article = make_article(
        title="Le tramway de Lyon attendra",
        status=Article.Status.DRAFT,
        authors=[journalist.author_profile],
        created_by=journalist,
    )
    log_in(page, live_server.url, journalist.username)
    open_in_editor(page, live_server.url, article)
    assert page.locator("#ae-presence").is_hidden()

    other = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    second = other.new_page()
    log_in(second, live_server.url, editor.username)
    open_in_editor(second, live_server.url, article)
    assert "Julie Plume a aussi cet article ouvert (depuis" in second.inner_text("#ae-presence")

    # The first one learns it from the next heartbeat, without reloading.
    page.wait_for_selector("#ae-presence:has-text('Léa Marchetti a aussi cet article ouvert')")
    screenshot("autosave-presence")
    other.close()
