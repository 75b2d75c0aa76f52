from django.conf import settings
from django.db import models
from django.utils import timezone

from articles.links import cached_url


class CommentQuerySet(models.QuerySet):
    def approved(self):
        """What readers may see."""
        return self.filter(status=Comment.Status.APPROVED)

    def pending(self):
        return self.filter(status=Comment.Status.PENDING)

    def threads_of(self, article):
        """The approved top-level comments of an article, oldest first.

        Read through a partial index of approved threads, so a page costs the same with 20 or
        20,000 comments. A reply whose parent was later hidden by a moderator
        is hidden with it.
        """
        return (
            self.approved()
            .filter(article=article, parent__isnull=True)
            .only("pk", "parent_id", "article_id", "name", "text", "created_at")
            .order_by("created_at", "pk")
        )

    def replies_to(self, parents):
        return (
            self.approved()
            .filter(parent__in=parents)
            .only("pk", "parent_id", "article_id", "name", "text", "created_at")
            .order_by("created_at", "pk")
        )


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "En attente"
        APPROVED = "approved", "Publié"
        REJECTED = "rejected", "Refusé"
        SPAM = "spam", "Indésirable"

    article = models.ForeignKey(
        "articles.Article",
        verbose_name="article",
        on_delete=models.CASCADE,
        related_name="comments",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="en réponse à",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
        help_text="Un seul niveau de réponses : une réponse à une réponse vise son parent.",
    )
    name = models.CharField("nom", max_length=80)
    email = models.EmailField(
        "adresse e-mail", help_text="Jamais affichée publiquement. Enregistrée en minuscules."
    )
    text = models.TextField("texte")
    status = models.CharField("état", max_length=20, choices=Status.choices, default=Status.PENDING)
    # French sentences explaining why the comment was held, for moderators.
    reasons = models.JSONField("raisons de la mise en attente", default=list, blank=True)
    ip = models.GenericIPAddressField(
        "adresse IP",
        null=True,
        blank=True,
        help_text="Pour la modération seulement ; effacée après le délai de conservation.",
    )
    user_agent = models.CharField("navigateur", max_length=300, blank=True)
    notify_on_approval = models.BooleanField("prévenir le lecteur à la publication", default=False)
    created_at = models.DateTimeField("envoyé le", default=timezone.now, db_index=True)
    moderated_at = models.DateTimeField("modéré le", null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="modéré par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # When moderators got this comment in a digest; None = still to be announced.
    notified_at = models.DateTimeField("modérateurs prévenus le", null=True, blank=True)
    # When the reader was told of the publication (opt-in), so it happens once.
    approval_notice_sent_at = models.DateTimeField("lecteur prévenu le", null=True, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "commentaire"
        verbose_name_plural = "commentaires"
        indexes = [
            # A page of an article's threads, then their replies, in display order: the index
            # holds exactly the rows shown, so page 1 costs the same with 20 or 20,000 comments.
            models.Index(
                fields=["article", "created_at", "id"],
                condition=models.Q(status="approved", parent__isnull=True),
                name="comment_threads_idx",
            ),
            models.Index(
                fields=["parent", "created_at", "id"],
                condition=models.Q(status="approved"),
                name="comment_replies_idx",
            ),
            # The moderation queue and the digest of pending comments.
            models.Index(fields=["status", "-created_at"], name="comment_status_created_idx"),
            # "Has this email already an approved comment?" and duplicate detection.
            models.Index(fields=["email", "status"], name="comment_email_status_idx"),
        ]

    def __str__(self):
        excerpt = self.text if len(self.text) <= 60 else f"{self.text[:59]}…"
        return f"{self.name} : {excerpt}"

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#comment-{self.pk}"

    def get_reply_url(self):
        return cached_url("comments:reply", self.pk)


class BlockedWord(models.Model):
    """A word or phrase that always sends a comment to the moderation queue."""

    word = models.CharField(
        "mot ou expression",
        max_length=100,
        unique=True,
        help_text="Recherché sans tenir compte des majuscules, en mot entier.",
    )
    created_at = models.DateTimeField("ajouté le", auto_now_add=True)

    class Meta:
        ordering = ["word"]
        verbose_name = "mot bloqué"
        verbose_name_plural = "mots bloqués"

    def __str__(self):
        return self.word

    def save(self, *args, **kwargs):
        self.word = " ".join(self.word.split()).casefold()
        super().save(*args, **kwargs)


class ArticleCommentPolicy(models.Model):
    """Whether an article takes comments, when editors override the automatic closing."""

    class Mode(models.TextChoices):
        AUTOMATIC = "auto", "Automatique (fermeture après le délai réglé)"
        OPEN = "open", "Toujours ouverts"
        CLOSED = "closed", "Fermés"

    article = models.OneToOneField(
        "articles.Article",
        verbose_name="article",
        on_delete=models.CASCADE,
        related_name="comment_policy",
    )
    mode = models.CharField(
        "commentaires", max_length=10, choices=Mode.choices, default=Mode.CLOSED
    )
    reason = models.CharField(
        "explication pour les lecteurs",
        max_length=300,
        blank=True,
        help_text="Affichée sous l’article quand les commentaires sont fermés.",
    )
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        verbose_name = "réglage des commentaires d’un article"
        verbose_name_plural = "réglages des commentaires par article"

    def __str__(self):
        return f"{self.article} — {self.get_mode_display()}"
