"""Which published things a request of the API asks for, a page at a time.

Filters are checked here (unknown rubric, author or tag → 400 in French) and pages are read
by keyset: each page costs the same few queries, the first as the thousandth.
"""

import re
from datetime import date, datetime, time, timedelta

from django.db.models import Exists, Max, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from articles.models import Article, AuthorProfile, Category
from edge.keys import shows
from live.models import Live, LiveEntry

from . import cursors
from .errors import ApiError

DEFAULT_LIMIT = 20
MAX_LIMIT = 50
# The dates an article may carry: outside, a day has no instant in every time zone.
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)
_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,200}")
_EPOCH, _MICROSECOND = cursors.EPOCH, cursors.MICROSECOND


def _slug(value: str, what: str, parameter: str) -> str:
    if not _SLUG.fullmatch(value):
        raise ApiError(
            f"« {parameter} » doit être l’adresse web d’{what} : minuscules, chiffres et tirets."
        )
    return value


def _tag_slug(value: str) -> str:
    # Tag slugs may hold any letter (django-taggit keeps Unicode), never a control character.
    if not value or len(value) > 100 or "/" in value or not value.isprintable():
        raise ApiError(
            "« tag » doit être l’adresse web d’un mot-clé, telle que /api/v1/tags/ la donne."
        )
    return value


def _day_start(day: date) -> datetime:
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ApiError("Les dates vont du 1900-01-01 au 2999-12-31.")
    return timezone.make_aware(datetime.combine(day, time.min))


def published_articles():
    """The published articles and what their summary shows, newest first."""
    return (
        Article.objects.published()
        .for_listing()
        .defer("body", "meta_description")
        .order_by("-published_at", "-pk")
    )


def with_tags(articles: list) -> list:
    """Each article's tags, in one query (`article.tag_list`): django-taggit's own prefetch
    builds a queryset per article, a third of a 50-article page's time."""
    tagged = (
        TaggedItem.objects.filter(
            content_type__app_label="articles",
            content_type__model="article",
            object_id__in=[article.pk for article in articles],
        )
        .select_related("tag")
        .order_by("tag__name")
    )
    by_article = {}
    for item in tagged:
        by_article.setdefault(item.object_id, []).append(item.tag)
    for article in articles:
        article.tag_list = by_article.get(article.pk, [])
    return articles


def articles(
    *,
    category: str | None = None,
    tag: str | None = None,
    author: str | None = None,
    since: date | None = None,
    until: date | None = None,
):
    """Published articles matching the filters; ApiError for a filter that names nothing."""
    found = published_articles()
    if category is not None:
        slug = _slug(category, "une rubrique", "category")
        rubric = Category.objects.filter(slug=slug).values_list("pk", flat=True).first()
        if rubric is None:
            raise ApiError(f"Aucune rubrique « {slug} » : voir /api/v1/categories/.")
        # The rubric's list: a publication in it purges this answer like the rubric's page.
        shows(f"category-{rubric}")
        found = found.filter(category_id=rubric)
    if author is not None:
        slug = _slug(author, "un auteur", "author")
        # Among those who sign a published article: a 400 must not tell who else exists.
        signer = _signers().filter(slug=slug).values_list("pk", flat=True).first()
        if signer is None:
            raise ApiError(f"Aucun auteur « {slug} » : voir /api/v1/authors/.")
        shows(f"author-{signer}")
        found = found.filter(authors=signer)
    if tag is not None:
        slug = _tag_slug(tag)
        keyword = _used_tags().filter(slug=slug).values_list("pk", flat=True).first()
        if keyword is None:
            raise ApiError("Aucun mot-clé à cette adresse : voir /api/v1/tags/.")
        shows(f"tag-{keyword}")
        found = found.filter(tags=keyword)
    if since is not None and until is not None and since > until:
        raise ApiError("« since » doit être antérieure ou égale à « until ».")
    if since is not None:
        found = found.filter(published_at__gte=_day_start(since))
    if until is not None:
        _day_start(until)
        if until < LAST_DAY:
            found = found.filter(published_at__lt=_day_start(until + timedelta(days=1)))
    return found


def article_page(found, *, limit: int, cursor: str | None):
    """(articles of the page, cursor of the next page or None)."""
    rows, next_cursor = _by_moment_page(
        "articles", found, "published_at", limit=limit, cursor=cursor
    )
    return with_tags(rows), next_cursor


def _by_moment_page(kind: str, found, field: str, *, limit: int, cursor: str | None):
    """`found`, latest `field` first then highest pk, read from the cursor's (moment, pk)."""
    position = cursors.read(kind, cursor, (int, int))
    if position is not None:
        at, pk = _EPOCH + position[0] * _MICROSECOND, position[1]
        found = found.filter(**{f"{field}__lte": at}).filter(
            Q(**{f"{field}__lt": at}) | Q(pk__lt=pk)
        )
    rows = list(found[: limit + 1])
    if len(rows) <= limit:
        return rows, None
    last = rows[limit - 1]
    return rows[:limit], cursors.make(kind, [_microseconds(getattr(last, field)), last.pk])


