"""Two web nodes behind Varnish: nothing assumes one process, and one node can die under load.

The test starts on 127.0.0.1 a private PostgreSQL and Redis, two gunicorn nodes with the same
settings, and varnishd with the shipped VCL (deploy/varnish/default.vcl) and the nodes
deploy/varnish/nodes.sh writes: a round-robin director whose health probe leaves out a sick
node. What one node changes or counts (pages in cache, rate limits, login lockouts, sessions)
holds on the other; then one node is killed under load and restarted.
"""

import http.client
import itertools
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.parse
from http.cookies import SimpleCookie

import pytest
from django.conf import settings

from tests.edge.varnish import Varnish, varnishd

from .servers import ROOT, Gunicorn, PrivatePostgres, PrivateRedis, why_no_private_postgres


def _why_not() -> str | None:
    if not varnishd():
        return "varnishd absent (paquets varnish et varnish-modules)"
    if not shutil.which("redis-server"):
        return "redis-server absent"
    return why_no_private_postgres()


REASON = _why_not()
REQUIRED = bool(os.environ.get("REQUIRE_VARNISH"))
pytestmark = [
    pytest.mark.resilience,
    pytest.mark.skipif(REASON is not None and not REQUIRED, reason=f"Nœuds web ignorés : {REASON}"),
]

PASSWORD = "Mot-de-passe-solide-42"
# Seconds of load with both nodes, then with one after the probe saw the other die, then with
# both again once the probe saw it back.
LOAD_BEFORE, LOAD_WITHOUT, LOAD_AFTER = 5, 5, 5
CLIENTS = 6

SETUP = """
import json
from django.core.management import call_command
call_command("migrate", verbosity=0)
from articles.defaults import ensure_defaults
ensure_defaults()
from articles.models import Article
from tests.factories import make_article, make_editor
editor = make_editor(username="redaction", password="{password}")
make_editor(username="verrou", password="{password}")
live = make_article(title="Le port de Brest rouvre ses quais")
waiting = make_article(title="Une dépêche encore en relecture", status=Article.Status.REVIEW)
print(json.dumps({{"live": live.pk, "live_url": live.get_absolute_url(), "waiting": waiting.pk}}))
"""

PUBLISH = """
from django.contrib.auth import get_user_model
from articles import workflow
from articles.models import Article
editor = get_user_model().objects.get(username="redaction")
workflow.publish(Article.objects.get(pk={pk}), by=editor)
"""


def shell(env, code: str) -> str:
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    ).stdout


@pytest.fixture(scope="module")
def site(tmp_path_factory, collected_static):
    if REASON is not None:
        pytest.fail(f"REQUIRE_VARNISH=1 mais {REASON}")
    tmp = tmp_path_factory.mktemp("nodes")
    postgres = PrivatePostgres().init()
    redis = PrivateRedis()
    started = []
    try:
        postgres.start("max_connections=100")
        subprocess.run(
            ["psql", postgres.url(), "-qc", "CREATE DATABASE actualites"], check=True, timeout=60
        )
        redis.start()
        env = {
            **os.environ,
            "DATABASE_URL": postgres.url("actualites"),
            "REDIS_URL": redis.url(),
            "DJANGO_DEBUG": "0",
            # The test signs the forms' tokens as the nodes do.
            "DJANGO_SECRET_KEY": settings.SECRET_KEY,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_SECURE_COOKIES": "0",
            # One media folder for both nodes, as docker compose's shared volume (or a bucket).
            "VAR_DIR": str(tmp),
            "MEDIA_ROOT": str(tmp / "media"),
            "STATIC_ROOT": str(collected_static),
            "LOG_LEVEL": "CRITICAL",
            "PAGE_CACHE_ENABLED": "1",
            "FRAGMENT_CACHE_ENABLED": "1",
            # The load comes from one address: its limits are lifted, robots checks stay on.
            # The limit per e-mail address stays, and is checked across nodes.
            "COMMENTS_RATE_LIMIT": "100000",
            "COMMENTS_MIN_SECONDS": "0",
            "NEWSLETTER_RATE_PER_IP": "100000",
            "NEWSLETTER_FORM_MIN_AGE": "0",
        }
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        facts = json.loads(shell(env, SETUP.format(password=PASSWORD)).splitlines()[-1])
        nodes = []
        for _ in range(2):
            node = Gunicorn(env, workers=2)
            started.append(node)
            nodes.append(node.start())
        varnish = Varnish(*(node.port for node in nodes))
        started.append(varnish)
        varnish.start()
        assert wait_for(lambda: all(varnish.backend_health().values()), 30), varnish.output()
        yield {"env": env, "nodes": nodes, "varnish": varnish, "postgres": postgres, **facts}
    finally:
        for server in reversed(started):
            try:
                server.stop()
            except (OSError, AttributeError, subprocess.TimeoutExpired):
                pass
        redis.destroy()
        postgres.destroy()


