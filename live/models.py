"""Live coverage (« En direct »): an article whose page carries a stream of short entries.

The article went through the normal review once; its entries follow live/rules.py, the only
place where an entry is posted, published, corrected, pinned or withdrawn, and a live ended.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from articles.fields import SanitizedRichTextField
from articles.models import Article
from newsroom.audit import AuditRecord
from photos.models import Photo


class LiveQuerySet(models.QuerySet):
    def running(self):
        return self.filter(state=Live.State.RUNNING)

    def written_by(self, user):
        """The lives this person is one of the writers of."""
        return self.filter(writers=user)


class Live(models.Model):
    class State(models.TextChoices):
        RUNNING = "running", "En cours"
        ENDED = "ended", "Terminé"

    class EntryRule(models.TextChoices):
        AT_ONCE = "at_once", "Publiées aussitôt par les rédacteurs du direct"
        HELD = "held", "Gardées pour un éditeur, qui les publie"

    article = models.OneToOneField(
        Article, verbose_name="article", on_delete=models.CASCADE, related_name="live"
    )
    state = models.CharField(
        "état", max_length=10, choices=State.choices, default=State.RUNNING, editable=False
    )
    summary = models.TextField(
        "L’essentiel",
        blank=True,
        max_length=2000,
        help_text="Ce qu’il faut savoir à cet instant, un point par ligne, tenu à jour pendant "
        "le direct. Affiché en tête de la page.",
    )
    entry_rule = models.CharField(
        "entrées des rédacteurs",
        max_length=10,
        choices=EntryRule.choices,
        default=EntryRule.AT_ONCE,
        help_text="Les entrées des éditeurs sont toujours publiées aussitôt.",
    )
    writers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name="rédacteurs du direct",
        blank=True,
        related_name="+",
        help_text="Les membres de la rédaction qui peuvent écrire dans ce direct.",
    )
    started_at = models.DateTimeField("commencé le", default=timezone.now, editable=False)
    ended_at = models.DateTimeField("terminé le", null=True, blank=True, editable=False)
    # Bumped by every change readers may see (an entry, the summary, the state): the poll
    # endpoint's content and the page's live fragments are keyed by it.
    version = models.PositiveIntegerField("version", default=1, editable=False)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    objects = LiveQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        verbose_name = "direct"
        verbose_name_plural = "directs"

    def __str__(self):
        return self.article.title

    def get_absolute_url(self):
        return self.article.get_absolute_url()

    @property
    def is_running(self):
        return self.state == self.State.RUNNING

    @property
    def summary_points(self):
        return [line.strip(" -•\t") for line in self.summary.splitlines() if line.strip(" -•\t")]


def is_live_now(article) -> bool:
    """Whether an article is a live in progress, read only from the row loaded with it
    (for_listing() joins it): a list of cards never makes a query per card."""
    if not Article.live.is_cached(article):
        return False
    live = getattr(article, "live", None)
    return live is not None and live.is_running


class LiveEntryQuerySet(models.QuerySet):
    def published(self):
        """What readers see of a live: published, not withdrawn."""
        return self.filter(status=LiveEntry.Status.PUBLISHED)

    def key_moments(self):
        return self.published().filter(is_key_moment=True)

    def held(self):
        return self.filter(status=LiveEntry.Status.HELD)

    def newest_first(self):
        return self.order_by("-published_at", "-pk")

    def for_stream(self):
        """Everything an entry shows, in a fixed number of queries."""
        return self.select_related("photo", "author__author_profile")


class LiveEntry(models.Model):
    class Status(models.TextChoices):
        HELD = "held", "En attente d’un éditeur"
        PUBLISHED = "published", "Publiée"
        WITHDRAWN = "withdrawn", "Retirée"

    live = models.ForeignKey(
        Live, verbose_name="direct", on_delete=models.CASCADE, related_name="entries"
    )
    status = models.CharField(
        "statut", max_length=10, choices=Status.choices, default=Status.HELD, editable=False
    )
    title = models.CharField("titre", max_length=200, blank=True)
    body = SanitizedRichTextField("texte", config_name="article", max_length=5000)
    photo = models.ForeignKey(
        Photo,
        verbose_name="photo",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Sa légende et son crédit s’affichent sous l’entrée.",
    )
    quote_url = models.URLField(
        "lien cité",
        blank=True,
        max_length=500,
        help_text="Adresse d’un message ou d’une page que l’entrée cite.",
    )
    quote_text = models.CharField(
        "texte cité",
        blank=True,
        max_length=500,
        help_text="Les mots cités, ou le nom de la source du lien.",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="auteur",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField("écrite le", default=timezone.now, editable=False)
    # The time readers see: when the entry went public.
    published_at = models.DateTimeField("publiée le", null=True, blank=True, editable=False)
    corrected_at = models.DateTimeField("modifiée le", null=True, blank=True, editable=False)
    is_key_moment = models.BooleanField("moment clé", default=False, editable=False)
    withdrawn_at = models.DateTimeField("retirée le", null=True, blank=True, editable=False)

    objects = LiveEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = "entrée du direct"
        verbose_name_plural = "entrées du direct"
        indexes = [
            models.Index(fields=["live", "status", "-published_at"], name="live_entry_stream_idx"),
            models.Index(
                fields=["live", "-published_at"],
                condition=models.Q(is_key_moment=True, status="published"),
                name="live_entry_key_idx",
            ),
        ]

    def __str__(self):
        return self.title or f"Entrée n° {self.pk}"

    def get_absolute_url(self):
        return f"{self.live.article.get_absolute_url()}#entree-{self.pk}"

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    @property
    def moment(self):
        """The time shown beside the entry (its publication, else when it was written)."""
        return self.published_at or self.created_at

    @property
    def stamp(self) -> str:
        """Changes whenever what readers see of the entry changes (the poll script compares it)."""
        changed = self.corrected_at or self.published_at or self.created_at
        return f"{int(changed.timestamp() * 1000)}-{int(self.is_key_moment)}"


class LiveEvent(AuditRecord):
    """The live's audit trail: decisions about what readers see, with who and when, kept
    even after the live is gone (as articles' AuditEvent)."""

    class Action(models.TextChoices):
        START = "start", "Direct ouvert"
        SETTINGS = "settings", "Réglages modifiés"
        SUMMARY = "summary", "« L’essentiel » modifié"
        PUBLISH = "publish", "Entrée publiée"
        CORRECT = "correct", "Entrée modifiée"
        PIN = "pin", "Entrée marquée moment clé"
        UNPIN = "unpin", "Moment clé retiré"
        WITHDRAW = "withdraw", "Entrée retirée"
        END = "end", "Direct terminé"
        REOPEN = "reopen", "Direct rouvert"

    action = models.CharField("action", max_length=10, choices=Action.choices)
    live_id = models.BigIntegerField("n° du direct", db_index=True)
    article_title = models.CharField("titre du direct", max_length=200)
    entry_id = models.BigIntegerField("n° de l’entrée", null=True, blank=True)
    reason = models.TextField("raison donnée", blank=True)

    class Meta(AuditRecord.Meta):
        verbose_name = "événement d’un direct"
        verbose_name_plural = "journal des directs"

    def __str__(self):
        return f"{self.get_action_display()} — {self.article_title}"
