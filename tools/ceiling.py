from django.http import HttpResponse

from actualites.http import allow
from tools.bare.page import PAGE


@allow("GET")
def ceiling(request):
    """The bare ceiling's page, served through every middleware of the site (the in-stack
    reference of `make bench`; the bare ceiling itself is the project in tools/bare)."""
    return HttpResponse(PAGE)
