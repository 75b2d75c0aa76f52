"""Page through the whole archive with the public API, as an app would, and count the cost of
each page: the number of SQL queries must not grow from the first page to the last."""

import json
import statistics
import time

from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings


class Command(BaseCommand):
    help = (
        "Parcourt toutes les pages de /api/v1/articles/ en suivant « next », sans cache, et "
        "affiche en JSON le nombre de pages, d’articles, et de requêtes SQL par page."
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=50)

    def handle(self, *args, **options):
        client = Client()
        url = f"/api/v1/articles/?limit={options['limit']}"
        counts, timings, articles, ids = [], [], 0, set()
        with override_settings(
            PAGE_CACHE_ENABLED=False, FRAGMENT_CACHE_ENABLED=False, ALLOWED_HOSTS=["testserver"]
        ):
            while url:
                started = time.perf_counter()
                with CaptureQueriesContext(connection) as queries:
                    response = client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    raise SystemExit(f"{url} : {response.status_code} {response.content[:200]!r}")
                page = json.loads(response.content)
                counts.append(len(queries))
                articles += len(page["items"])
                ids.update(item["id"] for item in page["items"])
                url = page["next"] and page["next"].split("/api/", 1)[1]
                url = url and "/api/" + url
        timings.sort()
        self.stdout.write(
            json.dumps(
                {
                    "pages": len(counts),
                    "articles": articles,
                    "distinct": len(ids),
                    "queries_min": min(counts),
                    "queries_max": max(counts),
                    "ms_p50": round(statistics.median(timings), 1),
                    "ms_p95": round(timings[int(0.95 * (len(timings) - 1))], 1),
                    "seconds": round(sum(timings) / 1000, 1),
                }
            )
        )
