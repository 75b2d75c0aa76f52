"""Checks every public page must pass, shared by the apps' view tests."""

import re
from html import unescape
from html.parser import HTMLParser

# JSON-LD is inert data, not script: a CSP's script-src does not apply to it.
_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\b(src=|type=\"application/ld\+json\"))")


def assert_cacheable_and_csp_safe(html: str) -> None:
    """No inline script or style (strict CSP) and no CSRF token (shared page cache)."""
    assert not _INLINE_SCRIPT.search(html), "inline <script>"
    assert "style=" not in html, "style attribute"
    assert "<style" not in html, "<style> element"
    assert "csrfmiddlewaretoken" not in html, "CSRF token"


# French typography in what a reader reads: the text of the page, its <title>, the texts of
# its attributes and of the metadata that social networks and search engines show.
_READ_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label"}
_READ_METADATA = {
    "description",
    "og:title",
    "og:description",
    "og:image:alt",
    "twitter:title",
    "twitter:description",
    "twitter:image:alt",
}
_TYPOGRAPHY_RULES = [
    (re.compile(r"[^\W\d_]'[^\W\d_]"), "apostrophe droite"),
    (re.compile(r" [;:!?»]"), "espace ordinaire avant ; : ! ? ou »"),
    (re.compile(r"[^\W_][;!?]"), "aucune espace avant ; ! ?"),
    (re.compile(r"« "), "espace ordinaire après «"),
    # Years (1000 to 2099) are written without a space; other numbers are grouped: « 3 000 ».
    (re.compile(r"(?<!\d)(?!1\d{3}\b|20\d\d\b)\d{4,}"), "milliers sans espace"),
]


class _ReadText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in ("script", "style", "textarea"):
            self._skip += 1
        for name in _READ_ATTRIBUTES & attributes.keys():
            self.texts.append(attributes[name] or "")
        if (
            tag == "meta"
            and (attributes.get("name") or attributes.get("property")) in _READ_METADATA
        ):
            self.texts.append(attributes.get("content") or "")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "textarea"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.texts.append(data)


def typography_problems(html: str) -> list[str]:
    """Straight apostrophes, ordinary or missing spaces before ; : ! ? and in « », and
    unspaced thousands, in what the page gives to read."""
    reader = _ReadText()
    reader.feed(html)
    problems = []
    for text in reader.texts:
        # Only ordinary white space is squeezed: no-break spaces are what is checked.
        text = re.sub(r"[ \t\r\n]+", " ", text)
        for rule, label in _TYPOGRAPHY_RULES:
            for found in rule.finditer(text):
                start = max(found.start() - 30, 0)
                problems.append(f"{label} : …{text[start : found.end() + 30]}…")
    return problems


def readable(html: str) -> str:
    """A page's text as a test spells it: entities decoded, typographic apostrophes and
    no-break spaces written as plain ones."""
    return unescape(html).replace("\u2019", "'").replace("\u00a0", " ").replace("\u202f", " ")
