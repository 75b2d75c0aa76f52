"""The desk in the browser: body images need alt text, versions of a live article, lock conflicts."""

import pytest
from django.test import Client

from articles import workflow
from articles.models import Article, ArticleNote, AuditEvent
from tests.e2e.test_live_edits import PASSWORD, log_in, open_in_editor
from tests.factories import image_bytes, make_article, make_editor, make_photo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_body_image_needs_its_alt_text_before_publication(live_server, page, screenshot, tmp_path):
    editor = make_editor(username="redacteur.chef", password=PASSWORD)
    article = make_article(
        title="La gare de Lyon à l'heure de la grève",
        status=Article.Status.REVIEW,
        published_at=None,
        hero_photo=make_photo(with_renditions=True),
    )
    picture = tmp_path / "quai.jpg"
    picture.write_bytes(image_bytes(size=(1600, 900)))
    log_in(page, live_server.url, editor.username)
    open_in_editor(page, live_server.url, article)

    page.click(".ck-editor__editable p:last-child")
    page.keyboard.press("End")
    page.locator(".ck-toolbar input[type=file]").set_input_files(str(picture))
    # The editor asks for the alternative text as soon as the image is in.
    alt_field = page.locator(".ck-text-alternative-form input")
    alt_field.wait_for()
    screenshot("body-image-alt-text-asked")
    page.keyboard.press("Escape")
    page.click("button[value=publish]")

    page.wait_for_selector(".messagelist .error")
    assert "il manque le texte alternatif d’une image du texte" in page.inner_text(".messagelist")
    article.refresh_from_db()
    assert article.status == Article.Status.REVIEW
    assert "/media/editor/" in article.body

    page.wait_for_selector(".ck-editor__editable")
    page.click(".ck-editor__editable figure.image img")
    page.locator(".ck-balloon-panel button[data-cke-tooltip-text*='texte alternatif']").click()
    alt_field.fill("Un quai désert de la gare de Lyon")
    alt_field.press("Enter")
    page.click("button[value=publish]")

    page.wait_for_selector("text=est publié")
    article.refresh_from_db()
    assert article.is_published
    assert 'alt="Un quai désert de la gare de Lyon"' in article.body
    page.goto(live_server.url + article.get_absolute_url())
    image = page.locator(".article__body picture img")
    assert image.get_attribute("loading") == "lazy"
    assert (image.get_attribute("width"), image.get_attribute("height")) == ("1600", "900")
    assert page.locator(".article__body picture source[type='image/webp']").count() == 1
    image.scroll_into_view_if_needed()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    screenshot("body-image-public")


def test_live_article_version_is_viewed_then_restored_with_a_note(live_server, page, screenshot):
    editor = make_editor(username="redacteur.chef", password=PASSWORD)
    article = make_article(
        title="Lérac-sur-Vienne confie une part de son budget à ses habitants",
        body="<p>Le conseil municipal a voté.</p><h2>Un calendrier en trois temps</h2>"
        "<blockquote><p>« Les habitants connaissent leur quartier »</p></blockquote>",
        hero_photo=make_photo(with_renditions=True),
    )
    workflow.save_revision(article, by=editor)
    article.title = "Lérac-sur-Vienne : le budget participatif abandonné"
    article.body = "<p>Le conseil municipal a renoncé.</p>"
    article.save()
    workflow.save_revision(article, by=editor)
    log_in(page, live_server.url, editor.username)

    open_in_editor(page, live_server.url, article)
    page.click(".ae-revisions tr:has-text('confie une part') >> text=Voir")
    page.wait_for_selector(".ae-reader-view")
    assert page.inner_text(".ae-reader-view h1").startswith("Lérac-sur-Vienne confie")
    subheading = page.locator(".ae-reader-view .rich-text h2")
    paragraph = page.locator(".ae-reader-view .rich-text p").first
    font_size = "el => parseFloat(getComputedStyle(el).fontSize)"
    assert subheading.evaluate(font_size) > paragraph.evaluate(font_size)
    assert "renoncé" in page.inner_text(".ae-diff")
    screenshot("revision-view")

    page.click("text=Restaurer cette version")
    page.wait_for_selector("text=L’article est en ligne et le reste")
    page.click("input[type=submit]")
    assert "rédigez une note" in page.inner_text(".errorlist")
    page.fill("#id_note_text", "Le budget participatif n'est pas abandonné : texte rétabli.")
    page.click("input[type=submit]")

    page.wait_for_selector("text=La version n° 1 a été restaurée.")
    article.refresh_from_db()
    assert article.is_published
    assert article.title.startswith("Lérac-sur-Vienne confie")
    assert ArticleNote.objects.get(article=article).kind == "update"
    assert AuditEvent.objects.filter(action="restore", article_id=article.pk).exists()

    page.goto(live_server.url + "/admin/articles/auditevent/")
    page.click("#result_list tbody tr:has-text('Restauration') a")
    assert "texte rétabli" in page.inner_text("#content")
    screenshot("audit-trail-restore")


