"""Planning in the browser: a sujet from its creation to its rescheduled publication."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from planning.models import Assignment
from tests.e2e.test_live_edits import PASSWORD, log_in
from tests.e2e.test_workflow import pick
from tests.factories import make_article, make_editor, make_journalist, make_photo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_out(page):
    page.click("#logout-form button")
    page.wait_for_url("**/admin/logout/")


def test_a_sujet_goes_from_the_editor_to_a_rescheduled_publication(live_server, page, screenshot):
    editor = make_editor(username="editeur", password=PASSWORD)
    journalist = make_journalist(username="journaliste", password=PASSWORD)
    make_photo(with_renditions=True, caption="Vue de la baie au crépuscule")
    due = timezone.localtime(timezone.now() + timedelta(days=1)).replace(hour=18, minute=0)
    out = due.replace(hour=7, minute=30) + timedelta(days=1)
    later = out.replace(hour=11, minute=15)
    base = live_server.url

    log_in(page, base, editor.username)
    page.goto(base + "/admin/planning/assignment/add/")
    page.fill("#id_title", "Le prix du gazole repasse sous 1,60 euro")
    page.select_option("#id_category", label="Économie")
    page.select_option("#id_assignee", label="Journaliste Plume")
    page.fill("#id_due_at", due.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_planned_words", "500")
    page.fill("#id_brief", "Trois stations-service, un routier, les chiffres du ministère.")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    log_out(page)

    log_in(page, base, journalist.username)
    assert "Le prix du gazole" in page.inner_text("#bureau-sujets")
    screenshot("planning-desk-mes-sujets")
    page.click("#bureau-sujets .ae-line a")
    page.wait_for_selector(".ae-sujet-accept")
    screenshot("planning-sujet-to-accept")
    page.click("text=Accepter le sujet et ouvrir le brouillon")
    page.wait_for_selector(".ck-editor__editable")
    assert page.input_value("#id_title") == "Le prix du gazole repasse sous 1,60 euro"
    page.fill("#id_standfirst", "À la pompe, le litre de gazole coûte moins qu’en septembre.")
    page.click(".ck-editor__editable")
    page.keyboard.type("Dans les stations de l’Hérault, le gazole est affiché à 1,59 euro.")
    pick(page, "hero_photo", "baie", "Vue de la baie")
    page.click("button[value=submit]")
    page.wait_for_selector("text=est soumis à relecture")
    log_out(page)

    log_in(page, base, editor.username)
    page.goto(f"{base}/admin/planning/assignment/calendrier/?vue=jour&date={due.date()}")
    card = page.locator(".ae-item--sujet", has_text="Le prix du gazole")
    assert "Rendu" in card.inner_text()
    card.locator("input[name=at]").fill(out.strftime("%Y-%m-%dT%H:%M"))
    card.locator("button").click()
    page.wait_for_selector(".messagelist .success")
    page.goto(f"{base}/admin/planning/assignment/calendrier/?date={out.date()}")
    screenshot("planning-calendar-week")
    card = page.locator(".ae-item--publication", has_text="Le prix du gazole")
    assert card.locator("time").inner_text() == "07h30"
    card.locator("input[name=at]").fill(later.strftime("%Y-%m-%dT%H:%M"))
    card.locator("button").click()
    page.wait_for_selector("text=paraîtra")

    article = Article.objects.get()
    assert article.is_scheduled
    assert timezone.localtime(article.published_at).strftime("%d %H:%M") == later.strftime(
        "%d %H:%M"
    )
    assert Assignment.objects.with_state().get().state_label == "Rendu"
    assert page.locator(".ae-item--publication time").inner_text() == "11h15"


def test_dragging_a_publication_to_another_day_reschedules_it_at_the_same_time(
    live_server, page, screenshot
):
    editor = make_editor(username="editeur", password=PASSWORD)
    today = timezone.localdate()
    tuesday = today - timedelta(days=today.weekday()) + timedelta(days=8)
    at = timezone.make_aware(datetime.combine(tuesday, time(10, 45)))
    article = make_article(title="Le budget de la Ville de Lyon", published_at=at)

    log_in(page, live_server.url, editor.username)
    page.goto(f"{live_server.url}/admin/planning/assignment/calendrier/?date={tuesday}")
    assert "glissez une publication" in page.inner_text(".ae-planning__hint")
    thursday = tuesday + timedelta(days=2)
    page.locator(".ae-item--publication", has_text="Le budget").drag_to(
        page.locator(f".ae-day[data-date='{thursday}']")
    )
    page.wait_for_selector("text=paraîtra")
    screenshot("planning-dragged")

    article.refresh_from_db()
    moved = timezone.localtime(article.published_at)
    assert (moved.date(), moved.hour, moved.minute) == (thursday, 10, 45)
    assert page.locator(f".ae-day[data-date='{thursday}'] .ae-item--publication").count() == 1
