from django.urls import path

from . import views

app_name = "comments"

urlpatterns = [
    path("articles/<int:article_id>/envoyer/", views.post_comment, name="post"),
    path("articles/<int:article_id>/jeton/", views.form_token, name="token"),
    path("<int:comment_id>/repondre/", views.reply, name="reply"),
    path("moderer/<str:token>/", views.moderate_from_email, name="moderate"),
]
