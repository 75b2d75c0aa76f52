from django.conf import settings
from django.contrib import admin
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from actualites.health import healthz
from actualites.http import allow
from photos.media import serve_media


@allow("GET")
def favicon(request):
    # Browsers ask for /favicon.ico on their own; the hashed static name is known at run time.
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


def moved_admin_page(app_label):
    return allow("GET")(
        RedirectView.as_view(url=f"/admin/{app_label}/%(rest)s", permanent=True, query_string=True)
    )


urlpatterns = [
    path("admin/double-authentification/", include("newsroom.urls")),
    path("admin/sauvegarde-auto/", include("autosave.urls")),
    # Bookmarks of the admin pages of the models that left articles/ for photos/ and newsroom/.
    re_path(r"^admin/articles/(?P<rest>(photo|bodyimage)/.*)$", moved_admin_page("photos")),
    re_path(r"^admin/articles/(?P<rest>securitypolicy/.*)$", moved_admin_page("newsroom")),
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
