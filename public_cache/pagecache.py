"""Whole-page cache for anonymous readers, invalidated at once by a generation number.

Every stored page is tagged with the generation current when it was rendered. Publishing,
editing, moderating… bumps the generation (`bump()`), which makes every stored page stale on
the next request without having to know which pages showed what. A page never outlives the
next scheduled publication, so a scheduled article appears on time without any worker.

Fragments of pages (`fragment()`) are kept under the same generation: the parts of a page
that are the same for every reader (the article, its comments, the navigation…). A page the
page cache does not hold is assembled instead of rebuilt: after a comment is moderated (which
makes every page stale, the busiest story's many times a minute) only the fragments showing
comments or comment counts are rebuilt; those that ignore comments follow a second
generation, which moderation leaves alone. Pages share their navigation and footer, and the
variants of an article page (comment pages, the message after posting) share its text.
"""

import hashlib
import pickle
import threading
from collections import OrderedDict
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.http import http_date, urlencode
from django.utils.module_loading import import_string

from actualites import replica
from articles.pagination import page_number

GENERATION_KEY = "pagecache:generation"
# Bumped by every change but comment moderation: keys the fragments that show no comments.
CONTENT_GENERATION_KEY = "pagecache:content-generation"
NEXT_PUBLICATION_KEY = "pagecache:next-publication"
PAGE_KEY = "pagecache:page:{host}:{path}:{query}"
# In settings.PAGE_CACHE_QUERY_PARAMS: the parameter is a page number.
PAGE_NUMBER = "page-number"
_NOTHING_SCHEDULED = "none"
# Stored pages name what they show by surrogate keys (the `xkey` header, edge/keys.py), each
# with a generation: a change bumps the generations of the keys it touches (`invalidate()`),
# and only the pages carrying one of them are stale. The epoch moves with every change: a page
# this process verified under the current epoch needs no further check.
KEY_GENERATION = "pagecache:key:{}"
EPOCH_KEY = "pagecache:epoch"
# The keys the change that made an epoch touched: a page rendered while other things changed
# is still kept.
CHANGE_KEY = "pagecache:change:{}"
# More changes than this while one page renders: it is served, not kept.
_MAX_CHANGES_DURING_RENDER = 50
# Carried by every stored page: `bump()` makes them all stale.
EVERY_PAGE = "*"
# Carried by a page that names no key: any change makes it stale.
UNNAMED = "sans-cle"
# Headers that belong to one response, never replayed from a stored page.
_PER_RESPONSE = {"Set-Cookie", "Age", "X-Request-ID", "Date"}
# Served by WhiteNoise or the media view further in: no page is stored under them.
_UNCACHED_PREFIXES = ("/static/", "/media/")


def _cache():
    return caches[settings.PAGE_CACHE_ALIAS]


def bump(**_signal_kwargs) -> None:
    """Make every cached page and fragment stale (usable directly as a signal receiver).

    Bumped at once, and again when the transaction commits: a reader who rendered the old
    rows in between must not have stored them under the new generation.
    """
    invalidate([EVERY_PAGE])
    _bump_now(GENERATION_KEY, CONTENT_GENERATION_KEY)
    transaction.on_commit(lambda: _bump_now(GENERATION_KEY, CONTENT_GENERATION_KEY))


def bump_for_comments(**_signal_kwargs) -> None:
    """A comment shown or hidden: pages and the fragments showing comments or their counts
    are stale; the article's text, the navigation… (fragments that ignore comments) are not.
    """
    invalidate([EVERY_PAGE])
    _bump_now(GENERATION_KEY)
    transaction.on_commit(lambda: _bump_now(GENERATION_KEY))


def invalidate(keys) -> None:
    """Stored pages carrying one of these surrogate keys are stale; the others stay.

    At once and again when the transaction commits, like `bump()`.
    """
    names = sorted({*keys, UNNAMED})
    _invalidate_now(names)
    transaction.on_commit(lambda: _invalidate_now(names))


