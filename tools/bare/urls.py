from django.http import HttpResponse
from django.urls import path

from .page import PAGE


def ceiling(request):
    return HttpResponse(PAGE)


urlpatterns = [
    path("bench/plafond/", ceiling),
    # `make bench` waits for the same address on both servers before loading them.
    path("healthz", lambda request: HttpResponse("ok", content_type="text/plain")),
]
