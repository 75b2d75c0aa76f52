import re
from datetime import timedelta
from html import unescape

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Category
from articles.search import MAX_QUERY_LENGTH, clean_query
from tests.factories import make_article, make_author, make_photo

pytestmark = pytest.mark.django_db

ENGINE = connection.vendor

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


def excerpts(html):
    return re.findall(r'<p class="search-result__excerpt">(.*?)</p>', html, re.S)


@pytest.fixture
def newsroom():
    """A few stories, newest first in this order, so that dates never decide a ranking."""
    now = timezone.now()
    stories = [
        (
            "Poutine et Trump en Alaska",
            "Trois heures de négociations sur la base d'Elmendorf-Richardson.",
            "<p>Sur le tapis rouge, les deux présidents ont ouvert des pourparlers.</p>"
            "<h2>Des manifestants</h2><p>À Anchorage, des opposants se sont rassemblés.</p>",
        ),
        (
            "Trump reçoit Zelensky à Washington",
            "Une rencontre à la Maison-Blanche.",
            "<p>Le président ukrainien a été accueilli dans le Bureau ovale.</p>",
        ),
        (
            "Le handball français en finale",
            "Les handballeuses affronteront la Norvège dimanche.",
            "<p>Un parcours sans faute depuis les poules.</p>",
        ),
        (
            "Les chevaux de Camargue",
            "Dans le delta du Rhône, l'élevage reprend.",
            "<p>Un rouge soleil couchant sur les marais et les troupeaux.</p>",
        ),
        (
            "Budget : l'Élysée tranche",
            "Le gouvernement présente ses arbitrages.",
            "<p>Les ministres ont défendu leurs crédits jusqu'au bout.</p>",
        ),
    ]
    for hours, (title, standfirst, body) in enumerate(stories, start=1):
        make_article(
            title=title,
            standfirst=standfirst,
            body=body,
            published_at=now - timedelta(hours=hours),
        )


ALASKA = "Poutine et Trump en Alaska"
ZELENSKY = "Trump reçoit Zelensky à Washington"
HANDBALL = "Le handball français en finale"
CAMARGUE = "Les chevaux de Camargue"
BUDGET = "Budget : l'Élysée tranche"


# The same queries, the same answers, whatever the database: this file runs on SQLite by
# default and on PostgreSQL when DATABASE_URL is set.
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        pytest.param("alaska", {ALASKA}, id="one-word"),
        pytest.param("ALASKA negociations", {ALASKA}, id="case-and-accents"),
        pytest.param("négocier", {ALASKA}, id="other-form-of-a-word"),
        pytest.param("cheval", {CAMARGUE}, id="irregular-plural"),
        pytest.param("handballeuse", {HANDBALL}, id="feminine-plural"),
        pytest.param("elysee", {BUDGET}, id="accent-in-title"),
        pytest.param("Elmendorf", {ALASKA}, id="part-of-a-hyphenated-name"),
        pytest.param('"tapis rouge"', {ALASKA}, id="phrase"),
        pytest.param('"rouge tapis"', set(), id="phrase-in-the-wrong-order"),
        pytest.param("rouge tapis", {ALASKA}, id="same-words-without-quotes"),
        pytest.param("rouge", {ALASKA, CAMARGUE}, id="word-in-two-bodies"),
        pytest.param("Trump -Alaska", {ZELENSKY}, id="exclusion"),
        pytest.param('rouge -"tapis rouge"', {CAMARGUE}, id="excluded-phrase"),
        pytest.param("-Alaska -Trump", {HANDBALL, CAMARGUE, BUDGET}, id="only-exclusions"),
        pytest.param("Poutine or handball", {ALASKA, HANDBALL}, id="or"),
        pytest.param("Trump Washington or chevaux", {ZELENSKY, CAMARGUE}, id="and-before-or"),
        pytest.param("Poutine handball", set(), id="every-word-must-appear"),
        pytest.param("ornithorynque", set(), id="unknown-word"),
        pytest.param("présidents manifestants", {ALASKA}, id="words-across-a-heading"),
    ],
)
def test_same_query_finds_the_same_articles_on_every_database(client, newsroom, query, expected):
    html = search(client, query)

    assert set(result_titles(html)) == expected, ENGINE
    if not expected:
        assert NO_RESULTS in html


