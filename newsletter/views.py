from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from actualites.http import allow
from actualites.links import LinkError
from public_forms import guard
from public_forms.emails import email_key
from public_forms.guard import Refusal

from . import subscriptions
from .forms import GUARDED_FORM, PreferencesForm, SignupForm, form_token


def _signup_page(request, form=None, *, status=200):
    error = value = ""
    address_invalid = False
    if form is not None:
        # What the reader typed comes back, with the message about the email first. The
        # address is marked invalid only when it is at fault (not for a last step).
        value = form.data.get("email", "")
        address_invalid = "email" in form.errors
        messages = form.errors.get("email") or next(iter(form.errors.values()))
        error = messages[0]
    return render(
        request,
        "newsletter/signup.html",
        {
            "timestamp": form_token(),
            "source": form.data.get("source", "") if form is not None else request.path,
            "value": value,
            "error": error,
            "address_invalid": address_invalid,
        },
        status=status,
    )


@never_cache
@csrf_exempt
@allow("GET", "POST")
def subscribe(request):
    """Signup page (GET) and the target of every signup form (POST, no CSRF token)."""
    if request.method == "GET":
        return _signup_page(request)
    refusal = guard.check_request(
        request,
        scope="newsletter",
        limit=settings.NEWSLETTER_RATE_PER_IP,
        window=settings.NEWSLETTER_RATE_WINDOW,
    )
    if refusal == Refusal.CROSS_ORIGIN:
        return render(request, "newsletter/forbidden.html", status=403)
    if refusal == Refusal.RATE_LIMITED:
        return render(request, "newsletter/rate_limited.html", status=429)
    form = SignupForm(request.POST)
    if form.is_robot():
        # Robots get the same answer as people, and nothing is stored.
        return redirect("newsletter:thanks")
    if not form.is_valid():
        return _signup_page(request, form, status=400)
    email = form.cleaned_data["email"]
    if guard.over_limit(
        "newsletter-address",
        email_key(email),
        limit=settings.NEWSLETTER_RATE_PER_ADDRESS,
        window=settings.NEWSLETTER_RATE_WINDOW,
    ):
        return render(request, "newsletter/rate_limited.html", status=429)
    answer = subscriptions.signup(email=email, source=form.cleaned_data["source"] or request.path)
    if answer.retry_at is not None:
        # Nothing was sent this time: say so, and when to ask again, rather than let the
        # reader wait for an e-mail that is not coming.
        return _thanks_page(request, retry_at=answer.retry_at)
    return redirect("newsletter:thanks")


@allow("GET")
def token(request):
    """A token of the moment for the signup form of a cached page, asked for by
    static/js/form-token.js when the reader reaches the form. Never kept by any cache."""
    return guard.token_response(GUARDED_FORM)


@allow("GET")
def thanks(request):
    return _thanks_page(request)


def _thanks_page(request, *, retry_at=None):
    return render(
        request,
        "newsletter/thanks.html",
        {
            "retry_at": retry_at,
            "resend_minutes": settings.NEWSLETTER_CONFIRM_RESEND_INTERVAL // 60,
        },
    )


def _link_problem(request, error, *, status=400):
    return render(request, "newsletter/link_problem.html", {"reason": error.reason}, status=status)


@never_cache
@allow("GET", "POST")
def confirm(request, token):
    """GET shows a button; only the POST confirms (mail scanners follow links)."""
    try:
        subscriber = subscriptions.subscriber_from_confirm_token(token)
        if request.method == "POST":
            subscriptions.confirm(subscriber)
            return redirect("newsletter:confirmed")
    except LinkError as error:
        return _link_problem(request, error)
    return render(request, "newsletter/confirm.html", {"subscriber": subscriber})


@allow("GET")
def confirmed(request):
    return render(request, "newsletter/confirmed.html")


@never_cache
@csrf_exempt
@allow("GET", "POST")
def unsubscribe(request, token):
    """GET shows a button; POST (that button, or RFC 8058 one-click) unsubscribes, no redirect."""
    try:
        subscriber = subscriptions.subscriber_from_token(token, salt=subscriptions.UNSUBSCRIBE_SALT)
    except LinkError as error:
        return _link_problem(request, error)
    if request.method == "POST":
        subscriptions.unsubscribe(subscriber)
        # A mistaken click is undone from here: the signup form, address filled in, asks for a
        # new confirmation by e-mail (the same double opt-in as any signup).
        return render(
            request,
            "newsletter/unsubscribed.html",
            {"subscriber": subscriber, "timestamp": form_token(), "source": request.path},
        )
    return render(
        request,
        "newsletter/unsubscribe.html",
        {
            "subscriber": subscriber,
            "token": token,
            "preferences_token": subscriptions.preferences_token(subscriber),
        },
    )


@allow("GET")
def test_copy(request):
    """Where the personal links of a test copy lead: no subscriber is concerned."""
    return render(request, "newsletter/test_copy.html")


@never_cache
@allow("GET", "POST")
def preferences(request, token):
    try:
        subscriber = subscriptions.subscriber_from_token(token, salt=subscriptions.PREFERENCES_SALT)
    except LinkError as error:
        return _link_problem(request, error)
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            subscriptions.set_preferences(subscriber, categories=form.cleaned_data["categories"])
            return redirect(reverse("newsletter:preferences", args=[token]) + "?enregistre=1")
    else:
        form = PreferencesForm(initial={"categories": subscriber.categories.all()})
    return render(
        request,
        "newsletter/preferences.html",
        {
            "subscriber": subscriber,
            "form": form,
            "saved": request.GET.get("enregistre") == "1",
            "unsubscribe_token": subscriptions.unsubscribe_token(subscriber),
        },
    )
