"""Live articles in the real admin form with CKEditor: saving what nobody touched changes nothing."""

from urllib.parse import parse_qs

import pytest
from django.contrib.admin.models import LogEntry
from django.core.management import call_command

from articles.models import Article, ArticleNote, ArticleRedirect, Transition
from tests.factories import make_article, make_editor
from tools.demo_data import ARTICLES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Mot-de-passe-solide-42"
TEXT_LABELS = ("Titre", "Chapô", "Texte", "Photo principale")


def log_in(page, base, username, password=PASSWORD):
    page.goto(base + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_selector("#user-tools")


def open_in_editor(page, base, article):
    # Ready once CKEditor is: no need to wait for every image of the page.
    page.goto(f"{base}/admin/articles/article/{article.pk}/change/", wait_until="commit")
    page.wait_for_selector(".ck-editor__editable")


def save_and_capture_body(page, button="input[name=_save]"):
    """Submit the form and return the body CKEditor actually posted."""
    with page.expect_request(lambda r: r.method == "POST" and "/change/" in r.url) as sent:
        page.click(button)
    page.wait_for_load_state()
    return parse_qs(sent.value.post_data)["body"][0]


def test_every_demo_article_saved_untouched_changes_nothing(
    live_server, page, settings, monkeypatch
):
    settings.DEMO_MODE = True
    # The form shows the original photo: its renditions would only cost time here.
    monkeypatch.setattr("tools.demo.build_renditions", lambda image: [])
    call_command("load_demo", stdout=open("/dev/null", "w"))
    # The demo's newsroom already has its history (submitted, sent back, scheduled pieces).
    history = list(Transition.objects.values_list("pk", flat=True))
    editor = make_editor(username="redacteur.chef", password=PASSWORD)
    log_in(page, live_server.url, editor.username)
    respelled = 0

    for spec in ARTICLES:
        article = Article.objects.get(slug=spec["slug"])
        open_in_editor(page, live_server.url, article)
        # The answer to the save is enough: a redirect means the form was accepted.
        with page.expect_response(lambda r: r.request.method == "POST") as answer:
            page.click("input[name=_save]")
        posted = parse_qs(answer.value.request.post_data)["body"][0]

        assert answer.value.status == 302, spec["slug"]
        respelled += posted != article.body
        saved = Article.objects.get(pk=article.pk)
        assert (saved.title, saved.standfirst, saved.body, saved.hero_photo_id) == (
            article.title,
            article.standfirst,
            article.body,
            article.hero_photo_id,
        )
        assert saved.revisions.count() == 1  # the first snapshot of the same text
        entry = LogEntry.objects.filter(object_id=str(article.pk)).latest("action_time")
        message = entry.get_change_message()
        assert not any(label in message for label in TEXT_LABELS), (spec["slug"], message)

    # The editor did send back its own spelling (list item ids…): the test saw the real thing.
    assert respelled >= 5
    assert not ArticleNote.objects.exists()
    assert list(Transition.objects.values_list("pk", flat=True)) == history


def test_live_article_is_unpublished_with_its_reason_and_renamed_without_a_note(
    live_server, page, screenshot
):
    editor = make_editor(username="redacteur.chef", password=PASSWORD)
    renamed = make_article(
        title="Castelbrune rénove sa médiathèque",
        slug="castelbrune-mediatheque-renovee-2025-typo",
        body="<p>Les travaux commencent.</p><h2>Un calendrier serré</h2><ul><li>Été</li>"
        "<li>Automne</li></ul><blockquote><p>« Un lieu pour tous »</p></blockquote>",
    )
    withdrawn = make_article(
        title="Un article à retirer",
        body='<p>Avec un <a href="https://example.org/">lien</a>.</p><ol><li>un</li></ol>',
    )
    log_in(page, live_server.url, editor.username)

    open_in_editor(page, live_server.url, renamed)
    # In the editor the text looks like the article on the site.
    size = "el => parseFloat(getComputedStyle(el).fontSize)"
    paragraph = page.locator(".ck-content p").first
    body_size = paragraph.evaluate(size)
    assert "Georgia" in paragraph.evaluate("el => getComputedStyle(el).fontFamily")
    assert page.locator(".ck-content h2").evaluate(size) > body_size >= 17
    quote = page.locator(".ck-content blockquote")
    assert quote.evaluate("el => getComputedStyle(el).fontStyle") == "italic"
    assert quote.evaluate(size) > body_size
    title_width = page.locator("#id_title").evaluate("el => el.getBoundingClientRect().width")
    assert title_width > 600
    screenshot("article-form")
    page.fill("#id_slug", "castelbrune-mediatheque-renovee")
    save_and_capture_body(page)
    assert page.locator(".errornote").count() == 0
    renamed.refresh_from_db()
    assert renamed.slug == "castelbrune-mediatheque-renovee"
    assert ArticleRedirect.objects.filter(old_slug="castelbrune-mediatheque-renovee-2025-typo")

    open_in_editor(page, live_server.url, withdrawn)
    page.fill("#id_workflow_comment", "Doublon d'un article publié la veille.")
    screenshot("live-edit-unpublish")
    save_and_capture_body(page, "button[value=unpublish]")
    assert (
        page.locator(".messagelist .success").inner_text()
        == "« Un article à retirer » est dépublié."
    )
    withdrawn.refresh_from_db()
    assert withdrawn.status == Article.Status.WITHDRAWN
    step = withdrawn.transitions.get()
    assert step.comment == "Doublon d'un article publié la veille."
    assert not ArticleNote.objects.exists()
