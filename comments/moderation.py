"""The rules of reader comments: cleaning, automatic decisions, moderation (e-mails: notices.py)."""

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import ngettext

from articles.models import Article
from public_cache import invalidation

from . import tasks
from .models import ArticleCommentPolicy, BlockedWord, Comment
from .signals import comment_moderated

# Format characters (Unicode category Cf) are invisible. Bidi embeddings, overrides and
# isolates show a text reversed or reordered ("gpj.exe"); zero-width spaces, joiners, soft
# hyphens and tag characters make identical-looking words differ and hide them from the
# blocklist. Names keep none. Texts keep only what writing needs: the zero-width joiner (emoji
# sequences, Indic scripts), the non-joiner (Persian, Indic scripts) and the implicit
# direction marks (LRM, RLM, ALM), which only place punctuation between right-to-left and
# left-to-right words and cannot turn a word around.
KEPT_IN_TEXT = frozenset("\u200d\u200c\u200e\u200f\u061c")
# Tabs and line breaks are ordinary whitespace; every other C0/C1 control is refused.
_ALLOWED_CONTROLS = {"\t", "\n", "\r"}
LINK_RE = re.compile(r"(?:\bhttps?://|\bwww\.)\S+", re.IGNORECASE)

IN_FLIGHT_KEY = "comments:in-flight:{digest}"


# --- Cleaning what readers type ----------------------------------------------------------


def has_control_characters(value: str) -> bool:
    """True if the text holds NUL or another control character that must never be stored."""
    return any(unicodedata.category(c) == "Cc" and c not in _ALLOWED_CONTROLS for c in value)


def strip_control_characters(value: str) -> str:
    """The text without the control characters has_control_characters() refuses."""
    return "".join(c for c in value if unicodedata.category(c) != "Cc" or c in _ALLOWED_CONTROLS)


def strip_format_characters(value: str, keep: frozenset[str] = frozenset()) -> str:
    """The text without its invisible format characters (Cf), but those in `keep`."""
    return "".join(c for c in value if c in keep or unicodedata.category(c) != "Cf")


def normalize_name(value: str) -> str:
    """NFC, without any invisible format character, spaces collapsed."""
    # Stripped before NFC, so that "e\u200b\u0301" still composes into "é".
    value = unicodedata.normalize("NFC", strip_format_characters(value))
    return " ".join(value.split())


