"""What the newsroom and readers are told of comments: the moderators' digest of pending
comments with their signed links (and reading those links back), and the notice a reader
asked for when their comment is published. Sent from background tasks (tasks.py), which the
rules in moderation.py enqueue: this module imports neither, so there is no circle."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core import signing
from django.core.mail import mailers
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from actualites.links import LinkError, absolute_url
from actualites.mail import Message
from articles.models import Article
from newsroom.roles import editors

from .models import Comment

LINK_SALT = "comments.moderation-link"


# --- Signed links in the moderators' inbox -----------------------------------------------

LINK_ACTIONS = {
    "approve": (Comment.Status.APPROVED, "Publier ce commentaire"),
    "reject": (Comment.Status.REJECTED, "Refuser ce commentaire"),
    "spam": (Comment.Status.SPAM, "Marquer comme indésirable"),
}


@dataclass(frozen=True)
class ModerationLink:
    comment: Comment
    action: str
    user: AbstractBaseUser

    @property
    def status(self) -> str:
        return LINK_ACTIONS[self.action][0]

    @property
    def label(self) -> str:
        return LINK_ACTIONS[self.action][1]


def moderation_url(comment: Comment, action: str, *, user: AbstractBaseUser) -> str:
    """Absolute, signed link letting `user` moderate `comment` from an email."""
    token = signing.dumps({"c": comment.pk, "a": action, "u": user.pk}, salt=LINK_SALT)
    return absolute_url(reverse("comments:moderate", args=[token]))


def can_moderate(user: AbstractBaseUser, comment: Comment) -> bool:
    if not user.is_active:
        return False
    if user.has_perm("comments.change_comment"):
        return True
    return comment.article.authors.filter(user=user).exists()


def read_moderation_link(token: str) -> ModerationLink:
    """Check a link from an email; raise LinkError with a French explanation."""
    max_age = timedelta(days=settings.COMMENTS_LINK_MAX_AGE_DAYS)
    try:
        data = signing.loads(token, salt=LINK_SALT, max_age=max_age)
    except signing.SignatureExpired as error:
        raise LinkError(
            "expired",
            f"Ce lien de modération a expiré : il n’est valable que "
            f"{settings.COMMENTS_LINK_MAX_AGE_DAYS} jours. Modérez ce commentaire depuis "
            f"l’administration.",
        ) from error
    except signing.BadSignature as error:
        raise LinkError(
            "invalid",
            "Ce lien de modération n’est pas valide : il a peut-être été coupé ou modifié. "
            "Copiez-le en entier depuis l’e-mail, ou modérez depuis l’administration.",
        ) from error
    if not isinstance(data, dict) or data.get("a") not in LINK_ACTIONS:
        raise LinkError("invalid", "Ce lien de modération n’est pas valide.")
    comment = Comment.objects.select_related("article").filter(pk=data.get("c")).first()
    if comment is None:
        raise LinkError("gone", "Ce commentaire n’existe plus : il a sans doute été supprimé.")
    user = get_user_model().objects.filter(pk=data.get("u")).first()
    if user is None or not can_moderate(user, comment):
        raise LinkError(
            "forbidden", "Ce lien n’est plus valable : votre compte ne peut plus modérer."
        )
    return ModerationLink(comment=comment, action=data["a"], user=user)


# --- Notices by email --------------------------------------------------------------------


def _editors():
    return list(editors().exclude(email=""))


def send_pending_digest() -> int:
    """Email authors and editors every pending comment not yet announced; one email each."""
    with transaction.atomic():
        # Concurrent runs skip the rows another run is announcing: nothing is sent twice.
        comments = list(
            Comment.objects.pending()
            .filter(notified_at__isnull=True)
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("article")
            .order_by("created_at", "pk")
        )
        if not comments:
            return 0
        article_ids = {c.article_id for c in comments}
        authors_of = {}
        for article in Article.objects.filter(pk__in=article_ids).prefetch_related("authors__user"):
            authors_of[article.pk] = [
                a.user for a in article.authors.all() if a.user.is_active and a.user.email
            ]
        editors = _editors()
        per_user = {}
        for comment in comments:
            for user in [*editors, *authors_of.get(comment.article_id, [])]:
                per_user.setdefault(user.pk, (user, []))
                if comment not in per_user[user.pk][1]:
                    per_user[user.pk][1].append(comment)
        messages = [_digest_message(user, items) for user, items in per_user.values()]
        if messages:
            mailers.default.send_messages(messages)
        Comment.objects.filter(pk__in=[c.pk for c in comments]).update(notified_at=timezone.now())
        return len(messages)


def _digest_message(user: AbstractBaseUser, comments: list[Comment]) -> Message:
    items = [
        {
            "comment": comment,
            "links": [
                (label, moderation_url(comment, action, user=user))
                for action, (_status, label) in LINK_ACTIONS.items()
            ],
        }
        for comment in comments
    ]
    queue_url = None
    if user.has_perm("comments.change_comment"):
        queue_url = absolute_url(reverse("admin:comments_comment_changelist")) + "?status=pending"
    context = {
        "user": user,
        "items": items,
        "queue_url": queue_url,
        "max_age_days": settings.COMMENTS_LINK_MAX_AGE_DAYS,
        "site_name": settings.SITE_NAME,
    }
    subject = ngettext(
        "%(count)d commentaire en attente de modération",
        "%(count)d commentaires en attente de modération",
        len(comments),
    ) % {"count": len(comments)}
    body = render_to_string("comments/email/pending_digest.txt", context)
    return Message(subject=subject, body=body, to=[user.email])


def send_approval_notice(comment_id: int) -> bool:
    """Tell a reader who asked for it that their comment is published, at most once."""
    claimed = Comment.objects.filter(
        pk=comment_id,
        status=Comment.Status.APPROVED,
        notify_on_approval=True,
        approval_notice_sent_at__isnull=True,
    ).update(approval_notice_sent_at=timezone.now())
    if not claimed:
        return False
    comment = Comment.objects.select_related("article").get(pk=comment_id)
    context = {
        "comment": comment,
        "url": absolute_url(comment.get_absolute_url()),
        "site_name": settings.SITE_NAME,
    }
    Message(
        subject="Votre commentaire est publié",
        body=render_to_string("comments/email/approval_notice.txt", context),
        to=[comment.email],
    ).send()
    return True
