import json
import shutil
import subprocess
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from articles.models import Article
from tools.management.commands import bench

pytestmark = pytest.mark.django_db


def test_seed_archive_builds_a_published_archive_with_tags_and_authors(settings):
    settings.PHOTO_RENDITION_WIDTHS = [480]
    call_command("seed_archive", articles=30, photos=2, authors=3, tags=10, stdout=StringIO())

    assert Article.objects.published().count() == 30
    article = Article.objects.published().first()
    assert article.authors.count() == 1
    assert article.tags.count() == 3
    assert article.hero_photo.renditions

    call_command("seed_archive", articles=30, photos=2, authors=3, tags=10, stdout=StringIO())
    assert Article.objects.count() == 30


def test_bench_urls_and_query_counts_point_at_real_pages(settings):
    settings.PHOTO_RENDITION_WIDTHS = [480]
    call_command("seed_archive", articles=30, photos=2, authors=3, tags=10, stdout=StringIO())
    out = StringIO()
    call_command("bench_urls", stdout=out)
    urls = json.loads(out.getvalue())

    client = Client()
    for name in ("api_articles", "api_article", "api_articles_page_50"):
        assert client.get(urls[name]).status_code == 200, name
    # The « Les plus lus » beacon of the hot article: a signed address the site accepts.
    assert client.post(urls["read_beacon"]).status_code == 204
    assert client.post(urls["read_beacon"].replace(":", "x")).status_code == 400
    # Past the last of the 30 articles: an empty page, reached by a valid cursor.
    assert client.get(urls["api_articles_page_50"]).json()["items"] == []

    counts = StringIO()
    call_command("bench_queries", urls["home"], urls["article"], stdout=counts)
    result = json.loads(counts.getvalue())
    assert all(count > 0 for count in result["complet"].values())
    # Built from kept fragments, a page reads far less than when rendered whole.
    for path, count in result["fragments"].items():
        assert count < result["complet"][path]


def test_paging_through_the_archive_with_the_api_costs_the_same_queries_per_page(settings):
    settings.PHOTO_RENDITION_WIDTHS = [480]
    call_command("seed_archive", articles=120, photos=2, authors=3, tags=10, stdout=StringIO())
    out = StringIO()
    call_command("bench_api", limit=10, stdout=out)
    result = json.loads(out.getvalue())

    assert result["pages"] == 12
    assert result["articles"] == result["distinct"] == 120
    assert result["queries_min"] == result["queries_max"] == 3


@pytest.mark.skipif(not shutil.which("wrk"), reason="wrk absent")
def test_varnish_bench_readers_send_what_browsers_send():
    """make bench's readers through Varnish (WRK_READERS): gzip accepted as every browser
    does, analytics cookies that differ from one reader to the next, six languages."""
    seen = []

    class Recorder(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            seen.append(dict(self.headers))
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
            script.write(bench.WRK_READERS)
            script.flush()
            subprocess.run(
                [
                    "wrk",
                    "-t1",
                    "-c2",
                    "-d1s",
                    "-s",
                    script.name,
                    f"http://127.0.0.1:{server.server_port}/",
                ],
                capture_output=True,
                check=True,
                timeout=30,
            )
    finally:
        server.shutdown()
        server.server_close()

    assert len(seen) >= 12
    assert {headers["Accept-Encoding"] for headers in seen} == {"gzip, deflate, br, zstd"}
    assert len({headers["Accept-Language"] for headers in seen}) == 6
    assert len({headers["Cookie"] for headers in seen}) == len(seen)  # 1,000 readers
    assert all("_ga=GA1.2." in headers["Cookie"] for headers in seen)
    assert all(headers["Host"] == f"127.0.0.1:{server.server_port}" for headers in seen)
