"""Reads from a real PostgreSQL streaming standby, and read-your-writes for the poster.

The test makes a primary cluster and a standby cloned from it with pg_basebackup -R, in
temporary folders on free loopback ports, runs gunicorn with DATABASE_URL and
DATABASE_REPLICA_URL, and counts with pg_stat_statements which server answered each page.
Replay on the standby is paused while a reader posts: what they then see can only come from
the primary.
"""

import http.client
import json
import os
import subprocess
import sys
import time
import urllib.parse

import pytest

from .servers import ROOT, Gunicorn, PrivatePostgres, why_no_private_postgres

REASON = why_no_private_postgres()
REQUIRED = os.environ.get("REQUIRE_PG_BINARIES") == "1"
pytestmark = [
    pytest.mark.resilience,
    pytest.mark.skipif(
        REASON is not None and not REQUIRED, reason=f"Réplique PostgreSQL ignorée : {REASON}"
    ),
]

STATS = "shared_preload_libraries=pg_stat_statements"


def psql(server, sql, *, db="actualites"):
    import psycopg

    with psycopg.connect(server.url(db), autocommit=True) as connection:
        cursor = connection.execute(sql)
        return cursor.fetchall() if cursor.description else None


def article_reads(server) -> int:
    """SELECTs on the articles table this server ran since the last reset."""
    [(calls,)] = psql(
        server,
        "SELECT coalesce(sum(calls), 0)::int FROM pg_stat_statements s "
        "JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = 'actualites' "
        "AND s.query LIKE 'SELECT%' AND s.query LIKE '%FROM \"articles_article\"%'",
    )
    return calls


def reset_counts(*servers):
    for server in servers:
        psql(server, "SELECT pg_stat_statements_reset()")


def wait_for_replay(primary, standby, timeout=30):
    [(target,)] = psql(primary, "SELECT pg_current_wal_lsn()::text")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        [(done,)] = psql(standby, f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn")
        if done:
            return
        time.sleep(0.1)
    raise AssertionError("la réplique n'a pas rattrapé le primaire")


@pytest.fixture(scope="module")
def site(tmp_path_factory, collected_static):
    if REASON is not None:
        pytest.fail(f"REQUIRE_PG_BINARIES=1 mais {REASON}")
    tmp = tmp_path_factory.mktemp("replica")
    primary = PrivatePostgres().init()
    standby = PrivatePostgres()
    server = None
    try:
        primary.start(STATS)
        psql(primary, "CREATE DATABASE actualites", db="postgres")
        psql(primary, "CREATE EXTENSION pg_stat_statements")
        env = {
            **os.environ,
            "DATABASE_URL": primary.url("actualites"),
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "tests-only-not-a-secret",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_SECURE_COOKIES": "0",
            "VAR_DIR": str(tmp),
            "MEDIA_ROOT": str(tmp / "media"),
            "STATIC_ROOT": str(collected_static),
            "LOG_LEVEL": "CRITICAL",
            # Every page reads the database: which server answers is what is measured. The
            # local cache keeps the primary's position for the one gunicorn worker.
            "PAGE_CACHE_ENABLED": "0",
            "FRAGMENT_CACHE_ENABLED": "0",
            "REDIS_URL": "",
            "COMMENTS_MIN_SECONDS": "0",
        }
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        facts = json.loads(
            subprocess.run(
                [
                    sys.executable,
                    "manage.py",
                    "shell",
                    "-c",
                    # One process migrates and seeds: a Django start-up less.
                    "import json; from django.core.management import call_command; "
                    "call_command('migrate', verbosity=0); "
                    "from tests.factories import make_article; "
                    "from comments.models import Comment; a = make_article(); "
                    "c = Comment.objects.create(article=a, name='Léa', email='lea@exemple.fr', "
                    "text='Premier avis', status=Comment.Status.APPROVED); "
                    "print(json.dumps({'id': a.pk, 'url': a.get_absolute_url()}))",
                ],
                cwd=ROOT,
                env=env,
                check=True,
                capture_output=True,
                text=True,
                timeout=300,
            ).stdout.splitlines()[-1]
        )
        standby.clone_as_standby_of(primary)
        standby.start(STATS, "hot_standby=on")
        wait_for_replay(primary, standby)
        server = Gunicorn(
            {**env, "DATABASE_REPLICA_URL": standby.url("actualites")}, workers=1
        ).start()
        yield {"primary": primary, "standby": standby, "port": server.port, **facts}
    finally:
        if server is not None:
            server.stop()
        standby.destroy()
        primary.destroy()


def request(port, method, path, *, body=None, cookie=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    headers = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
    if cookie:
        headers["Cookie"] = cookie
    connection.request(method, path, body, headers)
    response = connection.getresponse()
    text = response.read().decode()
    connection.close()
    return response, text


def test_a_readers_pages_are_read_from_the_standby_and_the_newsroom_from_the_primary(site):
    primary, standby, port = site["primary"], site["standby"], site["port"]
    [(in_recovery,)] = psql(standby, "SELECT pg_is_in_recovery()")
    assert in_recovery, "the second server must be a real standby"

    reset_counts(primary, standby)
    response, page = request(port, "GET", site["url"])
    assert response.status == 200 and "Premier avis" in page
    assert article_reads(standby) > 0
    assert article_reads(primary) == 0

    # Someone with a session (the newsroom) reads the primary.
    reset_counts(primary, standby)
    response, _ = request(port, "GET", site["url"], cookie="sessionid=inconnue")
    assert response.status == 200
    assert article_reads(primary) > 0
    assert article_reads(standby) == 0


def test_a_reader_sees_their_own_comment_while_the_standby_lags(site):
    from comments.forms import form_token

    primary, standby, port = site["primary"], site["standby"], site["port"]
    psql(standby, "SELECT pg_wal_replay_pause()")
    try:
        response, _ = request(
            port,
            "POST",
            f"/commentaires/articles/{site['id']}/envoyer/",
            body=urllib.parse.urlencode(
                {
                    "name": "Léa",
                    "email": "lea@exemple.fr",  # known: published at once
                    "text": "Réponse écrite pendant le retard de la réplique",
                    "website": "",
                    "token": form_token(site["id"]),
                }
            ),
        )
        assert response.status == 302
        location = response.getheader("Location")
        assert "commentaire=publie" in location
        pin = response.getheader("Set-Cookie").split(";")[0]
        assert pin.startswith("ae_lecture_primaire=")

        # The lag is real: the standby does not have the comment.
        [(on_standby,)] = psql(
            standby, "SELECT count(*) FROM comments_comment WHERE text LIKE 'Réponse écrite%'"
        )
        assert on_standby == 0

        reset_counts(primary, standby)
        response, page = request(port, "GET", location.split("#")[0], cookie=pin)
        assert response.status == 200
        assert "Réponse écrite pendant le retard de la réplique" in page
        assert "Set-Cookie" not in response.headers, "the page itself stays the same for all"
        assert article_reads(standby) == 0

        # Another reader, no cookie: the standby has not replayed the change pages show
        # (the comment invalidated them), so the primary answers them too.
        reset_counts(primary, standby)
        response, page = request(port, "GET", site["url"])
        assert "Réponse écrite pendant le retard de la réplique" in page
        assert article_reads(standby) == 0 and article_reads(primary) > 0
    finally:
        psql(standby, "SELECT pg_wal_replay_resume()")

    wait_for_replay(primary, standby)
    reset_counts(primary, standby)
    response, page = request(port, "GET", site["url"])
    assert "Réponse écrite pendant le retard de la réplique" in page
    assert article_reads(standby) > 0 and article_reads(primary) == 0
