import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q

from articles.models import Article, Category


def validate_single_line(value):
    # The subject becomes a mail header: a line break there could inject other headers.
    if "\r" in value or "\n" in value:
        raise ValidationError("L’objet doit tenir sur une seule ligne.")


class SubscriberQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(status=Subscriber.Status.CONFIRMED)

    def counts(self):
        """How many subscribers in each status, in one query."""
        return self.aggregate(
            total=Count("pk"),
            **{
                status.value: Count("pk", filter=Q(status=status.value))
                for status in Subscriber.Status
            },
        )


class Subscriber(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "en attente"
        CONFIRMED = "confirmed", "confirmé"
        UNSUBSCRIBED = "unsubscribed", "désabonné"

    email = models.CharField("adresse e-mail", max_length=254)
    # The address compared case-insensitively: one person, one subscriber.
    email_key = models.CharField("clé d’adresse", max_length=254, unique=True, editable=False)
    # Secret behind the personal links (confirmation, unsubscribe, preferences), never shown.
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(
        "statut", max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    categories = models.ManyToManyField(
        Category,
        verbose_name="rubriques",
        blank=True,
        related_name="+",
        help_text="Aucune rubrique cochée : toutes les rubriques.",
    )
    created_at = models.DateTimeField("inscrit le", auto_now_add=True)
    consent_at = models.DateTimeField("consentement donné le", null=True, blank=True)
    consent_source = models.CharField("page d’inscription", max_length=300, blank=True)
    confirmed_at = models.DateTimeField("confirmé le", null=True, blank=True)
    unsubscribed_at = models.DateTimeField("désabonné le", null=True, blank=True)
    last_confirmation_sent_at = models.DateTimeField(
        "dernier e-mail de confirmation", null=True, blank=True
    )

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "abonné"
        verbose_name_plural = "abonnés"

    def __str__(self):
        return self.email

    @property
    def is_confirmed(self):
        return self.status == self.Status.CONFIRMED


class Issue(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "brouillon"
        SENDING = "sending", "en cours d’envoi"
        SENT = "sent", "envoyée"

    subject = models.CharField("objet", max_length=200, validators=[validate_single_line])
    introduction = models.TextField(
        "introduction", blank=True, help_text="Quelques lignes en tête de la lettre (texte brut)."
    )
    articles = models.ManyToManyField(
        Article, verbose_name="articles", through="IssueArticle", related_name="+", blank=True
    )
    status = models.CharField(
        "statut", max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="créée par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    started_at = models.DateTimeField("envoi lancé le", null=True, blank=True, editable=False)
    sent_at = models.DateTimeField("envoyée le", null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "lettre"
        verbose_name_plural = "lettres"
        permissions = [("send_issue", "Peut envoyer une lettre aux abonnés")]

    def __str__(self):
        return self.subject

    def progress(self):
        """Delivery counts by status plus the total, in one query."""
        return self.deliveries.aggregate(
            total=Count("pk"),
            **{
                status.value: Count("pk", filter=Q(status=status.value))
                for status in Delivery.Status
            },
        )


class IssueArticle(models.Model):
    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="items")
    article = models.ForeignKey(
        Article, verbose_name="article", on_delete=models.CASCADE, related_name="+"
    )
    position = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "article de la lettre"
        verbose_name_plural = "articles de la lettre"
        constraints = [
            models.UniqueConstraint(fields=["issue", "article"], name="issue_article_once"),
        ]

    def __str__(self):
        return str(self.article)


class Delivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "à envoyer"
        SENT = "sent", "envoyé"
        FAILED = "failed", "échec"
        SKIPPED = "skipped", "ignoré"

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(
        Subscriber, verbose_name="abonné", on_delete=models.CASCADE, related_name="deliveries"
    )
    status = models.CharField(
        "statut", max_length=20, choices=Status.choices, default=Status.PENDING
    )
    # Set when a worker takes the row; a stale claim means that worker died (see sending.py).
    claimed_at = models.DateTimeField("pris en charge le", null=True, blank=True)
    # The claim's number, held as an advisory lock by its sender on PostgreSQL (sending.py).
    claimed_by = models.IntegerField("numéro de prise en charge", null=True, blank=True)
    sent_at = models.DateTimeField("envoyé le", null=True, blank=True)
    error = models.TextField("erreur", blank=True)

    class Meta:
        verbose_name = "envoi"
        verbose_name_plural = "envois"
        constraints = [
            models.UniqueConstraint(fields=["issue", "subscriber"], name="delivery_once"),
        ]
        indexes = [
            models.Index(fields=["issue", "status"], name="delivery_issue_status_idx"),
            # The few claimed rows still pending: which senders hold rows (sending.py).
            models.Index(
                fields=["issue", "claimed_by"],
                condition=Q(status="pending", claimed_by__isnull=False),
                name="delivery_pending_claims_idx",
            ),
        ]

    def __str__(self):
        return f"{self.issue} → {self.subscriber}"
