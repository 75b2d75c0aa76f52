import re

import pytest

from newsletter.models import Subscriber

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_reader_subscribes_in_the_footer_and_confirms_from_the_email(
    live_server, page, screenshot, settings, mailoutbox
):
    # A person takes a few seconds to type; the robot check would make this test wait.
    settings.NEWSLETTER_FORM_MIN_AGE = 0

    page.goto(live_server.url + "/")
    footer = page.locator(".site-footer")
    footer.get_by_label("Votre adresse e-mail").fill("Lea.Martin@Exemple.fr")
    footer.get_by_role("button", name="S’abonner").click()

    page.wait_for_url("**/newsletter/merci/")
    assert "Vérifiez votre boîte aux lettres" in page.locator("h1").inner_text()
    assert len(mailoutbox) == 1
    path = re.search(r"https?://[^/\s]+(/newsletter/confirmation/\S+/)", mailoutbox[0].body)[1]

    page.goto(live_server.url + path)
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING
    page.get_by_role("button", name="Confirmer mon abonnement").click()

    page.wait_for_url("**/newsletter/confirmee/")
    assert "Votre abonnement est confirmé" in page.locator("h1").inner_text()
    screenshot("newsletter-confirmed")
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    assert subscriber.email == "Lea.Martin@exemple.fr"
    assert subscriber.consent_source == "/"
