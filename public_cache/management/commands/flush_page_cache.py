from django.core.management.base import BaseCommand

from public_cache import pagecache


class Command(BaseCommand):
    help = "Rend périmées toutes les pages en cache (après un déploiement, par exemple)."

    def handle(self, *args, **options):
        pagecache.bump()
        self.stdout.write("Cache de pages invalidé.")
