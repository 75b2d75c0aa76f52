"""What the API shows of each published thing, as plain dicts that match api/schemas.py.

Addresses are absolute (SITE_URL), texts get the site's French typography, and nothing
personal is read: an author is the public profile the site shows, never the account.
"""

import re

from django.conf import settings
from django.utils.safestring import mark_safe

from actualites.links import absolute_url
from articles.links import cached_url, media_url
from articles.models import Article
from articles.tags import tag_url
from articles.typography import french_text, french_typography
from edge.keys import article_keys, shows, shows_names

# A root-relative address in an attribute of the stored text (« src="/media/… »), not
# a protocol-relative one (« //host/… »).
_RELATIVE = re.compile(r'(\s(?:src|href)=")/(?!/)')


def photo(picture) -> dict | None:
    if picture is None:
        return None
    shows(f"photo-{picture.pk}")
    renditions = sorted(picture.renditions, key=lambda r: r["width"])
    return {
        "url": absolute_url(media_url(picture.image.name)),
        "width": picture.width,
        "height": picture.height,
        "alt": french_text(picture.alt_text),
        "caption": french_text(picture.caption),
        "credit": picture.credit_line,
        "renditions": [
            {
                "width": r["width"],
                "height": r["height"],
                "webp": absolute_url(media_url(r["webp"])) if r.get("webp") else None,
                "jpeg": absolute_url(media_url(r["jpg"])),
            }
            for r in renditions
            if r.get("jpg")
        ],
    }


def category_ref(category) -> dict:
    shows_names(category=category)
    return {"slug": category.slug, "name": category.name}


def category(category) -> dict:
    shows(f"category-{category.pk}")
    return {
        **category_ref(category),
        "description": french_text(category.description),
        "url": absolute_url(category.get_absolute_url()),
    }


def tag_ref(tag) -> dict:
    shows_names(tags=[tag])
    return {"slug": tag.slug, "name": tag.name}


def tag(tag) -> dict:
    shows(f"tag-{tag.pk}")
    url = tag_url(tag)
    return {**tag_ref(tag), "url": absolute_url(url) if url else None}


def author_ref(author) -> dict:
    shows_names(authors=[author])
    return {"slug": author.slug, "name": author.display_name}


def author(author) -> dict:
    shows(f"author-{author.pk}")
    return {
        **author_ref(author),
        "bio": french_text(author.bio),
        "url": absolute_url(author.get_absolute_url()),
        "portrait": photo(author.portrait),
    }


def live_ref(article) -> dict | None:
    """The live an article carries, read from the row loaded with it (no query)."""
    if not Article.live.is_cached(article):
        return None
    live = getattr(article, "live", None)
    if live is None:
        return None
    return {
        "id": live.pk,
        "state": live.state,
        "url": absolute_url(cached_url("api:live", live.pk)),
    }


def article_summary(article) -> dict:
    # Its rubric's, tags' and authors' names come along (their *_ref name their keys).
    shows(*article_keys(article))
    return {
        "id": article.pk,
        "slug": article.slug,
        "title": french_text(article.title),
        "standfirst": french_text(article.standfirst),
        "url": absolute_url(cached_url("articles:detail", article.slug)),
        "published_at": article.published_at,
        "revised_at": article.revised_at,
        "category": category_ref(article.category),
        "authors": [author_ref(a) for a in article.authors.all()],
        # Read by listing.with_tags, sorted by name.
        "tags": [tag_ref(t) for t in article.tag_list],
        "photo": photo(article.hero_photo),
        "comment_count": article.comment_count,
        "live": live_ref(article),
    }


def article_detail(article) -> dict:
    return {
        **article_summary(article),
        "description": french_text(article.description),
        "body_html": rich_text(article.body),
        "notes": [
            {"kind": note.kind, "text": french_text(note.text), "created_at": note.created_at}
            for note in article.notes.all()
        ],
    }


def rich_text(html: str) -> str:
    """Stored rich text, sanitized on save: spaced the French way, with absolute addresses."""
    spaced = str(french_typography(mark_safe(html or "")))
    return _RELATIVE.sub(rf"\1{settings.SITE_URL}/", spaced)


def live(live) -> dict:
    article = live.article
    shows(f"live-{live.pk}", f"article-{article.pk}")
    return {
        "id": live.pk,
        "article": {
            "id": article.pk,
            "slug": article.slug,
            "title": french_text(article.title),
            "url": absolute_url(cached_url("articles:detail", article.slug)),
        },
        "state": live.state,
        "summary": [french_text(point) for point in live.summary_points],
        "started_at": live.started_at,
        "ended_at": live.ended_at,
        "entries": absolute_url(cached_url("api:live-entries", live.pk)),
    }


def live_entry(entry, article_url: str) -> dict:
    profile = getattr(entry.author, "author_profile", None) if entry.author else None
    return {
        "id": entry.pk,
        "title": french_text(entry.title),
        "body_html": rich_text(entry.body),
        "published_at": entry.published_at,
        "corrected_at": entry.corrected_at,
        "changed_at": entry.corrected_at or entry.published_at,
        "key_moment": entry.is_key_moment,
        "photo": photo(entry.photo),
        "quote_url": entry.quote_url,
        "quote_text": french_text(entry.quote_text),
        # The public byline only: never the account behind it.
        "author": author_ref(profile) if profile else None,
        "url": f"{article_url}#entree-{entry.pk}",
    }
