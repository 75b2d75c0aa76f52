"""Reader search over published articles: one promise, the same on PostgreSQL and SQLite.

Both engines index the same terms (articles/fulltext.py: French stop words dropped, accents
removed, Snowball French stems; title, standfirst and body weighted in that order) and read
the same « web » syntax: "phrase exacte", -exclu, or.
- PostgreSQL: `Article.search_vector`, filled by a trigger (migration 0003), matched with
  websearch_to_tsquery, ranked with ts_rank, excerpts highlighted with ts_headline.
- SQLite: the FTS5 table behind `SearchEntry`, filled by triggers (fulltext.py), matched with
  the same syntax translated by `fts5_query()`, ranked with bm25; excerpts built here.
"""

import html
import re
import unicodedata
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, Func, QuerySet, TextField, Value
from django.db.models.functions import Concat
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .fulltext import WORD, fold, plain_text, term, terms
from .models import Article, ArticleQuerySet, SearchEntry

MAX_QUERY_LENGTH = 200
MAX_WORDS = 12
SEARCH_CONFIG = "fr_unaccent"
EXCERPT_CHARS = 240
# Private-use characters: they cannot come from the query (cleaned) nor, in practice, articles.
_START, _STOP = "\ue000", "\ue001"
_MARKED = re.compile(f"{_START}(.*?){_STOP}", re.DOTALL)
_TAGS = r"<[^>]*>"
# A quoted phrase (closed or not) or a bare word, either one with a leading "-".
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(-?)([^\s"]+)')


@dataclass(frozen=True)
class Query:
    text: str
    words: tuple[str, ...]
    truncated: bool = False


@dataclass(frozen=True)
class _Clause:
    terms: tuple[str, ...]
    excluded: bool


def clean_query(raw: str | None) -> Query:
    """What a reader typed, made safe to search and to show back; never raises."""
    # Control and private-use characters: NUL breaks PostgreSQL, the others mean nothing here.
    text = "".join(" " if unicodedata.category(c) in ("Cc", "Co", "Cs") else c for c in raw or "")
    text = " ".join(text.split())
    truncated = len(text) > MAX_QUERY_LENGTH
    if truncated:
        cut = text[:MAX_QUERY_LENGTH]
        # Never search for half a word.
        if text[MAX_QUERY_LENGTH] != " " and " " in cut:
            cut = cut[: cut.rfind(" ")]
        text = cut.rstrip()
    words = tuple(word for word in WORD.findall(fold(text)) if len(word) > 1)
    return Query(text=text, words=words[:MAX_WORDS], truncated=truncated)


def _clauses(text: str) -> list[list[_Clause]]:
    """The query as websearch_to_tsquery reads it: groups joined by « or », each a list of
    words or phrases that must (or, with "-", must not) appear. Stop words are dropped."""
    groups: list[list[_Clause]] = [[]]
    for match in _TOKEN.finditer(text):
        quoted = match.group(2) is not None
        excluded = bool(match.group(1) if quoted else match.group(3))
        content = match.group(2) if quoted else match.group(4)
        if not quoted and not excluded and content.casefold() == "or":
            groups.append([])
            continue
        found = tuple(terms(content))
        if found:
            groups[-1].append(_Clause(found, excluded))
    return [group for group in groups if group]


def fts5_query(text: str) -> tuple[str, str]:
    """(what must match, what must not) in FTS5's syntax; either may be "".

    FTS5 has no "everything but": a group made only of exclusions (« -Alaska ») becomes the
    second expression, whose matches are left out. Beside groups that ask for words
    (« Trump or -Alaska »), such a group is ignored.
    """

    def phrase(clause):
        return '"' + " ".join(clause.terms) + '"'

    wanted_groups, unwanted_only = [], []
    for group in _clauses(text):
        wanted = [phrase(clause) for clause in group if not clause.excluded]
        unwanted = [phrase(clause) for clause in group if clause.excluded]
        if not wanted:
            unwanted_only.append(" OR ".join(unwanted))
            continue
        expression = " AND ".join(wanted)
        if unwanted:
            expression = f"({expression}) NOT ({' OR '.join(unwanted)})"
        wanted_groups.append(f"({expression})")
    if wanted_groups:
        return " OR ".join(wanted_groups), ""
    return "", " AND ".join(f"({expression})" for expression in unwanted_only)


def search_articles(query: Query) -> QuerySet[Article]:
    """Published articles matching the query, best first, ready for a listing."""
    if not query.words:
        return _published(Article.objects).none()
    if connection.vendor == "postgresql":
        return _postgresql_search(_published(Article.objects), query.text)
    return _sqlite_search(query.text)


def _published(queryset):
    # The vector is only read inside the database: don't ship it back with every row.
    return queryset.published().for_listing().defer("search_vector")


class _RankedMatches(ArticleQuerySet):
    """Articles joined to SQLite's index for their rank.

    Asked to COUNT that join, SQLite's planner starts from the published articles and probes
    the index once for each (seconds on a 20,000-article archive); ordered by rank, the
    query starts from the index. Reading the ids in that order beats counting them.
    """

    def count(self):
        if self._result_cache is not None:
            return len(self._result_cache)
        return len(self.values_list("pk", flat=True))


def add_excerpts(articles, query: Query) -> list[Article]:
    """Give each article a safe `excerpt` with the searched words in <mark>."""
    articles = list(articles)
    wanted = {
        term
        for group in _clauses(query.text)
        for clause in group
        if not clause.excluded
        for term in clause.terms
    }
    for article in articles:
        headline = getattr(article, "headline", None)
        if headline is not None:
            article.excerpt = _marked_to_html(headline, article.standfirst)
        else:
            article.excerpt = _highlight(article, wanted)
    return articles


def _postgresql_search(published, text):
    search_query = SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)
    body_text = Func(
        F("body"),
        Value(_TAGS),
        Value(" "),
        Value("g"),
        function="regexp_replace",
        output_field=TextField(),
    )
    return (
        published.filter(search_vector=search_query)
        .annotate(
            rank=SearchRank(F("search_vector"), search_query),
            headline=SearchHeadline(
                Concat(F("standfirst"), Value(" "), body_text, output_field=TextField()),
                search_query,
                config=SEARCH_CONFIG,
                start_sel=_START,
                stop_sel=_STOP,
                max_words=40,
                min_words=25,
                max_fragments=2,
                fragment_delimiter=" … ",
            ),
        )
        .order_by("-rank", "-published_at", "-pk")
    )


def _sqlite_search(text):
    wanted, unwanted = fts5_query(text)
    if wanted:
        return (
            _published(_RankedMatches(Article))
            .filter(search_entry__match=wanted)
            .annotate(rank=F("search_entry__rank"))
            .order_by("rank", "-published_at", "-pk")
        )
    published = _published(Article.objects)
    if unwanted:
        # Only exclusions (« -Alaska »): like PostgreSQL, every article without those words.
        matches = SearchEntry.objects.filter(match=unwanted).values("article_id")
        return published.exclude(pk__in=matches).order_by("-published_at", "-pk")
    return published.none()


def _marked_to_html(headline: str, standfirst: str) -> SafeString:
    # Body text still carries the entities of its HTML (&amp;…): decode, then escape it all.
    text = " ".join(html.unescape(headline).split())
    marked = _MARKED.sub(r"<mark>\1</mark>", escape(text))
    marked = marked.replace(_START, "").replace(_STOP, "")
    # ts_headline cuts fragments out of the text: say so unless it starts the standfirst.
    plain = text.replace(_START, "").replace(_STOP, "")
    if plain[:40] != " ".join(standfirst.split())[:40]:
        marked = f"… {marked}"
    return mark_safe(marked)  # noqa: S308 - the text is escaped above


def _highlight(article, wanted: set[str]) -> SafeString:
    """An excerpt around the first searched word, with every word whose term was searched
    in <mark> (« négociation » for « négociations »), as ts_headline does."""
    text = " ".join(part for part in (article.standfirst, plain_text(article.body)) if part)
    text = " ".join(text.split())
    spans = [match.span() for match in WORD.finditer(text) if term(match.group()) in wanted]
    start = 0
    if spans and spans[0][0] > EXCERPT_CHARS // 3:
        start = text.rfind(" ", 0, spans[0][0] - EXCERPT_CHARS // 3) + 1
    end = len(text)
    if end - start > EXCERPT_CHARS:
        end = text.rfind(" ", start, start + EXCERPT_CHARS)
        end = end if end > start else start + EXCERPT_CHARS
    pieces, position = [], start
    for span_start, span_end in spans:
        if span_start < position or span_end > end:
            continue
        pieces += [
            escape(text[position:span_start]),
            f"<mark>{escape(text[span_start:span_end])}</mark>",
        ]
        position = span_end
    pieces.append(escape(text[position:end]))
    excerpt = ("… " if start else "") + "".join(pieces) + (" …" if end < len(text) else "")
    return mark_safe(excerpt)  # noqa: S308 - every piece of text is escaped above
