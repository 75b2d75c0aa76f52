from django.http import HttpResponse

from actualites.http import allow

# 30 KB of fixed HTML, about the size of one of our article pages.
_PAGE = (
    "<!DOCTYPE html><html lang=fr><title>Plafond</title><body>"
    + "<p>"
    + "x" * 96
    + "</p>" * 296
    + "</body></html>"
).encode()


@allow("GET")
def ceiling(request):
    """The fastest page Django can serve here, through the same middleware as every page."""
    return HttpResponse(_PAGE)
