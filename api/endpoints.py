"""The public, read-only JSON API: published articles, rubrics, authors and tags.

django-ninja validates the parameters and each response against api/schemas.py, and writes
the OpenAPI schema (/api/v1/openapi.json) from the same declarations. The views stay thin:
what they may show is chosen in listing.py, how it looks in content.py.
"""

import functools
import inspect
import json
import logging
from datetime import UTC, date, datetime

from django.conf import settings
from django.http import Http404
from django.utils.http import urlencode
from ninja import NinjaAPI, Query
from ninja.errors import ValidationError
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder

from actualites.links import absolute_url
from edge.keys import collecting, shows
from public_cache import pagecache

from . import content, listing, schemas
from .errors import NOT_FOUND, ApiError, error_response

logger = logging.getLogger(__name__)


class FrenchJSONRenderer(JSONRenderer):
    """Accents as they are (UTF-8), compact."""

    def render(self, request, data, *, response_status):
        return json.dumps(data, cls=NinjaJSONEncoder, ensure_ascii=False, separators=(",", ":"))


api = NinjaAPI(
    title="Actualités Express — API publique",
    version="1",
    description=(
        "Les articles publiés d’Actualités Express, leurs rubriques, auteurs et mots-clés, en "
        "JSON et en lecture seule (GET), ouverts à toutes les origines (CORS). Les listes se "
        'parcourent par curseur (`next`) ; les erreurs sont `{"detail": "…"}` en français.'
    ),
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url=None,
    renderer=FrenchJSONRenderer(),
)

_PARAMETER_ERRORS = {
    "limit": f"« limit » doit être un nombre entier de 1 à {listing.MAX_LIMIT}.",
    "since": "« since » doit être une date écrite AAAA-MM-JJ, par exemple 2026-11-28 (pour "
    "les entrées d’un direct, un instant tel que « next_since » le donne).",
    "until": "« until » doit être une date écrite AAAA-MM-JJ, par exemple 2026-11-28.",
}


@api.exception_handler(ApiError)
def _refused(request, exc):
    return error_response(exc.detail, exc.status)


@api.exception_handler(ValidationError)
def _invalid_parameter(request, exc):
    names = [str(error["loc"][-1]) for error in exc.errors if error.get("loc")]
    for name in names:
        if name in _PARAMETER_ERRORS:
            return error_response(_PARAMETER_ERRORS[name], 400)
    shown = f"« {names[0]} »" if names and names[0].isidentifier() else "un paramètre"
    return error_response(f"La valeur de {shown} n’est pas valable.", 400)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return error_response(NOT_FOUND, 404)


@api.exception_handler(Exception)
def _failed(request, exc):
    logger.exception("Erreur de l’API publique")
    return error_response("Erreur interne : nous y travaillons, réessayez plus tard.", 500)


def known_parameters(view):
    """A query parameter the view does not declare is a 400, not silently ignored: a client
    misspelling « category » must not get every article."""
    known = set(inspect.signature(view).parameters) - {"request"}

    @functools.wraps(view)
    def checked(request, *args, **kwargs):
        accepted = known - set(request.resolver_match.kwargs)
        # Campaign parameters (utm_source…) are ignored, as by the pages and the page cache.
        ignored = settings.PAGE_CACHE_IGNORED_PARAMS
        unknown = sorted(name for name in request.GET if name not in accepted | ignored)
        if unknown:
            accepted = ", ".join(sorted(accepted)) or "aucun"
            name = unknown[0] if unknown[0].isidentifier() and len(unknown[0]) < 40 else "?"
            raise ApiError(f"Paramètre inconnu : « {name} ». Paramètres acceptés : {accepted}.")
        # Surrogate key of every API answer: a change the API shows purges them all (edge/).
        shows("api")
        return view(request, *args, **kwargs)

    return checked


