import re
from datetime import timedelta
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Category
from articles.search import MAX_QUERY_LENGTH, clean_query
from tests.factories import make_article, make_author, make_photo

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Recherche plein texte (racines françaises, classement ts_rank) : PostgreSQL seulement.",
)

EMPTY = "Tapez un ou plusieurs mots"
NO_WORDS = "ne contient aucun mot à chercher"
NO_RESULTS = "Aucun article ne correspond"


def search(client, q, **params):
    response = client.get(reverse("articles:search"), {"q": q, **params})
    assert response.status_code == 200
    return response.content.decode()


def result_titles(html):
    titles = re.findall(r'class="search-result__title"><a href="[^"]+">(.*?)</a>', html)
    return [
        unescape(title).replace("\u202f", " ").replace("\u00a0", " ").replace("\u2019", "'")
        for title in titles
    ]


def test_unaccented_query_finds_accented_plural_words_and_any_case(client):
    make_article(
        title="Sommet en Alaska",
        body="<p>Les négociation a duré trois heures.</p>",
        slug="sommet-alaska",
    )
    make_article(title="Un match de rugby", body="<p>Rien à voir.</p>")

    html = search(client, "negociations ALASKA")

    assert result_titles(html) == ["Sommet en Alaska"]
    assert "1 article pour « negociations ALASKA »" in html


@postgres_only
def test_french_stemming_finds_other_forms_of_a_word(client):
    make_article(title="Diplomatie", body="<p>Les négociations reprennent à Genève.</p>")

    assert result_titles(search(client, "négocier")) == ["Diplomatie"]
    assert result_titles(search(client, "NEGOCIATION geneve")) == ["Diplomatie"]


@postgres_only
def test_websearch_syntax_excludes_words_and_matches_phrases(client):
    make_article(title="Budget de la ville", body="<p>Le conseil municipal vote.</p>")
    make_article(title="Budget de l'État", body="<p>Le Parlement vote.</p>")

    assert result_titles(search(client, "budget -municipal")) == ["Budget de l'État"]
    assert result_titles(search(client, '"conseil municipal"')) == ["Budget de la ville"]


def test_every_word_must_appear(client):
    make_article(title="Les volcans d'Islande", body="<p>Une éruption.</p>")

    assert NO_RESULTS in search(client, "volcans Chili")
    assert result_titles(search(client, "volcans eruption")) == ["Les volcans d'Islande"]


def test_title_match_ranks_above_standfirst_match_above_body_match(client):
    now = timezone.now()
    # The newest first, so that ranking and not date decides the order.
    make_article(
        title="Un texte sans rapport",
        standfirst="Un chapô neutre.",
        body="<p>On y parle de la banquise, une fois.</p>",
        published_at=now - timedelta(hours=1),
    )
    make_article(
        title="Un autre texte",
        standfirst="La banquise fond plus vite que prévu.",
        published_at=now - timedelta(hours=2),
    )
    make_article(title="La banquise recule", published_at=now - timedelta(hours=3))

    titles = result_titles(search(client, "banquise"))

    assert titles == ["La banquise recule", "Un autre texte", "Un texte sans rapport"]


def test_draft_and_scheduled_articles_are_never_found(client):
    make_article(title="Orque publiée")
    make_article(title="Orque en brouillon", status=Article.Status.DRAFT)
    make_article(title="Orque programmée", published_at=timezone.now() + timedelta(hours=2))

    assert result_titles(search(client, "orque")) == ["Orque publiée"]


def test_words_inside_html_tags_are_not_searched(client):
    make_article(
        title="Citation du jour",
        body='<blockquote><p>Un mot.</p></blockquote><p><a href="https://exemple.fr/zebre">lien</a></p>',
    )

    assert NO_RESULTS in search(client, "blockquote")
    assert NO_RESULTS in search(client, "zebre")


def test_excerpt_highlights_the_searched_words(client):
    make_article(
        title="Rencontre au sommet",
        standfirst="Un chapô.",
        body="<p>Les deux présidents se sont retrouvés à Anchorage pour parler de l'Ukraine.</p>",
    )

    html = search(client, "anchorage")

    excerpt = re.search(r'<p class="search-result__excerpt">(.*?)</p>', html, re.S).group(1)
    assert "<mark>Anchorage</mark>" in excerpt
    assert "présidents" in excerpt

    html = search(client, "presidents")
    assert "<mark>présidents</mark>" in html


