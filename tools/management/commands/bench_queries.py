import json

from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings


class Command(BaseCommand):
    help = (
        "Compte les requêtes SQL de chaque adresse donnée, sans cache de pages : rendu complet, "
        "puis rendu à partir des fragments gardés."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+")

    def handle(self, *args, **options):
        counts = {"complet": {}, "fragments": {}}
        client = Client()
        with override_settings(PAGE_CACHE_ENABLED=False, ALLOWED_HOSTS=["testserver"]):
            with override_settings(FRAGMENT_CACHE_ENABLED=False):
                for path in options["paths"]:
                    counts["complet"][path] = self.count(client, path)
            with override_settings(FRAGMENT_CACHE_ENABLED=True):
                for path in options["paths"]:
                    client.get(path)  # keeps the fragments
                    counts["fragments"][path] = self.count(client, path)
        self.stdout.write(json.dumps(counts))

    @staticmethod
    def count(client, path):
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        return len(queries)
