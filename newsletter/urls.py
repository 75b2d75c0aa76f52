from django.urls import path

from . import views

app_name = "newsletter"

urlpatterns = [
    path("", views.subscribe, name="subscribe"),
    path("jeton/", views.token, name="token"),
    path("merci/", views.thanks, name="thanks"),
    path("confirmation/<str:token>/", views.confirm, name="confirm"),
    path("confirmee/", views.confirmed, name="confirmed"),
    path("desabonnement/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("preferences/<str:token>/", views.preferences, name="preferences"),
    path("exemplaire-de-test/", views.test_copy, name="test-copy"),
]