def _kept(request, compute):
    """The answer's data, kept like the pages' fragments: with the surrogate keys it names
    (and « api », which every change to an article touches), never past the next scheduled
    publication. An answer the page cache does not hold (a filter, a cursor) then reads
    nothing from the database while nothing it shows has changed. What is not found (None)
    or refused (ApiError) is never kept.

    The surrogate keys named while computing are kept with the data and named again when it
    is served from there: the answer carries the same keys either way (edge/keys.py).
    """
    ignored = settings.PAGE_CACHE_IGNORED_PARAMS
    query = tuple(sorted((k, v) for k, v in request.GET.items() if k not in ignored))

    def compute_with_keys():
        with collecting() as keys:
            data = compute()
        return None if data is None else {"data": data, "keys": sorted(keys)}

    vary = (request.path, query)
    kept = pagecache.kept_object(request, "api-answer", vary, compute_with_keys, follows=["api"])
    if kept is None:
        return None
    shows(*kept["keys"])
    return kept["data"]


def _detail(request, find, key, show, missing: str):
    """One object's answer (`find(key)` shown by `show`), kept like a list's; `missing` is
    the 404's French sentence."""
    found = _kept(request, lambda: _shown(find(key), show))
    if found is None:
        raise ApiError(missing, 404)
    return found


def _shown(found, show):
    return None if found is None else show(found)


def _page(request, rows, next_cursor: str | None, show) -> dict:
    """A page of a list read by cursor: its items, the next cursor and the next page's URL."""
    return {
        "items": [show(row) for row in rows],
        "next_cursor": next_cursor,
        "next": _next_url(request, next_cursor),
    }


def _next_url(request, cursor: str | None) -> str | None:
    if cursor is None:
        return None
    dropped = {"cursor", *settings.PAGE_CACHE_IGNORED_PARAMS}
    query = [(name, value) for name, value in request.GET.items() if name not in dropped]
    return f"{settings.SITE_URL}{request.path}?{urlencode([*query, ('cursor', cursor)])}"


Limit = Query(
    listing.DEFAULT_LIMIT,
    ge=1,
    le=listing.MAX_LIMIT,
    description=f"Nombre d’éléments par page, de 1 à {listing.MAX_LIMIT}.",
)
Cursor = Query(None, description="Curseur de la page suivante (`next_cursor` de la précédente).")
Filters = {
    "category": Query(None, description="Adresse web d’une rubrique (`politique`)."),
    "tag": Query(None, description="Adresse web d’un mot-clé (`alaska`)."),
    "author": Query(None, description="Adresse web d’un auteur."),
    "since": Query(None, description="Publiés ce jour-là ou après (heure de Paris), AAAA-MM-JJ."),
    "until": Query(None, description="Publiés ce jour-là ou avant (heure de Paris), AAAA-MM-JJ."),
}
ERRORS = {400: schemas.Error, 404: schemas.Error}


@api.get(
    "/articles/",
    response={200: schemas.ArticlePage, 400: schemas.Error},
    url_name="articles",
    summary="Articles publiés, du plus récent au plus ancien",
    tags=["articles"],
)
@known_parameters
def article_list(
    request,
    category: str | None = Filters["category"],
    tag: str | None = Filters["tag"],
    author: str | None = Filters["author"],
    since: date | None = Filters["since"],
    until: date | None = Filters["until"],
    limit: int = Limit,
    cursor: str | None = Cursor,
):
    def page():
        found = listing.articles(
            category=category, tag=tag, author=author, since=since, until=until
        )
        rows, next_cursor = listing.article_page(found, limit=limit, cursor=cursor)
        return _page(request, rows, next_cursor, content.article_summary)

    return _kept(request, page)


@api.get(
    "/articles/{slug}/",
    response={200: schemas.Article, **ERRORS},
    url_name="article",
    summary="Un article publié, avec son texte",
    tags=["articles"],
)
@known_parameters
def article_detail(request, slug: str):
    return _detail(
        request,
        listing.article,
        slug,
        content.article_detail,
        "Aucun article publié à cette adresse.",
    )


@api.get(
    "/categories/",
    response={200: schemas.CategoryList, 400: schemas.Error},
    url_name="categories",
    summary="Les rubriques, dans l’ordre du site",
    tags=["rubriques"],
)
@known_parameters
def category_list(request):
    return _kept(
        request, lambda: {"items": [content.category(rubric) for rubric in listing.categories()]}
    )


