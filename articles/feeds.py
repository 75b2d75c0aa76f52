"""RSS and Atom feeds of the latest articles, for the whole site and for each category.

Each item carries its hero photo twice: as the standard enclosure (which most readers
show) and as a Media RSS <media:content> with the photographer's <media:credit>.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.files.storage import default_storage
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.html import format_html

from actualites.links import absolute_url
from edge.keys import shows, shows_names

from .models import Article, Category
from .seo import modified_at, share_image

FEED_LENGTH = 20
MEDIA_NAMESPACE = "http://search.yahoo.com/mrss/"
# Big enough for any reader, small enough to download quickly.
ENCLOSURE_WIDTH = 1200


def _add_media_elements(handler, item):
    media = item.get("media")
    if not media:
        return
    handler.startElement(
        "media:content",
        {
            "url": media["url"],
            "type": media["mime_type"],
            "medium": "image",
            "width": str(media["width"]),
            "height": str(media["height"]),
        },
    )
    handler.addQuickElement("media:credit", media["credit"], {"role": "photographer"})
    handler.addQuickElement("media:copyright", media["copyright"])
    if media["caption"]:
        handler.addQuickElement("media:description", media["caption"], {"type": "plain"})
    handler.endElement("media:content")


class MediaRssFeed(Rss201rev2Feed):
    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:media": MEDIA_NAMESPACE}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        _add_media_elements(handler, item)


class MediaAtomFeed(Atom1Feed):
    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:media": MEDIA_NAMESPACE}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        _add_media_elements(handler, item)


class LatestArticlesFeed(Feed):
    feed_type = MediaRssFeed
    language = "fr"

    def title(self):
        return settings.SITE_NAME

    def description(self):
        return f"Les derniers articles publiés par {settings.SITE_NAME}."

    subtitle = description

    def link(self):
        return absolute_url(reverse("articles:home"))

    def feed_url(self):
        return absolute_url(reverse("articles:feed"))

    def items(self):
        shows("feed")
        return (
            Article.objects.published().for_listing().defer("body", "search_vector")[:FEED_LENGTH]
        )

    def item_title(self, item):
        # Text, escaped once by the XML writer, in RSS as in Atom. Django's default escapes
        # titles a second time (its ticket #6533), so "A & B" read "A &amp; B" in readers.
        # A feed shows an article and its photo, not its comment count.
        shows(
            f"article-{item.pk}", *([f"photo-{item.hero_photo_id}"] if item.hero_photo_id else [])
        )
        return item.title

    def item_description(self, item):
        photo = item.hero_photo
        if photo is None:
            return format_html("<p>{}</p>", item.standfirst)
        return format_html("<p>{}</p><p>{}</p>", item.standfirst, photo.attribution)

    def item_link(self, item):
        return absolute_url(item.get_absolute_url())

    def item_author_name(self, item):
        authors = item.authors.all()
        shows_names(authors=authors)
        names = [author.display_name for author in authors]
        if len(names) > 1:
            return f"{', '.join(names[:-1])} et {names[-1]}"
        return names[0] if names else None

    def item_author_link(self, item):
        authors = list(item.authors.all())
        return absolute_url(authors[0].get_absolute_url()) if len(authors) == 1 else None

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return modified_at(item)

    def item_categories(self, item):
        shows_names(category=item.category_id)
        return [item.category.name]

    def item_enclosures(self, item):
        image = share_image(item.hero_photo, ENCLOSURE_WIDTH)
        if image is None:
            return []
        length = image.length
        if length is None:  # A rendition made before its size was recorded.
            try:
                length = default_storage.size(image.path)
            except OSError:
                length = 0  # RSS requires a length; 0 is the usual "unknown".
        return [Enclosure(image.url, str(length), image.mime_type)]

    def item_extra_kwargs(self, item):
        image = share_image(item.hero_photo, ENCLOSURE_WIDTH)
        if image is None:
            return {}
        photo = item.hero_photo
        return {
            "media": {
                "url": image.url,
                "mime_type": image.mime_type,
                "width": image.width,
                "height": image.height,
                "credit": photo.credit,
                "copyright": photo.copyright_notice,
                "caption": photo.caption,
            }
        }


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = MediaAtomFeed

    def feed_url(self):
        return absolute_url(reverse("articles:feed-atom"))


class CategoryFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Category, slug=slug)

    def title(self, obj):
        return f"{settings.SITE_NAME} — {obj.name}"

    def description(self, obj):
        return obj.description or f"Les derniers articles de la rubrique {obj.name}."

    subtitle = description

    def link(self, obj):
        return absolute_url(obj.get_absolute_url())

    def feed_url(self, obj):
        return absolute_url(reverse("articles:category-feed", args=[obj.slug]))

    def items(self, obj):
        shows(f"category-{obj.pk}")
        return (
            Article.objects.published()
            .filter(category=obj)
            .for_listing()
            .defer("body", "search_vector")[:FEED_LENGTH]
        )


class CategoryAtomFeed(CategoryFeed):
    feed_type = MediaAtomFeed

    def feed_url(self, obj):
        return absolute_url(reverse("articles:category-feed-atom", args=[obj.slug]))
