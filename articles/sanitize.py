"""The allowlist that every piece of staff-written rich text passes through before storage."""

import re
from html import escape
from html.parser import HTMLParser

import nh3

ALLOWED_TAGS = {
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "strong",
    "em",
    "b",
    "i",
    "u",
    "s",
    "sub",
    "sup",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "figure",
    "figcaption",
    "img",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "caption",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "ol": {"start", "reversed"},
}
# Only CKEditor's own image layouts survive as classes ("image_resized" means nothing without
# the inline width style, which never survives).
ALLOWED_CLASSES = {"figure": {"image", "image-style-side", "table"}}
URL_SCHEMES = {"http", "https", "mailto"}


def clean_html(html: str) -> str:
    """Return `html` reduced to the tags, attributes and URL schemes an article may use."""
    if not html:
        return ""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()


# What readers see of rich text -----------------------------------------------------------------

# The attributes that change what a reader sees or follows; the rest (title, width, height,
# scope) is presentation the page or the editor decides, so a difference there is no change.
READER_ATTRIBUTES = {
    "a": {"href"},
    "img": {"src", "alt"},
    "ol": {"start", "reversed"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "figure": {"class"},
}
# CKEditor writes <b> and <i> as <strong> and <em>: the reader sees the same bold and italics.
SAME_TAG = {"b": "strong", "i": "em"}
BLOCKS = {
    "p",
    "h2",
    "h3",
    "h4",
    "blockquote",
    "ul",
    "ol",
    "li",
    "figure",
    "figcaption",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "caption",
}
_SPACES = re.compile(r"\s+")  # \s covers the no-break spaces: they only decide where lines break


VOID = {"br", "img", "hr"}


class _ReaderView(HTMLParser):
    """Tags, reader-visible attributes and text with the spacing a browser would collapse."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.open = []

    def handle_starttag(self, tag, attrs):
        if tag == "figure" and ("class", "table") in attrs:
            # CKEditor wraps every table in a <figure class="table">: the reader sees a table.
            self.open.append(None)
            return
        tag = SAME_TAG.get(tag, tag)
        if tag not in VOID:
            self.open.append(tag)
        kept = sorted(
            (name, " ".join(sorted((value or "").split())) if name == "class" else value or "")
            for name, value in attrs
            if name in READER_ATTRIBUTES.get(tag, ())
        )
        self.parts.append("<" + tag + "".join(f' {k}="{v}"' for k, v in kept) + ">")

    def handle_endtag(self, tag):
        if tag in VOID or not self.open:
            return
        tag = self.open.pop()
        if tag is not None:
            self.parts.append(f"</{tag}>")

    def handle_data(self, data):
        self.parts.append(escape(_SPACES.sub(" ", data), quote=False))


_BLOCK_NAMES = "|".join(sorted(BLOCKS, key=len, reverse=True))
_BLOCK_EDGE_SPACE = re.compile(rf" *(</?(?:{_BLOCK_NAMES})\b[^>]*>|<br>) *")
_EMPTY_PARAGRAPH = re.compile(r"<p>(?:<br>)*</p>")


def plain_text_view(value) -> str:
    """A title or standfirst as readers see it: spacing and line endings are not a change."""
    return " ".join(str(value or "").split())


def reader_view(html: str) -> str:
    """Sanitized rich text reduced to what a reader sees, to tell a real change from markup noise.

    CKEditor gives back what it was given in its own words (list item ids, image aspect ratios,
    no rel on links, tables in a <figure>, &nbsp; in empty paragraphs): each of those is
    something the sanitizer or this view makes equal, never a change of the text.
    """
    parser = _ReaderView()
    parser.feed(clean_html(html or ""))
    parser.close()
    view = _BLOCK_EDGE_SPACE.sub(r"\1", "".join(parser.parts))
    return _EMPTY_PARAGRAPH.sub("", view).strip()


def same_for_readers(old: str, new: str) -> bool:
    return reader_view(old) == reader_view(new)


class _ImageAlts(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.alts = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.alts.append((dict(attrs).get("alt") or "").strip())


def images_without_alt(html: str) -> int:
    """How many images of a text have no alternative text for readers who cannot see them."""
    parser = _ImageAlts()
    parser.feed(html or "")
    parser.close()
    return sum(1 for alt in parser.alts if not alt)
