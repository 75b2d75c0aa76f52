from django import template
from django.conf import settings
from django.template.defaultfilters import linebreaksbr
from django.template.loader import render_to_string
from django.utils.functional import cached_property
from django.utils.html import escape, format_html, urlize
from django.utils.safestring import mark_safe

from articles import dates
from articles.pagination import page_number
from comments import moderation
from comments.forms import CommentForm
from comments.models import Comment
from edge.keys import shows
from public_cache import pagecache

register = template.Library()

PAGE_PARAMETER = "commentaires"

# Fixed messages chosen by the query string after posting: nothing personal in the page.
FEEDBACK = {
    "en-attente": (
        "pending",
        "Merci ! Votre commentaire est en attente de modération. Il apparaîtra ici dès qu’un "
        "modérateur l’aura relu.",
    ),
    "publie": ("published", "Merci ! Votre commentaire est publié."),
}


class CommentPage:
    """A page of an article's approved threads, read only when the page's HTML needs it.

    A story with thousands of comments must not make its page heavy: threads come a page at a
    time, in two queries whatever their number (one more row tells if a next page exists).
    """

    def __init__(self, article, number):
        self.article, self.number = article, number
        self.previous = number - 1 if number > 1 else None

    @cached_property
    def _starters(self):
        per_page = settings.COMMENTS_PER_PAGE
        start = (self.number - 1) * per_page
        query = Comment.objects.threads_of(self.article)
        starters = list(query[start : start + per_page + 1])
        replies = {}
        for reply in Comment.objects.replies_to(query.values("pk")[start : start + per_page]):
            replies.setdefault(reply.parent_id, []).append(reply)
        return [(c, replies.get(c.pk, [])) for c in starters[:per_page]], len(starters) > per_page

    @property
    def threads(self):
        return self._starters[0]

    @property
    def next(self):
        return self.number + 1 if self._starters[1] else None


@register.inclusion_tag("comments/section.html", takes_context=True)
def comments_section(context, article):
    """The comments of an article page: approved threads, a page at a time, count, form."""
    request = context.get("request")
    number = page_number(request.GET.get(PAGE_PARAMETER) if request else None)
    closed_reason = moderation.closed_reason(article)
    feedback = FEEDBACK.get(request.GET.get("commentaire")) if request else None
    return {
        "request": request,
        "article": article,
        "comments": CommentPage(article, number),
        "page_number": number,
        "page_parameter": PAGE_PARAMETER,
        "count": article.comment_count,
        "closed_reason": closed_reason,
        "replies_open": not closed_reason,
        "feedback": feedback,
        "form_html": "" if closed_reason else blank_form(request, article),
    }


def blank_form(request, article):
    """The empty comment form, kept with the page's fragments (and by Varnish, CDNs and
    browsers) without a token: static/js/form-token.js asks for one of the moment when the
    reader reaches the form; without JavaScript, the first post asks for a confirmation."""

    def render():
        shows(f"article-{article.pk}")  # Its address: the fragment follows the article.
        form = CommentForm(article=article)
        form.initial["token"] = ""
        return render_to_string("comments/_form.html", {"form": form, "article": article})

    return mark_safe(
        pagecache.fragment(request, "comment-form", (article.pk,), render, ignores_comments=True)
    )


@register.filter
def comment_text(value):
    """A reader's text as plain text: escaped, line breaks kept, links optionally clickable."""
    if settings.COMMENTS_LINKIFY:
        # urlize() escapes the text around the links itself (autoescape=True).
        html = mark_safe(urlize(value, nofollow=True, autoescape=True))
    else:
        html = escape(value)
    return linebreaksbr(html)


@register.simple_tag
def comment_block(comment, *, is_reply=False, reply_link=False):
    """One comment: author, French date, text, and the link to answer it on threads."""
    return format_html(
        '<article class="comment{}" id="comment-{}"><p class="comment__meta">'
        '<span class="comment__author">{}</span> <time datetime="{}">{}</time></p>'
        '<p class="comment__text">{}</p>{}</article>',
        " comment--reply" if is_reply else "",
        comment.pk,
        comment.name,
        dates.iso(comment.created_at),
        dates.french_datetime(comment.created_at),
        comment_text(comment.text),
        format_html(
            '<p class="comment__actions"><a class="comment__reply" href="{}">Répondre à {}</a></p>',
            comment.get_reply_url(),
            comment.name,
        )
        if reply_link
        else "",
    )
