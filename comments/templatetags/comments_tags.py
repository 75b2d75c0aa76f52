from django import template
from django.conf import settings
from django.template.defaultfilters import linebreaksbr
from django.utils.html import escape, urlize
from django.utils.safestring import mark_safe

from comments import moderation
from comments.forms import CommentForm
from comments.models import Comment

register = template.Library()

# Fixed messages chosen by the query string after posting: nothing personal in the page.
FEEDBACK = {
    "en-attente": (
        "pending",
        "Merci ! Votre commentaire est en attente de modération. Il apparaîtra ici dès qu'un "
        "modérateur l'aura relu.",
    ),
    "publie": ("published", "Merci ! Votre commentaire est publié."),
}


def threads(comments):
    """Top-level comments, oldest first, each with its replies; orphaned replies stand alone."""
    shown = {c.pk for c in comments}
    replies = {}
    for comment in comments:
        if comment.parent_id in shown:
            replies.setdefault(comment.parent_id, []).append(comment)
    return [
        (comment, replies.get(comment.pk, []))
        for comment in comments
        if comment.parent_id not in shown
    ]


@register.inclusion_tag("comments/section.html", takes_context=True)
def comments_section(context, article):
    """The comments of an article page: approved thread, count, message and form."""
    request = context.get("request")
    comments = list(Comment.objects.for_article_page(article))
    closed_reason = moderation.closed_reason(article)
    feedback = FEEDBACK.get(request.GET.get("commentaire")) if request else None
    return {
        "article": article,
        "threads": threads(comments),
        "count": len(comments),
        "closed_reason": closed_reason,
        "feedback": feedback,
        "form": None if closed_reason else CommentForm(article=article),
    }


@register.filter
def comment_text(value):
    """A reader's text as plain text: escaped, line breaks kept, links optionally clickable."""
    if settings.COMMENTS_LINKIFY:
        # urlize() escapes the text around the links itself (autoescape=True).
        html = mark_safe(urlize(value, nofollow=True, autoescape=True))
    else:
        html = escape(value)
    return linebreaksbr(html)
