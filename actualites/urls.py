from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from articles.media import serve_media

admin.site.site_header = "Actualités Express — rédaction"
admin.site.site_title = "Actualités Express"
admin.site.index_title = "Tableau de bord"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("newsletter/", include("newsletter.urls")),
    path("", include("articles.urls")),
]

if settings.SERVE_MEDIA:
    urlpatterns.append(
        re_path(r"^media/(?P<path>.+)$", serve_media, name="media"),
    )
