from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject

from actualites.http import allow
from articles.models import Article
from articles.pagination import requested_page
from edge.keys import shows
from public_cache import pagecache

from .models import Live, LiveEntry
from .templatetags.live_tags import live_entry

ENTRIES_PER_PAGE = 30
KEY_MOMENTS_SHOWN = 12
# What the poll endpoint sends: the newest entries, enough to cover a tab hidden for a while;
# a reader away longer reloads (the button says so).
POLL_ENTRIES = 40
POLL_WITHDRAWN = 50


def live_page(request, article, live):
    """The article page of a live (articles.views.article_detail hands it over): « L’essentiel »,
    key moments, entries newest first, older ones on ?page=2…"""
    # The row kept with the article predates the live's latest entries (they renew only the
    # pages showing live-<id>, not the kept objects): the live's own row, read afresh.
    live = Live.objects.get(pk=live.pk)
    number = requested_page(request.GET.get("page"))
    stream = live.entries.published().for_stream().newest_first()
    paginator = Paginator(stream, ENTRIES_PER_PAGE)
    if number > 1:
        pages = pagecache.kept_object(
            request,
            "live-pages",
            (live.pk, live.version),
            lambda: paginator.num_pages,
            follows=[f"live-{live.pk}"],
        )
        if number > pages:
            raise Http404("Cette page n’existe pas.")
    return render(
        request,
        "live/live_detail.html",
        {
            "article": article,
            "live": live,
            "related": article.related,
            "current_category": article.category,
            "page_number": number,
            "entries_page": SimpleLazyObject(lambda: paginator.page(number)),
            "key_moments": SimpleLazyObject(
                lambda: list(
                    live.entries.key_moments().for_stream().newest_first()[:KEY_MOMENTS_SHOWN]
                )
            ),
            "poll_seconds": settings.LIVE_POLL_SECONDS,
        },
    )


def public_live(pk):
    """A live whose article readers may see, else 404."""
    live = (
        Live.objects.select_related("article")
        .filter(pk=pk, article__in=Article.objects.published())
        .first()
    )
    if live is None:
        raise Http404("Direct introuvable.")
    shows(f"live-{live.pk}")
    return live


@allow("GET")
def poll(request, pk):
    """What the page's script asks every 20 s: the newest entries, cached like a page and
    answered 304 while nothing changed (ETag set by the page cache, or by ConditionalGet)."""
    live = public_live(pk)
    entries = live.entries.published().for_stream().newest_first()[:POLL_ENTRIES]
    withdrawn = (
        live.entries.filter(status=LiveEntry.Status.WITHDRAWN, published_at__isnull=False)
        .order_by("-withdrawn_at")
        .values_list("pk", flat=True)[:POLL_WITHDRAWN]
    )
    response = JsonResponse(
        {
            "state": live.state,
            "version": live.version,
            "entries": [
                {
                    "id": entry.pk,
                    "stamp": entry.stamp,
                    "key": entry.is_key_moment,
                    "html": str(live_entry(entry)),
                }
                for entry in entries
            ],
            "withdrawn": list(withdrawn),
        },
        json_dumps_params={"ensure_ascii": False},
    )
    response["X-Robots-Tag"] = "noindex"
    return response
