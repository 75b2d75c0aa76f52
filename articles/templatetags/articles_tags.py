from django import template
from django.db.models import prefetch_related_objects
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles import dates
from articles.models import Article
from articles.tags import tag_url
from articles.typography import french_number, french_typography
from edge.keys import article_keys, collecting, fragment_marker, shows, shows_names
from live.models import is_live_now
from photos.body_images import responsive_images
from public_cache import pagecache

register = template.Library()


@register.filter
def typo(value):
    """French no-break spaces; escapes plain strings, keeps already-safe HTML."""
    return french_typography(value)


# The fragments below repeat dozens of times per page (36 cards on the home page, 50 comments
# under a story): built in Python, each costs a tenth of a template include. format_html()
# escapes every value, as a template would.


@register.simple_tag
def picture(photo, sizes="100vw", loading="lazy", css_class=""):
    """A responsive <picture> with WebP and JPEG renditions and intrinsic dimensions."""
    if not photo:
        return ""
    shows(f"photo-{photo.pk}")  # Its alt text here, often its credit beside it.
    source = img_srcset = ""
    if photo.renditions:
        source = format_html(
            '<source type="image/webp" srcset="{}" sizes="{}">', photo.webp_srcset, sizes
        )
        img_srcset = format_html(' srcset="{}" sizes="{}"', photo.jpeg_srcset, sizes)
    return format_html(
        '<picture{}>{}<img src="{}"{} width="{}" height="{}" alt="{}" loading="{}" '
        'decoding="async"></picture>',
        format_html(' class="{}"', css_class) if css_class else "",
        source,
        photo.fallback_url,
        img_srcset,
        photo.width,
        photo.height,
        french_typography(photo.alt_text),
        loading,
    )


@register.simple_tag
def author_links(article):
    """ "Par <a>Anne</a>, <a>Paul</a> et <a>Léa</a>", or "" for an unsigned article."""
    authors = article.authors.all()
    shows_names(authors=authors)
    links = [
        format_html('<a href="{}">{}</a>', author.get_absolute_url(), author.display_name)
        for author in authors
    ]
    if not links:
        return ""
    names = (
        links[0]
        if len(links) == 1
        else format_html("{} et {}", mark_safe(", ".join(links[:-1])), links[-1])
    )
    return format_html("Par {}", names)


@register.simple_tag
def byline(article):
    """Authors, date and comment count under an article's title in lists."""
    authors = author_links(article)
    count = article.comment_count
    return format_html(
        '<p class="byline">{}<time datetime="{}">{}</time>{}</p>',
        format_html('<span class="byline__authors">{}</span>', authors) if authors else "",
        dates.iso(article.published_at),
        dates.french_date(article.published_at),
        format_html(
            ' <a class="byline__comments" href="{}#commentaires">{} commentaire{}</a>',
            article.get_absolute_url(),
            count,
            "s" if count > 1 else "",
        )
        if count
        else "",
    )


@register.simple_tag
def site_updated():
    """ "Mis à jour le 15 août 2025 à 23h50": the latest publication, or nothing at all."""
    moment = Article.objects.published().last_published_at()
    if moment is None:
        return ""
    return format_html(
        '<p class="topbar__updated">Mis à jour le <time datetime="{}">{}</time></p>',
        dates.iso(moment),
        dates.french_datetime(moment),
    )


@register.filter
def rich_text(value):
    """Stored rich text, trusted because SanitizedRichTextField cleaned it on save.

    Its images become responsive pictures (body_images.py) before French spacing is applied.
    """
    return french_typography(mark_safe(responsive_images(value or "")))


register.filter("number", french_number)
register.filter("french_date", dates.french_date)
register.filter("french_datetime", dates.french_datetime)
register.filter("french_time", dates.french_time)
register.filter("iso", dates.iso)
register.filter("french_duration", dates.french_duration)
register.filter("tag_url", tag_url)


@register.simple_tag
def article_card(
    article,
    *,
    show_category=False,
    compact=False,
    photo=True,
    card_class="",
    sizes="(min-width: 900px) 30vw, 100vw",
    heading="h3",
):
    """An article in a list: photo, section, title, standfirst unless compact, byline.

    `heading`: h3 under a block's h2 (home, related stories), h2 right under a page's h1.
    """
    shows(*article_keys(article))
    url = article.get_absolute_url()
    media = ""
    if photo and article.hero_photo:
        media = format_html(
            '<a href="{}" class="card__media" tabindex="-1" aria-hidden="true">{}</a>',
            url,
            picture(article.hero_photo, sizes=sizes),
        )
    kicker = ""
    if show_category:
        shows_names(category=article.category_id)
        kicker = format_html(
            '<a class="kicker" href="{}">{}</a>',
            article.category.get_absolute_url(),
            article.category.name,
        )
    kicker = format_html("{}{}", kicker, live_badge(article))
    standfirst = ""
    if not compact:
        standfirst = format_html(
            '<p class="card__standfirst">{}</p>', french_typography(article.standfirst)
        )
    return format_html(
        '<article class="card{}">{}<div class="card__body">{}'
        '<{} class="card__title"><a href="{}">{}</a></{}>{}{}</div></article>',
        f" {card_class}" if card_class else "",
        media,
        kicker,
        "h2" if heading == "h2" else "h3",
        url,
        french_typography(article.title),
        "h2" if heading == "h2" else "h3",
        standfirst,
        byline(article),
    )


@register.simple_tag
def live_badge(article):
    """« En direct » beside a live coverage in progress (live/), from its row loaded with it."""
    return mark_safe('<span class="badge-live">En direct</span>') if is_live_now(article) else ""


@register.simple_tag
def article_details(article):
    """Loads an article's authors, tags and notes (once), where a fragment needs them."""
    prefetch_related_objects([article], "authors", "tags", "notes")
    shows(*article_keys(article))
    # Its kicker, byline, keywords and metadata print their names.
    shows_names(
        category=article.category_id, authors=article.authors.all(), tags=article.tags.all()
    )
    return ""


class FragmentNode(template.Node):
    def __init__(self, nodelist, name, vary, ignores_comments):
        self.nodelist, self.name, self.vary = nodelist, name, vary
        self.ignores_comments = ignores_comments

    def render(self, context):
        request = context.get("request")
        if request is None:
            return self.nodelist.render(context)
        vary = tuple(value.resolve(context) for value in self.vary)

        def render():
            # A kept fragment is not rendered again: the keys of what it shows go with it.
            with collecting() as keys:
                html = self.nodelist.render(context)
            return fragment_marker(keys) + html

        html = pagecache.fragment(
            request, self.name, vary, render, ignores_comments=self.ignores_comments
        )
        return mark_safe(html)


@register.tag
def fragment(parser, token):
    """{% fragment "name" value… [ignores_comments] %}…{% endfragment %}

    Kept with the surrogate keys named inside it, until a change touches one of them (a list
    names its own key inside: {% surrogate_key "home" %}). The values name what else the
    content depends on (an article's id, a page number); `ignores_comments` says it shows no
    comment nor comment count, so that moderation does not renew it. Nothing personal may go
    inside: every reader gets the same HTML.
    """
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% fragment %} needs a name.")
    ignores_comments = bits[-1] == "ignores_comments"
    if ignores_comments:
        bits = bits[:-1]
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    name = bits[1].strip("\"'")
    vary = [parser.compile_filter(bit) for bit in bits[2:]]
    return FragmentNode(nodelist, name, vary, ignores_comments)
