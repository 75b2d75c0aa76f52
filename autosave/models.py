"""What the article form keeps while someone types: private, never read by a public page."""

from django.conf import settings
from django.db import models


class Autosave(models.Model):
    """The fields of one person's article form, as last sent by autosave.js.

    One per person and article; `article` is empty for the form of a new article.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="rédacteur",
        on_delete=models.CASCADE,
        related_name="+",
    )
    article = models.ForeignKey(
        "articles.Article",
        verbose_name="article",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    # {"title": ["…"], "authors": ["3", "7"]…}: the form's fields as the browser sent them.
    fields = models.JSONField("champs", default=dict)
    # The article's version the form started from (optimistic lock), to warn on recovery.
    base_version = models.PositiveIntegerField("version de départ", null=True, blank=True)
    saved_at = models.DateTimeField("enregistrée le")

    class Meta:
        verbose_name = "sauvegarde automatique"
        verbose_name_plural = "sauvegardes automatiques"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "article"],
                condition=models.Q(article__isnull=False),
                name="autosave_one_per_article",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(article__isnull=True),
                name="autosave_one_new_form",
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.article or 'nouvel article'}"


class Presence(models.Model):
    """Someone has an article's form open: refreshed by each heartbeat, stale after a minute."""

    article = models.ForeignKey(
        "articles.Article", verbose_name="article", on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="rédacteur",
        on_delete=models.CASCADE,
        related_name="+",
    )
    since = models.DateTimeField("ouvert depuis")
    seen_at = models.DateTimeField("dernier signe")

    class Meta:
        verbose_name = "présence"
        verbose_name_plural = "présences"
        constraints = [
            models.UniqueConstraint(fields=["article", "user"], name="presence_once_per_article")
        ]

    def __str__(self):
        return f"{self.user} sur {self.article_id}"
