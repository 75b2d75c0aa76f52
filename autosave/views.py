"""The autosave endpoint, for autosave.js: JSON answers, never a redirect to the login page."""

from django.contrib import messages
from django.http import HttpResponseRedirect, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from articles.dates import french_time
from articles.models import Article

from . import presence, recovery

LOGIN_NEEDED = (
    "Votre session a expiré : votre texte est toujours dans cette page, mais il n’est plus "
    "sauvegardé. Reconnectez-vous dans un autre onglet, puis revenez ici pour enregistrer."
)
FORBIDDEN = "Vous ne pouvez plus modifier cet article : la sauvegarde automatique est arrêtée."


def _login_needed(request) -> bool:
    user = request.user
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return True
    from newsroom import twofactor

    needs_code = twofactor.confirmed_device(user) or twofactor.is_required_for(user)
    return bool(needs_code) and not user.is_verified()


@never_cache
@require_POST
def save(request, article_id=None):
    if _login_needed(request):
        return JsonResponse({"login_required": True, "message": LOGIN_NEEDED}, status=401)
    article = get_object_or_404(Article, pk=article_id) if article_id else None
    if not recovery.may_autosave(request.user, article):
        return JsonResponse({"forbidden": True, "message": FORBIDDEN}, status=403)
    answer = {}
    if request.POST.get("leaving") and article is not None:
        presence.leave(article, by=request.user)
    elif article is not None:
        presence.heartbeat(article, by=request.user)
        answer["presence"] = presence.sentence(presence.others(article, viewer=request.user))
    if request.POST.get("autosave"):
        try:
            kept = recovery.store(by=request.user, article=article, data=request.POST)
        except recovery.TooLarge as error:
            return JsonResponse({"message": str(error), **answer}, status=413)
        answer["saved"] = f"Sauvegardé automatiquement à {french_time(kept.saved_at)}"
    return JsonResponse(answer)


@never_cache
@require_GET
def session(request):
    """Whether the person is logged in again, with the CSRF token of their new session."""
    if _login_needed(request):
        return JsonResponse({"authenticated": False})
    return JsonResponse({"authenticated": True, "csrf_token": get_token(request)})


@require_POST
def discard(request, article_id=None):
    """« Ignorer »: the copy is forgotten, the form opens as saved (no JavaScript needed)."""
    if _login_needed(request):
        return HttpResponseRedirect(reverse("admin:login"))
    article = get_object_or_404(Article, pk=article_id) if article_id else None
    recovery.discard(by=request.user, article=article)
    messages.info(request, "La sauvegarde automatique a été supprimée.")
    if article is None:
        return HttpResponseRedirect(reverse("admin:articles_article_add"))
    return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))
