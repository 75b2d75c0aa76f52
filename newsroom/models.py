"""The newsroom's security policy: one row, edited by administrators in the admin."""

from django.db import models


class SecurityPolicy(models.Model):
    require_two_factor_for_editors = models.BooleanField(
        "Exiger la double authentification pour les éditeurs",
        default=False,
        help_text=(
            "Les membres du groupe « Éditeurs » saisiront un code de vérification à chaque "
            "connexion ; ceux qui n’ont pas encore d’application d’authentification devront "
            "l’enregistrer avant d’accéder à toute autre page de l’administration."
        ),
    )
    require_two_factor_for_journalists = models.BooleanField(
        "Exiger la double authentification pour les rédacteurs",
        default=False,
        help_text="La même exigence pour les membres du groupe « Rédacteurs ».",
    )
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    class Meta:
        # Moved from articles/ with its row (newsroom/migrations/0001_initial.py).
        db_table = "articles_securitypolicy"
        verbose_name = "politique de sécurité"
        verbose_name_plural = "politique de sécurité"

    def __str__(self):
        return "Politique de sécurité"

    def save(self, *args, **kwargs):
        # A singleton: whatever the form says, there is only row 1.
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def current(cls):
        """The saved policy, or the defaults (nothing required) if none was ever saved."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)
