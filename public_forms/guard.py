"""The guard of the forms anyone may send, with no account and no CSRF token.

The comment form and the newsletter signup live in pages cached whole for every reader
(Django's page cache, Varnish, CDNs, browsers), so they cannot carry a CSRF token or anything
of the moment. Four checks stand in for it: a signed token saying which form this is and when
the reader reached it (a post sooner than a person can type is a robot's, an old one is
stale), a honeypot field, the Origin header, and a per-address rate limit.

A cached page holds no token: static/js/form-token.js asks token_response() for one when the
reader reaches the form; without JavaScript, the first post comes back once (Refusal.MISSING)
with a token of the moment and what was typed. Each form words its own French messages.
"""

import hashlib
import math
import time
from enum import StrEnum

from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest, JsonResponse
from django.utils.cache import add_never_cache_headers

from actualites.clientip import client_ip
from actualites.links import site_origin

SALT = "public_forms.token"
RATE_KEY = "public_forms:rate:{scope}:{digest}"


class Refusal(StrEnum):
    """Why the guard refuses a post; each form says it in its own words."""

    CROSS_ORIGIN = "cross_origin"  # sent from another site's page
    RATE_LIMITED = "rate_limited"  # too many posts from this address lately
    MISSING = "missing"  # no token: a cached page read without JavaScript
    EXPIRED = "expired"  # the form was reached too long ago
    INVALID = "invalid"  # not a token we signed for this form
    TOO_FAST = "too_fast"  # sent sooner after reaching the form than a person could


class HoneypotField(forms.CharField):
    """Hidden from people by the style sheet, filled in by naive robots: must stay empty."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Ne remplissez pas ce champ")
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"})
        )
        super().__init__(required=False, **kwargs)


def issue_token(form: str) -> str:
    """Signed proof of which form this is (e.g. "comment-42") and of when it was handed out."""
    return signing.dumps({"f": form, "t": math.floor(time.time() * 1000) / 1000}, salt=SALT)


def check_token(token: str, *, form: str, min_seconds: float, max_age: float) -> Refusal | None:
    """Why `token` is refused for `form`, or None when it is fine."""
    if not token:
        return Refusal.MISSING
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.SignatureExpired:
        return Refusal.EXPIRED
    except signing.BadSignature:
        return Refusal.INVALID
    try:
        issued_at = float(data["t"])
        same_form = data["f"] == form
    except (KeyError, TypeError, ValueError):
        return Refusal.INVALID
    if not same_form:
        return Refusal.INVALID
    if time.time() - issued_at < min_seconds:
        return Refusal.TOO_FAST
    return None


def token_response(form: str) -> JsonResponse:
    """A token of the moment for static/js/form-token.js: kept by no cache, no query."""
    response = JsonResponse({"token": issue_token(form)})
    add_never_cache_headers(response)
    return response


def same_origin(request: HttpRequest) -> bool:
    """The post comes from one of our pages (or its browser did not say where from)."""
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    allowed = {
        f"{request.scheme}://{request.get_host()}",
        site_origin(),
        *settings.CSRF_TRUSTED_ORIGINS,
    }
    return origin in allowed


def over_limit(scope: str, ident: str, *, limit: int, window: int) -> bool:
    """Count one more post for `ident` in `scope`; True once the window's limit is passed."""
    digest = hashlib.sha256(ident.encode()).hexdigest()[:32]
    key = RATE_KEY.format(scope=scope, digest=digest)
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # The window ended between add() and incr().
        cache.set(key, 1, timeout=window)
        count = 1
    return count > limit


def check_request(request: HttpRequest, *, scope: str, limit: int, window: int) -> Refusal | None:
    """Why a post is refused before its form is read: another site's page, or the
    `limit` posts per `window` seconds allowed to one address in `scope` are spent."""
    if not same_origin(request):
        return Refusal.CROSS_ORIGIN
    if over_limit(scope, client_ip(request) or "inconnue", limit=limit, window=window):
        return Refusal.RATE_LIMITED
    return None
