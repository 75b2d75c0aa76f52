from django.core.management.base import BaseCommand
from django.db import connection
from django.test.utils import override_settings

from newsletter import bench


class Command(BaseCommand):
    help = (
        "Mesure l'envoi d'une lettre à N abonnés confirmés vers un serveur factice "
        "(durée et pic de mémoire), dans une base jetable."
    )

    def add_arguments(self, parser):
        parser.add_argument("--subscribers", type=int, default=10_000)
        parser.add_argument("--batch-size", type=int, default=None)
        parser.add_argument("--json", action="store_true", help="Résultat en JSON (make bench).")
        parser.add_argument(
            "--sans-memoire",
            action="store_true",
            help="Ne pas suivre la mémoire (tracemalloc double la durée mesurée).",
        )

    def handle(self, *args, subscribers, batch_size, sans_memoire, json, **options):
        overrides = {
            "MAILERS": {"default": {"BACKEND": "newsletter.bench.SinkBackend"}},
            # As in production: no SQL query log kept in memory.
            "DEBUG": False,
        }
        if batch_size:
            overrides["NEWSLETTER_BATCH_SIZE"] = batch_size
        # A throw-away database (Django's test database), destroyed afterwards.
        real_name = connection.settings_dict["NAME"]
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        try:
            with override_settings(**overrides):
                result = bench.run(subscribers=subscribers, trace_memory=not sans_memoire)
        finally:
            connection.creation.destroy_test_db(real_name, verbosity=0)
        if json:
            import json as json_module

            self.stdout.write(json_module.dumps(result))
            return
        memory = (
            "mémoire non suivie"
            if result["peak_mib"] is None
            else f"pic mémoire (tracemalloc) {result['peak_mib']} Mio"
        )
        self.stdout.write(
            "{subscribers} abonnés : {seconds} s d'envoi ({per_second} messages/s), {memory} ; "
            "envoyés {sent}, échecs {failed}, ignorés {skipped}, total {total} "
            "({megabytes_sent} Mo de messages) ; préparation {setup_seconds} s".format(
                memory=memory, **result
            )
        )