def test_excerpt_puts_a_space_between_paragraphs_and_headings(client, newsroom):
    (excerpt,) = excerpts(search(client, "manifestants"))

    assert "pourparlers. Des <mark>manifestants</mark> À Anchorage" in unescape(excerpt)


def test_excerpt_marks_other_forms_of_the_searched_word(client, newsroom):
    (excerpt,) = excerpts(search(client, "négociation"))

    assert "<mark>négociations</mark>" in excerpt


def test_a_long_unbroken_query_is_echoed_in_a_wrapping_block(client, newsroom):
    html = search(client, "x" * 150)

    assert NO_RESULTS in html
    assert re.search(
        r'<p class="empty search-echo">Aucun article ne correspond à «&nbsp;x{150}&nbsp;»', html
    )


def test_unaccented_query_finds_accented_plural_words_and_any_case(client):
    make_article(
        title="Sommet en Alaska",
        body="<p>Les négociation a duré trois heures.</p>",
        slug="sommet-alaska",
    )
    make_article(title="Un match de rugby", body="<p>Rien à voir.</p>")

    html = search(client, "negociations ALASKA")

    assert result_titles(html) == ["Sommet en Alaska"]
    assert "1 article pour «\u00a0negociations ALASKA\u00a0»" in unescape(html)


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

    assert "15 articles pour «\u00a0pingouin\u00a0»" in unescape(first)
    assert len(result_titles(first)) == 12
    assert "?q=pingouin&amp;page=2" in first
    assert len(result_titles(second)) == 3
    assert set(result_titles(first)).isdisjoint(result_titles(second))
    for page in ("3", "abc", "0"):
        response = client.get(reverse("articles:search"), {"q": "pingouin", "page": page})
        assert response.status_code == 404, page


def test_header_has_a_search_box_on_every_page(client):
    html = client.get(reverse("articles:home")).content.decode()
    assert re.search(
        r'<form class="search-box" role="search" aria-label="Recherche rapide" action="/recherche/"',
        html,
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


def test_search_index_follows_every_kind_of_change(client):
    article = make_article(title="Un titre", body="<p>Un texte.</p>")
    assert NO_RESULTS in search(client, "kangourou")

    article.body = "<p>Un kangourou s'est échappé.</p>"
    article.save()
    assert result_titles(search(client, "kangourou")) == ["Un titre"]

    Article.objects.filter(pk=article.pk).update(title="Le wombat aussi")
    assert result_titles(search(client, "wombat")) == ["Le wombat aussi"]
    assert NO_RESULTS in search(client, "titre")

    Article.objects.filter(pk=article.pk).update(search_vector=None)
    assert result_titles(search(client, "wombat")) == ["Le wombat aussi"]

    article.delete()
    assert NO_RESULTS in search(client, "wombat")


@pytest.mark.skipif(ENGINE != "sqlite", reason="Déclencheurs de l'index FTS5 : SQLite seulement.")
def test_sqlite_index_triggers_come_back_after_a_migration_rebuilds_the_table(client):
    from articles.fulltext import FTS_TABLE

    article = make_article(title="Un titre")
    # What Django's SQLite schema editor does when it rebuilds articles_article: the
    # table's triggers are dropped with it.
    with connection.cursor() as cursor:
        for name in ("insert", "update", "delete"):
            cursor.execute(f"DROP TRIGGER {FTS_TABLE}_{name}")
    Article.objects.filter(pk=article.pk).update(title="Le lamantin")
    make_article(title="Le dugong")

    call_command("migrate", verbosity=0)

    assert result_titles(search(client, "lamantin")) == ["Le lamantin"]
    assert result_titles(search(client, "dugong")) == ["Le dugong"]
    Article.objects.filter(pk=article.pk).update(title="Le narval")
    assert result_titles(search(client, "narval")) == ["Le narval"]


@pytest.mark.skipif(ENGINE != "postgresql", reason="Format du tsvector : PostgreSQL seulement.")
def test_search_vector_weights_title_standfirst_and_body():
    article = make_article(title="Girafe", standfirst="Zèbre.", body="<p>Okapi.</p>")
    vector = Article.objects.values_list("search_vector", flat=True).get(pk=article.pk)
    assert "'giraf':1A" in vector
    assert "'zebr':2B" in vector
    assert "'okap':3C" in vector
