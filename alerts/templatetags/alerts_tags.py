from django import template
from django.utils.html import format_html

from articles.typography import french_typography

from ..models import Alert

register = template.Library()


@register.simple_tag
def alert_banner():
    """The « Alerte info » banner, or nothing when no alert is on (kept as a page fragment)."""
    alert = Alert.objects.current()
    if alert is None:
        return ""
    text = french_typography(alert.text)
    if alert.link:
        text = format_html('<a class="alert-banner__link" href="{}">{}</a>', alert.link, text)
    return format_html(
        '<div class="alert-banner" role="region" aria-labelledby="alerte-info">'
        '<div class="container alert-banner__inner">'
        '<strong class="alert-banner__label" id="alerte-info">Alerte info</strong> '
        '<p class="alert-banner__text">{}</p></div></div>',
        text,
    )
