import json

from django.core.management.base import BaseCommand
from django.urls import NoReverseMatch, reverse

from articles.models import Article, Category


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
        try:
            urls["search"] = reverse("articles:search") + "?q=budget+transport"
        except NoReverseMatch:
            pass
        self.stdout.write(json.dumps(urls))
