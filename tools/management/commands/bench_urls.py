import json
from urllib.parse import quote

from django.core.management.base import BaseCommand
from django.urls import NoReverseMatch, reverse

from api import cursors
from api.listing import published_articles
from articles.models import Article, Category
from mostread.views import read_token

API_PAGE_SIZE = 20  # the API's default limit


class Command(BaseCommand):
    help = "Affiche en JSON les adresses mesurées par `manage.py bench`."

    def handle(self, *args, **options):
        hot = Article.objects.published().order_by("-published_at").first()
        category = Category.objects.get(slug="politique")
        urls = {
            "ceiling": "/bench/plafond/",
            "home": reverse("articles:home"),
            "article": hot.get_absolute_url(),
            "category": category.get_absolute_url(),
            "category_page_50": category.get_absolute_url() + "?page=50",
        }
        # The API: the newest articles, the hot article, and page 50 reached by its cursor.
        # (On a smaller archive: the page after its last article, empty.)
        first_49_pages = published_articles().values_list("published_at", "pk")[
            : 49 * API_PAGE_SIZE
        ]
        at, pk = list(first_49_pages)[-1]
        position = [(at - cursors.EPOCH) // cursors.MICROSECOND, pk]
        urls["api_articles"] = "/api/v1/articles/"
        urls["api_article"] = f"/api/v1/articles/{hot.slug}/"
        urls["api_articles_page_50"] = (
            f"/api/v1/articles/?cursor={quote(cursors.make('articles', position))}"
        )
        # « Les plus lus »: the beacon the hot article's script sends.
        urls["read_beacon"] = reverse("mostread:read", args=[read_token(hot.pk)])
        try:
            urls["search"] = reverse("articles:search") + "?q=budget+transport"
        except NoReverseMatch:
            pass
        self.stdout.write(json.dumps(urls))
