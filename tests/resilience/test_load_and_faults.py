"""Load without loss, and a PostgreSQL restart under load, against real gunicorn workers.

The test starts everything it touches itself (a throw-away PostgreSQL cluster, gunicorn, the
task worker) on 127.0.0.1, bounds every loop in time, and stops them all.
"""

import http.client
import itertools
import os
import subprocess
import sys
import threading
import time
import urllib.parse

import pytest

from .servers import ROOT, Gunicorn, PrivatePostgres, manage, why_no_private_postgres

REASON = why_no_private_postgres()
pytestmark = [
    pytest.mark.resilience,
    pytest.mark.skipif(REASON is not None, reason=f"Test de panne ignoré : {REASON}"),
]

LOAD_SECONDS = 14
OUTAGE_AT, OUTAGE_SECONDS = 4, 3
CLIENTS = 8


@pytest.fixture
def stack(tmp_path, settings, collected_static):
    postgres = PrivatePostgres().init()
    postgres.start()
    subprocess.run(
        ["psql", postgres.url(), "-qc", "CREATE DATABASE actualites"], check=True, timeout=60
    )
    env = {
        **os.environ,
        "DATABASE_URL": postgres.url("actualites"),
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": settings.SECRET_KEY,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "VAR_DIR": str(tmp_path),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "STATIC_ROOT": str(collected_static),
        "LOG_LEVEL": "CRITICAL",
        "PAGE_CACHE_ENABLED": "0",
        "REDIS_URL": "",
        # The load comes from one address: let it through, robots checks stay on otherwise.
        "COMMENTS_RATE_LIMIT": "100000",
        "COMMENTS_MIN_SECONDS": "0",
        "NEWSLETTER_RATE_PER_IP": "100000",
        "NEWSLETTER_FORM_MIN_AGE": "0",
        "DATABASE_CONN_MAX_AGE": "60",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "seed_archive", "--articles=1", "--photos=1", "--authors=1", "--tags=1")
    article_id = int(
        subprocess.run(
            [
                sys.executable,
                "manage.py",
                "shell",
                "-c",
                "from articles.models import Article; print(Article.objects.get().pk)",
            ],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
            timeout=60,
        ).stdout.split()[-1]
    )
    server = Gunicorn(env).start()
    worker = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "run_tasks_worker",
            "--interval",
            "0.5",
            "--max-backoff",
            "1",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        yield {
            "postgres": postgres,
            "port": server.port,
            "article_id": article_id,
            "worker": worker,
        }
    finally:
        server.stop()
        worker.terminate()
        worker.wait(timeout=30)
        postgres.destroy()


def post(port, path, fields):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(
            "POST",
            path,
            urllib.parse.urlencode(fields),
            {"Content-Type": "application/x-www-form-urlencoded"},
        )
        response = connection.getresponse()
        response.read()
        return response.status, response.getheader("Location") or ""
    except OSError:
        return 0, ""
    finally:
        connection.close()


def test_every_accepted_submission_is_stored_once_even_across_a_database_restart(stack):
    import psycopg

    from comments.forms import form_token
    from newsletter.forms import form_token as signup_token

    port, article_id = stack["port"], stack["article_id"]
    counter = itertools.count()
    accepted_comments, accepted_signups, results = [], [], []
    lock = threading.Lock()
    started = time.monotonic()
    deadline = started + LOAD_SECONDS

    def client():
        while time.monotonic() < deadline:
            n = next(counter)
            at = time.monotonic() - started
            if n % 2:
                text = f"Commentaire de charge n° {n}"
                status, location = post(
                    port,
                    f"/commentaires/articles/{article_id}/envoyer/",
                    {
                        "name": f"Lecteur {n}",
                        "email": f"lecteur{n}@charge.example",
                        "text": text,
                        "website": "",
                        "token": form_token(article_id),
                    },
                )
                ok = status == 302 and "commentaire=" in location
                if ok:
                    with lock:
                        accepted_comments.append(text)
            else:
                email = f"abonne{n}@charge.example"
                stamp = signup_token()
                status, location = post(
                    port,
                    "/newsletter/",
                    {
                        "email": email,
                        "site_web": "",
                        "horodatage": stamp,
                        "source": "/",
                    },
                )
                ok = status == 302 and "/newsletter/merci/" in location
                if ok:
                    with lock:
                        accepted_signups.append(email)
            with lock:
                results.append((at, time.monotonic() - started, ok))

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    time.sleep(OUTAGE_AT)
    outage = time.monotonic() - started
    stack["postgres"].stop()
    time.sleep(OUTAGE_SECONDS)
    stack["postgres"].start()
    restarted = time.monotonic() - started
    for thread in threads:
        thread.join(timeout=LOAD_SECONDS + 30)

    before = [ok for _, ended, ok in results if ended < outage]
    after = [ok for began, _, ok in results if began > restarted + 1]
    assert before and all(before), "des envois ont échoué avant la panne"
    assert after and all(after), "le site ne s'est pas rétabli seul après la panne"
    assert not all(ok for *_, ok in results), "la panne n'a rien coupé"

    with psycopg.connect(stack["postgres"].url("actualites")) as connection:
        stored_comments = [
            row[0]
            for row in connection.execute(
                "SELECT text FROM comments_comment WHERE text LIKE 'Commentaire de charge%%'"
            )
        ]
        stored_signups = [
            row[0]
            for row in connection.execute(
                "SELECT email_key FROM newsletter_subscriber WHERE email_key LIKE '%%@charge.example'"
            )
        ]
    assert sorted(stored_comments) == sorted(accepted_comments)
    assert len(set(stored_comments)) == len(stored_comments)
    assert set(accepted_signups) <= set(stored_signups)
    assert len(set(stored_signups)) == len(stored_signups)

    # The task worker lived through the outage and drains what was queued. A task caught
    # mid-run by the outage may stay marked RUNNING (django-tasks-db does not retry it); the
    # moderators' digest it would have sent is still due and goes with the next one.
    assert stack["worker"].poll() is None, "le worker de tâches est mort pendant la panne"
    waited = time.monotonic() + 30
    while time.monotonic() < waited:
        with psycopg.connect(stack["postgres"].url("actualites")) as connection:
            (waiting,) = connection.execute(
                "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status = 'READY'"
            ).fetchone()
            (done,) = connection.execute(
                "SELECT count(*) FROM django_tasks_database_dbtaskresult "
                "WHERE status = 'SUCCESSFUL'"
            ).fetchone()
        if waiting == 0:
            break
        time.sleep(0.5)
    assert waiting == 0, f"{waiting} tâches jamais traitées"
    assert done > 0
