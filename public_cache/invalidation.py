"""What changed on the public site, said once by the rule that changed it.

The rules modules (articles/workflow.py, comments/moderation.py, photos/rules.py,
alerts/rules.py, live/rules.py) and the admin of what readers see (public_cache/admin.py) call
`changed()` naming what they changed; no model signal does it behind their back. `keys_for()`
turns those names into surrogate keys, the names a public response carries for what it shows:

    article-<id>   an article: its page, and every listing, feed or sitemap showing it
    comments-<id>  the comments of article <id>: their list and their count in listings
    category-<id>  a section's pages          tag-<id>     a keyword's pages
    author-<id>    an author's pages          page-<id>    a standing page (« Qui sommes-nous »)
    name-category-<id>, name-tag-<id>, name-author-<id>
                   the pages printing that section's, keyword's or author's name or link
                   (articles, cards, feeds): a rename purges them, a publication does not
    photo-<id>     a photo wherever it shows  nav          the navigation and the footer
    home           the front page             feed         the RSS and Atom feeds
    sitemap        the sitemaps               alert        the « Alerte info » banner
    live-<id>      a live coverage's page and its updates
    (most-read and api are reserved for the pages that will carry them.)

The origin cache (public_cache/pagecache.py) bumps the generations of these keys: only the
pages, fragments and kept objects carrying one of them are rebuilt. The edge purgers
(edge/purging.py) get the same keys once the change commits: Varnish and CDNs drop exactly
the pages carrying them.
"""

from django.db import models

from edge.keys import name_key
from edge.purging import purge_after_commit

from . import pagecache

COMMENTS_PREFIX = "comments-"


def _many(value) -> list:
    """A model instance, an id, or an iterable of either, as a list."""
    if value is None:
        return []
    if isinstance(value, models.Model | int | str):
        return [value]
    return list(value)


def _ids(value) -> list[int]:
    return [v.pk if isinstance(v, models.Model) else int(v) for v in _many(value)]


def _article_keys(article) -> set[str]:
    # « api »: the API's lists of articles, which carry it (api/).
    if not isinstance(article, models.Model):
        return {f"article-{int(article)}", "home", "feed", "sitemap", "api"}
    keys = {f"article-{article.pk}", "home", "feed", "sitemap", "api"}
    if article.category_id:
        keys.add(f"category-{article.category_id}")
    if article.pk is not None:
        # A newly published article is not yet on its keyword and author pages: name them.
        keys.update(f"tag-{pk}" for pk in article.tags.values_list("pk", flat=True))
        keys.update(f"author-{pk}" for pk in article.authors.values_list("pk", flat=True))
    return keys


def keys_for(
    *,
    article=None,
    comments_of=None,
    category=None,
    tag=None,
    author=None,
    page=None,
    photo=None,
    live=None,
    nav: bool = False,
    alert: bool = False,
) -> set[str]:
    """The surrogate keys of the pages showing what changed (each argument: an instance, an
    id, or an iterable of them; an Article instance also names its section, keywords and
    authors, whose pages may now list it). A section, keyword or author changed (renamed,
    deleted…) names its own pages and every page printing its name (`name_key()`)."""
    keys: set[str] = set()
    for one in _many(article):
        keys |= _article_keys(one)
    keys.update(f"{COMMENTS_PREFIX}{pk}" for pk in _ids(comments_of))
    for pk in _ids(category):
        keys |= {f"category-{pk}", name_key("category", pk), "nav", "home"}
    for pk in _ids(tag):
        keys |= {f"tag-{pk}", name_key("tag", pk)}
    for pk in _ids(author):
        keys |= {f"author-{pk}", name_key("author", pk)}
    for pk in _ids(page):
        keys |= {f"page-{pk}", "nav"}
    keys.update(f"photo-{pk}" for pk in _ids(photo))
    keys.update(f"live-{pk}" for pk in _ids(live))
    if nav:
        keys.add("nav")
    if alert:
        keys.add("alert")
    return keys


def changed(**what) -> set[str]:
    """Refresh the public pages showing what changed (arguments as for `keys_for()`).

    Call it from the rule that made the change, inside or outside its transaction: the
    pages are made stale at once and again when the transaction commits. Returns the keys.
    """
    keys = keys_for(**what)
    refresh(keys)
    return keys


def refresh(keys) -> None:
    """`changed()` for keys already named (before a delete, which takes the ids away): the
    origin cache renews what carries them at once, the edge purges them after commit."""
    if not keys:
        return
    pagecache.invalidate(keys)
    purge_after_commit(keys)