@api.get(
    "/categories/{slug}/",
    response={200: schemas.Category, **ERRORS},
    url_name="category",
    summary="Une rubrique",
    tags=["rubriques"],
)
@known_parameters
def category_detail(request, slug: str):
    return _detail(
        request, listing.category, slug, content.category, "Aucune rubrique à cette adresse."
    )


@api.get(
    "/authors/",
    response={200: schemas.AuthorPage, 400: schemas.Error},
    url_name="authors",
    summary="Les auteurs qui signent au moins un article publié",
    tags=["auteurs"],
)
@known_parameters
def author_list(request, limit: int = Limit, cursor: str | None = Cursor):
    def page():
        rows, next_cursor = listing.author_page(limit=limit, cursor=cursor)
        return _page(request, rows, next_cursor, content.author)

    return _kept(request, page)


@api.get(
    "/authors/{slug}/",
    response={200: schemas.Author, **ERRORS},
    url_name="author",
    summary="Le profil public d’un auteur",
    tags=["auteurs"],
)
@known_parameters
def author_detail(request, slug: str):
    return _detail(request, listing.author, slug, content.author, "Aucun auteur à cette adresse.")


@api.get(
    "/tags/",
    response={200: schemas.TagPage, 400: schemas.Error},
    url_name="tags",
    summary="Les mots-clés d’au moins un article publié",
    tags=["mots-clés"],
)
@known_parameters
def tag_list(request, limit: int = Limit, cursor: str | None = Cursor):
    def page():
        rows, next_cursor = listing.tag_page(limit=limit, cursor=cursor)
        return _page(request, rows, next_cursor, content.tag)

    return _kept(request, page)


@api.get(
    "/tags/{slug}/",
    response={200: schemas.Tag, **ERRORS},
    url_name="tag",
    summary="Un mot-clé",
    tags=["mots-clés"],
)
@known_parameters
def tag_detail(request, slug: str):
    return _detail(request, listing.tag, slug, content.tag, "Aucun mot-clé à cette adresse.")


@api.get(
    "/lives/",
    response={200: schemas.LivePage, 400: schemas.Error},
    url_name="lives",
    summary="Les directs, du plus récent au plus ancien",
    tags=["directs"],
)
@known_parameters
def live_list(request, limit: int = Limit, cursor: str | None = Cursor):
    def page():
        rows, next_cursor = listing.live_page(limit=limit, cursor=cursor)
        return _page(request, rows, next_cursor, content.live)

    # Not kept: a summary rewritten renews only its live's key, which a list of lives cannot
    # follow; a page of lives is a few indexed queries, and the page cache keeps it whole.
    return page()


@api.get(
    "/lives/{int:id}/",
    response={200: schemas.Live, **ERRORS},
    url_name="live",
    summary="Un direct : son article, son état, « L’essentiel »",
    tags=["directs"],
)
@known_parameters
def live_detail(request, id: int):
    return _detail(request, listing.live, id, content.live, "Aucun direct à cette adresse.")


Since = Query(
    None,
    description="Seulement ce qui a changé après cet instant (ISO 8601) : passez la valeur "
    "`next_since` de la réponse précédente.",
)


@api.get(
    "/lives/{int:id}/entries/",
    response={200: schemas.LiveEntries, **ERRORS},
    url_name="live-entries",
    summary="Les entrées publiées d’un direct ; avec `since`, ce qui a changé depuis",
    tags=["directs"],
)
@known_parameters
def live_entries(
    request,
    id: int,
    since: datetime | None = Since,
    limit: int = Limit,
    cursor: str | None = Cursor,
):
    def page():
        live = listing.live(id)
        if live is None:
            return None
        found = listing.live_entries(live, since=since, limit=limit, cursor=cursor)
        article_url = absolute_url(live.article.get_absolute_url())
        return {
            **found,
            "items": [content.live_entry(entry, article_url) for entry in found["items"]],
            "next": _next_url(request, found["next_cursor"]),
            "next_since": found["next_since"]
            and found["next_since"].astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        }

    found = _kept(request, page)
    if found is None:
        raise ApiError("Aucun direct à cette adresse.", 404)
    return found
