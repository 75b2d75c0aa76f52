import time

from django import forms
from django.conf import settings
from django.core import signing

from articles.models import Category
from public_forms.emails import normalize_email

TIMESTAMP_SALT = "newsletter.form"


def new_timestamp() -> str:
    """A signed "form shown at" time: too young or too old a form is refused."""
    return signing.TimestampSigner(salt=TIMESTAMP_SALT).sign(str(int(time.time())))


class SignupForm(forms.Form):
    """The public signup form: no CSRF token, so the signed timestamp and honeypot guard it."""

    email = forms.CharField(
        label="Votre adresse e-mail",
        max_length=400,
        required=False,
        widget=forms.EmailInput(
            attrs={"autocomplete": "email", "placeholder": "prenom@exemple.fr"}
        ),
    )
    # Honeypot: hidden by CSS, left empty by people, filled in by naive robots.
    site_web = forms.CharField(required=False)
    horodatage = forms.CharField(required=False)
    source = forms.CharField(required=False, max_length=300)

    def is_robot(self) -> bool:
        return bool(self.data.get("site_web"))

    def clean_horodatage(self):
        token = self.cleaned_data["horodatage"]
        try:
            signed_at = int(
                signing.TimestampSigner(salt=TIMESTAMP_SALT).unsign(
                    token, max_age=settings.NEWSLETTER_FORM_MAX_AGE
                )
            )
        except signing.SignatureExpired:
            raise forms.ValidationError(
                "Le formulaire a expiré : vérifiez votre adresse et envoyez-le de nouveau."
            ) from None
        except (signing.BadSignature, ValueError):
            raise forms.ValidationError(
                "Le formulaire n'a pas pu être vérifié : envoyez-le de nouveau."
            ) from None
        if time.time() - signed_at < settings.NEWSLETTER_FORM_MIN_AGE:
            raise forms.ValidationError(
                "Vous êtes allé très vite : patientez un instant puis envoyez de nouveau."
            )
        return token

    def clean_email(self):
        return normalize_email(self.cleaned_data["email"])

    def clean_source(self):
        source = self.cleaned_data["source"]
        # Only a path of this site is recorded as the consent page.
        return source if source.startswith("/") and not source.startswith("//") else ""


class CategoriesField(forms.ModelMultipleChoiceField):
    """Category choices; an id too big for the database is refused, not looked up."""

    def clean(self, value):
        # SQLite raises OverflowError on integers past 64 bits instead of finding nothing.
        for pk in value or ():
            try:
                too_big = abs(int(pk)) >= 2**63
            except (TypeError, ValueError):
                continue  # Refused by the parent class with its own message.
            if too_big:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super().clean(value)


class PreferencesForm(forms.Form):
    categories = CategoriesField(
        label="Rubriques reçues",
        queryset=Category.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Ne cochez rien pour recevoir toutes les rubriques.",
    )
