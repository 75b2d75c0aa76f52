"""The address a reader types (public_forms/emails.py)."""

import pytest
from django.core.exceptions import ValidationError

from public_forms.emails import email_key, normalize_email


def test_domain_is_lower_cased_and_local_part_kept():
    assert normalize_email("  Jean.Dupont@Exemple.FR ") == "Jean.Dupont@exemple.fr"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("a@localhost", "nom de domaine de l’adresse est incomplet"),
        ("a@[127.0.0.1]", "et non une adresse IP"),
        ('"jean dupont"@exemple.fr', "guillemets ne sont pas acceptés"),
        ("a@exemple.fr\r\nBcc: cible@exemple.fr", "retour à la ligne"),
        ("a@exemple.fr\n", "retour à la ligne"),
        ("", "Saisissez votre adresse"),
        ("pas-une-adresse", "n’est pas valide"),
        ("a@exemple..fr", "n’est pas valide"),
    ],
)
def test_invalid_addresses_are_refused_with_a_french_message(raw, message):
    with pytest.raises(ValidationError) as caught:
        normalize_email(raw)
    assert message in caught.value.messages[0]


def test_the_key_is_the_same_whatever_the_capitals():
    assert email_key("Jean.Dupont@exemple.fr") == email_key("jean.dupont@EXEMPLE.FR")
