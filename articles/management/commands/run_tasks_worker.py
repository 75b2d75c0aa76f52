import logging
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections, connections

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Lance le worker des tâches de fond (db_worker) et le relance tout seul si la base de "
        "données devient injoignable, par exemple pendant un redémarrage de PostgreSQL."
    )

    def add_arguments(self, parser):
        parser.add_argument("--queue-name", default="*")
        parser.add_argument("--interval", type=float, default=1)
        parser.add_argument("--max-backoff", type=float, default=10)

    def handle(self, *args, **options):
        backoff = 1.0
        while True:
            started = time.monotonic()
            try:
                # Returns when the worker is asked to stop (SIGTERM, SIGINT): then so do we.
                call_command(
                    "db_worker",
                    queue_name=options["queue_name"],
                    interval=options["interval"],
                    startup_delay=False,
                )
                return
            except DatabaseError as error:
                if time.monotonic() - started > 60:
                    backoff = 1.0  # A fresh outage after a long healthy run.
                logger.warning(
                    "Base de données injoignable pour le worker (%s) : nouvel essai dans %.0f s.",
                    type(error).__name__,
                    backoff,
                )
                for connection in connections.all():
                    connection.close_if_unusable_or_obsolete()
                close_old_connections()
                time.sleep(backoff)
                backoff = min(backoff * 2, options["max_backoff"])