def normalize_text(value: str) -> str:
    """NFC, only the format characters writing needs, Unix line breaks, no trailing spaces,
    at most one blank line in a row."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = unicodedata.normalize("NFC", strip_format_characters(value, KEPT_IN_TEXT))
    value = "\n".join(line.rstrip() for line in value.split("\n")).strip()
    return re.sub(r"\n{3,}", "\n\n", value)


def count_links(text: str) -> int:
    return len(LINK_RE.findall(text))


def blocked_words_in(*texts: str) -> list[str]:
    """The blocklisted words or phrases found, as whole words, ignoring case."""
    # Even the joiners a text may keep: "ar\u200dnaque" is still the word.
    haystack = unicodedata.normalize("NFC", strip_format_characters("\n".join(texts))).casefold()
    return [
        word
        for word in BlockedWord.objects.values_list("word", flat=True)
        if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", haystack)
    ]


# --- Deciding what happens to a new comment ----------------------------------------------


@dataclass(frozen=True)
class Decision:
    status: str
    reasons: list[str]


def decide(*, name: str, email: str, text: str) -> Decision:
    """Held unless every rule allows publishing at once; the reasons say which did not."""
    reasons = []
    max_links = settings.COMMENTS_MAX_LINKS
    links = count_links(text)
    if links > max_links:
        reasons.append(
            f"Contient {links} liens (maximum pour une publication directe : {max_links})."
        )
    blocked = blocked_words_in(name, text)
    if blocked:
        quoted = ", ".join(f"« {word} »" for word in blocked)
        reasons.append(
            ngettext(
                "Contient un mot bloqué : %s.", "Contient des mots bloqués : %s.", len(blocked)
            )
            % quoted
        )
    if not settings.COMMENTS_AUTO_APPROVE_KNOWN:
        reasons.append("Publication automatique désactivée : chaque commentaire est relu.")
    elif not Comment.objects.approved().filter(email=email).exists():
        reasons.append("Aucun commentaire déjà publié avec cette adresse e-mail.")
    status = Comment.Status.PENDING if reasons else Comment.Status.APPROVED
    return Decision(status=status, reasons=reasons)


def find_duplicate(*, article: Article, email: str, text: str) -> Comment | None:
    """The same reader already sent the same text on this article."""
    return Comment.objects.filter(article=article, email=email, text=text).order_by("pk").first()


def claim_submission(*, article: Article, email: str, text: str) -> bool:
    """False while an identical post is being stored (double click): not stored twice."""
    digest = hashlib.sha256(f"{article.pk}\0{email}\0{text}".encode()).hexdigest()
    return cache.add(IN_FLIGHT_KEY.format(digest=digest), 1, timeout=30)


def submit(
    *,
    article: Article,
    name: str,
    email: str,
    text: str,
    parent: Comment | None = None,
    ip: str | None = None,
    user_agent: str = "",
    notify_on_approval: bool = False,
) -> Comment:
    """Store a new comment, held or published by the rules, and tell who needs to know."""
    decision = decide(name=name, email=email, text=text)
    now = timezone.now()
    held = decision.status != Comment.Status.APPROVED
    # The comment and its moderators' notice are one transaction: if the database goes away
    # between them, the reader gets an error and nothing was stored, never the reverse.
    with transaction.atomic():
        comment = Comment.objects.create(
            article=article,
            parent=parent,
            name=name,
            email=email,
            text=text,
            status=decision.status,
            reasons=decision.reasons,
            ip=ip,
            # Headers are the client's say-so: a NUL byte in one would crash PostgreSQL.
            user_agent=strip_control_characters(user_agent)[:300],
            notify_on_approval=notify_on_approval,
            created_at=now,
            moderated_at=None if held else now,
        )
        if held:
            # The digest task sends whatever is pending, so many posts make few emails.
            tasks.notify_moderators.enqueue()
        else:
            _count(article.pk, +1)
    if not held:
        invalidation.changed(comments_of=article)
        comment_moderated.send(
            sender=Comment, comment=comment, previous_status=None, status=comment.status, by=None
        )
    return comment


def after_post_url(comment: Comment) -> str:
    """Where the reader lands after posting: a fixed message chosen by the query string."""
    url = comment.article.get_absolute_url()
    if comment.status == Comment.Status.APPROVED:
        return f"{url}?commentaire=publie#comment-{comment.pk}"
    return f"{url}?commentaire=en-attente#commentaires"


# --- Open or closed ----------------------------------------------------------------------


def closed_reason(article: Article) -> str:
    """Why readers may not comment on this article, or "" when they may."""
    try:
        # Joined by the article page's own query (select_related), else read here.
        policy = article.comment_policy
    except ArticleCommentPolicy.DoesNotExist:
        policy = None
    mode = policy.mode if policy else ArticleCommentPolicy.Mode.AUTOMATIC
    if mode == ArticleCommentPolicy.Mode.CLOSED:
        return policy.reason or "La rédaction a fermé les commentaires sur cet article."
    if mode == ArticleCommentPolicy.Mode.OPEN:
        return ""
    days = settings.COMMENTS_CLOSE_AFTER_DAYS
    if (
        days
        and article.published_at
        and article.published_at + timedelta(days=days) < timezone.now()
    ):
        return (
            ngettext(
                "Les commentaires sont fermés %d jour après la publication de l’article.",
                "Les commentaires sont fermés %d jours après la publication de l’article.",
                days,
            )
            % days
        )
    return ""


# --- Moderation --------------------------------------------------------------------------


def moderate(comment: Comment, status: str, *, by: AbstractBaseUser | None = None) -> bool:
    """Move a comment to another state; False when it already was in that state.

    The UPDATE only applies to the state this comment was read in: two moderators deciding
    at the same moment change it once, and the article's counter moves once.
    """
    previous = comment.status
    if previous == status:
        return False
    now = timezone.now()
    with transaction.atomic():
        changed = Comment.objects.filter(pk=comment.pk, status=previous).update(
            status=status, moderated_at=now, moderated_by=by
        )
        if not changed:
            comment.refresh_from_db(fields=["status", "moderated_at", "moderated_by"])
            return False
        delta = (status == Comment.Status.APPROVED) - (previous == Comment.Status.APPROVED)
        if delta:
            _count(comment.article_id, delta)
    comment.status, comment.moderated_at, comment.moderated_by = status, now, by
    if Comment.Status.APPROVED in (previous, status):
        # Shown or hidden: the article's comments and its counts in listings (here and in
        # shared caches).
        invalidation.changed(comments_of=comment.article_id)
    comment_moderated.send(
        sender=Comment, comment=comment, previous_status=previous, status=status, by=by
    )
    if (
        status == Comment.Status.APPROVED
        and comment.notify_on_approval
        and comment.approval_notice_sent_at is None
    ):
        tasks.notify_commenter.enqueue(comment.pk)
    return True


def _count(article_id: int, delta: int) -> None:
    Article.objects.filter(pk=article_id).update(comment_count=F("comment_count") + delta)


def recount(articles=None) -> int:
    """Set articles' published-comment counters from the comments themselves.

    For imports that write comments in bulk, and as a repair; returns the articles updated.
    """
    approved = (
        Comment.objects.approved()
        .filter(article=OuterRef("pk"))
        .order_by()
        .values("article")
        .annotate(n=Count("pk"))
        .values("n")
    )
    queryset = Article.objects.all() if articles is None else articles
    return queryset.update(comment_count=Coalesce(Subquery(approved), 0))


def comment_deleted(sender, instance: Comment, **kwargs) -> None:
    """post_delete receiver: a deleted published comment leaves its article's count."""
    if instance.status == Comment.Status.APPROVED:
        _count(instance.article_id, -1)


def approve(comment: Comment, *, by: AbstractBaseUser | None = None) -> bool:
    return moderate(comment, Comment.Status.APPROVED, by=by)


def reject(comment: Comment, *, by: AbstractBaseUser | None = None) -> bool:
    return moderate(comment, Comment.Status.REJECTED, by=by)


def mark_spam(comment: Comment, *, by: AbstractBaseUser | None = None) -> bool:
    return moderate(comment, Comment.Status.SPAM, by=by)


def moderate_many(
    comments: Iterable[Comment], status: str, *, by: AbstractBaseUser | None = None
) -> int:
    """Moderate each comment in turn; returns how many actually changed."""
    return sum(moderate(comment, status, by=by) for comment in comments)
