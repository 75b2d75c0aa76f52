"""Two-factor authentication (TOTP) for the admin: who must use it, enrolment, checking codes."""

from base64 import b32encode
from urllib.parse import urlencode

import segno
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import SecurityPolicy
from .roles import EDITORS, JOURNALISTS

DEVICE_NAME = "Application d’authentification"
MISSING_CODE = (
    "Ce compte est protégé par la double authentification : saisissez aussi le code de "
    "vérification à six chiffres affiché par votre application."
)
WRONG_CODE = (
    "Code de vérification incorrect ou expiré : saisissez le code affiché en ce moment "
    "par votre application (chaque code ne sert qu’une fois)."
)
THROTTLED = "Trop de codes erronés d’affilée : patientez quelques secondes avant de réessayer."
NO_DEVICE = "Aucune application d’authentification n’est enregistrée pour ce compte."


class CodeRefused(Exception):
    """The code does not prove the person holds the device; the message is for them."""


def is_required_for(user: AbstractUser) -> bool:
    """Whether the administrators' policy makes two-factor authentication compulsory for user."""
    policy = SecurityPolicy.current()
    groups = []
    if policy.require_two_factor_for_editors:
        groups.append(EDITORS)
    if policy.require_two_factor_for_journalists:
        groups.append(JOURNALISTS)
    return bool(groups) and user.groups.filter(name__in=groups).exists()


def confirmed_device(user: AbstractUser) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("pk").first()


def pending_device(user: AbstractUser) -> TOTPDevice:
    """The device being enrolled (not usable until confirmed), with a new secret the first time."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def confirm_enrolment(device: TOTPDevice, code: str) -> TOTPDevice:
    """Activate device once a first code shows the app was set up with its secret."""
    device = _check(device, code)
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return device


def verify_code(user: AbstractUser, code: str) -> TOTPDevice:
    """The user's device that accepts code; raises CodeRefused otherwise."""
    device = confirmed_device(user)
    if device is None:
        raise CodeRefused(NO_DEVICE)
    return _check(device, code)


def remove_device(user: AbstractUser, code: str) -> None:
    """Remove the user's devices, once a current code proves this is really them."""
    verify_code(user, code)
    TOTPDevice.objects.devices_for_user(user, confirmed=None).delete()


def record_failed_login(request: HttpRequest, username: str) -> None:
    """Count a refused code like a wrong password, so django-axes locks guessing out."""
    user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)


def secret_text(device: TOTPDevice) -> str:
    """The secret as authenticator apps expect it typed: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_data_url(device: TOTPDevice) -> str:
    """The otpauth:// address as an SVG QR code, for an <img> (the admin CSP allows data:)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


def _check(device: TOTPDevice, code: str) -> TOTPDevice:
    code = "".join((code or "").split())
    if not code:
        raise CodeRefused(MISSING_CODE)
    # Errors leave the transaction first: django-otp's count of wrong codes (its throttling,
    # which slows guessing down) must be committed, not rolled back with them.
    error = None
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if not device.verify_is_allowed()[0]:
            error = THROTTLED
        elif not device.verify_token(code):
            error = WRONG_CODE
    if error:
        raise CodeRefused(error)
    return device


class TwoFactorRequiredMiddleware:
    """Staff with a device, or whom the policy obliges, reach staff pages only once verified."""

    # Staff pages outside /admin/ that deserve the same protection.
    STAFF_VIEWS = {"articles:preview", "articles:editor-upload"}
    # What an unverified person still needs (the two-factor pages have their own namespace).
    OPEN_VIEWS = {"admin:login", "admin:logout", "admin:jsi18n"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Public pages are decided on the URL alone: no session is touched for readers.
        match = request.resolver_match
        if match is None or match.view_name in self.OPEN_VIEWS:
            return None
        if match.namespace != "admin" and match.view_name not in self.STAFF_VIEWS:
            return None
        user = request.user
        if not (user.is_active and user.is_staff) or user.is_verified():
            return None
        if confirmed_device(user) is None and not is_required_for(user):
            return None
        query = urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(f"{reverse('twofactor:manage')}?{query}")
