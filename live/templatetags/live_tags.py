from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from articles import dates
from articles.templatetags.articles_tags import picture, rich_text
from articles.typography import french_typography
from edge.keys import shows_names
from live import seo

register = template.Library()


def _author_name(entry):
    user = entry.author
    if user is None:
        return ""
    profile = getattr(user, "author_profile", None)
    if profile:
        shows_names(authors=[profile])
    return profile.display_name if profile else (user.get_full_name() or user.get_username())


@register.simple_tag
def live_entry(entry, *, id_prefix="entree"):
    """One entry of a live, as readers see it; built in Python like the article cards.

    The time is written absolute (« 14h32 ») in a <time> whose datetime the static script
    turns into « il y a 3 min »: the cached HTML is the same for every reader at any moment.
    """
    moment = entry.moment
    corrected = ""
    if entry.corrected_at:
        corrected = format_html(
            ' <span class="live-entry__corrected">modifié à <time datetime="{}">{}</time></span>',
            dates.iso(entry.corrected_at),
            dates.french_time(entry.corrected_at),
        )
    key = ""
    if entry.is_key_moment:
        key = mark_safe('<span class="live-entry__key">Moment clé</span> ')
    title = ""
    if entry.title:
        title = format_html('<h3 class="live-entry__title">{}</h3>', french_typography(entry.title))
    photo = ""
    if entry.photo_id:
        p = entry.photo
        photo = format_html(
            '<figure class="live-entry__photo">{}<figcaption>{}<span class="credit">{}</span>'
            "</figcaption></figure>",
            picture(p, sizes="(min-width: 900px) 640px, 100vw"),
            format_html('<span class="caption">{}</span> ', french_typography(p.caption))
            if p.caption
            else "",
            p.credit_line,
        )
    quote = ""
    if entry.quote_url or entry.quote_text:
        source = entry.quote_text or entry.quote_url
        quote = (
            format_html(
                '<blockquote class="live-entry__quote"><p><a href="{}" rel="noopener nofollow">'
                "{}</a></p></blockquote>",
                entry.quote_url,
                french_typography(source),
            )
            if entry.quote_url
            else format_html(
                '<blockquote class="live-entry__quote"><p>{}</p></blockquote>',
                french_typography(source),
            )
        )
    author = _author_name(entry)
    return format_html(
        '<article class="live-entry{}" id="{}-{}" data-entry="{}" data-stamp="{}">'
        '<p class="live-entry__meta">{}<time class="live-entry__time" datetime="{}" '
        'data-relative>{}</time>{}</p>{}<div class="rich-text live-entry__body">{}</div>{}{}{}'
        "</article>",
        " live-entry--key" if entry.is_key_moment else "",
        id_prefix,
        entry.pk,
        entry.pk,
        entry.stamp,
        key,
        dates.iso(moment),
        dates.french_time(moment),
        corrected,
        title,
        rich_text(entry.body),
        quote,
        photo,
        format_html('<p class="live-entry__author">{}</p>', author) if author else "",
    )


@register.simple_tag
def live_entries(entries, id_prefix="entree"):
    return format_html_join("", "{}", ((live_entry(e, id_prefix=id_prefix),) for e in entries))


@register.inclusion_tag("includes/meta_tags.html", takes_context=True)
def live_meta_tags(context, article, live):
    """Canonical URL, Open Graph, X card and LiveBlogPosting JSON-LD of a live's page."""
    return {**seo.live_meta(article, live), "site_name": context.get("site_name")}
