"""The « Alerte info » banner every public page shows while it is on, and its audit trail."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Min, Q
from django.utils import timezone

from newsroom.audit import AuditRecord


def validate_link(value: str) -> None:
    """An address on our site (« /articles/… ») or a web address (http or https)."""
    if value.startswith("/") and not value.startswith("//"):
        return
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValidationError(
            "Le lien doit être une adresse du site commençant par « / » "
            "ou une adresse web commençant par « https:// »."
        )


class AlertQuerySet(models.QuerySet):
    def shown(self, at=None):
        """Alerts on the site at `at` (now): started, and not ended."""
        at = at or timezone.now()
        return self.filter(Q(ends_at__isnull=True) | Q(ends_at__gt=at), starts_at__lte=at)

    def current(self, at=None):
        """The alert readers see: the most recently started of those shown."""
        return self.shown(at).order_by("-starts_at", "-pk").first()

    def next_change(self, at=None):
        """When an alert next starts or ends by itself (None if none will): pages showing the
        banner must not be kept beyond it."""
        at = at or timezone.now()
        found = self.aggregate(
            start=Min("starts_at", filter=Q(starts_at__gt=at)),
            end=Min("ends_at", filter=Q(ends_at__gt=at)),
        )
        moments = [moment for moment in found.values() if moment is not None]
        return min(moments, default=None)


class Alert(models.Model):
    text = models.CharField(
        "texte",
        max_length=160,
        help_text="Une phrase courte, affichée telle quelle en haut de chaque page du site.",
    )
    link = models.CharField(
        "lien",
        max_length=500,
        blank=True,
        validators=[validate_link],
        help_text="Facultatif : l’article qui en dit plus (« /articles/… ») ou une adresse web.",
    )
    starts_at = models.DateTimeField(
        "début",
        default=timezone.now,
        help_text="Heure de Paris. Dans le futur, l’alerte apparaîtra d’elle-même à cette heure.",
    )
    ends_at = models.DateTimeField(
        "fin",
        null=True,
        blank=True,
        help_text="Facultative : l’alerte disparaît d’elle-même à cette heure, sans autre action.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="créée par",
        null=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField("dernière modification", auto_now=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = "alerte info"
        verbose_name_plural = "alertes info"
        indexes = [models.Index(fields=["starts_at", "ends_at"], name="alert_shown_idx")]

    def __str__(self):
        return self.text

    def clean(self):
        if self.ends_at and self.starts_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "La fin doit venir après le début de l’alerte."})

    @property
    def is_shown(self) -> bool:
        now = timezone.now()
        return self.starts_at <= now and (self.ends_at is None or self.ends_at > now)

    @property
    def state_label(self) -> str:
        if self.is_shown:
            return "En ligne"
        return "Programmée" if self.starts_at > timezone.now() else "Terminée"


class AlertEvent(AuditRecord):
    """Who set, changed, ended or deleted an alert, and when: written by alerts/rules.py only."""

    class Action(models.TextChoices):
        SET = "set", "Mise en place"
        CHANGE = "change", "Modification"
        END = "end", "Fin avancée à maintenant"
        DELETE = "delete", "Suppression"

    action = models.CharField("action", max_length=20, choices=Action.choices)
    alert_id = models.BigIntegerField("n° de l’alerte", db_index=True)
    alert_text = models.CharField("texte de l’alerte", max_length=160)

    class Meta(AuditRecord.Meta):
        verbose_name = "événement du journal des alertes"
        verbose_name_plural = "journal des alertes"

    def __str__(self):
        return f"{self.get_action_display()} — {self.alert_text}"
