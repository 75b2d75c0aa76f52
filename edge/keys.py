"""Surrogate keys: each public response names what it shows, so a change purges only its pages.

Views and template tags call `shows("article-42", "category-3")` while they render. A page
fragment kept in the cache (articles' `{% fragment %}`) is not rendered again, so it keeps its
keys inside its HTML, in a marker (`fragment_marker`) that SurrogateKeyMiddleware reads and
removes: a page assembled from kept fragments names the same things as a page rendered anew.
The middleware writes them in `xkey` (Varnish) and `Surrogate-Key` (Fastly and most CDNs) and,
space-separated there, comma-separated in `Cache-Tag` (Cloudflare).

The keys a page carries: its own (`home`, `category-<id>` for a rubric's pages and feeds,
`tag-<id>`, `author-<id>`, `page-<id>`, `feed`, `sitemap`), `article-<id>`, `comments-<id>` and
`photo-<id>` for each article it shows, `nav` and `alert` (the navigation, the banner) and the
footer's `page-<id>`. A publication thus purges its article, the lists it enters (home, rubric,
tags, authors, feeds, sitemaps) and nothing else.

Where a page prints the name (and link) of a rubric, keyword or author without being its list
(an article's kicker, byline and keywords, a card's rubric and authors, a feed item), it
carries `name-category-<id>`, `name-tag-<id>` or `name-author-<id>` (`name_key()`): a rename
purges them, a publication in that rubric does not, so its other articles stay cached.
"""

import contextvars
import functools
import re

from django.utils.crypto import salted_hmac

_collected: contextvars.ContextVar[set | None] = contextvars.ContextVar("edge_keys", default=None)


def shows(*keys: str) -> None:
    """The response being rendered shows these things (no effect outside a request)."""
    collected = _collected.get()
    if collected is not None:
        collected.update(keys)


def article_keys(article) -> tuple[str, ...]:
    """What a card or a page shows of an article: the article, its comment count, its photo.

    Not its rubric, tags or authors: those keys name their lists, which a publication changes,
    and a card of an article by the same author must not be purged each time she publishes.
    Where their names are printed, `name_key()` says so.
    """
    keys = [f"article-{article.pk}", f"comments-{article.pk}"]
    if article.hero_photo_id:
        keys.append(f"photo-{article.hero_photo_id}")
    return tuple(keys)


def name_key(kind: str, pk) -> str:
    """`name-category-3`: the pages printing the name or link of rubric 3 (kind: "category",
    "tag" or "author"), purged when it is renamed, not when its lists change."""
    return f"name-{kind}-{pk}"


def shows_names(*, category=None, authors=(), tags=()) -> None:
    """The response being rendered prints the names of this rubric, these authors, these tags
    (instances or ids)."""
    keys = [name_key("author", getattr(a, "pk", a)) for a in authors]
    keys += [name_key("tag", getattr(t, "pk", t)) for t in tags]
    if category is not None:
        keys.append(name_key("category", getattr(category, "pk", category)))
    shows(*keys)


class collecting:
    """Collects the keys named inside a `with` block (and passes them on to the enclosing one)."""

    def __enter__(self) -> set:
        self.outer = _collected.get()
        self.keys = set()
        self.token = _collected.set(self.keys)
        return self.keys

    def __exit__(self, *exc_info):
        _collected.reset(self.token)
        if self.outer is not None:
            self.outer.update(self.keys)


# A marker is an HTML comment whose opening is derived from the secret key: no reader can write
# one in a comment (their text is escaped anyway) and have it read as keys.
@functools.cache
def _marker_prefix() -> bytes:
    return (
        "<!--xk-" + salted_hmac("edge.keys", "marker", algorithm="sha256").hexdigest()[:16] + " "
    ).encode()


@functools.cache
def _marker_pattern() -> re.Pattern:
    return re.compile(re.escape(_marker_prefix()) + rb"([a-z0-9 -]*)-->")


def fragment_marker(keys) -> str:
    """The marker a kept fragment carries for its keys ("" when it has none)."""
    if not keys:
        return ""
    return _marker_prefix().decode() + " ".join(sorted(keys)) + "-->"


def take_markers(content: bytes) -> tuple[bytes, set[str]]:
    """`content` without its markers, and the keys they held (the same bytes when none)."""
    if _marker_prefix() not in content:
        return content, set()
    found = set()

    def take(match):
        found.update(match.group(1).decode().split())
        return b""

    return _marker_pattern().sub(take, content), found


class SurrogateKeyMiddleware:
    """Writes the keys a response shows in its headers; removes the fragments' markers.

    Inside the page cache, which then keeps the headers with the page and serves them on hits.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with collecting() as keys:
            response = self.get_response(request)
        if not response.streaming and _is_text(response):
            content, marked = take_markers(response.content)
            if marked:
                response.content = content
                if response.has_header("Content-Length"):
                    response["Content-Length"] = str(len(content))
                keys |= marked
        if keys and response.status_code == 200:
            names = sorted(keys)
            response["xkey"] = response["Surrogate-Key"] = " ".join(names)
            response["Cache-Tag"] = ",".join(names)
        return response


def _is_text(response) -> bool:
    content_type = response.get("Content-Type", "")
    return content_type.startswith(("text/html", "application/xhtml")) and not response.has_header(
        "Content-Encoding"
    )
