from django.urls import path

from actualites.http import allow

from . import feeds, views

app_name = "live"

urlpatterns = [
    path("<int:pk>/entrees.json", views.poll, name="poll"),
    path("<int:pk>/flux/", allow("GET")(feeds.LiveFeed()), name="feed"),
]
