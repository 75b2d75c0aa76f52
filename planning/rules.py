"""Planning rules: who may plan a sujet, accept it, move its due time or its publication.

Editors (newsroom.roles.is_editor) create sujets, confide them, move their due time and
abandon them; only the person a sujet is confided to accepts it, which creates the draft
article linked to it. A publication is moved through articles.workflow.schedule, with its
rules (who may publish, what is missing). Every decision is written to Django's history of
the sujet (LogEntry) and the person concerned is told by e-mail.
"""

from datetime import datetime

from django.conf import settings
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils.text import slugify

from actualites.mail import send_mail
from articles import workflow
from articles.dates import french_datetime
from articles.models import Article
from newsroom.roles import display_name, is_editor

from .models import Assignment

S = Assignment.Status


class PlanningError(Exception):
    """A decision the sujet's state does not allow; the message is for the person, in French."""


def may_plan(user: AbstractUser) -> bool:
    return is_editor(user)


def may_see(user: AbstractUser, assignment: Assignment) -> bool:
    return may_plan(user) or (user.is_active and assignment.assignee_id == user.pk)


def may_accept(user: AbstractUser, assignment: Assignment) -> bool:
    return (
        user.is_active
        and assignment.assignee_id == user.pk
        and assignment.status == S.PROPOSED
        and user.has_perm("articles.add_article")
    )


def create(assignment: Assignment, *, by: AbstractUser) -> Assignment:
    """Save a new sujet filled in by an editor (the admin's form)."""
    _require(may_plan(by), "Seuls les éditeurs planifient les sujets.")
    assignment.created_by = by
    assignment.status = S.PROPOSED
    with transaction.atomic():
        assignment.save()
        _log(by, assignment, ADDITION, _confided(assignment))
    _tell_assignee(assignment, by)
    return assignment


def change(assignment: Assignment, *, by: AbstractUser, before: Assignment) -> Assignment:
    """Save an editor's changes; a new assignee or due time is recorded and told."""
    _require(may_plan(by), "Seuls les éditeurs planifient les sujets.")
    lines = []
    if assignment.assignee_id != before.assignee_id:
        if assignment.status == S.ACCEPTED:
            raise PlanningError(
                "Ce sujet est déjà accepté et son article écrit par quelqu’un : abandonnez-le "
                "plutôt que de le confier à une autre personne."
            )
        lines.append(_confided(assignment))
    if assignment.due_at != before.due_at:
        lines.append(
            f"Échéance déplacée du {french_datetime(before.due_at)} au "
            f"{french_datetime(assignment.due_at)}"
        )
    with transaction.atomic():
        assignment.save()
        _log(by, assignment, CHANGE, " ; ".join(lines) or "Sujet modifié")
    if assignment.assignee_id != before.assignee_id or assignment.due_at != before.due_at:
        _tell_assignee(assignment, by)
    return assignment


def accept(assignment: Assignment, *, by: AbstractUser) -> Article:
    """The assignee takes the sujet: a draft article, signed by them, is created and linked."""
    if assignment.assignee_id != by.pk:
        raise PermissionDenied("Ce sujet n’est pas le vôtre.")
    with transaction.atomic():
        assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
        if assignment.status != S.PROPOSED:
            raise PlanningError(f"Ce sujet est déjà « {assignment.get_status_display()} ».")
        _require(may_accept(by, assignment), "Vous ne pouvez pas écrire d’article.")
        article = Article.objects.create(
            title=assignment.title,
            slug=_free_slug(assignment.title),
            category=assignment.category,
            standfirst="",
            body="",
            status=Article.Status.DRAFT,
            created_by=by,
            updated_by=by,
        )
        profile = getattr(by, "author_profile", None)
        if profile is not None:
            article.authors.set([profile])
        workflow.save_revision(article, by=by)
        assignment.article, assignment.status = article, S.ACCEPTED
        assignment.save(update_fields=["article", "status"])
        _log(by, assignment, CHANGE, "Sujet accepté : brouillon créé")
    return article


def abandon(assignment: Assignment, *, by: AbstractUser, reason: str) -> Assignment:
    _require(may_plan(by), "Seuls les éditeurs abandonnent un sujet.")
    if not reason.strip():
        raise PlanningError("Dites pourquoi le sujet est abandonné : la raison est obligatoire.")
    if assignment.status == S.ABANDONED:
        raise PlanningError("Ce sujet est déjà abandonné.")
    assignment.status = S.ABANDONED
    with transaction.atomic():
        assignment.save(update_fields=["status"])
        _log(by, assignment, CHANGE, f"Sujet abandonné : {reason.strip()}")
    return assignment


def reschedule_publication(article: Article, *, by: AbstractUser, at: datetime | None) -> None:
    """Move (or set) a publication time from the calendar, through the workflow's rules."""
    if at is None:
        raise workflow.WorkflowError("Choisissez la date et l’heure de publication.")
    before = article.published_at if article.is_scheduled else None
    comment = (
        f"Reprogrammé depuis le planning (prévu le {french_datetime(before)})"
        if before
        else "Programmé depuis le planning"
    )
    workflow.schedule(article, by=by, at=at, comment=comment)


# Helpers --------------------------------------------------------------------------------------


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _who(user) -> str:
    return display_name(user) if user else "personne"


def _confided(assignment: Assignment) -> str:
    if assignment.assignee_id is None:
        return "Sujet proposé, confié à personne pour l’instant"
    return f"Sujet confié à {_who(assignment.assignee)}, à rendre le " + french_datetime(
        assignment.due_at
    )


def _free_slug(title: str) -> str:
    base = slugify(title)[:180] or "sujet"
    slug, n = base, 2
    while Article.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _log(user, assignment: Assignment, flag: int, message: str) -> None:
    LogEntry.objects.log_actions(user.pk, [assignment], flag, message, single_object=True)


def _tell_assignee(assignment: Assignment, by) -> None:
    person = assignment.assignee
    if person is None or person.pk == by.pk or not person.email:
        return
    url = settings.SITE_URL + reverse("admin:planning_assignment_change", args=[assignment.pk])
    body = (
        f"{_who(by)} vous confie un sujet : « {assignment.title} » "
        f"({assignment.category.name}, environ {assignment.planned_words} mots), à rendre le "
        f"{french_datetime(assignment.due_at)}.\n"
    )
    if assignment.brief:
        body += f"\nConsigne : {assignment.brief}\n"
    body += f"\nAccepter le sujet : {url}\n"
    subject = f"Sujet pour vous : {assignment.title}"
    transaction.on_commit(lambda: send_mail(subject, body, None, [person.email]), robust=True)
