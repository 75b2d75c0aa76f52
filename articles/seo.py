"""What search engines, feed readers and social networks read about a page.

Absolute URLs always start from settings.SITE_URL (never from the request's Host header),
so that a page cached for everyone carries the same links whoever asked first.
"""

import json
import mimetypes
from dataclasses import dataclass

from django.conf import settings
from django.core.files.storage import default_storage
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from actualites.links import absolute_url
from photos.models import Photo

from .models import Article

SHARE_IMAGE_WIDTH = 1200
LOGO_PATH = "img/logo.png"
LOGO_SIZE = (600, 60)
# A JSON-LD block is inert data, but it sits inside <script>: "</script>" must not end it.
_JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@dataclass(frozen=True)
class ImageFile:
    url: str
    path: str
    width: int
    height: int
    mime_type: str
    # Bytes, when the rendition recorded it (articles/images.py); None for older ones.
    length: int | None = None


def share_image(photo: Photo | None, width: int = SHARE_IMAGE_WIDTH) -> ImageFile | None:
    """The JPEG rendition at least `width` wide (else the largest; else the original)."""
    if photo is None:
        return None
    renditions = sorted((r for r in photo.renditions if "jpg" in r), key=lambda r: r["width"])
    chosen = next((r for r in renditions if r["width"] >= width), None)
    if chosen is None and renditions:
        chosen = renditions[-1]
    length = None
    if chosen is not None:
        path, size = chosen["jpg"], (chosen["width"], chosen["height"])
        length = chosen.get("jpg_bytes")
    else:
        path, size = photo.image.name, (photo.width, photo.height)
    mime_type = mimetypes.guess_type(path)[0] or "image/jpeg"
    return ImageFile(absolute_url(default_storage.url(path)), path, *size, mime_type, length)


def modified_at(article: Article):
    """When the article last changed in substance: its revision, else its publication."""
    return article.revised_at or article.published_at


def iso(moment) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds")


def logo_url() -> str:
    return absolute_url(static(LOGO_PATH))


def news_article_data(article: Article) -> dict:
    """schema.org NewsArticle for Google and others, from a for_listing() article."""
    url = absolute_url(article.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": article.title,
        "description": article.description,
        "inLanguage": "fr-FR",
        "datePublished": iso(article.published_at),
        "dateModified": iso(modified_at(article)),
        "articleSection": article.category.name,
        "author": [
            {
                "@type": "Person",
                "name": author.display_name,
                "url": absolute_url(author.get_absolute_url()),
            }
            for author in article.authors.all()
        ],
        "publisher": {
            "@type": "Organization",
            "name": settings.SITE_NAME,
            "url": absolute_url("/"),
            "logo": {
                "@type": "ImageObject",
                "url": logo_url(),
                "width": LOGO_SIZE[0],
                "height": LOGO_SIZE[1],
            },
        },
    }
    keywords = [tag.name for tag in article.tags.all()]
    if keywords:
        data["keywords"] = keywords
    image = share_image(article.hero_photo)
    if image:
        photo = article.hero_photo
        data["image"] = {
            "@type": "ImageObject",
            "url": image.url,
            "contentUrl": image.url,
            "width": image.width,
            "height": image.height,
            "caption": photo.caption or photo.alt_text,
            "creditText": photo.credit,
            "copyrightNotice": photo.copyright_notice,
        }
    return data


def breadcrumb_data(article: Article) -> dict:
    """schema.org BreadcrumbList: Accueil › Rubrique › Article."""
    trail = [
        ("Accueil", reverse("articles:home")),
        (article.category.name, article.category.get_absolute_url()),
        (article.title, article.get_absolute_url()),
    ]
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": absolute_url(url)}
            for position, (name, url) in enumerate(trail, start=1)
        ],
    }


def json_ld_script(data: dict) -> SafeString:
    """<script type="application/ld+json"> with <, > and & escaped, as json_script does."""
    payload = json.dumps(data, ensure_ascii=False).translate(_JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))  # noqa: S308


def article_meta(article: Article) -> dict:
    """Context for includes/meta_tags.html on an article page."""
    photo = article.hero_photo
    return {
        "canonical_url": absolute_url(article.get_absolute_url()),
        "og_type": "article",
        "meta_title": article.title,
        "meta_description": article.description,
        "image": share_image(photo),
        "image_alt": photo.alt_text if photo else "",
        "published_time": iso(article.published_at),
        "modified_time": iso(modified_at(article)),
        "section": article.category.name,
        "tags": [tag.name for tag in article.tags.all()],
        "author_urls": [absolute_url(a.get_absolute_url()) for a in article.authors.all()],
        "robots": "max-image-preview:large",
        "json_ld": [
            json_ld_script(news_article_data(article)),
            json_ld_script(breadcrumb_data(article)),
        ],
    }


def page_meta(path: str, title: str, description: str = "", page_number: int = 1) -> dict:
    """Context for includes/meta_tags.html on a listing or standing page."""
    canonical = absolute_url(path)
    if page_number > 1:
        canonical += f"?page={page_number}"
    return {
        "canonical_url": canonical,
        "og_type": "website",
        "meta_title": title,
        "meta_description": description,
        "image": None,
        "image_alt": "",
    }
