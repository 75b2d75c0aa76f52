from django.urls import path, re_path

from actualites.http import allow

from .endpoints import api
from .middleware import READ, not_found

ninja_urls = api.urls
for pattern in ninja_urls[0]:
    # ReadOnlyApiMiddleware answers other methods first; declared like every public view's.
    pattern.callback.allowed_methods = READ

refuse = allow("GET")(not_found)

urlpatterns = [
    # The root of the API names nothing (django-ninja would answer with the site's 404 page).
    path("v1/", refuse),
    path("v1/", ninja_urls),
    # Anything else under /api/ answers in JSON too, never with the site's HTML 404 page.
    re_path(r"^.*$", refuse),
]
