"""The editorial workflow: the only place where an article changes state.

Admin buttons, admin actions and tests all call these functions. Each one checks who may do it
and from which state, records a line of history, and sends the notification e-mails once the
transaction is committed.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from html import unescape

from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import strip_tags
from django.utils.safestring import SafeString

from actualites.mail import send_mail
from newsroom.roles import display_name, editors, is_editor
from public_cache import invalidation

from .dates import french_datetime
from .diffs import revision_diff
from .models import (
    Article,
    ArticleNote,
    ArticleRedirect,
    ArticleRevision,
    AuditEvent,
    Transition,
)
from .sanitize import images_without_alt, same_for_readers

Status = Article.Status
Action = Transition.Action

# What a journalist may still edit: once submitted, the text belongs to the editors.
EDITABLE_BY_AUTHOR = {Status.DRAFT, Status.CHANGES_REQUESTED}
# Decisions after which "what changed since the last review" starts again from zero.
REVIEW_ACTIONS = {Action.SEND_BACK, Action.PUBLISH, Action.SCHEDULE}
# The decisions that change what readers see go to the audit trail, with before and after.
AUDITED = {
    Action.PUBLISH: AuditEvent.Action.PUBLISH,
    Action.SCHEDULE: AuditEvent.Action.SCHEDULE,
    Action.UNPUBLISH: AuditEvent.Action.UNPUBLISH,
}


class WorkflowError(Exception):
    """A move the article's state does not allow; the message is for the person in French."""


# Who may do what ------------------------------------------------------------------------------


def can_publish(user: AbstractUser) -> bool:
    return user.is_active and user.has_perm("articles.publish_article")


def is_own(user: AbstractUser, article: Article) -> bool:
    if not user.is_authenticated:
        return False
    if article.created_by_id == user.pk:
        return True
    return article.pk is not None and article.authors.filter(user=user).exists()


def is_author(user: AbstractUser, article: Article) -> bool:
    """A journalist's own article: she may edit and submit it while it is in her hands."""
    return user.is_active and user.has_perm("articles.change_article") and is_own(user, article)


def can_view(user: AbstractUser, article: Article) -> bool:
    if is_editor(user):
        return True
    return user.is_active and user.has_perm("articles.view_article") and is_own(user, article)


def can_edit(user: AbstractUser, article: Article) -> bool:
    if is_editor(user):
        return True
    return article.status in EDITABLE_BY_AUTHOR and is_author(user, article)


# The moves ------------------------------------------------------------------------------------

# A published article whose time has not come is a state of its own for the moves.
SCHEDULED = "scheduled"


def state(article: Article) -> str:
    """The article's status, or SCHEDULED: where a move may start from."""
    return SCHEDULED if article.is_scheduled else article.status


@dataclass(frozen=True)
class Move:
    """A move an article may make: from where, to where, who may make it, what it needs."""

    verb: str  # for the messages: « Impossible de {verb} un article à l'état … »
    sources: frozenset[str]
    to: str
    who: Callable[[AbstractUser, Article], bool]
    refused: str  # to whoever `who` turns away
    hint: str = ""  # after a refusal by state: what to do instead
    comment_needed: str = ""  # "" when the comment is optional
    needs_future_date: bool = False


FUTURE_DATE_NEEDED = "Choisissez une date et une heure dans le futur pour programmer."
_PUBLISHABLE = frozenset({Status.REVIEW, Status.WITHDRAWN, SCHEDULED})

# The one table of the workflow: the moves, who may make them and from which states. The
# functions below check it, the admin offers its buttons from it (allowed_actions) and the
# article form asks for what it needs (comment, date).
MOVES: dict[str, Move] = {
    Action.SUBMIT: Move(
        verb="soumettre",
        sources=frozenset(EDITABLE_BY_AUTHOR),
        to=Status.REVIEW,
        who=lambda user, article: is_editor(user) or is_author(user, article),
        refused="Vous ne pouvez pas soumettre cet article.",
    ),
    Action.SEND_BACK: Move(
        verb="renvoyer",
        sources=frozenset({Status.REVIEW}),
        to=Status.CHANGES_REQUESTED,
        who=lambda user, article: is_editor(user),
        refused="Seuls les éditeurs peuvent renvoyer un article.",
        comment_needed=(
            "Expliquez à l’auteur ce qu’il faut reprendre : le commentaire est obligatoire."
        ),
    ),
    Action.PUBLISH: Move(
        verb="publier",
        sources=_PUBLISHABLE,
        to=Status.PUBLISHED,
        who=lambda user, article: can_publish(user),
        refused="Seuls les éditeurs peuvent publier un article.",
        hint="il doit d’abord être soumis à relecture",
    ),
    Action.SCHEDULE: Move(
        verb="programmer",
        sources=_PUBLISHABLE,
        to=Status.PUBLISHED,
        who=lambda user, article: can_publish(user),
        refused="Seuls les éditeurs peuvent publier un article.",
        hint="il doit d’abord être soumis à relecture",
        needs_future_date=True,
    ),
    Action.UNPUBLISH: Move(
        verb="dépublier",
        sources=frozenset({Status.PUBLISHED, SCHEDULED}),
        to=Status.WITHDRAWN,
        who=lambda user, article: can_publish(user),
        refused="Seuls les éditeurs peuvent dépublier un article.",
        comment_needed="Indiquez la raison du retrait : le commentaire est obligatoire.",
    ),
}


