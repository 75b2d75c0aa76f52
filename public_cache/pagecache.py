"""Whole-page cache for anonymous readers, invalidated by surrogate keys.

Every stored page names what it shows by surrogate keys (the `xkey` header, edge/keys.py) and
keeps the generation each key had when it was rendered. A change bumps the generations of the
keys it touches (`invalidate()`, called by `invalidation.changed()`): only the pages carrying
one of them are stale, the next request rebuilds them; the others are still served. A hit
reads the generations of its page's keys in one round trip. A page never outlives the next
scheduled publication, so a scheduled article appears on time without any worker.

Fragments of pages (`fragment()`) and the objects a page starts from (`kept_object()`) are
kept the same way, with the keys of what they show: a page the page cache does not hold is
assembled instead of rebuilt, and a publication or a moderation renders again only the
fragments showing what it touched. Pages share their navigation and footer, and the variants
of an article page (comment pages, the message after posting) share its text.
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
from edge.keys import collecting

# The ":2" is the shape of what these keys hold: a release that changes the shape changes the
# number, so it never reads the entries the previous release left in Redis (they expire).
NEXT_PUBLICATION_KEY = "pagecache:next-publication:2"
PAGE_KEY = "pagecache:page:2:{host}:{path}:{query}"
# In settings.PAGE_CACHE_QUERY_PARAMS: the parameter is a page number.
PAGE_NUMBER = "page-number"
_NOTHING_SCHEDULED = "none"
# The generation of each surrogate key: a change bumps those of the keys it touches.
KEY_GENERATION = "pagecache:key:{}"
# Moves with every change, before its keys: a page whose rendering started under another
# epoch is kept only if no change since touched its keys.
EPOCH_KEY = "pagecache:epoch"
# The keys the change that made an epoch touched, written once they are bumped. Kept an hour
# (a few hundred KB at one change a second): while it is there, hits under its epoch cost one
# round trip (`_still_fresh()`).
CHANGE_KEY = "pagecache:change:{}"
_CHANGE_SECONDS = 3600
# More changes than this while one page renders: it is served, not kept.
_MAX_CHANGES_DURING_RENDER = 50
# Carried by every stored page, fragment and kept object: `bump()` makes them all stale.
EVERY_PAGE = "*"
# Carried by a page (or fragment) that names no key: any change makes it stale.
UNNAMED = "sans-cle"
# Not followed by a fragment declared `ignores_comments` (invalidation.COMMENTS_PREFIX).
_COMMENTS_PREFIX = "comments-"
# Headers that belong to one response, never replayed from a stored page.
_PER_RESPONSE = {"Set-Cookie", "Age", "X-Request-ID", "Date"}
# Served by WhiteNoise or the media view further in: no page is stored under them.
_UNCACHED_PREFIXES = ("/static/", "/media/")


def _cache():
    return caches[settings.PAGE_CACHE_ALIAS]


def bump() -> None:
    """Make every cached page, fragment and kept object stale.

    Only for what changes every page at once: `manage.py flush_page_cache` (after a deploy
    that changed templates). A change to content names its keys (`invalidate()`).
    """
    invalidate([EVERY_PAGE])


def invalidate(keys) -> None:
    """Stored pages and fragments carrying one of these surrogate keys are stale; the others
    stay.

    At once, and again when the transaction commits: a reader who rendered the old rows in
    between must not have stored them under the new generations.
    """
    names = sorted({*keys, UNNAMED})
    _invalidate_now(names)
    transaction.on_commit(lambda: _invalidate_now(names))


def _invalidate_now(names) -> None:
    cache = _cache()
    # The epoch first, then the keys, then the record of what this epoch touched: an epoch
    # without its record is a change under way, which nothing rendered meanwhile may trust.
    epoch = _incremented(cache, EPOCH_KEY)
    for name in names:
        _incremented(cache, KEY_GENERATION.format(name))
    if epoch is not None:
        cache.set(CHANGE_KEY.format(epoch), names, timeout=_CHANGE_SECONDS)
    # With a read replica, pages are rebuilt from it only once it has replayed this change.
    replica.remember_primary_position()


def _incremented(cache, key) -> int | None:
    """The counter plus one; started first if the cache has none (first change, or the cache
    lost it), so that the value differs from one a renderer started meanwhile."""
    try:
        return cache.incr(key)
    except ValueError:
        cache.add(key, _start_value(), timeout=None)
    try:
        return cache.incr(key)
    except ValueError:
        return None  # The cache is unreachable: nothing is stored meanwhile either.


def _started(cache, key) -> int | None:
    """The value of a counter, started if the cache has none; None when the cache fails."""
    cache.add(key, _start_value(), timeout=None)
    return cache.get(key)


def _start_value() -> int:
    # Above any value the counter had before the cache lost it (milliseconds since 1970).
    return int(timezone.now().timestamp() * 1000)


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


def _seconds_until_next_publication(cache, epoch, known=None) -> int | None:
    """Seconds until the next scheduled article goes public; None when none is scheduled.

    Remembered per epoch, which every change (a scheduling too) moves (`known`: what the caller
    already read under NEXT_PUBLICATION_KEY).
    """
    if known is None:
        known = cache.get(NEXT_PUBLICATION_KEY)
    cached = known["at"] if known and known["epoch"] == epoch else None
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
            {"epoch": epoch, "at": cached},
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
        now = _now()
        held = _local_pages.get(key)
        if held is not None:
            fresh, held[1] = _still_fresh(cache, *held)
            if fresh:
                # The hot path: one round trip to the cache while nothing changed.
                return self._from_entry(request, held[0], now)
        # Not held by this process, or stale here but perhaps stored again by another.
        entry = cache.get(key)
        if entry and entry["expires"] > now:
            fresh, verified = _still_fresh(cache, entry, None)
            if fresh:
                _local_pages.put(key, [entry, verified], entry["expires"] - now)
                return self._from_entry(request, entry, now)

        # The epoch is read before the view reads its rows: a page rendered while something
        # it shows changes is not stored (its keys' generations may already be the new ones).
        epoch = _epoch(cache)
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
        generations = _generations_if_unchanged(cache, epoch, response.get("xkey", "").split())
        if generations is None:
            return
        entry = {
            "generations": generations,
            "raw": _raw(cache, generations),
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


def _epoch(cache) -> int | None:
    """The current epoch (started if the cache has none); None when the cache fails."""
    epoch = cache.get(EPOCH_KEY)
    if epoch is None:
        epoch = _started(cache, EPOCH_KEY)
        if epoch is not None:
            # A started epoch touched nothing: its record says so.
            cache.add(CHANGE_KEY.format(epoch), [], timeout=_CHANGE_SECONDS)
    return epoch


def _still_fresh(cache, entry, verified) -> tuple[bool, int | None]:
    """Whether a stored page's keys keep the generations it was stored under, and the epoch
    this is proven for (None if not proven): one round trip while the epoch is still the one
    `verified`, two after a change. Proven for an epoch only once that change's record is
    written, that is once it has bumped its keys."""
    raw = entry.get("raw")
    if raw is None:
        return _is_current(cache, entry), None
    names, expected = raw
    found = cache.get_many_raw(cache.redis_names([EPOCH_KEY]))
    epoch = int(found[0]) if found and found[0] is not None else None
    if epoch is not None and epoch == verified:
        return True, epoch
    found = cache.get_many_raw([*names, *cache.redis_names([CHANGE_KEY.format(epoch)])])
    if found is None:
        return False, None
    fresh = found[:-1] == expected
    return fresh, (epoch if fresh and epoch is not None and found[-1] is not None else None)


def _is_current(cache, entry, known=None) -> bool:
    """Whether the keys of a stored page (or fragment) still have the generations it was
    stored under: one round trip (`known`: generations this request already read)."""
    generations = entry["generations"]
    if known is None:
        current = cache.get_many(list(generations))
    else:
        missing = [key for key in generations if key not in known]
        if missing:
            found = cache.get_many(missing)
            known.update({key: found.get(key) for key in missing})
        current = known
    return all(current.get(key) == kept for key, kept in generations.items())


def _raw(cache, generations) -> tuple | None:
    """(Redis names, stored bytes) of these generations, for `_is_current()` to compare
    as they are stored; None when the cache is not our Redis."""
    if not hasattr(cache, "get_many_raw"):
        return None
    return cache.redis_names(generations), [str(value).encode() for value in generations.values()]


def _generations_if_unchanged(cache, epoch, names) -> dict | None:
    """{generation key: its current value} for these surrogate keys (with EVERY_PAGE, and
    UNNAMED when there are none), or None when a change since `epoch` was read may have
    touched them (what was rendered may be older than those generations)."""
    names = {EVERY_PAGE, *(names or [UNNAMED])}
    keys = [KEY_GENERATION.format(name) for name in names]
    for _attempt in range(2):
        found = cache.get_many([EPOCH_KEY, *keys])
        current = found.pop(EPOCH_KEY, None)
        if current is None:
            return None
        if current != epoch:
            if not 0 < current - epoch <= _MAX_CHANGES_DURING_RENDER:
                return None
            records = [CHANGE_KEY.format(number) for number in range(epoch + 1, current + 1)]
            touched = cache.get_many(records)
            if len(touched) != len(records) or any(set(t) & names for t in touched.values()):
                return None
        missing = [key for key in keys if key not in found]
        if not missing:
            return found
        # Keys no change has named yet (or the cache lost them) start here; read again with
        # the epoch, in case a change named one of them meanwhile.
        for key in missing:
            cache.add(key, _start_value(), timeout=None)
    return None


def _etag_matches(header: str, etag: str) -> bool:
    if not header:
        return False
    return header.strip() == "*" or etag in (
        tag.strip().removeprefix("W/") for tag in header.split(",")
    )


_UNSET = object()


def fragment_lifetime(request) -> tuple[int, int] | None:
    """(epoch, seconds) for the fragments of this request's page; None when they must be
    rendered.

    Only anonymous readers of public pages share fragments (staff see fresh pages, previews
    are never kept), for as long as the page itself could be cached: until a change touches
    what they show, or the next scheduled publication. The epoch is read before the view reads
    anything: a fragment rendered while what it shows changes is not kept.
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
            found = cache.get_many([EPOCH_KEY, NEXT_PUBLICATION_KEY])
            epoch = found.get(EPOCH_KEY)
            if epoch is None:
                epoch = _epoch(cache)
            # Without the epoch (the cache is unreachable), nothing can be kept safely.
            if epoch is not None:
                ttl = settings.PAGE_CACHE_SECONDS
                until_next = _seconds_until_next_publication(
                    cache, epoch, found.get(NEXT_PUBLICATION_KEY)
                )
                if until_next is not None:
                    ttl = min(ttl, until_next)
                if ttl > 0:
                    state = (epoch, ttl, _is_complete(cache, epoch))
        request._fragment_lifetime = state
        # The generations this request has read, shared by its fragments' checks.
        request._key_generations = {}
    return state


