import json
import os
import urllib.parse

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import override_settings

from tools import newsletter_bench as bench


class Command(BaseCommand):
    help = (
        "Mesure l’envoi d’une lettre à N abonnés confirmés vers un puits SMTP local, avec un "
        "puis plusieurs workers (débit et mémoire), dans une base jetable."
    )

    def add_arguments(self, parser):
        parser.add_argument("--subscribers", type=int, default=10_000)
        parser.add_argument(
            "--workers",
            default="1,2",
            help="Nombres de workers à mesurer, séparés par des virgules (PostgreSQL ; "
            "SQLite : un seul).",
        )
        parser.add_argument("--batch-size", type=int, default=None)
        parser.add_argument("--json", action="store_true", help="Résultat en JSON (make bench).")
        # Internal: one worker process of a measure, started by the measure itself.
        parser.add_argument("--worker", type=int, default=None, help=None)

    def handle(self, *args, subscribers, workers, batch_size, json, worker, **options):
        if worker is not None:
            self.stdout.write(_json(bench.send_as_worker(worker)))
            return
        overrides = {"DEBUG": False}  # As in production: no SQL query log kept in memory.
        if batch_size:
            overrides["NEWSLETTER_BATCH_SIZE"] = batch_size
        counts = tuple(int(n) for n in workers.split(",") if n.strip())
        postgres = connection.vendor == "postgresql"
        if not postgres:
            counts = (1,)
        # A throw-away database (Django's test database), destroyed afterwards.
        real_name = connection.settings_dict["NAME"]
        test_name = connection.creation.create_test_db(
            verbosity=0, autoclobber=True, serialize=False
        )
        try:
            database_url = _url_for(test_name) if postgres else None
            with override_settings(**overrides):
                result = bench.run(
                    subscribers=subscribers, workers=counts, database_url=database_url
                )
        finally:
            connection.creation.destroy_test_db(real_name, verbosity=0)
        if json:
            self.stdout.write(_json(result))
            return
        self.stdout.write(
            f"Puits SMTP : {result['sink']} ; préparation {result['setup_seconds']} s"
        )
        for run in result["runs"]:
            self.stdout.write(
                "{subscribers} abonnés, {workers} worker(s) : {seconds} s, {per_second} e-mails/s, "
                "processeur {cpu_ms_per_message} ms par e-mail, pic mémoire par worker {peak_mib} Mio ; "
                "envoyés {sent}, échecs {failed}, "
                "ignorés {skipped}, total {total}".format(**run)
            )


def _json(value):
    return json.dumps(value)


def _url_for(database_name: str) -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        raise CommandError("Plusieurs workers demandent DATABASE_URL (PostgreSQL).")
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{database_name}"))
