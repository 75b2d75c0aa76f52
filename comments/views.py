from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from actualites.clientip import client_ip
from actualites.http import allow
from actualites.links import LinkError, site_origin
from articles.models import Article

from . import forms, moderation
from .forms import CommentForm
from .models import Comment

RATE_LIMITED = (
    "Vous avez envoyé beaucoup de commentaires en peu de temps. Patientez quelques minutes "
    "puis envoyez celui-ci à nouveau : votre texte est conservé ci-dessous."
)
CROSS_ORIGIN = (
    "Ce formulaire a été envoyé depuis un autre site que le nôtre. Si c'est bien vous, "
    "vérifiez votre texte ci-dessous et envoyez-le depuis cette page."
)


def _same_origin(request):
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    allowed = {
        f"{request.scheme}://{request.get_host()}",
        site_origin(),
        *settings.CSRF_TRUSTED_ORIGINS,
    }
    return origin in allowed


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


# No CSRF token: the form lives in pages cached whole for every reader. The form's signed
# timestamp, its honeypot, the Origin check and the rate limit stand in for it.
@csrf_exempt
@allow("POST")
def post_comment(request, article_id):
    article = get_object_or_404(Article.objects.published(), pk=article_id)
    if not _same_origin(request):
        form = CommentForm.resubmittable(request.POST, article=article)
        return _form_page(request, article, form, status=403, notice=CROSS_ORIGIN)
    ip = client_ip(request)
    if moderation.too_many_posts(ip):
        form = CommentForm.resubmittable(request.POST, article=article)
        return _form_page(request, article, form, status=429, notice=RATE_LIMITED)
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


@never_cache
@allow("GET")
def form_token(request, article_id):
    """A token of the moment for the comment form of a cached page, asked for by
    static/js/comment-token.js when the reader reaches the form. Never kept by any cache, and
    no database query: the post checks the article."""
    return JsonResponse({"token": forms.form_token(article_id)})


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
        link = moderation.read_moderation_link(token)
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
