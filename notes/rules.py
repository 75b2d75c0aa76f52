"""Notes on an article: who may read, write and resolve them, mentions, and the history.

Anyone who may open the article (articles.workflow.can_view) may read its notes, write one,
reply and resolve a thread. « @nom » cites a member of the newsroom by login or byline
address; those who may open the article are told by e-mail and on their desk. Every note,
resolution and reopening is written to Django's history of the note (LogEntry).
"""

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from actualites.mail import send_mail
from articles import workflow
from articles.diffs import as_text
from articles.models import Article
from newsroom.roles import display_name

from .models import Note

MAX_LENGTH = 4000
# « @julie », « @lea.marchetti », « @jean-paul » — not the « @ » of an e-mail address.
MENTION = re.compile(r"(?<![\w.@])@(\w(?:[\w.-]*\w)?)")


class NoteError(Exception):
    """A note that cannot be written or resolved; the message is for the person, in French."""


@dataclass
class Written:
    note: Note
    told: list[str] = field(default_factory=list)
    # Names that matched nobody, or people who may not open the article: not told.
    unknown: list[str] = field(default_factory=list)
    not_allowed: list[str] = field(default_factory=list)


def may_read(user: AbstractUser, article: Article) -> bool:
    return user.is_active and user.is_staff and workflow.can_view(user, article)


def paragraphs(article: Article) -> list[str]:
    """The article's text block by block, as the anchor list offers them."""
    return as_text(article.body).splitlines()


def add(
    article: Article,
    *,
    by: AbstractUser,
    text: str,
    paragraph: int | None = None,
    parent: Note | None = None,
) -> Written:
    if not may_read(by, article):
        raise PermissionDenied("Vous ne pouvez pas ouvrir cet article.")
    text = (text or "").strip()
    if not text:
        raise NoteError("La note est vide : écrivez-la avant de l’envoyer.")
    if len(text) > MAX_LENGTH:
        raise NoteError(f"Une note tient en {MAX_LENGTH} caractères au plus.")
    if parent is not None and (parent.article_id != article.pk or parent.parent_id is not None):
        raise NoteError("On ne répond qu’à une note de cet article.")
    quote = ""
    if paragraph is not None and parent is None:
        blocks = paragraphs(article)
        if not 1 <= paragraph <= len(blocks):
            raise NoteError("Ce paragraphe n’existe plus : rechargez l’article.")
        quote = Truncator(blocks[paragraph - 1]).chars(120)
    elif parent is not None:
        paragraph = None
    with transaction.atomic():
        note = Note.objects.create(
            article=article, parent=parent, author=by, text=text, paragraph=paragraph, quote=quote
        )
        written = Written(note)
        cited, written.unknown = _cited(text)
        for person in cited:
            if person.pk == by.pk:
                continue
            if not may_read(person, article):
                written.not_allowed.append(display_name(person))
                continue
            note.mentioned.add(person)
            written.told.append(display_name(person))
            _tell(person, note, by)
        _log(by, note, ADDITION, "Réponse ajoutée" if parent else "Note ajoutée")
    return written


def resolve(note: Note, *, by: AbstractUser) -> Note:
    thread = note.thread
    if not may_read(by, thread.article):
        raise PermissionDenied("Vous ne pouvez pas ouvrir cet article.")
    if thread.resolved_at is not None:
        raise NoteError("Cette note est déjà résolue.")
    thread.resolved_at, thread.resolved_by = timezone.now(), by
    thread.save(update_fields=["resolved_at", "resolved_by"])
    _log(by, thread, CHANGE, "Note résolue")
    return thread


def reopen(note: Note, *, by: AbstractUser) -> Note:
    thread = note.thread
    if not may_read(by, thread.article):
        raise PermissionDenied("Vous ne pouvez pas ouvrir cet article.")
    if thread.resolved_at is None:
        raise NoteError("Cette note est encore ouverte.")
    thread.resolved_at, thread.resolved_by = None, None
    thread.save(update_fields=["resolved_at", "resolved_by"])
    _log(by, thread, CHANGE, "Note rouverte")
    return thread


def _cited(text: str) -> tuple[list[AbstractUser], list[str]]:
    names = list(dict.fromkeys(MENTION.findall(text)))
    if not names:
        return [], []
    query = Q()
    for name in names:
        query |= Q(username__iexact=name) | Q(author_profile__slug__iexact=name)
    people = list(
        get_user_model()
        .objects.filter(query, is_active=True, is_staff=True)
        .select_related("author_profile")
    )
    found, unknown = [], []
    for name in names:
        match = next((p for p in people if name.lower() in _handles(p)), None)
        if match is None:
            unknown.append(f"@{name}")
        elif match not in found:
            found.append(match)
    return found, unknown


def _handles(person) -> set[str]:
    profile = getattr(person, "author_profile", None)
    return {person.get_username().lower(), *([profile.slug.lower()] if profile else [])}


def _tell(person, note: Note, by) -> None:
    if not person.email:
        return
    article = note.article
    url = settings.SITE_URL + reverse("admin:articles_article_change", args=[article.pk])
    body = f"{display_name(by)} vous cite dans une note sur « {article.title} » :\n\n{note.text}\n"
    if note.quote:
        body += f"\nÀ propos du paragraphe {note.paragraph} : « {note.quote} »\n"
    body += f"\nLire et répondre : {url}#notes\n"
    subject = f"{display_name(by)} vous cite : {article.title}"
    transaction.on_commit(lambda: send_mail(subject, body, None, [person.email]), robust=True)


def _log(user, note: Note, flag: int, message: str) -> None:
    LogEntry.objects.log_actions(
        user.pk, [note], flag, f"{message} sur « {note.article.title} »", single_object=True
    )