def wait_for(condition, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def request(port, method, path, fields=None, cookies=None, timeout=15):
    """(status, Location, body, cookies set); status 0 when the connection failed."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    headers = {}
    body = None
    if fields is not None:
        body = urllib.parse.urlencode(fields)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    if cookies:
        headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
    try:
        connection.request(method, path, body, headers)
        response = connection.getresponse()
        content = response.read().decode("utf-8", "replace")
        jar = SimpleCookie()
        for header in response.headers.get_all("Set-Cookie") or []:
            jar.load(header)
        return (
            response.status,
            response.getheader("Location") or "",
            content,
            {name: morsel.value for name, morsel in jar.items()},
        )
    except (OSError, http.client.HTTPException):
        # A broken answer counts as a failed request; raised, it would end the client's thread
        # and hide its failure.
        return 0, "", "", {}
    finally:
        connection.close()


def signup(port, email):
    from newsletter.forms import form_token

    stamp = form_token()
    return request(
        port,
        "POST",
        "/newsletter/",
        {"email": email, "site_web": "", "horodatage": stamp, "source": "/"},
    )


def log_in(port, username, password):
    """The admin login as a browser does it: (status, the cookies it holds afterwards)."""
    status, _, page, cookies = request(port, "GET", "/admin/login/?next=/admin/")
    assert status == 200, page[:500]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    status, location, page, more = request(
        port,
        "POST",
        "/admin/login/?next=/admin/",
        {"csrfmiddlewaretoken": token, "username": username, "password": password},
        cookies=cookies,
    )
    return status, location, {**cookies, **more}


def test_a_change_made_on_one_node_shows_on_every_node_at_once(site):
    first, second = (node.port for node in site["nodes"])
    title = "Une dépêche encore en relecture"
    for port in (first, second, first, second):
        status, _, home, _ = request(port, "GET", "/")
        assert status == 200 and title not in home

    shell(site["env"], PUBLISH.format(pk=site["waiting"]))

    # Each node kept pages and fragments, in Redis and in its own memory: none is stale.
    for port in (first, second):
        status, _, home, _ = request(port, "GET", "/")
        assert status == 200 and title in home


def test_a_rate_limit_counts_the_posts_sent_to_every_node(site):
    first, second = (node.port for node in site["nodes"])
    answers = [signup(port, "meme.adresse@noeuds.example")[0] for port in [first, second] * 3]

    # NEWSLETTER_RATE_PER_ADDRESS is 5: the sixth signup is refused, though each node saw
    # only three (the first is thanked, the next ones told a confirmation is on its way).
    assert answers[0] == 302 and 429 not in answers[:5], answers
    assert answers[5] == 429


def test_a_login_lockout_and_a_session_hold_on_every_node(site):
    first, second = (node.port for node in site["nodes"])
    for port in [first, second] * 3:
        status, _, _ = log_in(port, "verrou", "pas-le-bon-mot-de-passe")
    # LOGIN_FAILURE_LIMIT is 5: locked after failures spread over both nodes, even with the
    # right password, on both.
    assert log_in(first, "verrou", PASSWORD)[0] == 429
    assert log_in(second, "verrou", PASSWORD)[0] == 429

    status, location, cookies = log_in(first, "redaction", PASSWORD)
    assert status == 302 and location.endswith("/admin/"), location
    status, _, desk, _ = request(second, "GET", "/admin/", cookies=cookies)
    assert status == 200 and "redaction" in desk.lower()


def test_a_node_killed_under_load_loses_nothing_once_varnish_marks_it_sick(site):
    import psycopg

    from comments.forms import form_token

    varnish, (_, doomed) = site["varnish"], site["nodes"]
    article_id, article_url = site["live"], site["live_url"]
    counter = itertools.count()
    accepted_comments, accepted_signups, results = [], [], []
    marks, seen = {}, {}
    lock = threading.Lock()
    stop = threading.Event()
    started = time.monotonic()

    def one_request(n):
        kind = ("page", "search", "comment", "signup")[n % 4]
        if kind == "page":
            status, *_ = request(varnish.port, "GET", (article_url, "/")[n % 8 == 0])
            return kind, status == 200
        if kind == "search":
            status, *_ = request(varnish.port, "GET", f"/recherche/?q=quais+{n}")
            return kind, status == 200
        if kind == "comment":
            text = f"Commentaire de charge n° {n}"
            status, location, *_ = request(
                varnish.port,
                "POST",
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
            return kind, ok
        email = f"abonne{n}@charge.example"
        status, location, *_ = signup(varnish.port, email)
        ok = status == 302 and "/newsletter/merci/" in location
        if ok:
            with lock:
                accepted_signups.append(email)
        return kind, ok

    def client():
        while not stop.is_set():
            began = time.monotonic() - started
            kind, ok = one_request(next(counter))
            with lock:
                results.append((began, time.monotonic() - started, kind, ok))

    def watch():
        # When Varnish's probe marks the node sick, then healthy again. varnishadm may be slow
        # or fail once under load: the watch goes on, and says what it last saw.
        while not stop.is_set():
            try:
                health = varnish.backend_health()
            except Exception as error:  # a timeout, a failed fork, an unreadable answer
                seen["erreurs"] = seen.get("erreurs", 0) + 1
                seen["dernière erreur"] = repr(error)
                time.sleep(0.2)
                continue
            now = time.monotonic() - started
            seen["état"], seen["à"] = health, round(now, 1)
            healthy = health.get("web2")
            if "killed" in marks and healthy is False and "sick" not in marks:
                marks["sick"] = now
            if "restarted" in marks and healthy and "back" not in marks:
                marks["back"] = now
            time.sleep(0.05)

    def watched() -> str:
        return f"repères {marks}, dernier état vu par varnishadm {seen}"

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    threads.append(threading.Thread(target=watch))
    for thread in threads:
        thread.start()
    try:
        time.sleep(LOAD_BEFORE)
        # A request the kill breaks may end before kill() returns: "before" ends here.
        killing = time.monotonic() - started
        doomed.kill()
        marks["killed"] = time.monotonic() - started
        if not wait_for(lambda: "sick" in marks, 30):
            pytest.fail(f"la sonde n’a jamais vu le nœud arrêté : {watched()}")
        time.sleep(LOAD_WITHOUT)
        # Started under load: it answers /healthz before start() returns.
        doomed.start()
        marks["restarted"] = time.monotonic() - started
        if not wait_for(lambda: "back" in marks, 60):
            pytest.fail(f"le nœud redémarré n’a pas repris sa place : {watched()}")
        time.sleep(LOAD_AFTER)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)

    lost = [kind for began, _, kind, ok in results if not ok and began < marks["sick"]]
    print(
        f"\n{len(results)} requêtes, nœud arrêté à {marks['killed']:.1f} s, écarté à "
        f"{marks['sick']:.1f} s, relancé à {marks['restarted']:.1f} s, de retour à "
        f"{marks['back']:.1f} s ; "
        f"{len(lost)} échecs avant qu'il soit écarté : {sorted(set(lost))}"
    )
    before = [ok for _, ended, _, ok in results if ended < killing]
    after_sick = [(kind, ok) for began, _, kind, ok in results if began >= marks["sick"]]
    after_back = [ok for began, _, _, ok in results if began >= marks["back"]]
    assert before and all(before), "des requêtes ont échoué avant la panne"
    failed = [kind for kind, ok in after_sick if not ok]
    assert after_sick and not failed, f"{len(failed)} échecs une fois le nœud écarté : {failed}"
    assert after_back, "aucune requête après le retour du nœud"
    assert {kind for kind, _ in after_sick} == {"page", "search", "comment", "signup"}

    with psycopg.connect(site["postgres"].url("actualites")) as connection:
        stored_comments = [
            row[0]
            for row in connection.execute(
                "SELECT text FROM comments_comment WHERE text LIKE 'Commentaire de charge%%'"
            )
        ]
        stored_signups = [
            row[0]
            for row in connection.execute(
                "SELECT email_key FROM newsletter_subscriber "
                "WHERE email_key LIKE 'abonne%%@charge.example'"
            )
        ]
    # Nothing accepted is lost, nothing is stored twice. A post the killed node stored without
    # answering may be stored without having been accepted: the reader saw an error, not a loss.
    assert set(accepted_comments) <= set(stored_comments)
    assert len(set(stored_comments)) == len(stored_comments)
    assert set(accepted_signups) <= set(stored_signups)
    assert len(set(stored_signups)) == len(stored_signups)
    assert len(accepted_comments) > 20 and len(accepted_signups) > 20
