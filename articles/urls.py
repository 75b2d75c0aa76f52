from django.urls import path

from . import views

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("rubrique/<slug:slug>/", views.category_detail, name="category"),
    path("mot-cle/<str:slug>/", views.tag_detail, name="tag"),
    path("auteur/<slug:slug>/", views.author_detail, name="author"),
    path("articles/<slug:slug>/", views.article_detail, name="detail"),
    path("apercu/<int:pk>/", views.article_preview, name="preview"),
    path("redaction/images/", views.editor_upload, name="editor-upload"),
    # Standing pages such as /qui-sommes-nous/ come last: any other route wins.
    path("<slug:slug>/", views.page_detail, name="page"),
]