# The last epoch this process found complete (its change's record written: every key it
# touched is bumped). Fragments this process checked under it are not checked again while it
# stays the epoch, as pages are (`_still_fresh()`): a page assembled from a dozen fragments
# then costs one round trip, not one per fragment.
_complete_epoch = {"epoch": None}


def _is_complete(cache, epoch) -> bool:
    """Whether the change that made `epoch` has bumped all its keys: one read per change and
    process. Read before the fragments' generations, so that what they read is at least as
    new as that change."""
    if _complete_epoch["epoch"] == epoch:
        return True
    if cache.get(CHANGE_KEY.format(epoch)) is None:
        return False  # A change under way: nothing checked meanwhile may be trusted later.
    _complete_epoch["epoch"] = epoch
    return True


def fragment(request, name: str, vary: tuple, render, *, ignores_comments=False) -> str:
    """The HTML of a page fragment, from the cache or from `render()` (then kept).

    Kept with the surrogate keys named while it rendered (edge.keys.shows()), and stale when
    a change touches one of them. `ignores_comments`: the fragment shows no comment nor
    comment count, so moderating a comment (key comments-<id>) leaves it as it is.
    """
    lifetime = fragment_lifetime(request)
    if lifetime is None:
        return render()
    return _kept(
        request, lifetime, f"fragment:{name}", vary, lambda: str(render()), ignores_comments
    )


