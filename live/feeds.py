"""The entries of a live as an RSS feed, newest first."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.html import strip_tags
from django.utils.text import Truncator

from actualites.links import absolute_url

from .views import public_live

FEED_LENGTH = 50


class LiveFeed(Feed):
    feed_type = Rss201rev2Feed
    language = "fr"

    def get_object(self, request, pk):
        return public_live(pk)

    def title(self, live):
        return f"En direct — {live.article.title} — {settings.SITE_NAME}"

    def description(self, live):
        return live.article.standfirst

    def link(self, live):
        return absolute_url(live.article.get_absolute_url())

    def feed_url(self, live):
        return absolute_url(reverse("live:feed", args=[live.pk]))

    def items(self, live):
        entries = list(live.entries.published().for_stream().newest_first()[:FEED_LENGTH])
        for entry in entries:
            entry.live = live  # their links need the article: read once, not per entry
        return entries

    def item_title(self, item):
        # Text, escaped once by the XML writer (see articles.feeds).
        return item.title or Truncator(strip_tags(item.body)).words(12)

    def item_description(self, item):
        return item.body

    def item_link(self, item):
        return absolute_url(f"{item.live.article.get_absolute_url()}#entree-{item.pk}")

    def item_guid(self, item):
        return self.item_link(item)

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.corrected_at or item.published_at