def test_article_text_and_query_are_never_rendered_as_html(client):
    make_article(
        title="Balises échappées",
        standfirst="Le signe <b>gras</b> apparaît tel quel.",
        body="<p>Un &lt;script&gt;alert(1)&lt;/script&gt; dans le texte du chameau.</p>",
    )

    html = search(client, "chameau <script>alert(2)</script>")
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in html

    html = search(client, "chameau")
    excerpt = re.search(r'<p class="search-result__excerpt">(.*?)</p>', html, re.S).group(1)
    assert "<script>" not in excerpt and "<b>" not in excerpt
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in excerpt
    assert "<mark>chameau</mark>" in excerpt


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", EMPTY),
        ("     ", EMPTY),
        ("!!! ??? ...", NO_WORDS),
        ("%", NO_WORDS),
        ("a", NO_WORDS),
        ("' OR 1=1 --", NO_RESULTS),
        ("<script>alert(1)</script>", NO_RESULTS),
        ('"guillemet non fermé', NO_RESULTS),
        ("& | ! : * ( )", NO_WORDS),
        ("mot\x00nul", NO_RESULTS),
        ("le la les du", NO_RESULTS),
        ("x" * 5000, NO_RESULTS),
    ],
)
def test_absurd_queries_get_a_friendly_page(client, query, message):
    # No "or", "le"… anywhere: the SQLite fallback matches parts of words.
    make_article(title="Un billet banal", standfirst="Rien de spécial.", body="<p>Rien.</p>")

    html = search(client, query)

    assert message in html


def test_missing_query_parameter_gets_the_empty_search_page(client):
    response = client.get(reverse("articles:search"))
    assert response.status_code == 200
    assert EMPTY in response.content.decode()


def test_long_query_is_cut_and_the_reader_told(client):
    make_article(title="Le krill de l'Antarctique")

    html = search(client, "krill " + "antarctique " * 200)

    assert "seuls ses 200 premiers caractères" in html
    assert result_titles(html) == ["Le krill de l'Antarctique"]
    value = re.search(r'id="recherche-mots" name="q" value="([^"]*)"', html).group(1)
    assert len(value) <= MAX_QUERY_LENGTH


def test_clean_query_drops_control_characters_and_folds_words():
    query = clean_query("  Négociations\x00à\tl'Élysée ")

    assert query.text == "Négociations à l'Élysée"
    assert query.words == ("negociations", "elysee")
    assert not query.truncated


def test_results_are_paginated_and_pages_keep_the_query(client):
    photo = make_photo()
    author = make_author()
    for i in range(15):
        make_article(title=f"Pingouin numéro {i}", hero_photo=photo, authors=[author])

    first = search(client, "pingouin")
    second = search(client, "pingouin", page="2")

    assert "15 articles pour « pingouin »" in first
    assert len(result_titles(first)) == 12
    assert "?q=pingouin&amp;page=2" in first
    assert len(result_titles(second)) == 3
    assert set(result_titles(first)).isdisjoint(result_titles(second))
    assert search(client, "pingouin", page="abc").count("search-result__title") == 12


def test_header_has_a_search_box_on_every_page(client):
    html = client.get(reverse("articles:home")).content.decode()
    assert re.search(
        r'<form class="search-box" role="search" action="/recherche/" method="get">', html
    )
    assert 'name="q"' in html


def test_search_page_is_kept_out_of_search_engines(client):
    assert '<meta name="robots" content="noindex, follow">' in search(client, "alaska")


def _count_queries(client, q):
    with CaptureQueriesContext(connection) as queries:
        search(client, q)
    return len(queries)


def test_query_count_is_the_same_with_2_and_50_results(client):
    politics = Category.objects.get(slug="politique")
    photo = make_photo()
    for _ in range(2):
        make_article(title="Le phoque moine", tags=["Mer"], hero_photo=photo, category=politics)
    with_two = _count_queries(client, "phoque")
    for i in range(48):
        make_article(
            title=f"Le phoque numéro {i}",
            hero_photo=photo,
            authors=[make_author(), make_author()],
        )
    with_fifty = _count_queries(client, "phoque")

    assert with_fifty == with_two


@postgres_only
def test_search_vector_follows_every_kind_of_change(client):
    article = make_article(title="Un titre", body="<p>Un texte.</p>")
    assert NO_RESULTS in search(client, "kangourou")

    article.body = "<p>Un kangourou s'est échappé.</p>"
    article.save()
    assert result_titles(search(client, "kangourou")) == ["Un titre"]

    Article.objects.filter(pk=article.pk).update(title="Le wombat aussi")
    assert result_titles(search(client, "wombat")) == ["Le wombat aussi"]

    Article.objects.filter(pk=article.pk).update(search_vector=None)
    assert result_titles(search(client, "wombat")) == ["Le wombat aussi"]


@postgres_only
def test_search_vector_weights_title_standfirst_and_body():
    article = make_article(title="Girafe", standfirst="Zèbre.", body="<p>Okapi.</p>")
    vector = Article.objects.values_list("search_vector", flat=True).get(pk=article.pk)
    assert "'giraf':1A" in vector
    assert "'zebr':2B" in vector
    assert "'okap':3C" in vector