def test_lock_conflict_says_who_saved_when_and_what(live_server, page, screenshot):
    first = make_editor(username="redacteur.chef", password=PASSWORD)
    second = make_editor(username="lea", password=PASSWORD)
    second.author_profile.display_name = "Léa Marchetti"
    second.author_profile.save()
    article = make_article(
        title="Grève : un train sur trois", body="<p>Jeudi, un train sur trois.</p>"
    )
    workflow.save_revision(article, by=first)
    log_in(page, live_server.url, first.username)
    open_in_editor(page, live_server.url, article)
    page.fill("#id_title", "Grève : un train sur quatre")

    # Meanwhile, Léa saves a change of the title from her own session.
    other = Client()
    other.force_login(second)
    response = other.post(
        f"/admin/articles/article/{article.pk}/change/",
        {
            "title": "Grève : un train sur deux",
            "slug": article.slug,
            "category": article.category_id,
            "standfirst": article.standfirst,
            "body": article.body,
            "hero_photo": article.hero_photo_id,
            "authors": [a.pk for a in article.authors.all()],
            "version": article.version,
            "minor_fix": "on",
        },
    )
    assert response.status_code == 302

    page.check("#id_minor_fix")
    page.click("input[name=_continue]")

    page.wait_for_selector(".ae-conflict")
    assert "Léa Marchetti a enregistré cet article le" in page.inner_text(".errorlist")
    assert page.inner_text(".ae-conflict del") == "trois"
    assert page.inner_text(".ae-conflict ins") == "deux"
    assert page.input_value("#id_title") == "Grève : un train sur quatre"
    screenshot("lock-conflict")


def test_newsletter_progress_updates_by_itself(live_server, page, screenshot):
    from newsletter import sending
    from tests.newsletter.factories import make_issue, make_subscriber

    editor = make_editor(username="redacteur.chef", password=PASSWORD)
    make_subscriber(email="lea@exemple.fr")
    make_subscriber(email="marc@exemple.fr")
    issue = make_issue(articles=[make_article(title="Sommet en Alaska")])
    log_in(page, live_server.url, editor.username)
    page.goto(f"{live_server.url}/admin/newsletter/issue/{issue.pk}/envoyer/")
    page.click("input[type=submit]")

    message = page.locator('[data-progress="message"]')
    assert message.inner_text() == (
        "Envoi lancé : préparation des copies pour 2 abonnés confirmés…"
    )
    assert not page.locator('[data-progress="resume"]').is_visible()
    page.evaluate("window.stillTheSamePage = true")

    sending.deliver(issue)  # what the background worker does

    page.wait_for_selector('[data-progress="message"]:has-text("Envoi terminé le")')
    assert page.evaluate("window.stillTheSamePage") is True
    assert page.inner_text('[data-progress="sent"]') == "2"
    assert page.locator('[data-progress="bar"]').evaluate("bar => bar.value") == 100
    screenshot("newsletter-progress")
