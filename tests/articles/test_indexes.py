"""Every query of the public pages reads an index, proved with EXPLAIN on a sizeable archive.

A sequential scan of the articles or comments is invisible with a few rows and ruinous with
a breaking story on a 20,000-article archive, so the plans are checked on real tables.
"""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from taggit.models import Tag

from articles.models import Article, AuthorProfile

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="Plans d'exécution : PostgreSQL seulement (la base de production).",
    ),
]

# Tables that grow with the archive; the small ones (categories, pages) may be read whole.
GROWING = {
    "articles_article",
    "articles_article_authors",
    "comments_comment",
    "taggit_taggeditem",
}


@pytest.fixture
def archive(settings):
    settings.PHOTO_RENDITION_WIDTHS = [480]
    call_command(
        "seed_archive",
        articles=3000,
        photos=2,
        authors=12,
        tags=60,
        comments=15000,
        stdout=StringIO(),
    )
    # The lead story is an older one, kept at the top of the home page by the editors.
    lead = Article.objects.published().order_by("-published_at")[1000]
    Article.objects.filter(pk=lead.pk).update(is_featured=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def public_pages():
    hot = Article.objects.published().order_by("-published_at").first()
    return {
        "accueil": "/",
        "article": hot.get_absolute_url(),
        "rubrique": hot.category.get_absolute_url(),
        "rubrique, page 20": hot.category.get_absolute_url() + "?page=20",
        "mot-clé": reverse("articles:tag", args=[Tag.objects.order_by("pk").first().slug]),
        "auteur": AuthorProfile.objects.order_by("pk").first().get_absolute_url(),
        "recherche": "/recherche/?q=budget+transport",
        "commentaires, page 3": hot.get_absolute_url() + "?commentaires=3",
        "flux": reverse("articles:feed"),
        "flux de rubrique": reverse("articles:category-feed", args=[hot.category.slug]),
        "plan du site actualités": reverse("articles:sitemap-news"),
    }


def page_queries(client):
    for name, url in public_pages().items():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200, url
        for query in captured.captured_queries:
            if query["sql"].lstrip().upper().startswith("SELECT"):
                yield name, query["sql"]


def explain(sql):
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
        plan = cursor.fetchone()[0]
    return (plan if isinstance(plan, list) else json.loads(plan))[0]["Plan"]


def nodes(plan):
    yield plan
    for child in plan.get("Plans", []):
        yield from nodes(child)


def test_every_public_page_query_has_an_index_on_the_growing_tables(client, archive):
    missing = []
    for page, sql in page_queries(client):
        with connection.cursor() as cursor:
            # Whether the planner prefers a scan depends on how many rows match; with scans
            # priced out, one remains only where no index can serve the query at all.
            cursor.execute("SET LOCAL enable_seqscan = off")
        for node in nodes(explain(sql)):
            if node["Node Type"] == "Seq Scan" and node.get("Relation Name") in GROWING:
                missing.append(f"{page}: {node['Relation Name']} ← {sql[:300]}")
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = on")
    assert not missing, "\n".join(missing)
