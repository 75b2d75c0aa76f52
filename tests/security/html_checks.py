"""Parse a page as a browser would and list everything that could run script in it."""

import json
import re
from html.parser import HTMLParser

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "background"}
FORBIDDEN_ELEMENTS = {"iframe", "object", "embed", "svg", "math", "frame", "frameset", "applet"}
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:")
# Browsers drop ASCII whitespace and control characters inside a URL's scheme.
_IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20\x7f]+")


def normalized_url(value: str) -> str:
    """The URL as a browser reads its scheme: no whitespace or control characters, lower case."""
    return _IGNORED_IN_SCHEME.sub("", value).lower()


def _same_origin(src: str, site_url: str) -> bool:
    return (src.startswith("/") and not src.startswith("//")) or src.startswith(site_url + "/")


class ActiveContentCollector(HTMLParser):
    """Collects scripts, event handlers, dangerous URLs and embedding elements."""

    def __init__(self, site_url: str = "http://testserver"):
        super().__init__(convert_charrefs=True)
        self.site_url = site_url
        self.problems: list[str] = []
        self.json_ld: list[str] = []
        self._in_json_ld = False

    def handle_starttag(self, tag, attrs):
        self._check(tag, attrs)

    def handle_startendtag(self, tag, attrs):
        self._check(tag, attrs)

    def _check(self, tag, attrs):
        attributes = dict(attrs)
        if tag in FORBIDDEN_ELEMENTS:
            self.problems.append(f"<{tag}> element")
        if tag == "script":
            kind = (attributes.get("type") or "").strip().lower()
            src = attributes.get("src")
            if kind == "application/ld+json" and src is None:
                self._in_json_ld = True
                self.json_ld.append("")
            elif src is None or not _same_origin(src.strip(), self.site_url):
                self.problems.append(f"<script> element {attrs!r}")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler {name}= on <{tag}>")
            if name in URL_ATTRIBUTES and value is not None:
                url = normalized_url(value)
                if url.startswith("data:image/") and tag == "img" and name == "src":
                    continue
                if url.startswith(DANGEROUS_SCHEMES):
                    self.problems.append(f"{name}={value!r} on <{tag}>")
            if name == "srcdoc":
                self.problems.append(f"srcdoc= on <{tag}>")

    def handle_data(self, data):
        if self._in_json_ld:
            self.json_ld[-1] += data

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_json_ld = False


def active_content(html: str, site_url: str = "http://testserver") -> ActiveContentCollector:
    collector = ActiveContentCollector(site_url)
    collector.feed(html)
    collector.close()
    return collector


def assert_no_active_content(html: str, site_url: str = "http://testserver") -> list:
    """Fail on any script, handler or active URL a reader's input could have put in the page.

    Returns the parsed JSON-LD blocks, each checked to be valid JSON that cannot close its
    <script> element.
    """
    collector = active_content(html, site_url)
    assert not collector.problems, collector.problems
    blocks = []
    for raw in collector.json_ld:
        assert "</script" not in raw.lower(), "JSON-LD closes its <script>"
        blocks.append(json.loads(raw))
    return blocks
