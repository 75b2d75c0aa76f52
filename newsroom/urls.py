"""The two-factor pages, served under /admin/ behind the admin's own login check."""

from django.contrib import admin
from django.urls import path

from . import views

app_name = "twofactor"

urlpatterns = [
    path("", admin.site.admin_view(views.manage), name="manage"),
    path("supprimer/", admin.site.admin_view(views.remove), name="remove"),
]
