"""Full-text search: a weighted French, accent-insensitive tsvector kept by a trigger.

On PostgreSQL this installs the unaccent extension, a `fr_unaccent` text search
configuration (French stemming after accent removal) and a trigger that recomputes
the vector from title (A), standfirst (B) and body text (C) whenever a row is written,
whatever code path writes it. On other databases the column exists but stays empty:
articles/search.py falls back to a simpler search there.
"""

from django.db import migrations

import articles.fields

INSTALL = """
CREATE EXTENSION IF NOT EXISTS unaccent;

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_ts_dict WHERE dictname = 'fr_stopwords') THEN
        -- Drops French stop words ("à", "été"…) and passes every other word on.
        CREATE TEXT SEARCH DICTIONARY fr_stopwords (
            TEMPLATE = pg_catalog.simple, STOPWORDS = french, ACCEPT = false
        );
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'fr_unaccent') THEN
        CREATE TEXT SEARCH CONFIGURATION fr_unaccent (COPY = pg_catalog.french);
        -- Words with non-ASCII letters lose their accents, then get the French stemmer.
        ALTER TEXT SEARCH CONFIGURATION fr_unaccent
            ALTER MAPPING FOR hword, hword_part, word WITH fr_stopwords, unaccent, french_stem;
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION articles_article_search_vector_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector('fr_unaccent', coalesce(NEW.title, '')), 'A')
        || setweight(to_tsvector('fr_unaccent', coalesce(NEW.standfirst, '')), 'B')
        -- Tags become spaces so that "</p><p>" never glues two words together.
        || setweight(
            to_tsvector('fr_unaccent', regexp_replace(coalesce(NEW.body, ''), '<[^>]*>', ' ', 'g')),
            'C'
        );
    RETURN NEW;
END
$$;

DROP TRIGGER IF EXISTS articles_article_search_vector ON articles_article;
-- Listing search_vector too means no application write can leave a stale vector behind.
CREATE TRIGGER articles_article_search_vector
    BEFORE INSERT OR UPDATE OF title, standfirst, body, search_vector ON articles_article
    FOR EACH ROW EXECUTE FUNCTION articles_article_search_vector_update();

-- Fill the vector of the articles that already exist.
UPDATE articles_article SET search_vector = NULL;
"""

UNINSTALL = """
DROP TRIGGER IF EXISTS articles_article_search_vector ON articles_article;
DROP FUNCTION IF EXISTS articles_article_search_vector_update();
DROP TEXT SEARCH CONFIGURATION IF EXISTS fr_unaccent;
DROP TEXT SEARCH DICTIONARY IF EXISTS fr_stopwords;
"""


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INSTALL, params=None)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UNINSTALL, params=None)


class Migration(migrations.Migration):
    dependencies = [("articles", "0002_categories_and_about_page")]

    operations = [
        migrations.AddField(
            model_name="article",
            name="search_vector",
            field=articles.fields.SearchVectorColumn(
                editable=False, null=True, verbose_name="vecteur de recherche"
            ),
        ),
        migrations.RunPython(install, uninstall),
        migrations.AddIndex(
            model_name="article",
            index=articles.fields.FullTextIndex(
                fields=["search_vector"], name="article_search_idx"
            ),
        ),
    ]
