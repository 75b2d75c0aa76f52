"""The hardening findings, end to end, on gunicorn with the production settings, PostgreSQL and
Redis: a form in UTF-16 gets a 400 and one log line, the Host port makes no new cached
copies, and the proxy header counts only when our proxy sends it.

The test starts its own PostgreSQL cluster and gunicorn on 127.0.0.1, uses the Redis test
database under a key prefix of its own, and stops everything it started.
"""

import http.client
import json
import os
import re
import subprocess
import sys
import uuid
from html import unescape
from urllib.parse import urlencode

import pytest
import redis
from django.conf import settings

from tests.resilience.servers import (
    ROOT,
    Gunicorn,
    PrivatePostgres,
    manage,
    why_no_private_postgres,
)

REDIS_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/14")
PROXY = "127.0.0.2"  # Linux answers on all of 127/8: the test's "proxy" connects from here.
SITE = "www.actualites-express.example"


def _why_not():
    reason = why_no_private_postgres()
    if reason:
        return reason
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return f"Redis injoignable ({REDIS_URL})"
    return None


REASON = _why_not()
pytestmark = [
    pytest.mark.resilience,
    pytest.mark.skipif(
        REASON is not None, reason=f"Test du serveur de production ignoré : {REASON}"
    ),
]

SETUP = """
import json
from django.core.management import call_command
from articles.models import Article
from newsroom.roles import sync_roles
from tests.factories import make_user
sync_roles()
make_user(username="redac", is_staff=True, password="Bon-mot-de-passe-42")
call_command("seed_archive", articles=1, photos=1, authors=1, tags=1, verbosity=0)
print(json.dumps({"article": Article.objects.get().pk}))
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("production")
    postgres = PrivatePostgres().init()
    postgres.start()
    prefix = f"test-prod-{uuid.uuid4().hex[:12]}"
    store = redis.Redis.from_url(REDIS_URL)
    log = open(tmp / "server.log", "w+b")  # noqa: SIM115 (closed below)
    try:
        subprocess.run(
            ["psql", postgres.url(), "-qc", "CREATE DATABASE actualites"], check=True, timeout=60
        )
        env = {
            **os.environ,
            "DATABASE_URL": postgres.url("actualites"),
            "REDIS_URL": REDIS_URL,
            "CACHE_KEY_PREFIX": prefix,
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": settings.SECRET_KEY,
            "DJANGO_ALLOWED_HOSTS": f"127.0.0.1,{SITE}",
            "SITE_URL": f"https://{SITE}",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_SECURE_COOKIES": "0",
            "CLIENT_IP_HEADER": "HTTP_X_FORWARDED_FOR",
            "TRUSTED_PROXIES": PROXY,
            "VAR_DIR": str(tmp),
            "MEDIA_ROOT": str(tmp / "media"),
            "STATIC_ROOT": str(tmp / "static"),
            "LOG_LEVEL": "INFO",
            "COMMENTS_RATE_LIMIT": "3",
            "COMMENTS_MIN_SECONDS": "0",
            "LOGIN_FAILURE_LIMIT": "5",
            # The server runs as the production image does, without tools/.
            "DJANGO_DEV_TOOLS": "0",
        }
        for name in ("DJANGO_ALLOW_ASYNC_UNSAFE", "PAGE_CACHE_ENABLED", "FRAGMENT_CACHE_ENABLED"):
            env.pop(name, None)
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "collectstatic", "--noinput", "-v0")
        setup = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", SETUP],
            cwd=ROOT,
            env={**env, "DJANGO_DEV_TOOLS": "1"},  # seed_archive lives in tools/
            check=True,
            capture_output=True,
            text=True,
            timeout=120,
        )
        article = json.loads(setup.stdout.strip().splitlines()[-1])["article"]
        gunicorn = Gunicorn(env, workers=2, output=log).start()
        try:
            yield {
                "port": gunicorn.port,
                "article": article,
                "log": log,
                "redis": store,
                "prefix": prefix,
            }
        finally:
            gunicorn.stop()
    finally:
        log.close()
        for key in store.scan_iter(f"{prefix}:*"):
            store.delete(key)
        postgres.destroy()


def request(server, method, path, body=None, headers=None, source=None):
    connection = http.client.HTTPConnection(
        "127.0.0.1", server["port"], timeout=15, source_address=(source, 0) if source else None
    )
    try:
        connection.request(method, path, body, {"Host": "127.0.0.1", **(headers or {})})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def log_lines(server):
    server["log"].flush()
    server["log"].seek(0)
    return server["log"].read().decode(errors="replace").splitlines()


def test_a_utf16_form_gets_a_400_and_a_single_log_line(server):
    status, headers, body = request(
        server,
        "POST",
        "/newsletter/",
        b"\xff\xfee\x00=\x00",
        {
            "Content-Type": "application/x-www-form-urlencoded; charset=utf-16",
            "Cookie": "csrftoken=" + "a" * 32,
            "X-Request-ID": "sonde-utf16",
        },
    )

    assert status == 400
    assert "UTF-8" in body.decode()
    lines = [line for line in log_lines(server) if "sonde-utf16" in line]
    assert len(lines) == 1, lines
    entry = json.loads(lines[0])
    assert entry["level"] == "WARNING" and "exception" not in entry
    assert not any("Traceback" in line for line in log_lines(server))


def test_host_ports_share_one_cached_copy_of_the_home_page(server):
    statuses = [
        request(server, "GET", "/", headers={"Host": f"127.0.0.1:{port}"})
        for port in range(40001, 40006)
    ]

    assert [status for status, _, _ in statuses] == [200] * 5
    assert [headers.get("X-Page-Cache") for _, headers, _ in statuses[1:]] == ["hit"] * 4
    pages = [
        key
        for key in server["redis"].scan_iter(f"{server['prefix']}:*")
        if re.search(rb":pagecache:[0-9a-f]{64}$", key)
    ]
    assert len(pages) == 1
    # A spelling of page 1 our links never use is not kept beside it.
    request(server, "GET", "/?page=01", headers={"Host": f"{SITE}:8443"})
    assert request(server, "GET", "/?page=01")[1].get("X-Page-Cache") is None


def comment(server, n, *, forwarded, source=None):
    from comments.forms import form_token

    fields = {
        "name": f"Lecteur {n}",
        "email": f"lecteur{n}@exemple.fr",
        "text": f"Un avis numéro {n}.",
        "website": "",
        "token": form_token(server["article"]),
    }
    status, _, _ = request(
        server,
        "POST",
        f"/commentaires/articles/{server['article']}/envoyer/",
        urlencode(fields),
        {"Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-For": forwarded},
        source=source,
    )
    return status


def test_the_proxy_header_counts_only_from_the_trusted_proxy(server):
    # Straight to gunicorn, the header is the client's say-so: one address, one rate limit.
    direct = [comment(server, n, forwarded=f"203.0.113.{n}") for n in range(5)]
    assert direct == [302, 302, 302, 429, 429]

    # Through the proxy, each visitor it names is counted on their own.
    proxied = [
        comment(server, 10 + n, forwarded=f"6.6.6.6, 198.51.100.{n}", source=PROXY)
        for n in range(5)
    ]
    assert proxied == [302] * 5


def login(server, password, n):
    status, headers, body = request(server, "GET", "/admin/login/")
    cookie = re.search(r"csrftoken=([^;]+)", headers.get("Set-Cookie", "")).group(1)
    token = unescape(
        re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    )
    status, _, _ = request(
        server,
        "POST",
        "/admin/login/",
        urlencode({"username": "redac", "password": password, "csrfmiddlewaretoken": token}),
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={cookie}",
            "X-Forwarded-For": f"203.0.113.{n}",
        },
    )
    return status


def test_a_rotating_proxy_header_does_not_escape_the_login_lockout(server):
    for n in range(12):
        login(server, "mauvais", n)
    assert login(server, "Bon-mot-de-passe-42", 99) == 429
