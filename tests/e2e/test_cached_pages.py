import pytest

from comments import moderation
from comments.models import Comment
from newsletter.models import Subscriber
from tests.factories import make_article

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("caches_on"),
]


def test_a_new_visitor_comments_and_subscribes_from_pages_served_by_the_cache(
    live_server, browser, page, screenshot, settings, mailoutbox
):
    # A person takes a few seconds to type; the robot checks would make this test wait.
    settings.COMMENTS_MIN_SECONDS = 0
    settings.NEWSLETTER_FORM_MIN_AGE = 0
    article = make_article(title="Le budget adopté de justesse")
    url = live_server.url + article.get_absolute_url()

    def someone_else_reads(address):
        other = browser.new_context(locale="fr-FR").new_page()
        other.goto(address)
        other.context.close()

    # Someone else read the page first: the new visitor gets the cached copy.
    someone_else_reads(url)
    response = page.goto(url)
    assert response.headers.get("x-page-cache") == "hit"
    assert not page.context.cookies()

    page.fill("#id_name", "Nadia Lectrice")
    page.fill("#id_email", "nadia@example.org")
    page.fill("#id_text", "Un vote serré, merci pour le détail des amendements.")
    page.click("text=Envoyer mon commentaire")
    page.wait_for_url("**/?commentaire=en-attente#commentaires")
    assert "en attente de modération" in page.locator(".comments__feedback").inner_text()

    moderation.approve(Comment.objects.get(article=article))
    page.goto(url)
    page.reload()  # the browser keeps its own copy for a minute (max-age): the reader reloads
    assert "Un vote serré" in page.locator(".comment-list").inner_text()
    assert page.locator(".comments__count").inner_text() == "1 commentaire"

    someone_else_reads(live_server.url + "/")
    assert page.goto(live_server.url + "/").headers.get("x-page-cache") == "hit"
    footer = page.locator(".site-footer")
    footer.get_by_label("Votre adresse e-mail").fill("nadia@example.org")
    footer.get_by_role("button", name="S’abonner").click()
    page.wait_for_url("**/newsletter/merci/")
    screenshot("cached-pages-subscribed")
    assert Subscriber.objects.filter(email="nadia@example.org").exists()
    assert len(mailoutbox) == 1


def test_a_reader_of_a_cached_page_gets_a_token_when_starting_to_write(
    live_server, browser, page, settings
):
    """« Trop rapide » counts from when this reader reached the form, not from when the page
    was cached (static/js/form-token.js)."""
    settings.COMMENTS_MIN_SECONDS = 3
    article = make_article(title="Le port de Brest rouvert")
    url = live_server.url + article.get_absolute_url()
    other = browser.new_context(locale="fr-FR").new_page()
    other.goto(url)  # someone else fills the cache
    other.context.close()

    assert page.goto(url).headers.get("x-page-cache") == "hit"
    assert page.input_value("#id_token") == ""
    with page.expect_response("**/jeton/") as asked:
        page.click("#id_name")
    assert asked.value.status == 200
    page.wait_for_function("document.querySelector('#id_token').value !== ''")

    page.fill("#id_name", "Yann Lecteur")
    page.fill("#id_email", "yann@example.org")
    page.fill("#id_text", "Enfin une bonne nouvelle pour les pêcheurs.")
    page.click("text=Envoyer mon commentaire")
    page.wait_for_load_state()
    assert "un peu vite" in page.locator(".comment-form__errors").inner_text()
    assert page.input_value("#id_text") == "Enfin une bonne nouvelle pour les pêcheurs."

    page.wait_for_timeout(3200)
    page.click("text=Envoyer mon commentaire")
    page.wait_for_url("**/?commentaire=en-attente#commentaires")
    assert (
        Comment.objects.get(article=article).text == "Enfin une bonne nouvelle pour les pêcheurs."
    )


def _someone_else_reads(browser, url):
    other = browser.new_context(locale="fr-FR").new_page()
    other.goto(url)
    other.context.close()


def test_a_reader_subscribes_from_a_page_kept_longer_than_a_signup_form_lives(
    live_server, browser, page, settings, screenshot
):
    """The footer form of a page kept past NEWSLETTER_FORM_MAX_AGE still works: its token is
    asked for when the reader reaches it (static/js/form-token.js), and « trop rapide » counts
    from then, not from when the page was kept (#18)."""
    settings.NEWSLETTER_FORM_MAX_AGE = 4
    settings.NEWSLETTER_FORM_MIN_AGE = 2
    make_article(title="La marée la plus haute du siècle")
    url = live_server.url + "/"
    _someone_else_reads(browser, url)
    page.wait_for_timeout(4500)  # the kept page is now older than a form may be

    assert page.goto(url).headers.get("x-page-cache") == "hit"
    footer = page.locator(".site-footer")
    address = footer.get_by_label("Votre adresse e-mail")
    assert footer.locator('input[name="horodatage"]').input_value() == ""
    with page.expect_response("**/newsletter/jeton/") as asked:
        address.click()
    assert asked.value.status == 200
    page.wait_for_function(
        "document.querySelector('.site-footer input[name=\"horodatage\"]').value !== ''"
    )
    address.fill("yann@example.org")
    footer.get_by_role("button", name="S’abonner").click()
    page.wait_for_load_state()
    assert "patientez un instant" in page.locator(".newsletter-form__error").inner_text()
    assert page.input_value("#newsletter-email-page") == "yann@example.org"
    assert not Subscriber.objects.exists()

    page.wait_for_timeout(2200)
    page.get_by_role("button", name="S’abonner").click()
    page.wait_for_url("**/newsletter/merci/")
    screenshot("cached-page-subscribed-after-the-form-window")
    assert Subscriber.objects.get().email == "yann@example.org"


def test_without_javascript_a_reader_of_a_kept_page_subscribes_after_a_last_step(
    live_server, browser, settings
):
    settings.NEWSLETTER_FORM_MIN_AGE = 1
    make_article(title="Le festival rouvre ses portes")
    url = live_server.url + "/"
    _someone_else_reads(browser, url)
    context = browser.new_context(locale="fr-FR", java_script_enabled=False)
    reader = context.new_page()
    try:
        assert reader.goto(url).headers.get("x-page-cache") == "hit"
        footer = reader.locator(".site-footer")
        footer.get_by_label("Votre adresse e-mail").fill("lina@example.org")
        footer.get_by_role("button", name="S’abonner").click()
        reader.wait_for_load_state()

        message = reader.locator(".newsletter-form__error").inner_text()
        assert "Dernière étape avant l’inscription" in message
        assert reader.input_value("#newsletter-email-page") == "lina@example.org"
        assert not Subscriber.objects.exists()

        reader.wait_for_timeout(1200)
        reader.get_by_role("button", name="S’abonner").click()
        reader.wait_for_url("**/newsletter/merci/")
        assert Subscriber.objects.get().email == "lina@example.org"
    finally:
        context.close()
