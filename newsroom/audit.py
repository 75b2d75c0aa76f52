"""The shape every audit trail shares: who decided what, when, and the state before and after.

Articles (AuditEvent), alerts (AlertEvent) and lives (LiveEvent) each keep their own table and
their own actions; this abstract model is only their common fields. It lives with the
newsroom's accounts because every row names a member of the newsroom, and because newsroom/
imports no other app of ours, so any app can build on it without an import circle.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from .roles import display_name


class AuditRecord(models.Model):
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="par",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept as text so the trail still names people whose account was deleted.
    actor_name = models.CharField("nom de l’auteur de l’action", max_length=150)
    at = models.DateTimeField("le", default=timezone.now, db_index=True)
    before = models.JSONField("avant", null=True, blank=True)
    after = models.JSONField("après", null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-at", "-pk"]

    @classmethod
    def record(cls, action, *, by, **fields):
        """Write one row, stamped with who acted under the name they had then."""
        return cls.objects.create(action=action, actor=by, actor_name=display_name(by), **fields)
