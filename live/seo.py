"""schema.org LiveBlogPosting for a live's page: what search engines show as « En direct »."""

from html import unescape

from django.utils.html import strip_tags
from django.utils.text import Truncator

from actualites.links import absolute_url
from articles import seo

# Google reads the newest updates; a live of thousands of entries sends these only.
UPDATES_IN_JSON_LD = 20


def _text(html: str) -> str:
    return " ".join(unescape(strip_tags(html.replace("<", " <"))).split())


def live_blog_data(article, live, entries) -> dict:
    """NewsArticle's data as a LiveBlogPosting, with the coverage times and the `entries`
    (newest published first) as liveBlogUpdate."""
    url = absolute_url(article.get_absolute_url())
    data = {**seo.news_article_data(article), "@type": "LiveBlogPosting"}
    data["coverageStartTime"] = seo.iso(live.started_at)
    if live.ended_at:
        data["coverageEndTime"] = seo.iso(live.ended_at)
    if entries:
        newest = max(entry.corrected_at or entry.published_at for entry in entries)
        data["dateModified"] = seo.iso(max(newest, seo.modified_at(article)))
    data["liveBlogUpdate"] = [
        {
            "@type": "BlogPosting",
            "headline": entry.title or Truncator(_text(entry.body)).words(12),
            "articleBody": _text(entry.body),
            "datePublished": seo.iso(entry.published_at),
            "dateModified": seo.iso(entry.corrected_at or entry.published_at),
            "url": f"{url}#entree-{entry.pk}",
        }
        for entry in entries
    ]
    return data


def live_meta(article, live) -> dict:
    """Context for includes/meta_tags.html on a live's page."""
    entries = list(live.entries.published().newest_first()[:UPDATES_IN_JSON_LD])
    meta = seo.article_meta(article)
    meta["json_ld"] = [
        seo.json_ld_script(live_blog_data(article, live, entries)),
        seo.json_ld_script(seo.breadcrumb_data(article)),
    ]
    return meta
