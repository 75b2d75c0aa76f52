"""Static files in development: gzipped like production, and an edit shows on the next reload."""

import gzip
import os

import pytest
from django.test import RequestFactory

from actualites.middleware import StaticFilesMiddleware
from tests.factories import image_bytes


@pytest.fixture
def development(settings, tmp_path):
    """WhiteNoise as runserver uses it (DEBUG: files found in the apps at each request)."""
    settings.WHITENOISE_AUTOREFRESH = True
    settings.WHITENOISE_USE_FINDERS = True
    settings.VAR_DIR = tmp_path / "var"
    source = tmp_path / "static"
    source.mkdir()
    settings.STATICFILES_DIRS = [source]
    return source


def get(path, **headers):
    middleware = StaticFilesMiddleware(lambda request: None)
    response = middleware(RequestFactory().get(path, headers=headers))
    return response, b"".join(response.streaming_content)


def test_development_sends_scripts_gzipped_to_browsers_that_accept_it(development):
    response, body = get(
        "/static/django_ckeditor_5/dist/bundle.js", accept_encoding="gzip, deflate, br"
    )

    assert response["Content-Encoding"] == "gzip"
    assert response["Vary"] == "Accept-Encoding"
    assert len(body) < 500_000  # 1.5 MB unminified
    assert gzip.decompress(body).startswith(b"/*!")
    plain, plain_body = get("/static/django_ckeditor_5/dist/bundle.js")
    assert "Content-Encoding" not in plain
    assert plain_body == gzip.decompress(body)


def test_an_edited_stylesheet_is_served_afresh_and_compressed(development):
    stylesheet = development / "edited.css"
    stylesheet.write_text("body { color: black; }\n" * 100)
    first = gzip.decompress(get("/static/edited.css", accept_encoding="gzip")[1])

    stylesheet.write_text("body { color: navy; }\n" * 100)
    stat = stylesheet.stat()
    os.utime(stylesheet, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    response, body = get("/static/edited.css", accept_encoding="gzip")

    assert first.startswith(b"body { color: black; }")
    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(body).startswith(b"body { color: navy; }")


def test_images_are_sent_as_they_are(development):
    (development / "photo.png").write_bytes(image_bytes("PNG"))

    response, body = get("/static/photo.png", accept_encoding="gzip")

    assert response.status_code == 200
    assert "Content-Encoding" not in response
    assert body == image_bytes("PNG")


def test_production_serves_collectstatic_copies_untouched(settings, tmp_path):
    settings.WHITENOISE_AUTOREFRESH = False
    settings.WHITENOISE_USE_FINDERS = False
    settings.STATIC_ROOT = tmp_path / "collected"
    (tmp_path / "collected" / "css").mkdir(parents=True)
    (tmp_path / "collected" / "css" / "site.css").write_text("a { color: red; }\n" * 50)
    (tmp_path / "collected" / "css" / "site.css.gz").write_bytes(
        gzip.compress(b"a { color: red; }\n" * 50)
    )
    settings.VAR_DIR = tmp_path / "var"

    response, body = get("/static/css/site.css", accept_encoding="gzip")

    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(body) == b"a { color: red; }\n" * 50
    assert not (tmp_path / "var").exists()  # no development copies in production
