from django.core.management.base import BaseCommand

from newsroom.roles import sync_roles


class Command(BaseCommand):
    help = "Crée ou met à jour les groupes Rédacteurs et Éditeurs et leurs permissions."

    def handle(self, *args, **options):
        for name, group in sync_roles().items():
            self.stdout.write(f"{name} : {group.permissions.count()} permissions")
