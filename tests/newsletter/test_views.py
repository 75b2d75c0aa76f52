import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Category
from newsletter import subscriptions
from newsletter.models import Subscriber
from tests.pages import assert_cacheable_and_csp_safe, readable

from .factories import make_subscriber, signup_data

pytestmark = pytest.mark.django_db

SUBSCRIBE = "/newsletter/"


def confirm_link(message):
    return re.search(r"http://[^/]+(/newsletter/confirmation/[^\s]+/)", message.body).group(1)


def test_every_page_has_the_signup_form_in_its_footer_without_csrf_token(client):
    response = client.get("/")

    html = response.content.decode()
    assert "Abonnez-vous à notre newsletter" in html
    assert f'action="{SUBSCRIBE}"' in html
    assert 'name="horodatage"' in html and 'name="site_web"' in html
    # No inline script or style, no CSRF token: only static/js/form-token.js, which asks
    # for the form's token (below).
    assert_cacheable_and_csp_safe(html)
    assert '<script src="/static/js/form-token.js" defer></script>' in html


# --- A form in cached pages (#18) ---------------------------------------------------------


def token_in(html):
    return re.search(r'name="horodatage" value="([^"]+)"', html).group(1)


def test_the_footer_form_of_a_kept_page_carries_no_token_but_where_to_ask_for_one(
    client, settings, time_machine
):
    settings.PAGE_CACHE_ENABLED = True
    time_machine.move_to(timezone.now(), tick=False)
    first = client.get("/")
    time_machine.shift(timedelta(minutes=2))
    kept = client.get("/")

    assert kept["X-Page-Cache"] == "hit"
    assert kept.content == first.content
    html = kept.content.decode()
    assert '<input type="hidden" name="horodatage" value="">' in html
    assert 'data-token-url="/newsletter/jeton/" data-token-field="horodatage"' in html


def test_the_signup_token_is_of_the_moment_kept_by_no_cache_and_reads_no_database(
    client, django_assert_num_queries, time_machine
):
    time_machine.move_to(timezone.now(), tick=False)
    with django_assert_num_queries(0):
        first = client.get(reverse("newsletter:token"))
    time_machine.shift(timedelta(seconds=1))
    second = client.get(reverse("newsletter:token"))

    assert first["Content-Type"] == "application/json"
    assert first.json()["token"] != second.json()["token"]
    assert "no-store" in first["Cache-Control"] and "private" in first["Cache-Control"]


def test_a_reader_of_a_page_kept_longer_than_a_form_lives_subscribes_with_a_fresh_token(
    client, settings, mailoutbox, time_machine
):
    settings.PAGE_CACHE_ENABLED = True
    settings.NEWSLETTER_FORM_MAX_AGE = 60  # shorter than the page is kept (PAGE_CACHE_SECONDS)
    time_machine.move_to(timezone.now(), tick=False)
    client.get("/")  # someone fills the cache
    time_machine.shift(timedelta(seconds=120))
    assert client.get("/")["X-Page-Cache"] == "hit"
    token = client.get(reverse("newsletter:token")).json()["token"]  # reaching the form

    time_machine.shift(timedelta(seconds=5))
    response = client.post(SUBSCRIBE, signup_data("lea@exemple.fr", horodatage=token))

    assert response["Location"] == reverse("newsletter:thanks")
    assert Subscriber.objects.get().email == "lea@exemple.fr"


