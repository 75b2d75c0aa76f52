from django.core.exceptions import SuspiciousFileOperation
from django.http import Http404
from django.views.static import serve

from actualites.http import allow

# Uploaded files are stored under random names and never rewritten in place.
IMMUTABLE = "public, max-age=31536000, immutable"


@allow("GET")
def serve_media(request, path):
    """Serve user media when no front web server does, with safe and long-lived headers."""
    from django.conf import settings

    try:
        response = serve(request, path, document_root=settings.MEDIA_ROOT)
    except SuspiciousFileOperation:
        # "../" out of MEDIA_ROOT: a file that does not exist here, like any other.
        raise Http404("Fichier introuvable.") from None
    response["Cache-Control"] = IMMUTABLE
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
