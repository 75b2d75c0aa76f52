"""Purgers against fake caches on loopback: what each one sends, retries, and never waiting."""

import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from edge import purgers, purging

pytestmark = pytest.mark.django_db


class FakeCache(ThreadingHTTPServer):
    """Records each request; answers with the next status of `statuses` (the last one repeats)."""

    daemon_threads = True

    def __init__(self, statuses=(200,), body=b"ok", hold=None):
        self.statuses, self.body, self.hold = list(statuses), body, hold
        self.received = []
        super().__init__(("127.0.0.1", 0), _FakeHandler)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_port}"


class _FakeHandler(BaseHTTPRequestHandler):
    def _any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self.server.received.append((self.command, self.path, self.headers, body))
        if self.server.hold is not None:
            self.server.hold.wait(10)
        status = (
            self.server.statuses.pop(0)
            if len(self.server.statuses) > 1
            else self.server.statuses[0]
        )
        self.send_response(status)
        self.send_header("Content-Length", str(len(self.server.body)))
        self.end_headers()
        self.wfile.write(self.server.body)

    do_PURGE = do_POST = _any

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_cache():
    servers = []

    def start(**options):
        server = FakeCache(**options)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def test_varnish_gets_an_xkey_purge_on_every_configured_listener(fake_cache, settings):
    first, second = fake_cache(), fake_cache()
    settings.VARNISH_PURGE_URLS = [first.url + "/", second.url + "/"]

    assert purging.purge_now(["home", "article-42", "home"]) == {}

    for cache in (first, second):
        [(method, path, headers, _body)] = cache.received
        assert (method, path, headers["xkey"]) == ("PURGE", "/", "article-42 home")


def test_many_keys_go_in_several_varnish_requests(fake_cache, settings):
    cache = fake_cache()
    settings.VARNISH_PURGE_URLS = [cache.url + "/"]
    keys = [f"article-{n}" for n in range(450)]

    purging.purge_now(keys)

    sent = [set(headers["xkey"].split()) for _m, _p, headers, _b in cache.received]
    assert [len(batch) for batch in sent] == [200, 200, 50]
    assert set().union(*sent) == set(keys)


def test_fastly_gets_its_surrogate_keys_with_the_token(fake_cache, settings):
    fastly = fake_cache()
    settings.FASTLY_SERVICE_ID, settings.FASTLY_API_TOKEN = "SRV1", "jeton-fastly"
    settings.FASTLY_API_URL = fastly.url

    assert purging.purge_now([f"article-{n}" for n in range(300)] + ["home"]) == {}

    assert [path for _m, path, _h, _b in fastly.received] == ["/service/SRV1/purge"] * 2
    method, _path, headers, body = fastly.received[0]
    assert (method, headers["Fastly-Key"], headers["Content-Type"]) == (
        "POST",
        "jeton-fastly",
        "application/json",
    )
    sent = [json.loads(b)["surrogate_keys"] for _m, _p, _h, b in fastly.received]
    assert [len(batch) for batch in sent] == [256, 45]
    assert "home" in sent[0] + sent[1]


def test_cloudflare_gets_cache_tags_and_must_confirm(fake_cache, settings):
    cloudflare = fake_cache(body=b'{"success": true, "errors": []}')
    settings.CLOUDFLARE_ZONE_ID, settings.CLOUDFLARE_API_TOKEN = "ZONE9", "jeton-cf"
    settings.CLOUDFLARE_API_URL = cloudflare.url

    assert purging.purge_now([f"tag-{n}" for n in range(31)]) == {}
    method, path, headers, body = cloudflare.received[0]
    assert (method, path) == ("POST", "/client/v4/zones/ZONE9/purge_cache")
    assert headers["Authorization"] == "Bearer jeton-cf"
    assert [len(json.loads(b)["tags"]) for *_x, b in cloudflare.received] == [30, 1]

    refusing = fake_cache(body=b'{"success": false, "errors": [{"code": 1134}]}')
    settings.CLOUDFLARE_API_URL = refusing.url
    assert set(purging.purge_now(["home"])) == {"cloudflare"}


def test_nothing_is_purged_before_the_change_is_committed(
    fake_cache, settings, django_capture_on_commit_callbacks
):
    cache = fake_cache()
    settings.VARNISH_PURGE_URLS = [cache.url + "/"]

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        purging.purge_after_commit(["article-7", "home"])
    assert cache.received == []

    for callback in callbacks:
        callback()
    purging.wait()
    assert [headers["xkey"] for _m, _p, headers, _b in cache.received] == ["article-7 home"]


def test_the_editors_request_does_not_wait_for_the_cache(
    fake_cache, settings, django_capture_on_commit_callbacks
):
    release = threading.Event()
    slow = fake_cache(hold=release)
    settings.VARNISH_PURGE_URLS = [slow.url + "/"]

    with django_capture_on_commit_callbacks(execute=True):
        purging.purge_after_commit(["home"])
    # The commit callbacks have returned while the cache still holds the purge request.
    assert not release.is_set()
    release.set()
    purging.wait()
    assert len(slow.received) == 1


def test_a_refused_purge_is_retried_until_varnish_accepts_it_and_logged_once(
    fake_cache, settings, immediate_tasks, django_capture_on_commit_callbacks, caplog
):
    restarting = fake_cache(statuses=(503, 503, 200))
    settings.VARNISH_PURGE_URLS = [restarting.url + "/"]

    with caplog.at_level(logging.INFO, logger="edge"):
        with django_capture_on_commit_callbacks(execute=True):
            purging.purge_after_commit(["article-3"])
        purging.wait()

    assert len(restarting.received) == 3
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "nouvel essai" in warnings[0].getMessage()
    assert any("acceptée" in r.getMessage() for r in caplog.records if r.levelno == logging.INFO)


def test_an_unreachable_varnish_is_given_up_after_the_last_attempt(
    fake_cache, settings, immediate_tasks, django_capture_on_commit_callbacks, caplog
):
    gone = fake_cache()
    gone.shutdown()
    gone.server_close()  # nothing listens there any more
    settings.VARNISH_PURGE_URLS = [gone.url + "/"]
    settings.EDGE_PURGE_ATTEMPTS = 3

    with caplog.at_level(logging.INFO, logger="edge"):
        with django_capture_on_commit_callbacks(execute=True):
            purging.purge_after_commit(["home"])
        purging.wait()

    ours = [r for r in caplog.records if r.name.startswith("edge")]
    assert [r.levelno for r in ours].count(logging.WARNING) == 1
    [given_up] = [r for r in ours if r.levelno == logging.ERROR]
    assert "abandonnée après 4 essais" in given_up.getMessage()


def test_no_purger_is_configured_by_default(settings):
    assert purgers.configured() == []
