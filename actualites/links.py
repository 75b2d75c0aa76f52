"""The site's own addresses as others read them: in e-mails, feeds, the API, metadata.

They always start from settings.SITE_URL, never from the request's Host header, so that a page
or an answer cached for everyone carries the same links whoever asked first.
"""

from urllib.parse import urlsplit

from django.conf import settings


def absolute_url(url: str) -> str:
    """SITE_URL + path; a protocol-relative address gets the site's scheme, a full one is
    left alone."""
    if url.startswith(("http://", "https://")):
        return url
    if url.startswith("//"):
        return f"{settings.SITE_URL.split('//', 1)[0]}{url}"
    return f"{settings.SITE_URL}{url}"


def site_origin() -> str:
    """Scheme and host of SITE_URL, as a browser writes them in an Origin header."""
    parts = urlsplit(settings.SITE_URL)
    return f"{parts.scheme}://{parts.netloc}"


class LinkError(Exception):
    """A signed link from an e-mail (moderation, confirmation, unsubscription…) that cannot be
    used. `reason` says why ("expired", "invalid", "unsubscribed"…) for the page to choose its
    words; `message`, when given, is already the French explanation for the person who
    clicked."""

    def __init__(self, reason: str, message: str = ""):
        super().__init__(message or reason)
        self.reason = reason
        self.message = message
