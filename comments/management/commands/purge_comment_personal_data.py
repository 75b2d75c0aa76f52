from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from comments.models import Comment


class Command(BaseCommand):
    help = (
        "Efface l’adresse IP et le navigateur des commentaires plus anciens que "
        "COMMENTS_PERSONAL_DATA_DAYS jours (gardés pour la modération seulement)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Âge en jours au-delà duquel effacer (par défaut : COMMENTS_PERSONAL_DATA_DAYS).",
        )

    def handle(self, *args, days=None, **options):
        days = settings.COMMENTS_PERSONAL_DATA_DAYS if days is None else days
        cutoff = timezone.now() - timedelta(days=days)
        old = Comment.objects.filter(created_at__lt=cutoff).exclude(ip=None, user_agent="")
        purged = old.update(ip=None, user_agent="")
        self.stdout.write(
            f"{purged} commentaire(s) de plus de {days} jours : adresse IP et navigateur effacés."
        )
