from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm

from . import twofactor


def code_field(**kwargs):
    return forms.CharField(
        label="Code de vérification",
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "size": 8}
        ),
        **kwargs,
    )


class TwoFactorLoginForm(AdminAuthenticationForm):
    """The admin login, plus the authenticator app's code for accounts that have one."""

    otp_token = code_field(
        required=False,
        help_text="Seulement si vous avez activé la double authentification.",
    )

    def clean(self):
        cleaned_data = super().clean()
        user = self.get_user()
        if user is not None and twofactor.confirmed_device(user) is not None:
            try:
                # django-otp marks the session as verified when Django logs this user in.
                user.otp_device = twofactor.verify_code(user, cleaned_data.get("otp_token"))
            except twofactor.CodeRefused as refused:
                twofactor.record_failed_login(self.request, cleaned_data.get("username"))
                raise forms.ValidationError(str(refused), code="otp") from None
        return cleaned_data


class TwoFactorCodeForm(forms.Form):
    code = code_field(
        error_messages={"required": "Saisissez le code à six chiffres affiché par l’application."}
    )
