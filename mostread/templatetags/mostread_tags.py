from django import template
from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from articles.models import Article
from articles.typography import french_typography
from edge.keys import article_keys, collecting, fragment_marker, shows
from public_cache import pagecache

from .. import counters
from ..views import read_token

register = template.Library()

SHOWN = 5


def most_read_articles(window: str = counters.DAY, limit: int = SHOWN) -> list[Article]:
    """The most read published articles of the window (a few spare ones in case some were
    taken offline since)."""
    ids = [article_id for article_id, _ in counters.most_read(window, limit=limit + 10)]
    if not ids:
        return []
    found = Article.objects.published().filter(pk__in=ids).only("title", "slug", "hero_photo")
    by_id = {article.pk: article for article in found}
    return [by_id[pk] for pk in ids if pk in by_id][:limit]


def _slot() -> int:
    return int(timezone.now().timestamp() // settings.MOST_READ_REFRESH_SECONDS)


@register.simple_tag(takes_context=True)
def most_read_block(context, css_class=""):
    """« Les plus lus » of the last 24 hours, kept as a fragment for the refresh period (and
    with the keys of its articles, so an article taken offline leaves it at once)."""

    def render():
        # A kept fragment is not rendered again: the keys of what it shows go with it.
        with collecting() as keys:
            shows("most-read")
            html = block()
        return fragment_marker(keys) + html

    def block():
        articles = most_read_articles()
        for article in articles:
            shows(*article_keys(article))
        if not articles:
            return ""
        return format_html(
            '<section class="{}" aria-labelledby="most-read-title">'
            '<h2 class="most-read__title" id="most-read-title">Les plus lus</h2>'
            '<ol class="most-read__list">{}</ol></section>',
            " ".join(filter(None, ["most-read", css_class])),
            format_html_join(
                "",
                '<li><a href="{}">{}</a></li>',
                ((a.get_absolute_url(), french_typography(a.title)) for a in articles),
            ),
        )

    html = pagecache.fragment(
        context.get("request"), "most-read", (css_class, _slot()), render, ignores_comments=True
    )
    return mark_safe(html)


@register.simple_tag
def read_beacon(article):
    """The script that counts a reader's visit to a published article (nothing for previews)."""
    if not article.is_published:
        return ""
    return format_html(
        '<script src="{}" defer data-read-beacon="{}"></script>',
        static("js/most-read.js"),
        reverse("mostread:read", args=[read_token(article.pk)]),
    )
