from django.conf import settings
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from actualites.clientip import client_ip
from actualites.http import allow
from actualites.links import LinkError
from articles.models import Article
from public_forms import guard
from public_forms.guard import Refusal

from . import forms, moderation, notices
from .forms import CommentForm
from .models import Comment

RATE_LIMITED = (
    "Vous avez envoyé beaucoup de commentaires en peu de temps. Patientez quelques minutes "
    "puis envoyez celui-ci à nouveau : votre texte est conservé ci-dessous."
)
CROSS_ORIGIN = (
    "Ce formulaire a été envoyé depuis un autre site que le nôtre. Si c’est bien vous, "
    "vérifiez votre texte ci-dessous et envoyez-le depuis cette page."
)
REFUSALS = {Refusal.CROSS_ORIGIN: (403, CROSS_ORIGIN), Refusal.RATE_LIMITED: (429, RATE_LIMITED)}


def _form_page(request, article, form, *, status=200, notice="", parent=None):
    return render(
        request,
        "comments/form_page.html",
        {
            "article": article,
            "form": form,
            "notice": notice,
            "parent": parent,
            "closed_reason": moderation.closed_reason(article),
        },
        status=status,
    )


# No CSRF token: the form lives in pages cached whole for every reader. The public-form guard
# (signed token, honeypot, Origin check, rate limit: public_forms/guard.py) stands in for it.
@csrf_exempt
@allow("POST")
def post_comment(request, article_id):
    article = get_object_or_404(Article.objects.published(), pk=article_id)
    refusal = guard.check_request(
        request,
        scope="comments",
        limit=settings.COMMENTS_RATE_LIMIT,
        window=settings.COMMENTS_RATE_LIMIT_SECONDS,
    )
    if refusal:
        status, notice = REFUSALS[refusal]
        form = CommentForm.resubmittable(request.POST, article=article)
        return _form_page(request, article, form, status=status, notice=notice)
    ip = client_ip(request)
    form = CommentForm(request.POST, article=article)
    if moderation.closed_reason(article):
        return _form_page(request, article, form, status=403)
    if not form.is_valid():
        return _form_page(request, article, form.for_display(), status=400)
    data = form.cleaned_data
    duplicate = moderation.find_duplicate(article=article, email=data["email"], text=data["text"])
    if duplicate is None and not moderation.claim_submission(
        article=article, email=data["email"], text=data["text"]
    ):
        # The same text is being stored right now (a double click): answer as a success.
        return redirect(f"{article.get_absolute_url()}?commentaire=en-attente#commentaires")
    comment = duplicate or moderation.submit(
        article=article,
        parent=data["parent"],
        name=data["name"],
        email=data["email"],
        text=data["text"],
        notify_on_approval=data["notify_on_approval"],
        ip=ip,
        user_agent=request.headers.get("User-Agent", ""),
    )
    return redirect(moderation.after_post_url(comment))


@allow("GET")
def form_token(request, article_id):
    """A token of the moment for the comment form of a cached page, asked for by
    static/js/form-token.js when the reader reaches the form. Never kept by any cache, and
    no database query: the post checks the article."""
    return guard.token_response(forms.guarded_form(article_id))


@allow("GET")
def reply(request, comment_id):
    """A page of its own to answer a comment: works without JavaScript, caches like the rest."""
    parent = get_object_or_404(
        Comment.objects.approved().select_related("article"),
        pk=comment_id,
        article__in=Article.objects.published(),
    )
    if parent.parent_id:
        return redirect("comments:reply", parent.parent_id)
    form = CommentForm(article=parent.article, initial={"parent": parent.pk})
    return _form_page(request, parent.article, form, parent=parent)


# The signed token in the URL is the credential, so no CSRF token is needed (nor possible:
# the person may not be logged in). GET only shows; mail scanners follow links.
@never_cache
@csrf_exempt
@allow("GET", "POST")
def moderate_from_email(request, token):
    try:
        link = notices.read_moderation_link(token)
    except LinkError as error:
        return render(request, "comments/link_invalid.html", {"message": error.message}, status=400)
    comment = link.comment
    done = False
    if request.method == "POST" and comment.status == Comment.Status.PENDING:
        done = moderation.moderate(comment, link.status, by=link.user)
    return render(
        request,
        "comments/link_confirm.html",
        {"link": link, "comment": comment, "done": done, "article": comment.article},
    )
