"""Every feed field reads, once parsed as XML, exactly as written: text fields are text, the
summaries are HTML whose text is what was written. Names carry <, & and quotes."""

import html
import re
import xml.etree.ElementTree as ET

import pytest
from django.utils.html import strip_tags

from articles.models import Category
from tests.factories import make_article, make_author, make_photo

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
MEDIA = "{http://search.yahoo.com/mrss/}"
DC = "{http://purl.org/dc/elements/1.1/}"

NAME = 'Idées & <débats> « l\'"été" »'
DESCRIPTION = 'Tribunes <i>libres</i> & réponses "à chaud" d\'experts'
TITLE = 'Budget : 3 < 4 & "rigueur" <script>alert(1)</script> l\'été'
STANDFIRST = 'Le chapô dit « A & B » puis <b>rien</b> de "plus"'
AUTHOR = 'Zoé <Z> & "Co" l\'Ours'
CREDIT = 'AFP & <Reuters> "pool"'
CAPTION = 'La baie <au> crépuscule & "après"'


@pytest.fixture
def section():
    category = Category.objects.get(slug="politique")
    category.name, category.description = NAME, DESCRIPTION
    category.save()
    make_article(
        title=TITLE,
        standfirst=STANDFIRST,
        category=category,
        authors=[make_author(display_name=AUTHOR)],
        hero_photo=make_photo(credit=CREDIT, caption=CAPTION),
    )
    return category


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return ET.fromstring(response.content)


def html_text(value):
    """What a reader shows of an HTML field: its text, entities decoded."""
    return html.unescape(strip_tags(value))


@pytest.mark.parametrize("url", ["/flux/", "/rubrique/politique/flux/"])
def test_rss_fields_read_as_written(client, section, url):
    channel = parse(client, url).find("channel")
    item = channel.find("item")

    if "rubrique" in url:
        assert channel.findtext("title") == f"Actualités Express — {NAME}"
        assert channel.findtext("description") == DESCRIPTION
    assert item.findtext("title") == TITLE
    assert html_text(item.findtext("description")) == f"{STANDFIRST}Photo\u00a0: © {CREDIT}"
    assert item.findtext(f"{DC}creator") == AUTHOR
    assert item.findtext("category") == NAME
    media = item.find(f"{MEDIA}content")
    assert media.findtext(f"{MEDIA}credit") == CREDIT
    assert media.findtext(f"{MEDIA}copyright") == f"© {CREDIT}"
    assert media.findtext(f"{MEDIA}description") == CAPTION


@pytest.mark.parametrize("url", ["/flux/atom/", "/rubrique/politique/flux/atom/"])
def test_atom_fields_read_as_written(client, section, url):
    feed = parse(client, url)
    entry = feed.find(f"{ATOM}entry")

    if "rubrique" in url:
        assert feed.findtext(f"{ATOM}title") == f"Actualités Express — {NAME}"
        assert feed.findtext(f"{ATOM}subtitle") == DESCRIPTION
    # Atom says how to read each text: titles are text (the default), summaries HTML.
    assert entry.find(f"{ATOM}title").get("type", "text") == "text"
    assert entry.findtext(f"{ATOM}title") == TITLE
    summary = entry.find(f"{ATOM}summary")
    assert summary.get("type") == "html"
    assert html_text(summary.text) == f"{STANDFIRST}Photo\u00a0: © {CREDIT}"
    assert entry.find(f"{ATOM}author").findtext(f"{ATOM}name") == AUTHOR
    assert entry.find(f"{ATOM}category").get("term") == NAME
    media = entry.find(f"{MEDIA}content")
    assert media.findtext(f"{MEDIA}credit") == CREDIT
    assert media.findtext(f"{MEDIA}description") == CAPTION


@pytest.mark.parametrize(
    "url", ["/flux/", "/flux/atom/", "/rubrique/politique/flux/", "/rubrique/politique/flux/atom/"]
)
def test_no_text_field_of_any_feed_is_escaped_twice(client, section, url):
    # Parsed once, a text field must hold no entity: "&lt;" left over means escaped twice.
    # The HTML summaries are the one place where entities belong.
    for element in parse(client, url).iter():
        values = [*element.attrib.values()]
        if element.tag not in {"description", f"{ATOM}summary"}:
            values.append(element.text or "")
        for value in values:
            assert not re.search(r"&(lt|gt|amp|quot|#x27|#39);", value), (element.tag, value)


def test_the_news_sitemap_title_reads_as_written(client, section):
    news = "{http://www.google.com/schemas/sitemap-news/0.9}"
    urlset = parse(client, "/sitemap-news.xml")
    assert [title.text for title in urlset.iter(f"{news}title")] == [TITLE]
