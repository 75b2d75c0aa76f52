"""Notes the newsroom leaves on an article: internal, never shown to readers."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from newsroom.roles import display_name, is_editor


class NoteQuerySet(models.QuerySet):
    def threads(self):
        """Notes that start a thread (replies hang under them)."""
        return self.filter(parent=None)

    def open(self):
        """Notes whose thread is not resolved."""
        return self.filter(
            Q(parent=None, resolved_at=None) | Q(parent__isnull=False, parent__resolved_at=None)
        )

    def mentioning(self, user):
        return self.filter(mentioned=user)

    def visible_to(self, user):
        """Notes on the articles the person may open (workflow.can_view, in SQL)."""
        from articles.models import Article

        if is_editor(user):
            return self
        if not (user.is_active and user.has_perm("articles.view_article")):
            return self.none()
        return self.filter(article__in=Article.objects.owned_by(user).values("pk"))


class Note(models.Model):
    article = models.ForeignKey(
        "articles.Article",
        verbose_name="article",
        on_delete=models.CASCADE,
        related_name="internal_notes",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="en réponse à",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="auteur",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.TextField("note", max_length=4000)
    # The paragraph the note is about (1 = first), and its opening words when the note was
    # written: the text may change afterwards, the note still says what it meant.
    paragraph = models.PositiveSmallIntegerField("paragraphe", null=True, blank=True)
    quote = models.CharField("passage", max_length=300, blank=True)
    mentioned = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name="personnes citées",
        blank=True,
        related_name="note_mentions",
    )
    created_at = models.DateTimeField("écrite le", auto_now_add=True)
    resolved_at = models.DateTimeField("résolue le", null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="résolue par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = NoteQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "note de la rédaction"
        verbose_name_plural = "notes de la rédaction"
        indexes = [models.Index(fields=["article", "parent"], name="note_article_thread_idx")]

    def __str__(self):
        return self.text[:80]

    @property
    def author_name(self):
        person = self.author
        return display_name(person) if person else "un ancien membre de la rédaction"

    @property
    def thread(self):
        return self.parent or self

    @property
    def is_resolved(self):
        return self.thread.resolved_at is not None
