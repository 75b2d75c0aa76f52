from django.conf import settings
from django.core import signing
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt

from actualites.http import allow
from public_forms.guard import same_origin

from . import counters

SALT = "mostread.read"


def read_token(article_id: int) -> str:
    """What an article page puts in its beacon's address: only real articles get counted."""
    return signing.Signer(salt=SALT).sign(str(article_id))


# The beacon our static script sends once an article page is shown (navigator.sendBeacon):
# no cookie set, no address kept, nothing read from the database. Pages cached anywhere
# (here, in Varnish or a CDN) are counted alike, since the reader's browser sends it.
@csrf_exempt
@allow("POST")
def read(request, token):
    try:
        article_id = int(signing.Signer(salt=SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        return _no_content(status=400)
    if _is_reader(request):
        counters.count_read(article_id)
    return _no_content()


def _is_reader(request) -> bool:
    """A reader's browser on our own pages: not a bot, not the newsroom, not another site."""
    if counters.is_bot(request.headers.get("User-Agent", "")):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    if request.headers.get("Sec-Fetch-Site", "same-origin") != "same-origin":
        return False
    # The public forms' rule: our pages' origins, trusted origins included.
    return same_origin(request)


def _no_content(status=204):
    response = HttpResponse(status=status)
    response["Cache-Control"] = "no-store"
    return response
