"""Checks every public page must pass, shared by the apps' view tests."""

import re

# JSON-LD is inert data, not script: a CSP's script-src does not apply to it.
_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\b(src=|type=\"application/ld\+json\"))")


def assert_cacheable_and_csp_safe(html: str) -> None:
    """No inline script or style (strict CSP) and no CSRF token (shared page cache)."""
    assert not _INLINE_SCRIPT.search(html), "inline <script>"
    assert "style=" not in html, "style attribute"
    assert "<style" not in html, "<style> element"
    assert "csrfmiddlewaretoken" not in html, "CSRF token"
