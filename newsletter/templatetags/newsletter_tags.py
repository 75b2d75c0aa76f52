from django import template

from newsletter.forms import form_token

register = template.Library()


@register.inclusion_tag("newsletter/_signup_form.html", takes_context=True)
def newsletter_signup_form(context, place="pied"):
    """The signup form: the same for every reader, so the page around it can be cached."""
    request = context.get("request")
    return {"timestamp": form_token(), "source": request.path if request else "", "place": place}
