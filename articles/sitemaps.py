"""Sitemaps of every public page, and the Google News sitemap of the last two days."""

from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from .models import Article, AuthorProfile, Category, Page
from .tags import tag_url

NEWS_WINDOW = timedelta(days=2)
NEWS_LIMIT = 1000  # Google News reads at most this many URLs per sitemap.


def _latest_published(**filters):
    """Subquery: publication date of the newest published article matching `filters`."""
    return Subquery(
        Article.objects.published()
        .filter(**filters)
        .order_by("-published_at")
        .values("published_at")[:1]
    )


class SiteSitemap(Sitemap):
    """Locations start from SITE_URL, not from the host the sitemap was asked on."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class AnnotatedSitemap(SiteSitemap):
    """Items come annotated with their `lastmod`: the latest one is one aggregate away."""

    def lastmod(self, item):
        return item.lastmod

    def get_latest_lastmod(self):
        return self.items().aggregate(latest=Max("lastmod"))["latest"]


class ArticleSitemap(AnnotatedSitemap):
    changefreq = "daily"

    def items(self):
        return (
            Article.objects.published()
            .annotate(lastmod=Coalesce("revised_at", "published_at"))
            .only("slug", "published_at", "revised_at")
            .order_by("-published_at", "-pk")
        )


class CategorySitemap(AnnotatedSitemap):
    changefreq = "hourly"

    def items(self):
        return Category.objects.annotate(lastmod=_latest_published(category=OuterRef("pk")))


class TagSitemap(AnnotatedSitemap):
    changefreq = "daily"

    def items(self):
        return (
            Tag.objects.annotate(lastmod=_latest_published(tags=OuterRef("pk")))
            .filter(lastmod__isnull=False)
            # Slugs no address can hold (left by older code) have no page to list.
            .exclude(slug="")
            .exclude(slug__contains="/")
            .order_by("name")
        )

    def location(self, item):
        return tag_url(item)


class AuthorSitemap(AnnotatedSitemap):
    changefreq = "daily"

    def items(self):
        return (
            AuthorProfile.objects.annotate(lastmod=_latest_published(authors=OuterRef("pk")))
            .filter(lastmod__isnull=False)
            .order_by("display_name")
        )


class PageSitemap(SiteSitemap):
    """The home page and the standing pages ("Qui sommes-nous ?"…)."""

    changefreq = "weekly"

    def items(self):
        return ["home", *Page.objects.only("slug", "updated_at").order_by("slug")]

    def location(self, item):
        return reverse("articles:home") if item == "home" else item.get_absolute_url()

    def lastmod(self, item):
        if item == "home":
            return Article.objects.published().aggregate(latest=Max("published_at"))["latest"]
        return item.updated_at


SITEMAPS = {
    "articles": ArticleSitemap,
    "rubriques": CategorySitemap,
    "mots-cles": TagSitemap,
    "auteurs": AuthorSitemap,
    "pages": PageSitemap,
}


def news_articles():
    """Articles for the Google News sitemap: published in the last two days."""
    return (
        Article.objects.published()
        .filter(published_at__gte=timezone.now() - NEWS_WINDOW)
        .only("slug", "title", "published_at")
        .order_by("-published_at", "-pk")[:NEWS_LIMIT]
    )