def _invalidate_now(names) -> None:
    cache = _cache()
    # The epoch first, then the keys, then the record of what this epoch touched: an epoch
    # without its record is a change under way, which nothing trusts yet.
    try:
        epoch = cache.incr(EPOCH_KEY)
    except ValueError:
        epoch = int(timezone.now().timestamp() * 1000)
        cache.set(EPOCH_KEY, epoch, timeout=None)
    _bump_now(*[KEY_GENERATION.format(name) for name in names])
    cache.set(CHANGE_KEY.format(epoch), names, timeout=settings.PAGE_CACHE_SECONDS + 60)


def _bump_now(*keys) -> None:
    cache = _cache()
    for key in keys:
        try:
            cache.incr(key)
        except ValueError:
            # First bump, or the cache lost the counter: any new value invalidates old pages.
            cache.set(key, int(timezone.now().timestamp() * 1000), timeout=None)
    # With a read replica, pages are rebuilt from it only once it has replayed this change.
    replica.remember_primary_position()


def _cache_key(request) -> str | None:
    """The page's key, or None when the request asks for something we do not cache: a query
    parameter we do not know, or one not spelled as our own links spell it."""
    if not request.META.get("QUERY_STRING"):
        return _page_key(request.path, "")
    allowed, ignored = settings.PAGE_CACHE_QUERY_PARAMS, settings.PAGE_CACHE_IGNORED_PARAMS
    # Links shared on social networks and in newsletters carry tracking parameters that
    # the page never reads: the story everyone shares must still come from the cache.
    names = sorted(name for name in request.GET if name not in ignored)
    if any(name not in allowed for name in names):
        return None
    query = []
    for name in names:
        values = request.GET.getlist(name)
        if len(values) != 1 or not _spelled_as_linked(values[0], allowed[name]):
            # "?page=02", "?page=x"… show a page kept under its own spelling: not kept again.
            return None
        query.append((name, values[0]))
    return _page_key(request.path, urlencode(query))


def _page_key(path: str, query: str) -> str:
    # Not the Host header: pages are the same whatever host or port they were asked on (their
    # links start from SITE_URL), and a client must not make a copy per header it invents.
    raw = PAGE_KEY.format(host=_site_host(), path=path, query=query)
    return "pagecache:" + hashlib.sha256(raw.encode()).hexdigest()


def _spelled_as_linked(value: str, kept) -> bool:
    """`kept` is PAGE_NUMBER (a page number written as the paginator writes it) or the values."""
    if kept == PAGE_NUMBER:
        return value == str(page_number(value))
    return value in kept


def _site_host() -> str:
    return urlsplit(settings.SITE_URL).netloc


def _seconds_until_next_publication(cache, generation, known=None) -> int | None:
    """Seconds until the next scheduled article goes public; None when none is scheduled.

    Remembered per generation (`known`: what the caller already read under NEXT_PUBLICATION_KEY).
    """
    if known is None:
        known = cache.get(NEXT_PUBLICATION_KEY)
    cached = known["at"] if known and known["generation"] == generation else None
    if cached is None or (cached != _NOTHING_SCHEDULED and cached <= _now()):
        from articles.models import Article

        next_at = (
            Article.objects.scheduled()
            .order_by("published_at")
            .values_list("published_at", flat=True)
            .first()
        )
        next_at = min(filter(None, [next_at, *_other_scheduled_changes()]), default=None)
        cached = next_at.timestamp() if next_at else _NOTHING_SCHEDULED
        cache.set(
            NEXT_PUBLICATION_KEY,
            {"generation": generation, "at": cached},
            timeout=settings.PAGE_CACHE_SECONDS,
        )
    if cached == _NOTHING_SCHEDULED:
        return None
    return max(0, int(cached - timezone.now().timestamp()))


def _other_scheduled_changes() -> list:
    """The next moment each of settings.PAGE_CACHE_SCHEDULES changes pages by itself (an
    « Alerte info » that starts or ends), None for those with nothing planned."""
    return [import_string(path)() for path in settings.PAGE_CACHE_SCHEDULES]


