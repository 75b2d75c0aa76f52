from django.urls import path

from . import views

app_name = "mostread"

urlpatterns = [
    path("<str:token>/", views.read, name="read"),
]