def allowed_actions(article: Article, user: AbstractUser) -> list[str]:
    """The moves this person may make now, in the order of MOVES: the admin's buttons."""
    return [
        action
        for action, move in MOVES.items()
        if state(article) in move.sources and move.who(user, article)
    ]


def missing_for_publication(article: Article) -> list[str]:
    """What a complete article still lacks, in French, in the order of the form."""
    missing = []
    if not article.title.strip():
        missing.append("le titre")
    if not article.standfirst.strip():
        missing.append("le chapô")
    if not unescape(strip_tags(article.body or "")).strip():
        missing.append("le texte")
    unlabelled = images_without_alt(article.body)
    if unlabelled:
        missing.append(
            "le texte alternatif d’une image du texte"
            if unlabelled == 1
            else f"le texte alternatif de {unlabelled} images du texte"
        )
    if not article.category_id:
        missing.append("la rubrique")
    photo = article.hero_photo
    if photo is None:
        missing.append("la photo principale")
    else:
        if not photo.credit.strip():
            missing.append("le crédit de la photo")
        if not photo.alt_text.strip():
            missing.append("le texte alternatif de la photo")
    return missing


# A piece waiting longer than this for review is flagged, on the desk and in the review queue.
LONG_WAIT = timedelta(hours=24)


def counts(queryset) -> dict[str, int]:
    """How many articles in each state, scheduled ones apart, in one query."""
    now = timezone.now()
    published = Q(status=Status.PUBLISHED)
    return queryset.aggregate(
        draft=Count("pk", filter=Q(status=Status.DRAFT)),
        review=Count("pk", filter=Q(status=Status.REVIEW)),
        changes_requested=Count("pk", filter=Q(status=Status.CHANGES_REQUESTED)),
        scheduled=Count("pk", filter=published & Q(published_at__gt=now)),
        published=Count("pk", filter=published & Q(published_at__lte=now)),
        withdrawn=Count("pk", filter=Q(status=Status.WITHDRAWN)),
    )


# Transitions ----------------------------------------------------------------------------------


def submit(article: Article, *, by: AbstractUser, comment: str = "") -> Transition:
    """Send a draft (or a sent-back article) to the editors for review."""
    move = _check(Action.SUBMIT, article, by, comment=comment)
    with transaction.atomic():
        _lock(article)
        _expect(article, move)
        step = _move(article, by, Action.SUBMIT, move.to, comment)
    _notify_editors(article, by, step)
    return step


def send_back(article: Article, *, by: AbstractUser, comment: str) -> Transition:
    """Return an article under review to its authors, saying what to change."""
    move = _check(Action.SEND_BACK, article, by, comment=comment)
    with transaction.atomic():
        _lock(article)
        _expect(article, move)
        step = _move(article, by, Action.SEND_BACK, move.to, comment)
    _notify_authors(article, by, step)
    return step


def publish(
    article: Article, *, by: AbstractUser, at: datetime | None = None, comment: str = ""
) -> Transition:
    """Publish now, or at `at`: a future time schedules it (readers see it from then on)."""
    now = timezone.now()
    at = at or now
    action = Action.SCHEDULE if at > now else Action.PUBLISH
    move = _check(action, article, by, comment=comment, at=at)
    with transaction.atomic():
        _lock(article)
        _expect(article, move)
        missing = missing_for_publication(article)
        if missing:
            raise WorkflowError("Impossible de publier : il manque " + _french_list(missing) + ".")
        before = audit_snapshot(article)
        article.published_at = at
        # _move says what changed: the pages it enters, here and in shared caches.
        step = _move(article, by, action, move.to, comment, ["published_at"], before=before)
    _notify_authors(article, by, step)
    return step


