"""The note forms of the article page (no JavaScript): each posts here, then back to the page."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_POST

from articles.models import Article

from . import rules
from .models import Note


def _back(article, note=None):
    url = reverse("admin:articles_article_change", args=[article.pk])
    return HttpResponseRedirect(f"{url}#{f'note-{note.pk}' if note else 'notes'}")


@require_POST
def add(request, object_id):
    article = get_object_or_404(Article, pk=object_id)
    parent_id = request.POST.get("parent", "")
    parent = (
        Note.objects.filter(pk=parent_id, article=article).first() if parent_id.isdigit() else None
    )
    paragraph = request.POST.get("paragraph", "")
    try:
        written = rules.add(
            article,
            by=request.user,
            text=request.POST.get("text", ""),
            paragraph=int(paragraph) if paragraph.isdigit() else None,
            parent=parent,
        )
    except rules.NoteError as error:
        messages.error(request, str(error))
        return _back(article, parent)
    done = "Réponse ajoutée." if parent else "Note ajoutée."
    if written.told:
        done += f" Prévenu{'s' if len(written.told) > 1 else ''} : {', '.join(written.told)}."
    messages.success(request, done)
    if written.unknown:
        messages.warning(
            request, f"Personne dans la rédaction ne répond à {', '.join(written.unknown)}."
        )
    if written.not_allowed:
        messages.warning(
            request,
            f"{', '.join(written.not_allowed)} ne peut pas ouvrir cet article : pas de "
            "notification.",
        )
    return _back(article, written.note.thread)


@require_POST
def resolve(request, object_id, note_id):
    return _decide(request, object_id, note_id, rules.resolve, "Note résolue.")


@require_POST
def reopen(request, object_id, note_id):
    return _decide(request, object_id, note_id, rules.reopen, "Note rouverte.")


def _decide(request, object_id, note_id, rule, done):
    note = get_object_or_404(Note, pk=note_id, article_id=object_id)
    try:
        rule(note, by=request.user)
    except rules.NoteError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return _back(note.article, note.thread)
