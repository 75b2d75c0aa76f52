import gzip
import hashlib
import os
import threading
from pathlib import Path
from wsgiref.headers import Headers

from django.conf import settings
from django.http import Http404, HttpResponseBadRequest
from django.middleware.csp import ContentSecurityPolicyMiddleware
from django.template import loader
from django.utils.log import log_response
from django.views.defaults import page_not_found
from whitenoise.compress import Compressor
from whitenoise.middleware import WhiteNoiseMiddleware
from whitenoise.responders import MissingFileError, StaticFile

# Only its list of extensions not worth compressing (images, fonts, archives) is used.
_COMPRESSOR = Compressor(quiet=True)
FORM_CONTENT_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}


class NewsroomCSPMiddleware(ContentSecurityPolicyMiddleware):
    """The strict policy everywhere; the admin gets only what CKEditor 5 needs on top."""

    def process_response(self, request, response):
        if request.path.startswith(settings.ADMIN_CSP_PATH_PREFIXES) and not hasattr(
            response, "_csp_config"
        ):
            response._csp_config = settings.SECURE_CSP_ADMIN
        return super().process_response(request, response)


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    """WhiteNoise, plus gzip in development (`runserver`, whatever starts it).

    In development WhiteNoise finds each file in the apps at request time, so an edited
    stylesheet shows on the next reload, but sends it uncompressed: the article form alone
    pulls 2.6 MB of unminified admin and CKEditor scripts. Here each compressible file gets a
    gzipped copy under VAR_DIR/cache/static, remade whenever the file changes, which WhiteNoise
    serves to browsers that accept gzip, as it serves collectstatic's copies in production.
    """

    def get_static_file(self, path, url, stat_cache=None):
        if not self.autorefresh:  # production: files and compressed copies from collectstatic
            return super().get_static_file(path, url, stat_cache)
        if not os.path.isfile(path):
            raise MissingFileError(path)
        headers = Headers([])
        self.add_mime_headers(headers, path, url)
        self.add_cache_headers(headers, path, url)
        gzipped = self.gzipped_copy(path)
        return StaticFile(path, headers.items(), encodings={"gzip": gzipped} if gzipped else None)

    def gzipped_copy(self, path) -> str | None:
        if not _COMPRESSOR.should_compress(path):
            return None  # images and fonts are compressed already
        source = os.stat(path)
        name = hashlib.sha256(os.path.abspath(path).encode()).hexdigest()
        copy = Path(settings.VAR_DIR) / "cache" / "static" / f"{name}.gz"
        try:
            if copy.stat().st_mtime_ns == source.st_mtime_ns:
                return str(copy)
        except FileNotFoundError:
            copy.parent.mkdir(parents=True, exist_ok=True)
        data = gzip.compress(Path(path).read_bytes(), compresslevel=6, mtime=0)
        # runserver answers in threads: write aside, then rename (atomic), dated like the source.
        partial = copy.with_name(f"{name}.{os.getpid()}.{threading.get_ident()}.tmp")
        partial.write_bytes(data)
        os.utime(partial, ns=(source.st_atime_ns, source.st_mtime_ns))
        os.replace(partial, copy)
        return str(copy)


class FormCharsetMiddleware:
    """A form body declared in another charset than UTF-8 gets a 400 before anyone reads it.

    Django refuses such a body too, but only once something reads it, and its error pages
    read it again for their CSRF check: the 400 turned into a 500 and dozens of chained
    tracebacks. Our forms are all UTF-8, as browsers send them from UTF-8 pages.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # request.encoding is the declared charset, when Python knows it (else UTF-8 is used).
        charset = request.encoding
        if (
            request.content_type in FORM_CONTENT_TYPES
            and charset is not None
            and charset.lower() != "utf-8"
        ):
            response = HttpResponseBadRequest(
                loader.render_to_string("400.html", {"reason": "charset"})
            )
            # One line, and Django does not log the response a second time.
            log_response(
                "Formulaire refusé (jeu de caractères %s au lieu d’UTF-8) : %s",
                charset,
                request.path,
                response=response,
                request=request,
            )
            return response
        return self.get_response(request)


class ReaderNotFoundMiddleware:
    """Development (DEBUG on): a reader's page that does not exist shows the site's French 404,
    as in production, instead of Django's English technical page.

    The technical page, with the URL patterns tried, stays for the administration and the API,
    and for any page asked with `?technique`.
    """

    KEPT_FOR = ("/admin/", "/api/", "/static/", "/media/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code == 404
            and response.get("Content-Type", "").startswith("text/html")
            and not request.path.startswith(self.KEPT_FOR)
            and "technique" not in request.GET
        ):
            return page_not_found(request, Http404())
        return response