def schedule(
    article: Article, *, by: AbstractUser, at: datetime | None, comment: str = ""
) -> Transition:
    """Publish at a future time; a time already past is refused, not published now."""
    _check(Action.SCHEDULE, article, by, comment=comment, at=at)
    return publish(article, by=by, at=at, comment=comment)


def unpublish(article: Article, *, by: AbstractUser, comment: str) -> Transition:
    """Take a published (or scheduled) article off the site; it keeps its history."""
    move = _check(Action.UNPUBLISH, article, by, comment=comment)
    with transaction.atomic():
        _lock(article)
        _expect(article, move)
        step = _move(article, by, Action.UNPUBLISH, move.to, comment)
    _notify_authors(article, by, step)
    return step


def make_move(
    action: str,
    article: Article,
    *,
    by: AbstractUser,
    comment: str = "",
    at: datetime | None = None,
) -> Transition:
    """The move an admin button names, with what its form gave."""
    if action not in MOVES:
        raise WorkflowError("Action inconnue.")
    if action == Action.SUBMIT:
        return submit(article, by=by, comment=comment)
    if action == Action.SEND_BACK:
        return send_back(article, by=by, comment=comment)
    if action == Action.PUBLISH:
        return publish(article, by=by, comment=comment)
    if action == Action.SCHEDULE:
        return schedule(article, by=by, at=at, comment=comment)
    return unpublish(article, by=by, comment=comment)


def restore(
    revision: ArticleRevision,
    *,
    by: AbstractUser,
    note_kind: str = "",
    note_text: str = "",
    minor: bool = False,
) -> Transition:
    """Bring back an earlier version's text and photo, as a new version.

    A live article stays online and the restore is an edit readers are told about (a note,
    unless minor); any other article becomes a draft again, to be reviewed.
    """
    article = revision.article
    _require(can_edit(by, article), "Vous ne pouvez pas modifier cet article.")
    comment = f"Version n° {revision.number} restaurée."
    with transaction.atomic():
        _lock(article)
        if _same_text(article, revision):
            raise WorkflowError(
                f"Le texte actuel est déjà celui de la version n° {revision.number}."
            )
        before = audit_snapshot(article)
        article.title = revision.title
        article.standfirst = revision.standfirst
        article.body = revision.body
        article.hero_photo_id = revision.hero_photo_id
        fields = ["title", "standfirst", "body", "hero_photo"]
        if article.is_published:
            article.version += 1
            article.save(update_fields=[*fields, "version", "updated_at"])
            invalidation.changed(article=article)
            save_revision(article, by=by)
            # Refused without a note (WorkflowError): the transaction undoes the restore.
            record_change(article, by=by, kind=note_kind, text=note_text, minor=minor)
            step = _history(article, by, Action.RESTORE, comment)
        else:
            # The restored text must be reviewed again: a scheduled article is unscheduled too.
            step = _move(article, by, Action.RESTORE, Status.DRAFT, comment, fields)
            step.revision = save_revision(article, by=by)
            step.save(update_fields=["revision"])
        reason = comment if minor or not note_text.strip() else f"{comment} {note_text.strip()}"
        _audit(AuditEvent.Action.RESTORE, article, by, before, audit_snapshot(article), reason)
    return step


# Edits ----------------------------------------------------------------------------------------


def save_revision(article: Article, *, by: AbstractUser) -> ArticleRevision:
    """Snapshot the text and photo; an unchanged save reuses the last snapshot."""
    last = article.revisions.order_by("-number").first()
    snapshot = {
        "title": article.title,
        "standfirst": article.standfirst,
        "body": article.body,
        "hero_photo_id": article.hero_photo_id,
    }
    if last and all(getattr(last, key) == value for key, value in snapshot.items()):
        return last
    return ArticleRevision.objects.create(
        article=article, number=(last.number + 1 if last else 1), created_by=by, **snapshot
    )


def record_change(
    article: Article, *, by: AbstractUser, kind: str = "", text: str = "", minor: bool = False
) -> Transition:
    """An edit of a published article: a public note for readers, or a minor fix in history only."""
    _require(is_editor(by), "Seuls les éditeurs peuvent modifier un article publié.")
    now = timezone.now()
    if minor:
        return _history(article, by, Action.MINOR_FIX, "")
    if kind not in ArticleNote.Kind.values or not text.strip():
        raise WorkflowError(
            "Rédigez la note de mise à jour ou de correction destinée aux lecteurs."
        )
    ArticleNote.objects.create(
        article=article, kind=kind, text=text.strip(), created_by=by, created_at=now
    )
    # "Mis à jour le" on the page is the date of the latest note.
    article.revised_at = now
    article.save(update_fields=["revised_at"])
    action = Action.CORRECTION if kind == ArticleNote.Kind.CORRECTION else Action.UPDATE
    return _history(article, by, action, text.strip())