def _by_slug_page(kind: str, found, *, limit: int, cursor: str | None):
    position = cursors.read(kind, cursor, (str,))
    if position is not None:
        found = found.filter(slug__gt=position[0])
    rows = list(found.order_by("slug")[: limit + 1])
    if len(rows) <= limit:
        return rows, None
    return rows[:limit], cursors.make(kind, [rows[limit - 1].slug])


def article(slug: str):
    """A published article with everything its page in the API shows, or None."""
    if not _SLUG.fullmatch(slug):
        return None
    found = (
        Article.objects.published()
        .select_related("category", "hero_photo", "live")
        .prefetch_related("authors", "notes")
        .defer("search_vector")
        .filter(slug=slug)
        .first()
    )
    return None if found is None else with_tags([found])[0]


def categories():
    return Category.objects.all()


def category(slug: str):
    return Category.objects.filter(slug=slug).first() if _SLUG.fullmatch(slug) else None


def _signers():
    """Authors who sign at least one published article: the others have nothing public."""
    return AuthorProfile.objects.filter(
        Exists(Article.objects.published().filter(authors=OuterRef("pk")))
    ).select_related("portrait")


def author_page(*, limit: int, cursor: str | None):
    return _by_slug_page("authors", _signers(), limit=limit, cursor=cursor)


def author(slug: str):
    return _signers().filter(slug=slug).first() if _SLUG.fullmatch(slug) else None


def _used_tags():
    """Tags of at least one published article: a draft's tags may tell a story too soon."""
    return Tag.objects.filter(Exists(Article.objects.published().filter(tags=OuterRef("pk"))))


def tag_page(*, limit: int, cursor: str | None):
    return _by_slug_page("tags", _used_tags(), limit=limit, cursor=cursor)


def tag(slug: str):
    try:
        slug = _tag_slug(slug)
    except ApiError:
        return None
    return _used_tags().filter(slug=slug).first()


def _microseconds(moment: datetime) -> int:
    return (moment - _EPOCH) // _MICROSECOND


def _public_lives():
    """Lives whose article readers may see."""
    return Live.objects.filter(article__in=Article.objects.published()).select_related("article")


def live_page(*, limit: int, cursor: str | None):
    """Lives, the latest started first: (lives of the page, cursor of the next page or None)."""
    found = _public_lives().order_by("-started_at", "-pk")
    return _by_moment_page("lives", found, "started_at", limit=limit, cursor=cursor)


def live(pk: int):
    # A number past the database's integers names nothing (PostgreSQL would fail on it).
    return _public_lives().filter(pk=pk).first() if 0 < pk < 2**63 else None


def _aware(moment: datetime) -> datetime:
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    if not FIRST_DAY <= moment.date() <= LAST_DAY:
        raise ApiError("Les dates vont du 1900-01-01 au 2999-12-31.")
    return moment


def live_entries(live, *, since: datetime | None, limit: int, cursor: str | None) -> dict:
    """A live's published entries.

    Without `since`: newest first, a page at a time, and `next_since`, the moment of the
    latest change, from which to poll. With `since`: what changed after it (entries published
    or corrected, oldest change first, and the ids of entries withdrawn), and the `next_since`
    to ask next; polling with the same value while nothing changes hits the same cached answer.
    """
    shows(f"live-{live.pk}")
    entries = live.entries.published().for_stream()
    changed = Coalesce("corrected_at", "published_at")
    if since is None:
        position = cursors.read("entries", cursor, (int, int))
        found = entries.order_by("-published_at", "-pk")
        if position is not None:
            at, pk = _EPOCH + position[0] * _MICROSECOND, position[1]
            found = found.filter(published_at__lte=at).filter(Q(published_at__lt=at) | Q(pk__lt=pk))
        rows = list(found[: limit + 1])
        next_cursor = None
        if len(rows) > limit:
            rows, last = rows[:limit], rows[limit - 1]
            next_cursor = cursors.make("entries", [_microseconds(last.published_at), last.pk])
        latest = live.entries.filter(published_at__isnull=False).aggregate(
            changed=Max(changed), withdrawn=Max("withdrawn_at")
        )
        moments = [moment for moment in latest.values() if moment is not None]
        return {
            "items": rows,
            "withdrawn": [],
            "next_since": max(moments) if moments else None,
            "more": False,
            "next_cursor": next_cursor,
        }
    if cursor is not None:
        raise ApiError("« cursor » et « since » ne vont pas ensemble : suivez « next_since ».")
    since = _aware(since)
    rows = list(
        entries.annotate(changed_at=changed)
        .filter(changed_at__gt=since)
        .order_by("changed_at", "pk")[: limit + 1]
    )
    more = len(rows) > limit
    rows = rows[:limit]
    until = rows[-1].changed_at if more else None
    withdrawn = live.entries.filter(
        status=LiveEntry.Status.WITHDRAWN, published_at__isnull=False, withdrawn_at__gt=since
    )
    if until is not None:
        withdrawn = withdrawn.filter(withdrawn_at__lte=until)
    gone = list(withdrawn.order_by("withdrawn_at", "pk").values_list("pk", "withdrawn_at")[:200])
    moments = [since, *(row.changed_at for row in rows), *(at for _, at in gone)]
    return {
        "items": rows,
        "withdrawn": [pk for pk, _ in gone],
        "next_since": until or max(moments),
        "more": more,
        "next_cursor": None,
    }