def test_signing_up_at_once_after_fetching_the_token_is_still_too_fast(client, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    token = client.get(reverse("newsletter:token")).json()["token"]

    response = client.post(SUBSCRIBE, signup_data("lea@exemple.fr", horodatage=token))

    assert response.status_code == 400
    assert "patientez un instant" in response.content.decode()
    assert Subscriber.objects.count() == 0


def test_without_javascript_the_first_signup_asks_for_a_last_step_then_goes_through(
    client, mailoutbox, time_machine
):
    time_machine.move_to(timezone.now(), tick=False)
    first = client.post(SUBSCRIBE, signup_data(" Lea@Exemple.FR ", horodatage=""))

    assert first.status_code == 400
    html = first.content.decode()
    assert "Dernière étape avant l'inscription" in readable(html)
    assert 'value=" Lea@Exemple.FR "' in html
    assert 'aria-invalid="true"' not in html  # the address was fine
    assert Subscriber.objects.count() == 0

    too_fast = client.post(SUBSCRIBE, signup_data("Lea@Exemple.FR", horodatage=token_in(html)))
    assert "patientez un instant" in too_fast.content.decode()

    time_machine.shift(timedelta(seconds=5))
    sent = client.post(SUBSCRIBE, signup_data("Lea@Exemple.FR", horodatage=token_in(html)))
    assert sent["Location"] == reverse("newsletter:thanks")
    assert Subscriber.objects.get().email == "Lea@exemple.fr"
    assert len(mailoutbox) == 1


def test_without_javascript_a_wrong_address_is_told_first(client):
    response = client.post(SUBSCRIBE, signup_data("lea.exemple.fr", horodatage=""))

    html = response.content.decode()
    assert response.status_code == 400
    assert "n'est pas valide" in readable(html)
    assert 'aria-invalid="true"' in html
    assert 'value="lea.exemple.fr"' in html


def test_signup_redirects_to_thanks_and_mails_a_confirmation_link(client, mailoutbox):
    response = client.post(SUBSCRIBE, signup_data(" Lea@Exemple.FR ", source="/rubrique/sports/"))

    assert response.status_code == 302
    assert response["Location"] == reverse("newsletter:thanks")
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "Lea@exemple.fr"
    assert subscriber.status == Subscriber.Status.PENDING
    assert subscriber.consent_source == "/rubrique/sports/"
    assert mailoutbox[0].to == ["Lea@exemple.fr"]
    thanks = client.get(response["Location"])
    assert "Vérifiez votre boîte aux lettres" in thanks.content.decode()


@pytest.mark.parametrize("status", ["new", "pending", "confirmed", "unsubscribed"])
def test_the_answer_is_the_same_whatever_the_address(client, mailoutbox, status):
    if status != "new":
        make_subscriber(email="lea@exemple.fr", status=status)

    response = client.post(SUBSCRIBE, signup_data("lea@exemple.fr"))

    assert response.status_code == 302
    assert response["Location"] == reverse("newsletter:thanks")


@pytest.mark.parametrize("status", ["new", "pending", "confirmed", "unsubscribed"])
def test_asking_twice_gets_the_same_page_whatever_the_address(
    client, mailoutbox, time_machine, status
):
    time_machine.move_to("2025-08-15 10:00 +02:00", tick=False)
    make_subscriber(email="temoin@exemple.fr", status=Subscriber.Status.PENDING)
    if status != "new":
        make_subscriber(email="lea@exemple.fr", status=status)
    for email in ("temoin@exemple.fr", "lea@exemple.fr"):
        client.post(SUBSCRIBE, signup_data(email))
    time_machine.shift(timedelta(minutes=3))

    witness = client.post(SUBSCRIBE, signup_data("temoin@exemple.fr"))
    response = client.post(SUBSCRIBE, signup_data("lea@exemple.fr"))

    assert response.status_code == witness.status_code == 200
    assert response.content == witness.content
    assert "à partir de <time" in response.content.decode()


def test_resubscribing_just_after_unsubscribing_says_when_to_ask_again(
    client, mailoutbox, time_machine
):
    time_machine.move_to("2025-08-15 10:00 +02:00", tick=False)
    client.post(SUBSCRIBE, signup_data("lea@exemple.fr"))
    subscriber = Subscriber.objects.get()
    subscriptions.confirm(subscriber)
    time_machine.shift(timedelta(minutes=2))
    subscriptions.unsubscribe(subscriber)

    time_machine.shift(timedelta(minutes=1))
    response = client.post(SUBSCRIBE, signup_data("lea@exemple.fr"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "déjà demandé à s’abonner il y a quelques minutes" in html
    assert "vous pourrez en demander un nouveau à partir de" in html
    assert '<time datetime="2025-08-15T10:10:00+02:00">10h10</time>' in html
    assert len(mailoutbox) == 1

    time_machine.shift(timedelta(minutes=8))
    response = client.post(SUBSCRIBE, signup_data("lea@exemple.fr"))

    assert response.status_code == 302
    assert len(mailoutbox) == 2


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("a@localhost", "nom de domaine de l'adresse est incomplet"),
        ("a@[127.0.0.1]", "et non une adresse IP"),
        ('"a b"@exemple.fr', "guillemets ne sont pas acceptés"),
        ("a@exemple.fr\r\nBcc: x@exemple.fr", "retour à la ligne"),
        ("lea.exemple.fr", "n'est pas valide"),
        ("", "Saisissez votre adresse"),
    ],
)
def test_invalid_address_comes_back_with_a_message_and_what_was_typed(client, typed, message):
    response = client.post(SUBSCRIBE, signup_data(typed))

    assert response.status_code == 400
    html = response.content.decode()
    assert message in readable(html)
    typed_escaped = typed.replace('"', "&quot;").replace("\r", "\r").replace("\n", "\n")
    assert f'value="{typed_escaped}"' in html
    assert Subscriber.objects.count() == 0


def test_typed_value_is_never_rendered_as_html(client):
    response = client.post(SUBSCRIBE, signup_data('"><script>alert(1)</script>@exemple.fr'))

    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_honeypot_gets_the_same_answer_but_nothing_is_stored(client, mailoutbox):
    response = client.post(SUBSCRIBE, signup_data("robot@exemple.fr", site_web="http://spam"))

    assert response["Location"] == reverse("newsletter:thanks")
    assert Subscriber.objects.count() == 0
    assert mailoutbox == []


def test_a_form_sent_too_fast_is_refused_with_the_address_kept(client):
    response = client.post(SUBSCRIBE, signup_data("lea@exemple.fr", age=0))

    assert response.status_code == 400
    assert "patientez un instant" in response.content.decode()
    assert 'value="lea@exemple.fr"' in response.content.decode()
    assert Subscriber.objects.count() == 0


def test_a_form_older_than_a_day_is_refused(client, time_machine):
    time_machine.move_to("2025-08-15 10:00 +02:00", tick=False)
    data = signup_data("lea@exemple.fr")
    time_machine.shift(timedelta(days=1, minutes=1))

    response = client.post(SUBSCRIBE, data)

    assert response.status_code == 400
    assert "Le formulaire a expiré" in response.content.decode()


def test_a_forged_timestamp_is_refused(client):
    response = client.post(SUBSCRIBE, signup_data("lea@exemple.fr", horodatage="1:abc:def"))

    assert response.status_code == 400
    assert "n'a pas pu être vérifié" in readable(response.content.decode())


def test_a_post_from_another_site_is_refused(client):
    response = client.post(
        SUBSCRIBE, signup_data("lea@exemple.fr"), headers={"origin": "https://malveillant.example"}
    )

    assert response.status_code == 403
    assert Subscriber.objects.count() == 0


def test_a_post_from_this_site_is_accepted(client):
    response = client.post(
        SUBSCRIBE, signup_data("lea@exemple.fr"), headers={"origin": "http://testserver"}
    )

    assert response.status_code == 302


def test_too_many_signups_from_one_ip_get_a_friendly_429(client, settings):
    settings.NEWSLETTER_RATE_PER_IP = 3
    for n in range(3):
        assert client.post(SUBSCRIBE, signup_data(f"l{n}@exemple.fr")).status_code == 302

    response = client.post(SUBSCRIBE, signup_data("l9@exemple.fr"))

    assert response.status_code == 429
    assert "Trop de demandes" in response.content.decode()
    assert Subscriber.objects.count() == 3


def test_too_many_signups_for_one_address_get_a_429(client, settings):
    settings.NEWSLETTER_RATE_PER_ADDRESS = 2
    for n in range(2):
        client.post(SUBSCRIBE, signup_data("lea@exemple.fr"), REMOTE_ADDR=f"10.0.0.{n}")

    response = client.post(SUBSCRIBE, signup_data("LEA@exemple.fr"), REMOTE_ADDR="10.0.0.9")

    assert response.status_code == 429


def test_the_signup_page_has_its_own_form(client):
    response = client.get(SUBSCRIBE)

    assert response.status_code == 200
    assert 'id="newsletter-email-page"' in response.content.decode()
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_confirmation_link_shows_a_button_and_only_the_post_confirms(client, mailoutbox):
    client.post(SUBSCRIBE, signup_data("lea@exemple.fr"))
    link = confirm_link(mailoutbox[0])

    page = client.get(link)
    assert "Confirmer mon abonnement" in page.content.decode()
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING

    response = client.post(link)
    assert response["Location"] == reverse("newsletter:confirmed")
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    assert subscriber.confirmed_at is not None
    assert "Votre abonnement est confirmé" in client.get(response["Location"]).content.decode()


def test_confirming_twice_shows_a_clear_page(client, mailoutbox):
    client.post(SUBSCRIBE, signup_data("lea@exemple.fr"))
    link = confirm_link(mailoutbox[0])
    client.post(link)

    again = client.post(link)
    page = client.get(link)

    assert again.status_code == 302
    assert "déjà confirmé" in page.content.decode()


def test_an_expired_confirmation_link_shows_a_clear_page(client, mailoutbox, time_machine):
    time_machine.move_to("2025-08-15 10:00 +02:00", tick=False)
    client.post(SUBSCRIBE, signup_data("lea@exemple.fr"))
    link = confirm_link(mailoutbox[0])
    time_machine.shift(timedelta(days=4))

    for response in (client.get(link), client.post(link)):
        assert response.status_code == 400
        assert "Ce lien a expiré" in response.content.decode()
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING


@pytest.mark.parametrize("mangle", [lambda t: t[:-2] + "xx", lambda t: "abc", lambda t: t + ":x"])
def test_a_tampered_confirmation_link_shows_a_clear_page(client, mangle):
    subscriber = make_subscriber(status=Subscriber.Status.PENDING)
    token = mangle(subscriptions.confirm_token(subscriber))

    response = client.post(reverse("newsletter:confirm", args=[token]))

    assert response.status_code == 400
    assert "Ce lien n'est pas valable" in readable(response.content.decode())
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING


def test_unsubscribe_link_opened_changes_nothing(client):
    subscriber = make_subscriber()

    response = client.get(subscriptions.unsubscribe_url(subscriber))

    assert response.status_code == 200
    assert "Me désabonner" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED


def test_one_click_unsubscribe_without_cookies_answers_200_at_once():
    subscriber = make_subscriber()
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        subscriptions.unsubscribe_url(subscriber),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert "Vous êtes désabonné" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    assert subscriber.unsubscribed_at is not None


def test_after_unsubscribing_a_mistake_is_undone_with_a_confirmation_link(
    client, mailoutbox, time_machine
):
    time_machine.move_to("2025-08-15 10:00 +02:00", tick=False)
    subscriber = make_subscriber(email="lea@exemple.fr")

    page = client.post(subscriptions.unsubscribe_url(subscriber)).content.decode()

    assert "Vous êtes désabonné" in page
    assert "Vous vous êtes trompé&#8239;?" in page
    form = re.search(r'<form class="newsletter-form".*?</form>', page, re.S).group(0)
    fields = dict(re.findall(r'name="([a-z_]+)"[^>]*?value="([^"]*)"', form))
    assert fields["email"] == "lea@exemple.fr"
    assert not mailoutbox, "unsubscribing sends nothing"

    time_machine.shift(timedelta(seconds=10))  # the reader reads, then clicks
    client.post(SUBSCRIBE, fields)

    [sent] = mailoutbox
    assert sent.to == ["lea@exemple.fr"]
    assert "/newsletter/confirmation/" in sent.body
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING


def test_a_tampered_unsubscribe_link_unsubscribes_no_one(client):
    subscriber = make_subscriber()
    url = subscriptions.unsubscribe_url(subscriber)[:-3] + "xx/"

    response = client.post(url, "List-Unsubscribe=One-Click", content_type="text/plain")

    assert response.status_code == 400
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED


def test_preferences_choose_categories_from_the_personal_link(client):
    subscriber = make_subscriber()
    sports = Category.objects.get(slug="sports")
    url = subscriptions.preferences_url(subscriber)

    page = client.get(url)
    assert "Ne cochez rien pour recevoir toutes les rubriques" in page.content.decode()
    response = client.post(url, {"categories": [sports.pk]})

    assert response.status_code == 302
    assert list(subscriber.categories.all()) == [sports]
    assert "Vos préférences sont enregistrées" in client.get(response["Location"]).content.decode()


def test_preferences_link_of_someone_else_cannot_be_forged(client):
    subscriber = make_subscriber()
    forged = subscriptions.unsubscribe_token(subscriber)  # right secret, wrong purpose

    response = client.get(reverse("newsletter:preferences", args=[forged]))

    assert response.status_code == 400