def kept_object(request, name: str, vary: tuple, load, *, follows=()):
    """The object a page starts from (its article, say), kept like the page's fragments.

    With its fragments kept, a hot page then reads nothing from the database. Kept with the
    surrogate keys named while loading and those it `follows` (or a function of the object
    giving them; followed, not named in the response), stale when a change touches one of
    them. `None` (not found) is never kept. Each request gets its own copy, since templates
    attach prefetched relations to it.
    """
    lifetime = fragment_lifetime(request)
    if lifetime is None:
        return load()
    followed = set()

    def pickled():
        found = load()
        if found is None:
            return None
        followed.update(follows(found) if callable(follows) else follows)
        return pickle.dumps(found, pickle.HIGHEST_PROTOCOL)

    data = _kept(request, lifetime, f"object:{name}", vary, pickled, follows=followed)
    return None if data is None else pickle.loads(data)


def _kept(request, lifetime, name, vary, compute, ignores_comments=False, follows=()):
    """What this process holds for `name` and `vary`, else the cache, if the generations of
    its keys are unchanged; else `compute()`, kept with the keys it named and those it
    `follows` (unless None)."""
    epoch, ttl, complete = lifetime
    # The epoch under which what this process holds was checked, if it may be trusted later.
    checked = epoch if complete else None
    raw = ":".join(str(value) for value in vary)
    slot = f"kept:{name}:" + hashlib.sha256(raw.encode()).hexdigest()
    cache = _cache()
    known = request._key_generations
    held = _local_fragments.get(slot)
    if held is not None:
        entry, verified = held
        if checked is not None and verified == checked:
            return entry["value"]  # Checked under this epoch, which nothing has moved since.
        if _is_current(cache, entry, known):
            held[1] = checked
            return entry["value"]
    entry = cache.get(slot)
    now = _now()
    if entry is not None and entry["expires"] > now and _is_current(cache, entry, known):
        _local_fragments.put(slot, [entry, checked], entry["expires"] - now)
        return entry["value"]
    with collecting() as shown:
        value = compute()
    if value is None:
        return None
    if ignores_comments:
        shown = {key for key in shown if not key.startswith(_COMMENTS_PREFIX)}
    generations = _generations_if_unchanged(cache, epoch, {*shown, *follows})
    if generations is not None:
        entry = {"generations": generations, "expires": now + ttl, "value": value}
        cache.set(slot, entry, timeout=ttl)
        _local_fragments.put(slot, [entry, checked], ttl)
    return value


class _LocalFragments:
    """The hottest pages and fragments, also kept in each process's memory.

    A copy in memory is checked like the shared one (the generations of its keys) and expires
    no later: a hot page then costs one round trip to the cache instead of two.
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
    _complete_epoch["epoch"] = None


def _now() -> float:
    return timezone.now().timestamp()