def _is_anonymous(request) -> bool:
    # Reading request.user would load the session for every reader: the cookie says enough.
    return settings.SESSION_COOKIE_NAME not in request.COOKIES


class PageCacheMiddleware:
    """Serve and store whole public pages for anonymous GET requests."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            not settings.PAGE_CACHE_ENABLED
            or request.method not in ("GET", "HEAD")
            or request.path.startswith(_UNCACHED_PREFIXES)
        ):
            return self.get_response(request)
        if not _is_anonymous(request):
            response = self.get_response(request)
            if self._is_public_page(request, response):
                # Staff see fresh pages, and no shared cache may keep their copy.
                response["Cache-Control"] = "private, no-cache"
            return response

        key = _cache_key(request)
        if key is None:
            return self.get_response(request)
        cache = _cache()
        epoch = cache.get(EPOCH_KEY)
        now = _now()
        held = _local_pages.get(key)
        if held is not None and held[0]["expires"] > now:
            entry, verified = held
            if epoch is not None and verified == epoch:
                # Nothing changed since this process last checked the page's keys.
                return self._from_entry(request, entry, now)
        else:
            entry = cache.get(key)
        if entry and entry["expires"] > now:
            fresh, verified = _keys_unchanged(cache, entry, epoch)
            if fresh:
                _local_pages.put(key, [entry, verified], entry["expires"] - now)
                return self._from_entry(request, entry, now)

        # The epoch is read before the view reads its rows: a page rendered while something
        # changes is not stored (its keys' generations may already be the new ones).
        if epoch is None:
            epoch = _started(cache, EPOCH_KEY)
            if epoch is not None:
                cache.add(CHANGE_KEY.format(epoch), [], timeout=settings.PAGE_CACHE_SECONDS)
        response = self.get_response(request)
        # GET only: a HEAD answer may have lost its body on the way (the API's does).
        if (
            epoch is not None
            and request.method == "GET"
            and self._is_public_page(request, response)
        ):
            self._store(request, response, cache, key, epoch)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Fragments too take the generations before the view reads anything.
        fragment_lifetime(request)

    @staticmethod
    def _is_public_page(request, response) -> bool:
        match = getattr(request, "resolver_match", None)
        return (
            match is not None
            and match.view_name in settings.PAGE_CACHE_VIEWS
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "Cache-Control" not in response
        )

    def _store(self, request, response, cache, key, epoch):
        ttl = settings.PAGE_CACHE_SECONDS
        until_next = _seconds_until_next_publication(cache, epoch)
        if until_next is not None:
            ttl = min(ttl, until_next)
        etag = '"' + hashlib.md5(response.content, usedforsecurity=False).hexdigest() + '"'
        response["ETag"] = etag
        response["Last-Modified"] = http_date()
        self._set_cache_control(response, ttl)
        if ttl <= 0:
            return
        generations = _generations_if_unchanged(
            cache, epoch, {EVERY_PAGE, *(response.get("xkey", "").split() or [UNNAMED])}
        )
        if generations is None:
            return
        entry = {
            "keys": generations,
            "expires": _now() + ttl,
            "content": response.content,
            "headers": {k: v for k, v in response.items() if k not in _PER_RESPONSE},
            "header_store": {
                lower: pair
                for lower, pair in response.headers._store.items()
                if pair[0] not in _PER_RESPONSE
            },
            "stored": _now(),
        }
        cache.set(key, entry, timeout=ttl)

    @staticmethod
    def _set_cache_control(response, ttl):
        response["Cache-Control"] = PageCacheMiddleware._cache_control(ttl)

    @staticmethod
    def _cache_control(ttl) -> str:
        browser = min(ttl, settings.PAGE_CACHE_BROWSER_SECONDS)
        return (
            f"public, max-age={browser}, s-maxage={ttl}, "
            f"stale-while-revalidate={settings.PAGE_CACHE_STALE_SECONDS}, "
            f"stale-if-error={settings.PAGE_CACHE_STALE_IF_ERROR_SECONDS}"
        )

    @staticmethod
    def _from_entry(request, entry, now):
        remaining = int(entry["expires"] - now)
        fresh = {
            "Cache-Control": PageCacheMiddleware._cache_control(remaining),
            "Age": str(int(now - entry["stored"])),
            "X-Page-Cache": "hit",
        }
        etag = entry["headers"].get("ETag")
        if etag and _etag_matches(request.META.get("HTTP_IF_NONE_MATCH", ""), etag):
            response = HttpResponseNotModified(headers={**entry["headers"], **fresh})
            del response["Content-Type"]
            return response
        response = HttpResponse(entry["content"])
        # The stored headers were checked when the page was first served: copied at once,
        # not validated again one by one (a third of a hit's time in Django's response).
        response.headers._store.update(entry["header_store"])
        for name, value in fresh.items():
            response[name] = value
        return response


def _keys_unchanged(cache, entry, epoch) -> tuple[bool, int | None]:
    """Whether the generations of the page's keys are those it was stored under, and the
    epoch this proves it for (None when that epoch's change is still under way)."""
    names = {name: KEY_GENERATION.format(name) for name in entry["keys"]}
    record = CHANGE_KEY.format(epoch)
    current = cache.get_many([*names.values(), record])
    fresh = all(current.get(names[name]) == kept for name, kept in entry["keys"].items())
    return fresh, (epoch if epoch is not None and record in current else None)


def _generations_if_unchanged(cache, epoch, names) -> dict | None:
    """The current generation of each key, or None when a change since `epoch` was read may
    have touched them (the page may show rows older than those generations)."""
    keys = {name: KEY_GENERATION.format(name) for name in names}
    found = cache.get_many([EPOCH_KEY, *keys.values()])
    current = found.get(EPOCH_KEY)
    if current is None:
        return None
    if current != epoch:
        if not 0 < current - epoch <= _MAX_CHANGES_DURING_RENDER:
            return None
        records = [CHANGE_KEY.format(number) for number in range(epoch + 1, current + 1)]
        touched = cache.get_many(records)
        if len(touched) != len(records) or any(set(t) & set(names) for t in touched.values()):
            return None
    for key in keys.values():
        if key not in found:
            # A key no change has named yet (or the cache lost it): it starts here.
            found[key] = _started(cache, key)
            if found[key] is None:
                return None
    return {name: found[key] for name, key in keys.items()}


def _started(cache, key) -> int | None:
    """The value of a counter, started if the cache has none; None when the cache fails."""
    cache.add(key, int(timezone.now().timestamp() * 1000), timeout=None)
    return cache.get(key)


def _etag_matches(header: str, etag: str) -> bool:
    if not header:
        return False
    return header.strip() == "*" or etag in (
        tag.strip().removeprefix("W/") for tag in header.split(",")
    )


_UNSET = object()


def fragment_lifetime(request) -> tuple[int, int, int] | None:
    """(generation, content generation, seconds) for the fragments of this request's page;
    None when they must be rendered.

    Only anonymous readers of public pages share fragments (staff see fresh pages, previews
    are never kept), for as long as the page itself could be cached: until the next change or
    the next scheduled publication.
    """
    if request is None:
        return None
    state = getattr(request, "_fragment_lifetime", _UNSET)
    if state is _UNSET:
        state = None
        match = getattr(request, "resolver_match", None)
        if (
            settings.FRAGMENT_CACHE_ENABLED
            and _is_anonymous(request)
            and match is not None
            and match.view_name in settings.PAGE_CACHE_VIEWS
        ):
            cache = _cache()
            found = cache.get_many([GENERATION_KEY, CONTENT_GENERATION_KEY, NEXT_PUBLICATION_KEY])
            if GENERATION_KEY not in found or CONTENT_GENERATION_KEY not in found:
                bump()
                found = {
                    **found,
                    **cache.get_many([GENERATION_KEY, CONTENT_GENERATION_KEY]),
                }
            generation = found.get(GENERATION_KEY)
            content_generation = found.get(CONTENT_GENERATION_KEY)
            # Without the generations (the cache is unreachable), nothing can be kept safely.
            if generation is not None and content_generation is not None:
                ttl = settings.PAGE_CACHE_SECONDS
                until_next = _seconds_until_next_publication(
                    cache, generation, found.get(NEXT_PUBLICATION_KEY)
                )
                if until_next is not None:
                    ttl = min(ttl, until_next)
                if ttl > 0:
                    state = (generation, content_generation, ttl)
        request._fragment_lifetime = state
    return state


def fragment(request, name: str, vary: tuple, render, *, ignores_comments=False) -> str:
    """The HTML of a page fragment, from the cache or from `render()` (then kept).

    `ignores_comments`: the fragment shows no comment nor comment count, so moderating a
    comment leaves it as it is.
    """
    lifetime = fragment_lifetime(request)
    if lifetime is None:
        return render()
    key, ttl = _kept_key(lifetime, "fragment", name, vary, ignores_comments)
    return _kept(key, ttl, lambda: str(render()))


def kept_object(request, name: str, vary: tuple, load):
    """The object a page starts from (its article, say), kept like the page's fragments.

    With its fragments kept, a hot page then reads nothing from the database. Kept under the
    generation every change bumps; `None` (not found) is never kept. Each request gets its own
    copy, since templates attach prefetched relations to it.
    """
    lifetime = fragment_lifetime(request)
    if lifetime is None:
        return load()
    key, ttl = _kept_key(lifetime, "object", name, vary, ignores_comments=False)

    def pickled():
        found = load()
        return None if found is None else pickle.dumps(found, pickle.HIGHEST_PROTOCOL)

    data = _kept(key, ttl, pickled)
    return None if data is None else pickle.loads(data)


def key_generation(name: str):
    """The current generation of one surrogate key, for what is kept under the site-wide
    generation but must follow a key that `invalidate()` renews alone (a live's entries)."""
    return _cache().get(KEY_GENERATION.format(name))


def _kept(key: str, ttl: int, compute):
    """What `key` holds in this process, else in the cache, else `compute()` (kept unless
    None)."""
    value = _local_fragments.get(key)
    if value is None:
        cache = _cache()
        value = cache.get(key)
        if value is None:
            value = compute()
            if value is None:
                return None
            cache.set(key, value, timeout=ttl)
        _local_fragments.put(key, value, ttl)
    return value


def _kept_key(lifetime, kind, name, vary, ignores_comments) -> tuple[str, int]:
    generation, content_generation, ttl = lifetime
    stamp = f"c{content_generation}" if ignores_comments else f"g{generation}"
    raw = ":".join(str(value) for value in vary)
    return f"{kind}:{name}:{stamp}:" + hashlib.sha256(raw.encode()).hexdigest(), ttl


class _LocalFragments:
    """The hottest fragments, also kept in each process's memory.

    A key names its generation, so what it holds never changes: a copy in memory is as fresh
    as the shared one, provided it expires no later (never past the next publication). A hot
    page then costs one round trip to the cache (the generation) instead of one per fragment.
    """

    def __init__(self, size):
        self.size = size
        self.entries = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            entry = self.entries.get(key)
            if entry is None:
                return None
            if entry[0] <= _now():
                del self.entries[key]
                return None
            self.entries.move_to_end(key)
            return entry[1]

    def put(self, key, html, ttl):
        with self.lock:
            self.entries[key] = (_now() + ttl, html)
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def clear(self):
        with self.lock:
            self.entries.clear()


_local_fragments = _LocalFragments(settings.FRAGMENT_CACHE_LOCAL_SIZE)
_local_pages = _LocalFragments(settings.PAGE_CACHE_LOCAL_SIZE)


def forget_local_fragments() -> None:
    """Empties this process's copies (tests, whose clock and generations start over)."""
    _local_fragments.clear()
    _local_pages.clear()


def _now() -> float:
    return timezone.now().timestamp()
