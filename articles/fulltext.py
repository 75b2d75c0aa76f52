"""Words as the search index sees them, and SQLite's full-text index (FTS5).

PostgreSQL indexes articles with its `fr_unaccent` configuration (migration 0003): French
stop words dropped, accents removed, then the Snowball French stemmer. `terms()` does the
same in Python with the same stop-word list and the same stemmer (the snowballstemmer
package, from the Snowball project that PostgreSQL's `french_stem` comes from), so that
SQLite finds what PostgreSQL finds: « négociations » and « négocier » both become `negoci`.

On SQLite, an FTS5 table (`articles_article_fts`, one row per article, rowid = article id)
holds those terms for the title, standfirst and body; triggers on `articles_article` keep
it in step with every write, whatever code path makes it, as PostgreSQL's trigger keeps
`search_vector`. The triggers call `articles_index_text()` and `articles_index_html()`,
Python functions registered on each SQLite connection (`register_sqlite_functions`): a
write made outside Django (the sqlite3 shell) fails with « no such function ».
"""

import functools
import html
import re
import threading
import unicodedata

import snowballstemmer

FTS_TABLE = "articles_article_fts"
# bm25 weights of the title, standfirst and body: the ratios of PostgreSQL's ts_rank
# (weights A = 1.0, B = 0.4, C = 0.2).
RANK = "bm25(5.0, 2.0, 1.0)"

# PostgreSQL's french.stop (the Snowball project's list), used by `fr_unaccent`.
STOP_WORDS = frozenset(
    """
    au aux avec ce ces dans de des du elle en et eux il je la le leur lui ma mais me même mes
    moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton
    tu un une vos votre vous c d j l à m n s t y été étée étées étés étant étante étants étantes
    suis es est sommes êtes sont serai seras sera serons serez seront serais serait serions
    seriez seraient étais était étions étiez étaient fus fut fûmes fûtes furent sois soit soyons
    soyez soient fusse fusses fût fussions fussiez fussent ayant ayante ayantes ayants eu eue
    eues eus ai as avons avez ont aurai auras aura aurons aurez auront aurais aurait aurions
    auriez auraient avais avait avions aviez avaient eut eûmes eûtes eurent aie aies ait ayons
    ayez aient eusse eusses eût eussions eussiez eussent
    """.split()
)

WORD = re.compile(r"\w+")
_TAG = re.compile(r"<[^>]*>")
# Letters that have no accent to drop but that PostgreSQL's unaccent still spells in ASCII.
_LIGATURES = str.maketrans(
    {"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L"}
)
_stemmers = threading.local()


def fold(text: str) -> str:
    """Lower case without accents: « Négociation » → « negociation », « cœur » → « coeur »."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def plain_text(rich_text: str | None) -> str:
    """The words of stored rich text: every tag is a space, so that « </p><h2> » never glues
    the last word of a paragraph to the first of a heading."""
    return " ".join(html.unescape(_TAG.sub(" ", rich_text or "")).split())


@functools.lru_cache(maxsize=100_000)
def term(word: str) -> str:
    """The index term of one word, as `fr_unaccent` makes it; "" for a stop word."""
    lower = word.lower()
    if lower in STOP_WORDS:
        return ""
    folded = fold(lower)
    if folded in STOP_WORDS:
        return ""
    # A Snowball stemmer keeps its state while it works: one per thread.
    stemmer = getattr(_stemmers, "french", None)
    if stemmer is None:
        stemmer = _stemmers.french = snowballstemmer.stemmer("french")
    return stemmer.stemWord(folded)


def terms(text: str) -> list[str]:
    """The index terms of a text, in order, stop words left out."""
    return [found for found in map(term, WORD.findall(text)) if found]


def index_text(value: str | None) -> str:
    return " ".join(terms(value or ""))


def index_html(value: str | None) -> str:
    return index_text(plain_text(value))


def register_sqlite_functions(dbapi_connection) -> None:
    """Make the index functions the triggers call available on a SQLite connection."""
    dbapi_connection.create_function("articles_index_text", 1, index_text, deterministic=True)
    dbapi_connection.create_function("articles_index_html", 1, index_html, deterministic=True)


def on_connection_created(sender, connection, **kwargs) -> None:
    """`connection_created` receiver: every SQLite connection gets the index functions."""
    if connection.vendor == "sqlite":
        register_sqlite_functions(connection.connection)


_ROW = (
    "new.id, articles_index_text(new.title), articles_index_text(new.standfirst), "
    "articles_index_html(new.body)"
)
_TRIGGERS = {
    f"{FTS_TABLE}_insert": f"""
        CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_insert AFTER INSERT ON articles_article BEGIN
            INSERT INTO {FTS_TABLE} (rowid, title, standfirst, body) VALUES ({_ROW});
        END""",
    f"{FTS_TABLE}_update": f"""
        CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_update
        AFTER UPDATE OF id, title, standfirst, body ON articles_article BEGIN
            DELETE FROM {FTS_TABLE} WHERE rowid = old.id;
            INSERT INTO {FTS_TABLE} (rowid, title, standfirst, body) VALUES ({_ROW});
        END""",
    f"{FTS_TABLE}_delete": f"""
        CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_delete AFTER DELETE ON articles_article BEGIN
            DELETE FROM {FTS_TABLE} WHERE rowid = old.id;
        END""",
}


def install_sqlite_index(connection) -> bool:
    """Create the FTS5 table and its triggers where missing, and fill the table if it was
    created or a trigger was missing; True when something was done. Idempotent.

    Django's SQLite schema editor rebuilds a table (new table, copy, drop, rename) for most
    changes of its columns, and the drop takes the table's triggers with it: this runs
    after every `migrate` (post_migrate) to put them back.
    """
    register_sqlite_functions(connection.connection)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE name IN (%s, %s, %s, %s)",
            [FTS_TABLE, *_TRIGGERS],
        )
        present = {row[0] for row in cursor.fetchall()}
        if "articles_article" not in connection.introspection.table_names(cursor):
            return False
        missing = [name for name in (FTS_TABLE, *_TRIGGERS) if name not in present]
        if not missing:
            return False
        if FTS_TABLE not in present:
            cursor.execute(
                f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
                "title, standfirst, body, tokenize = 'unicode61 remove_diacritics 2')"
            )
            cursor.execute(
                f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}, rank) VALUES ('rank', %s)", [RANK]
            )
        for name in missing:
            if name in _TRIGGERS:
                cursor.execute(_TRIGGERS[name])
        # Rows written while a trigger was missing: index everything again.
        cursor.execute(f"DELETE FROM {FTS_TABLE}")
        cursor.execute(
            f"INSERT INTO {FTS_TABLE} (rowid, title, standfirst, body) "
            f"SELECT {_ROW.replace('new.', '')} FROM articles_article"
        )
    return True


def uninstall_sqlite_index(connection) -> None:
    with connection.cursor() as cursor:
        for name in _TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        cursor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")


def on_post_migrate(sender, using="default", apps=None, **kwargs) -> None:
    """`post_migrate` receiver: the SQLite index and its triggers, wherever they went missing
    (only once the migration that installs them is applied)."""
    from django.db import connections

    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    try:
        if apps is not None:
            apps.get_model("articles", "SearchEntry")
    except LookupError:
        return
    install_sqlite_index(connection)
