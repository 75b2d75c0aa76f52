"""The admin page where staff enrol, check or remove their authenticator app."""

from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login

from . import twofactor
from .forms import TwoFactorCodeForm


def manage(request):
    """Enrol a device (no device yet), verify this session (device, not verified) or show it."""
    user = request.user
    device = twofactor.confirmed_device(user)
    form = TwoFactorCodeForm(request.POST or None)
    if device is None:
        device = twofactor.pending_device(user)
        mode = "enrol"
    elif not user.is_verified():
        mode = "verify"
    else:
        mode = "active"
        form = TwoFactorCodeForm()  # the removal form, posted to remove()
    if request.method == "POST" and mode != "active" and form.is_valid():
        try:
            if mode == "enrol":
                device = twofactor.confirm_enrolment(device, form.cleaned_data["code"])
            else:
                device = twofactor.verify_code(user, form.cleaned_data["code"])
        except twofactor.CodeRefused as refused:
            form.add_error("code", str(refused))
        else:
            otp_login(request, device)
            if mode == "enrol":
                messages.success(request, "La double authentification est activée.")
            return HttpResponseRedirect(_next_url(request))
    return _render(request, mode, device, form)


@require_POST
def remove(request):
    """Remove the person's device: a current code proves the session is still theirs."""
    user = request.user
    device = twofactor.confirmed_device(user)
    if device is None:
        return HttpResponseRedirect(reverse("twofactor:manage"))
    form = TwoFactorCodeForm(request.POST)
    if form.is_valid():
        try:
            twofactor.remove_device(user, form.cleaned_data["code"])
        except twofactor.CodeRefused as refused:
            form.add_error("code", str(refused))
        else:
            user.otp_device = None
            request.session.pop(DEVICE_ID_SESSION_KEY, None)
            messages.success(request, "La double authentification est désactivée.")
            return HttpResponseRedirect(reverse("twofactor:manage"))
    return _render(request, "active", device, form)


def _render(request, mode, device, form):
    context = {
        **admin.site.each_context(request),
        "title": "Double authentification",
        "mode": mode,
        "device": device,
        "form": form,
        "required": twofactor.is_required_for(request.user),
        "next": _next_url(request),
    }
    if mode == "enrol":
        context["secret"] = twofactor.secret_text(device)
        context["qr_code"] = twofactor.qr_code_data_url(device)
    return render(request, "admin/two_factor.html", context)


def _next_url(request):
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse("admin:index")
