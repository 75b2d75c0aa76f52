from django.urls import path

from actualites.http import allow

from . import feeds, views, views_seo

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("rubrique/<slug:slug>/", views.category_detail, name="category"),
    path("mot-cle/<str:slug>/", views.tag_detail, name="tag"),
    path("auteur/<slug:slug>/", views.author_detail, name="author"),
    path("articles/<slug:slug>/", views.article_detail, name="detail"),
    path("apercu/<int:pk>/", views.article_preview, name="preview"),
    path("redaction/images/", views.editor_upload, name="editor-upload"),
    path("recherche/", views_seo.search, name="search"),
    path("flux/", allow("GET")(feeds.LatestArticlesFeed()), name="feed"),
    path("flux/atom/", allow("GET")(feeds.LatestArticlesAtomFeed()), name="feed-atom"),
    path("rubrique/<slug:slug>/flux/", allow("GET")(feeds.CategoryFeed()), name="category-feed"),
    path(
        "rubrique/<slug:slug>/flux/atom/",
        allow("GET")(feeds.CategoryAtomFeed()),
        name="category-feed-atom",
    ),
    path("robots.txt", views_seo.robots_txt, name="robots"),
    path("sitemap.xml", views_seo.sitemap_index, name="sitemap"),
    path("sitemap-news.xml", views_seo.news_sitemap, name="sitemap-news"),
    path("sitemap-<slug:section>.xml", views_seo.sitemap_section, name="sitemap-section"),
    # Standing pages such as /qui-sommes-nous/ come last: any other route wins.
    path("<slug:slug>/", views.page_detail, name="page"),
]
