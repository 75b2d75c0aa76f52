from django import template

register = template.Library()


@register.inclusion_tag("newsletter/_signup_form.html", takes_context=True)
def newsletter_signup_form(context, place="pied"):
    """The signup form: the same for every reader, so the page around it can be cached. It
    carries no token: static/js/form-token.js asks for one when the reader reaches it."""
    request = context.get("request")
    return {"timestamp": "", "source": request.path if request else "", "place": place}
