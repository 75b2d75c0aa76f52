"""Crawl the admin as one person: every page reachable from the dashboard, once per shape."""

import json
import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

# Pages a crawl must not follow: leaving the session, or answers that are not pages.
SKIP = re.compile(r"/admin/(logout|r|jsi18n|autocomplete)/|/(apercu|apercu-texte)/$")
NUMBER = re.compile(r"/\d+/")


class _Page(HTMLParser):
    """What a person reads on a page (text, button labels, tooltips) and where its links go."""

    # Not read as the page's own words: code, and what people typed (a textarea's content).
    HIDDEN = {"script", "style", "template", "noscript", "textarea"}
    VOID = {"br", "img", "input", "meta", "link", "hr", "area", "base", "col", "source", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text, self.links, self._stack, self.title = [], [], [], ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag not in self.VOID:
            self._stack.append(tag)
        if self._hidden():
            return
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        for name in ("title", "aria-label", "placeholder", "alt"):
            if attrs.get(name):
                self.text.append(attrs[name])
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.text.append(attrs["value"])
        if attrs.get("data-inline-formset"):  # the links inlines.js writes: « Ajouter … »
            options = json.loads(attrs["data-inline-formset"])["options"]
            self.text += [options["addText"], options["deleteText"]]

    def handle_endtag(self, tag):
        if tag in self._stack:
            while self._stack and self._stack.pop() != tag:
                pass

    def handle_data(self, data):
        if self._stack and self._stack[-1] == "title":
            self.title += data
        if not self._hidden() and data.strip():
            self.text.append(data.strip())

    def _hidden(self):
        return any(tag in self.HIDDEN for tag in self._stack)


def read(html):
    """(visible text, links, <title>) of a page."""
    parser = _Page()
    parser.feed(html)
    return " \n".join(parser.text), parser.links, parser.title.strip()


def shape(path):
    """/admin/articles/article/12/change/ and /…/13/change/ are the same page."""
    return NUMBER.sub("/N/", path)


class Crawl:
    """Every admin page one person can reach from the desk by following links, once per shape.

    `pages` maps each page to its visible text, `titles` to its <title>; `broken` lists
    (page, link, status) for links that answer neither a page nor a redirect (403, 404, 500).
    """

    def __init__(self, client, start="/admin/", also=(), limit=400):
        self.pages, self.titles, self.broken = {}, {}, []
        seen_shapes, queue = set(), [(start, None), *((path, None) for path in also)]
        while queue and len(self.pages) < limit:
            path, referrer = queue.pop(0)
            if shape(path) in seen_shapes or SKIP.search(path):
                continue
            seen_shapes.add(shape(path))
            response = client.get(path)
            if response.status_code in (301, 302):
                queue.append((urljoin(path, response["Location"]), referrer))
                continue
            if response.status_code != 200:
                self.broken.append((referrer, path, response.status_code))
                continue
            if "text/html" not in response.get("Content-Type", ""):
                continue
            text, links, self.titles[path] = read(response.content.decode())
            self.pages[path] = text
            for link in links:
                parts = urlsplit(urljoin(path, link))
                if parts.netloc or not parts.path.startswith("/admin/") or parts.query:
                    continue
                queue.append((parts.path, path))
