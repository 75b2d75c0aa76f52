from django import template
from django.utils.safestring import mark_safe

from articles import dates
from articles.typography import french_typography

register = template.Library()


@register.filter
def typo(value):
    """French no-break spaces; escapes plain strings, keeps already-safe HTML."""
    return french_typography(value)


@register.inclusion_tag("includes/picture.html")
def picture(photo, sizes="100vw", loading="lazy", css_class=""):
    """A responsive <picture> with WebP and JPEG renditions and intrinsic dimensions."""
    return {"photo": photo, "sizes": sizes, "loading": loading, "css_class": css_class}


@register.filter
def rich_text(value):
    """Stored rich text, trusted because SanitizedRichTextField cleaned it on save."""
    return french_typography(mark_safe(value or ""))


register.filter("french_date", dates.french_date)
register.filter("french_datetime", dates.french_datetime)
register.filter("iso", dates.iso)