def record_photo_change(
    article: Article, *, by: AbstractUser, comment: str, before: dict, after: dict
) -> Transition:
    """The photo an article uses was changed (photos/rules.py): a line of its history, and
    of the audit trail while editors review it or readers may see it (scheduled included)."""
    if article.status in (Status.REVIEW, Status.PUBLISHED):
        _audit(AuditEvent.Action.PHOTO, article, by, before, after)
    return _history(article, by, Action.PHOTO, comment)


def record_slug_change(article: Article, old_slug: str) -> None:
    """Keep a public article's former address answering with a permanent redirect."""
    if not old_slug or old_slug == article.slug or article.published_at is None:
        return
    ArticleRedirect.objects.filter(old_slug=article.slug).delete()
    ArticleRedirect.objects.update_or_create(old_slug=old_slug, defaults={"article": article})


def changes_since_review(article: Article) -> tuple[ArticleRevision | None, ArticleRevision | None]:
    """The revision the editors last decided on, and the latest one."""
    latest = article.revisions.order_by("-number").first()
    decided = (
        article.transitions.filter(action__in=REVIEW_ACTIONS, revision__isnull=False)
        .select_related("revision")
        .order_by("-at", "-pk")
        .first()
    )
    return (decided.revision if decided else None), latest


@dataclass
class SavedMeanwhile:
    """Who saved an article last and what they changed since a given revision."""

    who: str
    at: datetime
    diff: list[tuple[str, SafeString]] = field(default_factory=list)
    other_changes: str = ""

    @property
    def when(self) -> str:
        return french_datetime(self.at)


def saved_meanwhile(article: Article, *, since_revision: int | None) -> SavedMeanwhile | None:
    """The last save of the article (an edit or a decision) and its changes since a revision."""
    edit = (
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Article),
            object_id=str(article.pk),
            action_flag=CHANGE,
        )
        .select_related("user")
        .order_by("-action_time", "-pk")
        .first()
    )
    decision = article.transitions.select_related("by").order_by("-at", "-pk").first()
    if edit is None and decision is None:
        return None
    if decision is None or (edit is not None and edit.action_time >= decision.at):
        saved = SavedMeanwhile(who=display_name(edit.user), at=edit.action_time)
        saved.other_changes = _other_changes(edit)
    else:
        saved = SavedMeanwhile(
            who=display_name(decision.by) if decision.by else "un membre de la rédaction",
            at=decision.at,
            other_changes=decision.get_action_display(),
        )
    latest = article.revisions.order_by("-number").first()
    base = article.revisions.filter(number=since_revision).first() if since_revision else None
    if base and latest and base.pk != latest.pk:
        saved.diff = revision_diff(base, latest)
    return saved


def _other_changes(entry) -> str:
    """The admin's own summary of a save (« Modification de Mots-clés. »), if any."""
    message = entry.get_change_message()
    return "" if message in ("", "Aucun champ modifié.") else message


# Internals ------------------------------------------------------------------------------------


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _lock(article: Article) -> None:
    """Re-read the state under a row lock, so two decisions cannot cross."""
    current = (
        Article.objects.select_for_update()
        .only("status", "published_at", "version")
        .get(pk=article.pk)
    )
    article.status, article.published_at, article.version = (
        current.status,
        current.published_at,
        current.version,
    )


def _check(action, article, by, *, comment="", at=None) -> Move:
    """Who may make the move, and whether it has what it needs (MOVES)."""
    move = MOVES[action]
    _require(move.who(by, article), move.refused)
    if move.comment_needed and not comment.strip():
        raise WorkflowError(move.comment_needed)
    if move.needs_future_date and (at is None or at <= timezone.now()):
        raise WorkflowError(FUTURE_DATE_NEEDED)
    return move


def _expect(article: Article, move: Move) -> None:
    """Whether the move may start from the article's state: checked under the row lock."""
    if state(article) in move.sources:
        return
    if move.to == Status.PUBLISHED and article.is_published:
        raise WorkflowError("Cet article est déjà publié.")
    refusal = f"Impossible de {move.verb} un article à l’état « {article.status_label} »"
    raise WorkflowError(f"{refusal} : {move.hint}." if move.hint else f"{refusal}.")


