from django.urls import path

from . import views

app_name = "autosave"
urlpatterns = [
    path("session/", views.session, name="session"),
    path("articles/nouveau/", views.save, name="save-new"),
    path("articles/nouveau/ignorer/", views.discard, name="discard-new"),
    path("articles/<int:article_id>/", views.save, name="save"),
    path("articles/<int:article_id>/ignorer/", views.discard, name="discard"),
]
