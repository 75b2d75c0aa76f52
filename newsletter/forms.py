from django import forms
from django.conf import settings

from articles.models import Category
from public_forms import guard
from public_forms.emails import normalize_email
from public_forms.guard import HoneypotField, Refusal

# The form a signup token is for (public_forms/guard.py).
GUARDED_FORM = "newsletter"
EXPIRED = "Le formulaire a expiré : vérifiez votre adresse et envoyez-le de nouveau."
INVALID_TOKEN = "Le formulaire n’a pas pu être vérifié : envoyez-le de nouveau."
TOO_FAST = "Vous êtes allé très vite : patientez un instant puis envoyez de nouveau."
# Without JavaScript, the form of a cached page has no token (static/js/form-token.js asks for
# one): the first post comes back once with a token of the moment, as a last check.
CONFIRM = (
    "Dernière étape avant l’inscription : vérifiez votre adresse ci-dessous puis envoyez le "
    "formulaire à nouveau. Cette vérification nous protège des robots."
)
TOKEN_MESSAGES = {
    Refusal.MISSING: CONFIRM,
    Refusal.EXPIRED: EXPIRED,
    Refusal.INVALID: INVALID_TOKEN,
    Refusal.TOO_FAST: TOO_FAST,
}


def form_token() -> str:
    """Signed proof that this is our signup form and of when the reader reached it."""
    return guard.issue_token(GUARDED_FORM)


class SignupForm(forms.Form):
    """The public signup form: no CSRF token, so the public-form guard stands in for it."""

    email = forms.CharField(
        label="Votre adresse e-mail",
        max_length=400,
        required=False,
        widget=forms.EmailInput(
            attrs={"autocomplete": "email", "placeholder": "prenom@exemple.fr"}
        ),
    )
    site_web = HoneypotField()
    horodatage = forms.CharField(required=False)
    source = forms.CharField(required=False, max_length=300)

    def is_robot(self) -> bool:
        return bool(self.data.get("site_web"))

    def clean_horodatage(self):
        token = self.cleaned_data["horodatage"]
        refusal = guard.check_token(
            token,
            form=GUARDED_FORM,
            min_seconds=settings.NEWSLETTER_FORM_MIN_AGE,
            max_age=settings.NEWSLETTER_FORM_MAX_AGE,
        )
        if refusal:
            raise forms.ValidationError(TOKEN_MESSAGES[refusal], code=refusal.value)
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
