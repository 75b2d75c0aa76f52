"""Form bodies in a charset other than UTF-8: a 400 with one log line, on any URL."""

import logging
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse

from newsletter.models import Subscriber
from tests.factories import make_article
from tests.newsletter.factories import signup_data

pytestmark = pytest.mark.django_db

UTF16_BODY = b"\xff\xfee\x00=\x00"


def hostile_client():
    """A client that sends a CSRF cookie and lets Django check it, as a browser would."""
    client = Client(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = "a" * 32
    return client


def post_in(
    client, url, charset, body=UTF16_BODY, content_type="application/x-www-form-urlencoded"
):
    return client.generic("POST", url, body, content_type=f"{content_type}; charset={charset}")


@pytest.mark.parametrize(
    "url",
    [
        "/newsletter/",
        "/admin/login/",
        "/",
        "/page-qui-n-existe-pas/",
        "/commentaires/articles/1/envoyer/",
    ],
)
def test_a_form_body_in_utf16_gets_a_400_in_french_on_any_url(url, caplog):
    caplog.set_level(logging.INFO)

    response = post_in(hostile_client(), url, "utf-16")

    assert response.status_code == 400
    assert "UTF-8" in response.content.decode()
    assert "Requête incorrecte" in response.content.decode()
    request_lines = [r for r in caplog.records if r.name.startswith("django")]
    assert len(request_lines) == 1, [r.getMessage() for r in request_lines]
    assert request_lines[0].exc_info is None
    assert "utf-16" in request_lines[0].getMessage()


@pytest.mark.parametrize("charset", ["utf-16", "UTF-16LE", "latin-1", "utf8", "shift_jis"])
def test_every_charset_but_utf8_is_refused_before_the_body_is_read(charset):
    body = b"email=lea%40exemple.fr"

    response = post_in(hostile_client(), "/newsletter/", charset, body=body)

    assert response.status_code == 400
    assert not Subscriber.objects.exists()


def test_a_multipart_body_in_another_charset_is_refused_too():
    response = post_in(
        hostile_client(),
        "/newsletter/",
        "utf-16",
        body=b'--x\r\nContent-Disposition: form-data; name="email"\r\n\r\na\r\n--x--\r\n',
        content_type="multipart/form-data; boundary=x",
    )

    assert response.status_code == 400
    assert "UTF-8" in response.content.decode()


def test_utf8_forms_and_unknown_charset_names_are_read_as_utf8(client):
    for n, charset in enumerate(["utf-8", "UTF-8", "pas-un-jeu-de-caracteres"]):
        data = signup_data(f"lea.{n}@exemple.fr")
        body = urlencode(data).encode()
        response = post_in(client, reverse("newsletter:subscribe"), charset, body=body)
        assert response.status_code == 302, charset
    assert Subscriber.objects.count() == 3


def test_other_bodies_with_a_charset_are_left_to_the_views(client):
    article = make_article()
    response = client.generic(
        "POST",
        reverse("comments:post", args=[article.pk]),
        b"{}",
        "application/json; charset=utf-16",
    )
    # Not a form: the comment view answers as for any post without fields.
    assert response.status_code == 400
    assert "Votre commentaire n" in response.content.decode()
