"""`make bench`, live row: readers poll a live while an editor posts an entry every 10 s.

Run by `bench` against its gunicorn (page cache on), with the same database and Redis. The
pollers behave like the page's script: keep-alive, If-None-Match with the last ETag. Prints
one JSON line: throughput, latency, how many answers were 304, and the delay between an
entry's posting and the first poller that sees it.
"""

import http.client
import json
import threading
import time
from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import connection
from django.db import connections as databases
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from live import rules
from live.models import Live, LiveEntry

BENCH_SLUG = "banc-direct"
OLD_ENTRIES = 500


class Command(BaseCommand):
    help = "Banc du direct : lecteurs qui interrogent un direct pendant qu’on y publie."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8077)
        parser.add_argument("--duration", type=int, default=30)
        parser.add_argument("--connections", type=int, default=16)
        parser.add_argument("--every", type=float, default=10.0, help="secondes entre entrées")

    def handle(self, *args, **options):
        live, editor = self.bench_live()
        path = reverse("live:poll", args=[live.pk])
        result = poll_while_posting(
            "127.0.0.1",
            options["port"],
            path,
            connections=options["connections"],
            duration=options["duration"],
            every=options["every"],
            post=lambda n: rules.post(live, by=editor, text=f"Entrée de banc n° {n}.").pk,
        )
        result["path"] = path
        self.stdout.write(json.dumps(result))

    def bench_live(self):
        """A live with some history, on an article of its own in the bench base (made once)."""
        from django.contrib.auth import get_user_model

        from newsroom.roles import EDITORS, sync_roles

        groups = sync_roles()
        editor, created = get_user_model().objects.get_or_create(
            username="bench-editeur", defaults={"is_staff": True}
        )
        if created:
            editor.groups.add(groups[EDITORS])
        live = Live.objects.filter(article__slug=BENCH_SLUG).first()
        if live is None:
            # Its own article, older than the archive: the other rows' « newest article »
            # stays what it was.
            oldest = Article.objects.published().order_by("published_at").first()
            article = Article.objects.create(
                title="Le direct du banc d’essai",
                slug=BENCH_SLUG,
                standfirst="Un direct suivi pendant des heures, pour mesurer ses lecteurs.",
                body="<p>Les entrées de ce direct sont écrites par le banc d’essai.</p>",
                category=oldest.category,
                hero_photo=oldest.hero_photo,
                status=Article.Status.PUBLISHED,
                published_at=oldest.published_at - timedelta(days=1),
            )
            live = rules.start(article, by=editor, summary="Un direct pour le banc d’essai.")
            # History only: a live followed for hours, whose entries the pages never list all.
            now = timezone.now()
            LiveEntry.objects.bulk_create(
                LiveEntry(
                    live=live,
                    status=LiveEntry.Status.PUBLISHED,
                    body=f"<p>Entrée ancienne n° {n}.</p>",
                    author=editor,
                    created_at=now - timedelta(minutes=OLD_ENTRIES - n),
                    published_at=now - timedelta(minutes=OLD_ENTRIES - n),
                )
                for n in range(OLD_ENTRIES)
            )
        connection.close()
        return live, editor


def poll_while_posting(host, port, path, *, connections, duration, every, post):
    latencies, statuses, seen, lock = [], {}, {}, threading.Lock()
    posted = {}
    stop = threading.Event()

    def poller():
        conn = http.client.HTTPConnection(host, port, timeout=10)
        etag, mine = None, []
        while not stop.is_set():
            headers = {"Accept": "application/json"}
            if etag:
                headers["If-None-Match"] = etag
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                body = response.read()
            except OSError:
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=10)
                continue
            now = time.perf_counter()
            mine.append((now - started) * 1000)
            with lock:
                statuses[response.status] = statuses.get(response.status, 0) + 1
            if response.status == 200:
                etag = response.getheader("ETag")
                ids = [entry["id"] for entry in json.loads(body)["entries"]]
                with lock:
                    for pk, at in posted.items():
                        if pk in ids and pk not in seen:
                            seen[pk] = now - at
        with lock:
            latencies.extend(mine)

    def poster():
        n = 0
        while not stop.wait(every):
            n += 1
            pk = post(n)
            with lock:
                posted[pk] = time.perf_counter()
        databases.close_all()  # this thread's own database connection

    threads = [threading.Thread(target=poller) for _ in range(connections)]
    writer = threading.Thread(target=poster)
    started = time.monotonic()
    for thread in (*threads, writer):
        thread.start()
    time.sleep(duration)
    stop.set()
    for thread in (*threads, writer):
        thread.join()
    elapsed = time.monotonic() - started
    latencies.sort()
    delays = sorted(seen.values())

    def pct(values, p):
        return values[min(len(values) - 1, int(len(values) * p / 100))] if values else 0

    total = len(latencies)
    return {
        "requests": total,
        "seconds": elapsed,
        "rps": total / elapsed if elapsed else 0,
        "p50": pct(latencies, 50),
        "p95": pct(latencies, 95),
        "p99": pct(latencies, 99),
        "not_modified": statuses.get(304, 0),
        "errors": sum(count for status, count in statuses.items() if status >= 400),
        "posted": len(posted),
        "seen": len(seen),
        "delay_ms_median": pct(delays, 50) * 1000,
        "delay_ms_max": (delays[-1] * 1000) if delays else 0,
    }