def _move(article, user, action, to_status, comment, fields=(), before=None) -> Transition:
    from_status = article.status
    if action in AUDITED and before is None:
        before = audit_snapshot(article)
    article.status = to_status
    article.version += 1
    article.updated_by = user
    article.save(update_fields=["status", "version", "updated_at", "updated_by", *fields])
    invalidation.changed(article=article)
    if action in AUDITED:
        _audit(AUDITED[action], article, user, before, audit_snapshot(article), comment.strip())
    return Transition.objects.create(
        article=article,
        action=action,
        from_status=from_status,
        to_status=to_status,
        comment=comment.strip(),
        by=user,
        revision=article.revisions.order_by("-number").first(),
    )


def delete(article: Article, *, by: AbstractUser) -> None:
    """Delete an article for good, leaving its last state in the audit trail."""
    _require(
        by.has_perm("articles.delete_article"),
        "Vous n’avez pas le droit de supprimer un article.",
    )
    with transaction.atomic():
        _lock(article)
        _audit(AuditEvent.Action.DELETE, article, by, audit_snapshot(article), None)
        invalidation.changed(
            article=article
        )  # Before the delete, while its keywords and authors are known.
        article.delete()


def audit_snapshot(article: Article) -> dict:
    """What the audit trail keeps of an article at a decision: state, date and text."""
    return {
        "status": article.status,
        "published_at": article.published_at.isoformat() if article.published_at else None,
        "slug": article.slug,
        "title": article.title,
        "standfirst": article.standfirst,
        "body": article.body,
        "category_id": article.category_id,
        "hero_photo_id": article.hero_photo_id,
    }


def _audit(action, article, user, before, after, reason="") -> AuditEvent:
    return AuditEvent.record(
        action,
        by=user,
        article_id=article.pk,
        article_title=article.title,
        reason=reason,
        before=before,
        after=after,
    )


def _same_text(article, revision) -> bool:
    return (
        article.title == revision.title
        and article.standfirst == revision.standfirst
        and same_for_readers(article.body, revision.body)
        and article.hero_photo_id == revision.hero_photo_id
    )


def _history(article, user, action, comment) -> Transition:
    return Transition.objects.create(
        article=article,
        action=action,
        from_status=article.status,
        to_status=article.status,
        comment=comment,
        by=user,
        revision=article.revisions.order_by("-number").first(),
    )


def _french_list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " et " + items[-1]


def _admin_url(article) -> str:
    return settings.SITE_URL + reverse("admin:articles_article_change", args=[article.pk])


def _editor_emails() -> list[str]:
    return sorted(set(editors().exclude(email="").values_list("email", flat=True)))


def _author_emails(article) -> list[str]:
    User = get_user_model()
    people = User.objects.filter(is_active=True).filter(
        Q(author_profile__articles=article) | Q(pk=article.created_by_id)
    )
    return sorted(set(people.exclude(email="").values_list("email", flat=True)))


def _send(recipients, actor, subject, body):
    recipients = [email for email in recipients if email != actor.email]
    if recipients:
        transaction.on_commit(lambda: send_mail(subject, body, None, recipients), robust=True)


def _notify_editors(article, user, step):
    body = f"{display_name(user)} a soumis « {article.title} » à relecture.\n"
    if step.comment:
        body += f"\nSon message : {step.comment}\n"
    body += f"\nÀ relire ici : {_admin_url(article)}\n"
    _send(_editor_emails(), user, f"À relire : {article.title}", body)


def _notify_authors(article, user, step):
    if step.action == Action.SEND_BACK:
        subject = f"À reprendre : {article.title}"
        body = (
            f"{display_name(user)} vous renvoie « {article.title} » avec ce commentaire :\n\n"
            f"{step.comment}\n\nReprendre l’article : {_admin_url(article)}\n"
        )
    elif step.action == Action.UNPUBLISH:
        subject = f"Dépublié : {article.title}"
        body = (
            f"{display_name(user)} a retiré « {article.title} » du site. Raison donnée :\n\n"
            f"{step.comment}\n\nL’article et son historique restent dans l’administration : "
            f"{_admin_url(article)}\n"
        )
    else:
        when = date_format(timezone.localtime(article.published_at), r"j F Y à H\hi")
        public_url = settings.SITE_URL + article.get_absolute_url()
        if step.action == Action.SCHEDULE:
            subject = f"Programmé : {article.title}"
            body = f"« {article.title} » sera publié le {when}.\n\nAdresse : {public_url}\n"
        else:
            subject = f"Publié : {article.title}"
            body = f"« {article.title} » est en ligne depuis le {when}.\n\n{public_url}\n"
        if step.comment:
            body += f"\nMessage de {display_name(user)} : {step.comment}\n"
    _send(_author_emails(article), user, subject, body)
