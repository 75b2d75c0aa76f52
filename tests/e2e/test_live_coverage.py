"""« En direct » end to end: the newsroom runs a live, readers follow it with and without JS."""

import re

import pytest
from playwright.sync_api import expect

from live import rules
from live.models import Live, LiveEntry
from tests.e2e.conftest import ARTIFACTS
from tests.factories import make_article, make_editor, make_journalist

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Mot-de-passe-solide-42"


def screenshot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def log_in(page, base, user):
    page.goto(base + "/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#user-tools")


def pick(page, field, search, choice):
    """Choose in an admin autocomplete (select2) box."""
    page.click(f"#id_{field} + .select2 .select2-selection")
    page.fill(".select2-container--open .select2-search__field", search)
    page.click(f".select2-results__option:has-text('{choice}')")


def test_a_live_is_run_by_the_newsroom_and_followed_by_readers(
    live_server, browser, settings, caches_on
):
    settings.LIVE_POLL_SECONDS = 1
    editor = make_editor(username="edith")
    journalist = make_journalist(username="wassila")
    article = make_article(title="Sommet en Alaska : suivez la journée")
    base = live_server.url
    url = base + article.get_absolute_url()

    contexts = []

    def new_page(**options):
        context = browser.new_context(
            locale="fr-FR", viewport={"width": 1280, "height": 900}, **options
        )
        contexts.append(context)
        return context.new_page()

    # The editor opens the live on the published article, with the journalist as writer.
    desk = new_page()
    log_in(desk, base, editor)
    desk.goto(base + "/admin/live/live/add/")
    pick(desk, "article", "Sommet", "Sommet en Alaska")
    desk.fill("#id_summary", "Les deux délégations sont attendues sur la base.")
    desk.select_option("#id_writers_from", label="wassila")
    desk.click("#id_writers_add")
    desk.click("input[name=_continue]")
    desk.wait_for_selector(".ae-live")
    live = Live.objects.get(article=article)

    # Readers open the page: one with JavaScript, one without; both served by the cache.
    reader = new_page()
    problems = []
    reader.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    reader.goto(url)
    expect(reader.locator(".live__summary")).to_contain_text("Les deux délégations")
    plain = new_page(java_script_enabled=False)
    plain.goto(url)
    assert plain.locator(".live-entry").count() == 0

    # The journalist posts three entries from the quick form.
    newsroom = new_page()
    log_in(newsroom, base, journalist)
    newsroom.goto(base + f"/admin/live/live/{live.pk}/change/")
    texts = [
        "Les avions des deux présidents se posent sur la base.",
        "La réunion commence, avec deux conseillers de chaque côté.",
        "Des manifestants se rassemblent en ville.",
    ]
    for text in texts:
        newsroom.fill("#id_text", text)
        newsroom.click("text=Publier l’entrée")
        newsroom.wait_for_selector("text=Entrée publiée.")
    assert LiveEntry.objects.published().count() == 3
    screenshot(newsroom, "direct-redaction-formulaire-rapide")

    # The reader did not reload: a button offers the new entries instead of moving the page.
    button = reader.locator(".live__new-button")
    expect(button).to_have_text("3 nouvelles entrées", timeout=15000)
    assert reader.locator(".live-entry").count() == 0
    button.click()
    expect(reader.locator(".live__stream .live-entry")).to_have_count(3)
    shown = reader.locator(".live__stream .live-entry__body").all_inner_texts()
    assert shown == list(reversed(texts))
    expect(reader.locator(".live-entry__time").first).to_have_text("à l’instant")
    expect(button).to_be_hidden()
    screenshot(reader, "direct-lecteur-nouvelles-entrees")

    # Without JavaScript, a reload shows them, with their absolute time.
    plain.reload()
    assert plain.locator(".live__stream .live-entry__body").all_inner_texts() == list(
        reversed(texts)
    )
    assert re.fullmatch(r"\d\dh\d\d", plain.locator(".live-entry__time").first.inner_text())

    # The editor pins the meeting as a key moment: the open page marks it, a reload lists it.
    meeting = LiveEntry.objects.get(body__contains="La réunion commence")
    desk.reload()
    desk.locator(f"#entree-{meeting.pk}").get_by_role("button", name="Moment clé").click()
    desk.wait_for_selector("text=Entrée marquée « Moment clé ».")
    expect(reader.locator(f"#entree-{meeting.pk} .live-entry__key")).to_have_text(
        "Moment clé", timeout=15000
    )
    plain.reload()
    assert plain.locator(".live__key-moments .live-entry__body").all_inner_texts() == [texts[1]]

    # The editor ends the live: the open page says so and stops asking.
    desk.click("text=Terminer le direct")
    desk.wait_for_selector("text=Direct terminé.")
    expect(reader.locator("[data-live-state]")).to_have_text(
        "Ce direct est terminé.", timeout=15000
    )
    plain.reload()
    assert "Direct terminé le" in plain.locator(".live__state").inner_text()
    assert plain.locator(".live__new").count() == 0
    screenshot(plain, "direct-termine")
    assert not [p for p in problems if "Content Security Policy" in p], problems
    for context in contexts:
        context.close()


def test_the_page_stops_asking_while_its_tab_is_hidden(live_server, page, settings):
    settings.PAGE_CACHE_ENABLED = True
    settings.LIVE_POLL_SECONDS = 0.5
    editor = make_editor(username="edith")
    live = rules.start(make_article(title="Nuit électorale"), by=editor)
    polls = []
    page.on("request", lambda r: polls.append(r.url) if "entrees.json" in r.url else None)
    page.goto(live_server.url + live.article.get_absolute_url())
    page.wait_for_timeout(2000)
    assert len(polls) >= 2

    page.evaluate(
        """() => {
            Object.defineProperty(document, "hidden", {value: true, configurable: true});
            document.dispatchEvent(new Event("visibilitychange"));
        }"""
    )
    page.wait_for_timeout(300)  # a request already on its way may land
    hidden_from = len(polls)
    page.wait_for_timeout(2500)
    assert len(polls) == hidden_from

    rules.post(live, by=editor, text="Premiers résultats.")
    page.evaluate(
        """() => {
            Object.defineProperty(document, "hidden", {value: false, configurable: true});
            document.dispatchEvent(new Event("visibilitychange"));
        }"""
    )
    # Back in view: it asks at once, and offers what arrived meanwhile.
    expect(page.locator(".live__new-button")).to_have_text("1 nouvelle entrée", timeout=5000)
    assert len(polls) > hidden_from
