from django import template

from edge.keys import article_keys, shows

register = template.Library()


@register.simple_tag
def surrogate_key(name, pk=None):
    """{% surrogate_key "nav" %}, {% surrogate_key "page" page.pk %}: this part of the page
    shows that thing (inside a {% fragment %}, the key is kept with it)."""
    shows(name if pk is None else f"{name}-{pk}")
    return ""


@register.simple_tag
def surrogate_keys_of(article):
    """{% surrogate_keys_of article %}: this part of the page shows that article (edge.keys)."""
    shows(*article_keys(article))
    return ""
