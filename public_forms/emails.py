"""The e-mail address a reader types in a public form (newsletter signup, comment)."""

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator

# An empty allowlist: "a@localhost" is not an address we can write to from the Internet.
_validator = EmailValidator(allowlist=[])


def normalize_email(raw: str) -> str:
    """The address to write to, domain in lower case and the rest as typed, or a
    ValidationError with a French message."""
    if "\r" in raw or "\n" in raw:
        raise ValidationError("L’adresse ne peut pas contenir de retour à la ligne.")
    value = raw.strip()
    if not value:
        raise ValidationError("Saisissez votre adresse e-mail.")
    if len(value) > 254:
        raise ValidationError("Cette adresse est trop longue (254 caractères au plus).")
    local, at, domain = value.rpartition("@")
    if at and local.startswith('"'):
        raise ValidationError("Les guillemets ne sont pas acceptés dans l’adresse.")
    if at and domain.startswith("["):
        raise ValidationError(
            "Indiquez un nom de domaine (par exemple exemple.fr) et non une adresse IP."
        )
    if at and local and domain and "." not in domain:
        raise ValidationError(
            "Le nom de domaine de l’adresse est incomplet (par exemple exemple.fr)."
        )
    try:
        _validator(value)
    except ValidationError:
        raise ValidationError(
            "Cette adresse e-mail n’est pas valide. Exemple : prenom.nom@exemple.fr"
        ) from None
    return f"{local}@{domain.lower()}"


def email_key(email: str) -> str:
    """Who the address is, whatever its capitals: the newsletter's unique key, and what a
    comment stores to recognise a reader who has already been published."""
    return email.lower()
