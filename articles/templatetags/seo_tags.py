from django import template

from articles import seo

register = template.Library()


@register.inclusion_tag("includes/meta_tags.html", takes_context=True)
def article_meta_tags(context, article):
    """Canonical URL, Open Graph, X card and JSON-LD of an article page."""
    return {**seo.article_meta(article), "site_name": context.get("site_name")}


@register.inclusion_tag("includes/meta_tags.html", takes_context=True)
def page_meta_tags(context, title, description="", page_obj=None):
    """Canonical URL, Open Graph and X card of a listing or standing page."""
    page_number = page_obj.number if page_obj is not None else 1
    meta = seo.page_meta(context["request"].path, title, description, page_number)
    return {**meta, "site_name": context.get("site_name")}
