from django.conf import settings
from django.contrib import admin
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path, re_path

from actualites.health import healthz
from actualites.http import allow
from articles.media import serve_media


@allow("GET")
def favicon(request):
    # Browsers ask for /favicon.ico on their own; the hashed static name is known at run time.
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


urlpatterns = [
    path("admin/double-authentification/", include("articles.urls_twofactor")),
    path("admin/sauvegarde-auto/", include("autosave.urls")),
    path("admin/", admin.site.urls),
    path("favicon.ico", favicon),
    path("healthz", healthz, name="healthz"),
    path("commentaires/", include("comments.urls")),
    path("newsletter/", include("newsletter.urls")),
    path("api/", include("api.urls")),
    path("direct/", include("live.urls")),
    path("lu/", include("mostread.urls")),
    path("", include("articles.urls")),
]

if settings.BENCH_CEILING and settings.DEV_TOOLS:
    urlpatterns.append(path("", include("tools.urls")))

if settings.SERVE_MEDIA:
    urlpatterns.append(
        re_path(r"^media/(?P<path>.+)$", serve_media, name="media"),
    )
