"""Edge tests: Varnish started with deploy/varnish/default.vcl in front of a loopback server.

They skip when varnishd is not installed, and fail instead when REQUIRE_VARNISH is set (CI).
"""

import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from .varnish import Varnish, varnishd


def pytest_collection_modifyitems(config, items):
    if varnishd():
        return
    if os.environ.get("REQUIRE_VARNISH"):
        raise pytest.UsageError("varnishd est introuvable alors que REQUIRE_VARNISH l'exige.")
    skip = pytest.mark.skip(reason="varnishd absent (paquets varnish et varnish-modules)")
    for item in items:
        if "edge" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def varnish_in_front_of():
    """Starts a Varnish in front of the given loopback port; stopped after the test."""
    started = []

    def start(port):
        started.append(Varnish(port).start())
        return started[-1]

    yield start
    for varnish in started:
        varnish.stop()


@pytest.fixture
def edge(live_server, varnish_in_front_of, caches_on):
    """Varnish in front of the site (pytest-django's live server), which marks its public pages
    cacheable as in production."""
    return varnish_in_front_of(int(live_server.url.rsplit(":", 1)[1]))


class StubSite(ThreadingHTTPServer):
    """Pages with the given surrogate keys, counting how often each was asked for."""

    daemon_threads = True

    def __init__(self, pages):
        self.pages = pages
        self.fetched = {path: 0 for path in pages}
        super().__init__(("127.0.0.1", 0), _StubHandler)


class _StubHandler(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/healthz":
            return self._answer(b"ok", {"Cache-Control": "no-store"})
        keys = self.server.pages.get(self.path)
        if keys is None:
            return self._answer(b"absent", {}, status=404)
        self.server.fetched[self.path] += 1
        body = f"{self.path} #{self.server.fetched[self.path]}".encode()
        self._answer(body, {"Cache-Control": "public, s-maxage=300", "xkey": keys})

    def _answer(self, body, headers, status=200):
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def stub_site():
    """A loopback server whose pages carry surrogate keys (the VCL's purge, tested alone)."""
    servers = []

    def start(pages):
        server = StubSite(pages)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()
