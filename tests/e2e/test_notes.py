"""Notes in the browser: an editor cites the journalist, who finds it on the desk and resolves it."""

import pytest

from articles.models import Article
from notes.models import Note
from tests.e2e.test_live_edits import PASSWORD, log_in
from tests.factories import make_article, make_editor, make_journalist

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_editor_cites_the_journalist_who_resolves_from_the_desk(live_server, page, screenshot):
    journalist = make_journalist(username="journaliste", password=PASSWORD)
    editor = make_editor(username="editeur", password=PASSWORD)
    article = make_article(
        title="Les boulangers face au prix du beurre",
        body="<p>Le beurre a pris 40 % en un an.</p><p>Les artisans rognent leurs marges.</p>",
        status=Article.Status.REVIEW,
        published_at=None,
        authors=[journalist.author_profile],
        created_by=journalist,
    )
    change_url = f"{live_server.url}/admin/articles/article/{article.pk}/change/"

    log_in(page, live_server.url, editor.username)
    page.goto(change_url)
    page.click(".ae-notes__new summary")
    page.fill("#ae-note-text", "@journaliste d’où vient le chiffre de 40 % ?")
    page.select_option("#ae-note-paragraph", "1")
    page.click("text=Ajouter la note")
    page.wait_for_selector(".messagelist .success")
    assert "Prévenu : Journaliste Plume" in page.inner_text(".messagelist")
    assert "§ 1\u00a0: «\u00a0Le beurre a pris 40" in page.inner_text(".ae-note-thread")
    screenshot("notes-article-page")
    page.click("#logout-form button")

    log_in(page, live_server.url, journalist.username)
    desk_note = page.locator("#bureau-notes .ae-line")
    assert "d’où vient le chiffre" in desk_note.inner_text()
    screenshot("notes-desk")
    desk_note.locator("a").click()
    page.wait_for_selector(".ae-note-thread")
    page.fill(".ae-note-form--reply textarea", "Insee, chiffres de novembre.")
    page.click(".ae-note-form--reply button")
    page.wait_for_selector("text=Réponse ajoutée.")
    page.click(".ae-note-resolve")
    page.wait_for_selector("text=Note résolue.")

    thread = Note.objects.get(parent=None)
    assert thread.resolved_by == journalist
    assert thread.replies.get().text == "Insee, chiffres de novembre."
    page.goto(live_server.url + "/admin/")
    # Nothing waits any more: the desk has no notes section.
    page.wait_for_selector("#bureau-draft")
    assert page.locator("#bureau-notes").count() == 0
