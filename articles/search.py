"""Reader search over published articles.

On PostgreSQL: full-text search on `Article.search_vector`, which a trigger fills (see
migration 0003) with the title (weight A), standfirst (B) and body (C) under the
`fr_unaccent` configuration: French stemming, accents ignored. Queries use the
websearch syntax ("phrase exacte", -exclu, or), results are ranked with ts_rank and
excerpts highlighted with ts_headline.

Elsewhere (SQLite in development) a simpler fallback: every word must appear, case and
accents ignored, in the title, standfirst or body text; title matches rank first, then
standfirst, then body. Its only stemming is a trailing plural "s" or "x" dropped.
"""

import html
import re
import unicodedata
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, F, Func, IntegerField, Q, QuerySet, TextField, Value, When
from django.db.models.functions import Concat
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe

from .models import Article

MAX_QUERY_LENGTH = 200
MAX_WORDS = 12
SEARCH_CONFIG = "fr_unaccent"
EXCERPT_CHARS = 240
# Private-use characters: they cannot come from the query (cleaned) nor, in practice, articles.
_START, _STOP = "\ue000", "\ue001"
_MARKED = re.compile(f"{_START}(.*?){_STOP}", re.DOTALL)
_TAGS = r"<[^>]*>"


@dataclass(frozen=True)
class Query:
    text: str
    words: tuple[str, ...]
    truncated: bool = False


def fold(text: str) -> str:
    """Lower case without accents: "Négociation" → "negociation"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


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
    words = tuple(word for word in re.findall(r"\w+", fold(text)) if len(word) > 1)
    return Query(text=text, words=words[:MAX_WORDS], truncated=truncated)


def search_articles(query: Query) -> QuerySet[Article]:
    """Published articles matching the query, best first, ready for a listing."""
    # The vector is only read inside the database: don't ship it back with every row.
    published = Article.objects.published().for_listing().defer("search_vector")
    if not query.words:
        return published.none()
    if connection.vendor == "postgresql":
        return _full_text_search(published, query.text)
    return _simple_search(published, query.words)


def add_excerpts(articles, query: Query) -> list[Article]:
    """Give each article a safe `excerpt` with the searched words in <mark>."""
    articles = list(articles)
    for article in articles:
        headline = getattr(article, "headline", None)
        if headline is not None:
            article.excerpt = _marked_to_html(headline, article.standfirst)
        else:
            article.excerpt = _highlight(article, query.words)
    return articles


def _full_text_search(published, text):
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


def _fold_html(value):
    return fold(html.unescape(strip_tags(value or "")))


def _fold_plain(value):
    return fold(value or "")


def _use_sqlite_functions():
    connection.ensure_connection()
    connection.connection.create_function("ae_fold", 1, _fold_plain, deterministic=True)
    connection.connection.create_function("ae_fold_html", 1, _fold_html, deterministic=True)


def _stem(word):
    return word[:-1] if len(word) > 3 and word[-1] in "sx" else word


def _simple_search(published, words):
    _use_sqlite_functions()
    stems = [_stem(word) for word in words]
    queryset = published.annotate(
        folded_title=Func(F("title"), function="ae_fold", output_field=TextField()),
        folded_standfirst=Func(F("standfirst"), function="ae_fold", output_field=TextField()),
        folded_body=Func(F("body"), function="ae_fold_html", output_field=TextField()),
    )
    rank = Value(0)
    for stem in stems:
        queryset = queryset.filter(
            Q(folded_title__contains=stem)
            | Q(folded_standfirst__contains=stem)
            | Q(folded_body__contains=stem)
        )
        for field, weight in (("title", 4), ("standfirst", 2), ("body", 1)):
            rank = rank + Case(
                When(**{f"folded_{field}__contains": stem}, then=Value(weight)),
                default=Value(0),
                output_field=IntegerField(),
            )
    return queryset.annotate(rank=rank).order_by("-rank", "-published_at", "-pk")


def _highlight(article, words) -> SafeString:
    """An excerpt around the first searched word, for the fallback search."""
    text = " ".join(
        part for part in (article.standfirst, html.unescape(strip_tags(article.body))) if part
    )
    text = " ".join(text.split())
    folded, origin = _fold_with_positions(text)
    spans = []
    for stem in {_stem(word) for word in words}:
        spans += [
            _whole_word(text, origin[m.start()], origin[m.end() - 1] + 1)
            for m in re.finditer(re.escape(stem), folded)
        ]
    spans = _merge(sorted(spans))
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


def _fold_with_positions(text):
    folded, origin = [], []
    for index, char in enumerate(text):
        for folded_char in fold(char):
            folded.append(folded_char)
            origin.append(index)
    return "".join(folded), origin


def _whole_word(text, start, end):
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    return start, end


def _merge(spans):
    merged = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
