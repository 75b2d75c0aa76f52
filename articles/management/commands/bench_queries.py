import json

from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings


class Command(BaseCommand):
    help = "Compte les requêtes SQL de chaque adresse donnée (rendu sans cache de pages)."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+")

    def handle(self, *args, **options):
        counts = {}
        with override_settings(PAGE_CACHE_ENABLED=False, ALLOWED_HOSTS=["testserver"]):
            client = Client()
            for path in options["paths"]:
                with CaptureQueriesContext(connection) as queries:
                    client.get(path)
                counts[path] = len(queries)
        self.stdout.write(json.dumps(counts))
