"""The site's addresses as e-mails, feeds, the API and metadata write them (actualites/links.py)."""

import pytest

from actualites.links import LinkError, absolute_url, site_origin


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/politique/budget/", "https://www.exemple.fr/politique/budget/"),
        ("//cdn.exemple.fr/photo.jpg", "https://cdn.exemple.fr/photo.jpg"),
        ("https://medias.exemple.net/photo.jpg", "https://medias.exemple.net/photo.jpg"),
    ],
)
def test_addresses_start_from_site_url_unless_they_name_their_host(settings, url, expected):
    settings.SITE_URL = "https://www.exemple.fr"

    assert absolute_url(url) == expected


def test_the_site_origin_is_what_a_browser_sends_in_origin(settings):
    settings.SITE_URL = "https://www.exemple.fr:8443/sous-dossier"

    assert site_origin() == "https://www.exemple.fr:8443"


def test_a_link_error_carries_its_reason_and_its_french_message():
    error = LinkError("expired", "Ce lien a expiré.")

    assert (error.reason, error.message, str(error)) == (
        "expired",
        "Ce lien a expiré.",
        "Ce lien a expiré.",
    )
    assert str(LinkError("invalid")) == "invalid"
