"""`make bench`: load-test the site under gunicorn on 127.0.0.1 and print a comparable table.

Everything runs on this machine: a separate benchmark database, gunicorn with the production
settings (gunicorn.conf.py), and wrk (or a small Python load generator when wrk is absent),
bounded in time. Every page is expressed as a share of the bare ceiling: a minimal Django
project (tools/bare: default middleware, no database, a constant 30 KB page) served by the
same gunicorn settings in the same run.
"""

import http.client
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

WRK_SCRIPT = """
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout + summary.errors.status
  io.write(string.format(
    '{"requests": %d, "seconds": %f, "p50": %f, "p95": %f, "p99": %f, "errors": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, errors))
end
"""


# The « Les plus lus » beacon as a browser sends it: a POST from our own pages, no cookie.
WRK_BEACON = """
wrk.method = "POST"
wrk.headers["Sec-Fetch-Site"] = "same-origin"
wrk.headers["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0 Safari/537.36"
"""


# Readers as a CDN sees them: analytics cookies that differ from one reader to the next,
# browsers in several languages, and what every browser sends besides (Accept-Encoding: a
# browser takes the gzip Varnish keeps; without it Varnish would unzip each copy it sends).
# The shipped VCL must still serve them all one copy. The requests are built once, at start,
# as wrk's manual advises: building each one in Lua took a core of this 2-core machine from
# the Varnish being measured.
WRK_READERS = """
local languages = {"fr-FR,fr;q=0.9,en;q=0.8", "en-US,en;q=0.9", "de-DE,de;q=0.9",
  "fr-CA,fr;q=0.8", "es-ES,es;q=0.9,fr;q=0.5", "it-IT"}
local requests = {}
local counter = 0
init = function(args)
  for reader = 1, 1000 do
    requests[reader] = wrk.format(nil, nil, {
      ["Host"] = wrk.headers["Host"],
      ["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        .. "Chrome/126.0.0.0 Safari/537.36",
      ["Accept"] = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,"
        .. "image/webp,*/*;q=0.8",
      ["Accept-Encoding"] = "gzip, deflate, br, zstd",
      ["Accept-Language"] = languages[reader % #languages + 1],
      ["Cookie"] = "_ga=GA1.2." .. reader .. ".1732780000; _gid=GA1.2.4711." .. reader
        .. "; cookie_consent=oui",
    })
  end
end
request = function()
  counter = counter % #requests + 1
  return requests[counter]
end
"""


def group_cpu_seconds(group: int) -> float | None:
    """Processor time (user + system) of the live processes of a process group: a gunicorn
    master started in its own session and its workers. None where /proc is missing."""
    if not os.path.isdir("/proc"):
        return None
    ticks = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as stat:
                text = stat.read()
        except OSError:
            continue
        # After "pid (name) ": state, ppid, pgrp … utime (14th field), stime (15th).
        fields = text[text.rindex(")") + 2 :].split()
        if int(fields[2]) == group:
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def bench_database_url():
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        parts = urllib.parse.urlsplit(url)
        name = parts.path.lstrip("/") or "actualites"
        return urllib.parse.urlunsplit(parts._replace(path=f"/{name}_bench")), True
    return f"sqlite:///{settings.VAR_DIR / 'bench.sqlite3'}", False


def ensure_postgres_database(url):
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    admin_url = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def python_load(host, port, path, connections, duration):
    """A bounded keep-alive load generator, for machines without wrk."""
    latencies, errors, lock = [], [0], threading.Lock()
    deadline = time.monotonic() + duration

    def worker():
        connection = http.client.HTTPConnection(host, port, timeout=10)
        mine = []
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                if response.status >= 400:
                    errors[0] += 1
            except OSError:
                errors[0] += 1
                connection.close()
                connection = http.client.HTTPConnection(host, port, timeout=10)
                continue
            mine.append((time.perf_counter() - started) * 1000)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    latencies.sort()

    def pct(p):
        return latencies[min(len(latencies) - 1, int(len(latencies) * p / 100))] if latencies else 0

    return {
        "requests": len(latencies),
        "seconds": elapsed,
        "p50": pct(50),
        "p95": pct(95),
        "p99": pct(99),
        "errors": errors[0],
    }


WARM_UP_SECONDS = 2
# How long a publication may take to show through Varnish before it counts as missed.
PURGE_PATIENCE_SECONDS = 5
BARE = "bare"  # a row loaded on the bare ceiling project, not on the site
BARE_LABEL = "plafond nu (Django seul, 30 Ko)"
STACK_LABEL = "plafond dans la pile (/bench/plafond/)"

# (label, whole-page cache, fragment cache): the page cache serves readers; without it, pages
# are built from kept fragments (what a miss costs in production); the last row renders all.
MODES = [
    ("cache", True, True),
    ("fragments", False, True),
    ("sans cache", False, False),
]
# Sync workers compared on the cached article (the default is chosen from this table).
WORKER_COUNTS = (2, 3, 5)
# Changes made during a load on the hot article: label, bench_changes --kind.
CHANGES = [
    ("une publication par seconde", "publication"),
    ("une modération de commentaire par seconde", "comment"),
]


def gunicorn_defaults() -> dict:
    """What gunicorn.conf.py sets (the production settings), read without starting gunicorn."""
    values = {}
    exec(
        compile((settings.BASE_DIR / "gunicorn.conf.py").read_text(), "gunicorn.conf.py", "exec"),
        values,
    )
    return values


class Command(BaseCommand):
    help = "Banc de performance : gunicorn + wrk sur 127.0.0.1, résultats dans var/bench/."

    def add_arguments(self, parser):
        defaults = gunicorn_defaults()
        parser.add_argument("--articles", type=int, default=20_000)
        parser.add_argument("--comments", type=int, default=100_000)
        parser.add_argument("--subscribers", type=int, default=10_000)
        parser.add_argument("--duration", type=int, default=10, help="secondes par mesure")
        parser.add_argument(
            "--worker-class", default=defaults["worker_class"], choices=["sync", "gthread"]
        )
        parser.add_argument("--workers", type=int, default=defaults["workers"])
        parser.add_argument("--threads", type=int, default=4, help="pour gthread")
        parser.add_argument(
            "--port", type=int, default=8077, help="le site ; le plafond nu sur le suivant"
        )
        parser.add_argument("--skip-newsletter", action="store_true")
        parser.add_argument(
            "--only",
            default="modes,workers,changes,varnish,api,live,mostread",
            help="parties mesurées, parmi modes, workers, changes, varnish, api, live, mostread "
            "(toutes par défaut)",
        )

    def handle(self, *args, **options):
        # Stopped (timeout, Ctrl-C): the servers it started are stopped on the way out.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
        self.options = options
        self.site_port, self.bare_port = options["port"], options["port"] + 1
        self.servers = {}  # port → process group of the gunicorn serving it
        db_url, is_postgres = bench_database_url()
        if is_postgres:
            ensure_postgres_database(db_url)
        self.media = settings.VAR_DIR / "bench-media"
        self.env = {
            **os.environ,
            "DATABASE_URL": db_url,
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "bench-only-not-a-secret"),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_SECURE_COOKIES": "0",
            "MEDIA_ROOT": str(self.media),
            "LOG_LEVEL": "WARNING",
            "BENCH_CEILING": "1",
            # Production settings plus tools/ (seed_archive, bench_urls, the ceiling view).
            "DJANGO_DEV_TOOLS": "1",
            "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15"),
            "CACHE_KEY_PREFIX": "bench",
        }
        self.env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        self.env.pop("DJANGO_SETTINGS_MODULE", None)
        self.out_dir = settings.VAR_DIR / "bench"
        self.out_dir.mkdir(parents=True, exist_ok=True)

        self.step("Base de benchmark : migrations et archive")
        self.manage("migrate", "--noinput", "-v0")
        started = time.monotonic()
        self.manage(
            "seed_archive",
            f"--articles={options['articles']}",
            f"--comments={options['comments']}",
            f"--subscribers={options['subscribers']}",
        )
        seed_seconds = time.monotonic() - started
        self.manage("collectstatic", "--noinput", "-v0")
        self.manage("flush_page_cache")

        urls = json.loads(self.manage_output("bench_urls"))
        workers = options["workers"]
        only = set(options["only"].split(","))
        rows = []
        if "modes" in only:
            with self.bare_ceiling(workers):
                for mode, page_cache, fragments in MODES:
                    with self.site(workers, page_cache=page_cache, fragments=fragments):
                        for label, path, connections in self.plan(urls, page_cache):
                            rows.append(self.row(mode, label, path, connections))
        worker_rows = self.worker_runs(urls) if "workers" in only else []
        change_rows = self.change_runs(urls) if "changes" in only else []
        varnish_rows = self.varnish_runs(urls) if "varnish" in only else []
        # An app paging through the whole archive with the API, uncached: SQL queries per page.
        self.api_crawl = json.loads(self.manage_output("bench_api")) if "api" in only else None
        live_rows = self.live_runs() if "live" in only else []
        read_rows = self.read_runs(urls) if "mostread" in only else []
        pages = [url for name, url in urls.items() if name != "read_beacon"]  # a POST
        queries = json.loads(self.manage_output("bench_queries", *pages))
        newsletter = [] if options["skip_newsletter"] else self.newsletter_runs()
        self.report(
            rows,
            worker_rows,
            change_rows,
            varnish_rows,
            queries,
            newsletter,
            seed_seconds,
            live_rows=live_rows,
            read_rows=read_rows,
        )

    def plan(self, urls, cached):
        pages = [
            (BARE_LABEL, BARE),
            (STACK_LABEL, urls["ceiling"]),
            ("accueil", urls["home"]),
            ("article chaud", urls["article"]),
            ("rubrique", urls["category"]),
            ("rubrique, page 50", urls["category_page_50"]),
            ("API : articles", urls["api_articles"]),
            ("API : article chaud", urls["api_article"]),
            ("API : articles, page 50 (curseur)", urls["api_articles_page_50"]),
        ]
        if not cached and "search" in urls:
            pages.append(("recherche", urls["search"]))
        for connections in (16, 32) if cached else (16,):
            for label, path in pages:
                yield label, path, connections
            # Again at the end: the share is taken of the mean of both, as the load of a
            # shared machine drifts during a group.
            yield BARE_LABEL, BARE, connections
        if not cached and "search" in urls:
            # One reader at a time: the latency of a search itself, without queueing.
            yield "recherche", urls["search"], 1

    def row(self, mode, label, path, connections, **extra):
        if path == BARE:
            result = self.load(self.bare_port, "/bench/plafond/", connections)
        else:
            result = self.load(self.site_port, path, connections)
        return {
            "mode": mode,
            "page": label,
            "path": path,
            "connections": connections,
            **extra,
            **result,
        }

    def worker_runs(self, urls):
        """The cached article and the bare ceiling with 2, 3 and 5 sync workers."""
        rows = []
        for workers in WORKER_COUNTS:
            with self.bare_ceiling(workers), self.site(workers, page_cache=True, fragments=True):
                for connections in (16, 32):
                    for label, path in ((BARE_LABEL, BARE), ("article chaud", urls["article"])):
                        rows.append(self.row("workers", label, path, connections, workers=workers))
        return rows

    def change_runs(self, urls):
        """The cached hot article while another article is published (or a comment moderated)
        every second, next to the same load without changes."""
        workers = self.options["workers"]
        rows = []
        with self.bare_ceiling(workers), self.site(workers, page_cache=True, fragments=True):
            rows.append(self.row("changements", BARE_LABEL, BARE, 16))
            rows.append(
                self.row("changements", "article chaud, aucun changement", urls["article"], 16)
            )
            for label, kind in CHANGES:
                with self.changes(kind, urls["article"]) as made:
                    row = self.row("changements", f"article chaud, {label}", urls["article"], 16)
                row["changes"] = len(made)
                rows.append(row)
            rows.append(self.row("changements", BARE_LABEL, BARE, 16))
        return rows

    def varnish_runs(self, urls):
        """The hot article and the home page through Varnish with the shipped VCL, for readers
        with analytics cookies and browsers in several languages, face to the bare ceiling."""
        varnishd = shutil.which("varnishd") or shutil.which("varnishd", path="/usr/sbin")
        if not varnishd:
            self.step("Varnish : varnishd absent (apt-get install varnish varnish-modules)")
            return []
        if not shutil.which("wrk"):
            self.step("Varnish : wrk absent, le générateur Python ne saurait pas suivre")
            return []
        workers = self.options["workers"]
        rows = []
        with (
            self.bare_ceiling(workers),
            self.site(workers, page_cache=True, fragments=True),
            self.varnish(varnishd) as varnish_port,
        ):
            rows.append(self.row("varnish", BARE_LABEL, BARE, 32))
            for label, path in (("article chaud", urls["article"]), ("accueil", urls["home"])):
                result = self.load(varnish_port, path, 32, script=WRK_READERS)
                rows.append(
                    {"mode": "varnish", "page": label, "path": path, "connections": 32, **result}
                )
            rows.append(self.row("varnish", BARE_LABEL, BARE, 32))
            self.purge_latency = self.purge_runs(urls, varnish_port)
        return rows

    def purge_runs(self, urls, varnish_port):
        """From the commit of each publication to the first response through Varnish that
        shows it on the home page, with the hot article under load meanwhile; then whether
        any later response is stale again."""
        purge_port = self.options["port"] + 3
        self.step("Varnish : latence de purge, une publication par seconde")
        latencies, stale_after, lock = [], [0], threading.Lock()
        pollers = []

        def fetch_home():
            connection = http.client.HTTPConnection("127.0.0.1", varnish_port, timeout=5)
            connection.request("GET", urls["home"], headers={"Cookie": "_ga=GA1.2.3.4"})
            return connection.getresponse().read()

        def watch(change):
            wanted = change["path"].encode()
            deadline = change["at"] + PURGE_PATIENCE_SECONDS
            while time.time() < deadline:
                if wanted in fetch_home():
                    seen = time.time()
                    later = [wanted in fetch_home() for _ in range(20)]
                    with lock:
                        latencies.append(seen - change["at"])
                        stale_after[0] += later.count(False)
                    return
                time.sleep(0.01)
            with lock:
                latencies.append(None)

        def on_change(change):
            poller = threading.Thread(target=watch, args=(change,), daemon=True)
            pollers.append(poller)
            poller.start()

        count = self.options["duration"] + WARM_UP_SECONDS
        with self.changes(
            "publication",
            urls["article"],
            count=count,
            env={"VARNISH_PURGE_URLS": f"http://127.0.0.1:{purge_port}/"},
            on_change=on_change,
            # Articles no list shows yet: the home page cannot show them before it is purged.
            skip=200,
        ) as made:
            load = self.load(varnish_port, urls["article"], 16, script=WRK_READERS)
            deadline = time.monotonic() + PURGE_PATIENCE_SECONDS + 5
            while len(made) < count and time.monotonic() < deadline:
                time.sleep(0.2)
        for poller in pollers:
            poller.join(timeout=PURGE_PATIENCE_SECONDS + 5)
        seen = sorted(value for value in latencies if value is not None)

        def pct(p):
            return seen[min(len(seen) - 1, int(len(seen) * p / 100))] * 1000 if seen else None

        return {
            "publications": len(latencies),
            "missed": sum(value is None for value in latencies),
            "p50": pct(50),
            "p99": pct(99),
            "max": seen[-1] * 1000 if seen else None,
            "stale_after": stale_after[0],
            "load": load,
        }

    def live_runs(self):
        """Readers polling a live's endpoint (tools bench_live) while an entry is posted every
        10 s, between two measures of the bare ceiling."""
        workers = self.options["workers"]
        seconds = max(30, 3 * self.options["duration"])
        rows = []
        with self.bare_ceiling(workers), self.site(workers, page_cache=True, fragments=True):
            rows.append(self.row("direct", BARE_LABEL, BARE, 16))
            self.stdout.write(f"  direct : 16 lecteurs, une entrée toutes les 10 s, {seconds} s")
            group = self.servers.get(self.site_port)
            cpu_before = group_cpu_seconds(group) if group else None
            output = self.manage_output(
                "bench_live",
                f"--port={self.site_port}",
                f"--duration={seconds}",
                "--connections=16",
                "--every=10",
            )
            result = json.loads(output.strip().splitlines()[-1])
            cpu_after = group_cpu_seconds(group) if cpu_before is not None else None
            result["cpu_us"] = (
                1e6 * (cpu_after - cpu_before) / result["requests"]
                if cpu_after is not None and result["requests"]
                else None
            )
            rows.append(
                {
                    "mode": "direct",
                    "page": "direct, point d’interrogation (If-None-Match)",
                    "connections": 16,
                    "tool": "python",
                    **result,
                }
            )
            rows.append(self.row("direct", BARE_LABEL, BARE, 16))
        return rows

    def read_runs(self, urls):
        """« Les plus lus »: the cached hot article, then the beacon its script sends once the
        page is shown (a POST counted into Redis), between two measures of the bare ceiling.
        A counted read costs the reader's server both."""
        if not shutil.which("wrk"):
            self.stdout.write("  les plus lus : wrk manque (la balise est un POST), partie omise")
            return []
        workers = self.options["workers"]
        rows = []
        with self.bare_ceiling(workers), self.site(workers, page_cache=True, fragments=True):
            rows.append(self.row("plus lus", BARE_LABEL, BARE, 16))
            rows.append(self.row("plus lus", "article chaud", urls["article"], 16))
            beacon = self.load(self.site_port, urls["read_beacon"], 16, script=WRK_BEACON)
            rows.append(
                {
                    "mode": "plus lus",
                    "page": "balise de lecture (POST, compte dans Redis)",
                    "path": urls["read_beacon"],
                    "connections": 16,
                    **beacon,
                }
            )
            rows.append(self.row("plus lus", BARE_LABEL, BARE, 16))
        return rows

    def varnish(self, varnishd):
        """varnishd with deploy/varnish/default.vcl, its backend pointed at the site."""
        command = self
        port, purge_port, admin_port = (self.options["port"] + n for n in (2, 3, 4))

        class Varnish:
            def __enter__(self):
                self.dir = Path(tempfile.mkdtemp(prefix="bench-varnish-"))
                shipped = settings.BASE_DIR / "deploy" / "varnish"
                (self.dir / "default.vcl").write_text((shipped / "default.vcl").read_text())
                # The web nodes, as deploy/varnish/nodes.sh writes them: here, the site alone.
                nodes = subprocess.run(
                    ["sh", str(shipped / "nodes.sh"), f"127.0.0.1:{command.site_port}"],
                    capture_output=True,
                    text=True,
                    check=True,
                    timeout=10,
                ).stdout
                (self.dir / "nodes.vcl").write_text(nodes)
                (self.dir / "secret").write_text(os.urandom(16).hex())
                command.step(f"Varnish (VCL livrée) sur le port {port}, devant le site")
                self.process = subprocess.Popen(
                    [
                        varnishd,
                        "-F",
                        "-j",
                        "none",
                        "-n",
                        str(self.dir / "work"),
                        "-a",
                        f"http=127.0.0.1:{port}",
                        "-a",
                        f"purge=127.0.0.1:{purge_port}",
                        "-T",
                        f"127.0.0.1:{admin_port}",
                        "-S",
                        str(self.dir / "secret"),
                        "-p",
                        f"vcl_path={self.dir}",
                        "-f",
                        str(self.dir / "default.vcl"),
                        "-s",
                        "malloc,256m",
                    ],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    start_new_session=True,
                )
                command.servers[port] = self.process.pid
                try:
                    command.wait_until_up(port, self.process)
                except BaseException:
                    self.__exit__()
                    raise
                return port

            def __exit__(self, *exc):
                try:
                    os.killpg(self.process.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
                self.process.wait(timeout=30)
                shutil.rmtree(self.dir, ignore_errors=True)

        return Varnish()

    def changes(self, kind, hot_path, *, count=None, env=None, on_change=None, skip=0):
        """Runs bench_changes: prepared on entry, one change per second until exit;
        `on_change(change)` is called (in another thread) as each one is committed."""
        command = self
        count = count or WARM_UP_SECONDS + self.options["duration"] + 2

        class Changes:
            def __enter__(self):
                self.made = []
                self.process = subprocess.Popen(
                    [
                        sys.executable,
                        "manage.py",
                        "bench_changes",
                        f"--kind={kind}",
                        f"--count={count}",
                        f"--away-from={hot_path}",
                        f"--skip={skip}",
                        "--wait",
                    ],
                    env={**command.env, **(env or {})},
                    cwd=settings.BASE_DIR,
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    text=True,
                )
                if self.process.stdout.readline().strip() != "prêt":
                    raise CommandError(f"bench_changes --kind={kind} n’a pas démarré.")
                self.process.stdin.write("go\n")
                self.process.stdin.flush()
                self.reader = threading.Thread(target=self.read, daemon=True)
                self.reader.start()
                return self.made

            def read(self):
                for line in self.process.stdout:
                    change = json.loads(line)
                    self.made.append(change)
                    if on_change is not None:
                        on_change(change)

            def __exit__(self, *exc):
                self.process.terminate()
                self.process.wait(timeout=30)
                self.reader.join(timeout=5)

        return Changes()

    def step(self, text):
        self.stdout.write(self.style.MIGRATE_HEADING(f"\n== {text}"))

    def manage(self, *args):
        subprocess.run(
            [sys.executable, "manage.py", *args], env=self.env, check=True, cwd=settings.BASE_DIR
        )

    def manage_output(self, *args):
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            env=self.env,
            check=True,
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
        ).stdout

    def site(self, workers, *, page_cache, fragments):
        env = {
            **self.env,
            "PAGE_CACHE_ENABLED": "1" if page_cache else "0",
            "FRAGMENT_CACHE_ENABLED": "1" if fragments else "0",
        }
        title = (
            f"Le site : gunicorn {self.options['worker_class']} × {workers}, "
            f"cache de pages {'activé' if page_cache else 'désactivé'}, "
            f"fragments {'gardés' if fragments else 'recalculés'}"
        )
        return self.gunicorn("actualites.wsgi", self.site_port, workers, env, title)

    def bare_ceiling(self, workers):
        title = f"Plafond nu (tools/bare) : gunicorn {self.options['worker_class']} × {workers}"
        return self.gunicorn("tools.bare.wsgi", self.bare_port, workers, self.env, title)

    def gunicorn(self, app, port, workers, env, title):
        """gunicorn with gunicorn.conf.py, the same for the site and the bare ceiling."""
        command = self

        class Server:
            def __enter__(self):
                opts = command.options
                args = [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    app,
                    "--config",
                    str(settings.BASE_DIR / "gunicorn.conf.py"),
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    str(workers),
                    "--worker-class",
                    opts["worker_class"],
                    "--log-level",
                    "warning",
                ]
                if opts["worker_class"] == "gthread":
                    args += ["--threads", str(opts["threads"])]
                command.step(title)
                self.process = subprocess.Popen(
                    args, env=env, cwd=settings.BASE_DIR, start_new_session=True
                )
                command.servers[port] = self.process.pid
                try:
                    command.wait_until_up(port, self.process)
                except BaseException:
                    self.__exit__()
                    raise
                return self

            def __exit__(self, *exc):
                try:
                    os.killpg(self.process.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
                self.process.wait(timeout=30)

        return Server()

    def wait_until_up(self, port, process):
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if process.poll() is not None:
                # Port taken (by a server left over?): never measure someone else's server.
                raise CommandError(f"gunicorn s’est arrêté : le port {port} est-il libre ?")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise CommandError(f"gunicorn n’a pas démarré sur le port {port}.")

    def load(self, port, path, connections, script=""):
        duration = self.options["duration"]
        # Two seconds of the same load first, not measured: every worker has then compiled the
        # page's templates and holds its caches, as on a site that has been up for a while.
        python_load("127.0.0.1", port, path, connections, WARM_UP_SECONDS)
        self.stdout.write(f"  :{port}{path} — {connections} connexions, {duration} s")
        group = self.servers.get(port)
        cpu_before = group_cpu_seconds(group) if group else None
        if shutil.which("wrk"):
            with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script_file:
                script_file.write(script + WRK_SCRIPT)
            output = subprocess.run(
                [
                    "wrk",
                    f"-t{min(2, connections)}",
                    f"-c{connections}",
                    f"-d{duration}s",
                    "--timeout",
                    "5s",
                    "-s",
                    script_file.name,
                    f"http://127.0.0.1:{port}{path}",
                ],
                capture_output=True,
                text=True,
                check=True,
                timeout=duration + 60,
            ).stdout
            os.unlink(script_file.name)
            result = json.loads(output.strip().splitlines()[-1])
            tool = "wrk"
        else:
            result = python_load("127.0.0.1", port, path, connections, duration)
            tool = "python"
        result["rps"] = result["requests"] / result["seconds"] if result["seconds"] else 0
        result["tool"] = tool
        # What each request cost gunicorn's processes: on a shared machine, steadier than req/s.
        cpu_after = group_cpu_seconds(group) if cpu_before is not None else None
        result["cpu_us"] = (
            1e6 * (cpu_after - cpu_before) / result["requests"]
            if cpu_after is not None and result["requests"]
            else None
        )
        return result

    def newsletter_runs(self):
        self.step("Newsletter : envoi complet vers un puits SMTP local, un puis deux workers")
        runs = []
        for count in (self.options["subscribers"], 2 * self.options["subscribers"]):
            output = self.manage_output(
                "bench_newsletter", f"--subscribers={count}", "--workers=1,2", "--json"
            )
            result = json.loads(output.strip().splitlines()[-1])
            self.newsletter_sink = result["sink"]
            runs += result["runs"]
        return runs

    @staticmethod
    def ratios(rows, group=("mode", "connections")):
        """Each row's req/s as a share of the bare ceiling measured in the same group."""
        measured = {}
        for r in rows:
            if r["path"] == BARE:
                measured.setdefault(tuple(r.get(k) for k in group), []).append(r["rps"])
        for r in rows:
            ceilings = measured.get(tuple(r.get(k) for k in group))
            ceiling = sum(ceilings) / len(ceilings) if ceilings else 0
            r["ratio"] = 100 * r["rps"] / ceiling if ceiling else 0
        return rows

    @staticmethod
    def table(rows, first_columns):
        """Markdown rows: the given first columns, then the measures."""
        head = [name for name, _ in first_columns]
        lines = [
            "| " + " | ".join(head) + " | req/s | % du plafond nu | µs processeur/req | "
            "p50 ms | p95 ms | p99 ms | erreurs |",
            "| " + " | ".join("---" for _ in head) + " | ---: | ---: | ---: | ---: | ---: "
            "| ---: | ---: |",
        ]
        for r in rows:
            cpu = f"{r['cpu_us']:.0f}" if r.get("cpu_us") is not None else "–"
            lines.append(
                "| "
                + " | ".join(str(value(r)) for _, value in first_columns)
                + f" | {r['rps']:.0f} | {r['ratio']:.0f} % | {cpu} | {r['p50']:.1f} | "
                f"{r['p95']:.1f} | {r['p99']:.1f} | {r['errors']} |"
            )
        return lines

    def report(
        self,
        rows,
        worker_rows,
        change_rows,
        varnish_rows,
        queries,
        newsletter,
        seed_seconds,
        *,
        live_rows=(),
        read_rows=(),
    ):
        live_rows, read_rows = list(live_rows), list(read_rows)
        tools = sorted(
            {
                r["tool"]
                for r in rows + worker_rows + change_rows + varnish_rows + live_rows + read_rows
            }
        )
        lines = [
            f"# Banc de performance — {datetime.now().isoformat(timespec='seconds')}",
            "",
            f"Machine : {platform.node()}, {os.cpu_count()} cœurs, {platform.platform()}, "
            f"Python {platform.python_version()}, charge moyenne {os.getloadavg()[0]:.1f} "
            f"à la fin. Base : "
            f"{'PostgreSQL' if self.env['DATABASE_URL'].startswith('postgres') else 'SQLite'}. "
            f"gunicorn {self.options['worker_class']} × {self.options['workers']} "
            f"(gunicorn.conf.py), charge par {', '.join(tools)}. "
            f"Archive : {self.options['articles']} articles, {self.options['comments']} "
            f"commentaires, {self.options['subscribers']} abonnés (créés en {seed_seconds:.0f} s). "
            "% du plafond : part du débit du projet Django nu (tools/bare) mesuré dans le "
            "même mode, au même nombre de connexions.",
            "",
        ]
        if rows:
            lines += self.table(
                self.ratios(rows),
                [
                    ("mode", lambda r: r["mode"]),
                    ("page", lambda r: r["page"]),
                    ("conn.", lambda r: r["connections"]),
                ],
            )
        if worker_rows:
            lines += [
                "",
                "Nombre de workers `sync` (article chaud en cache, face au plafond nu servi par "
                "autant de workers) :",
                "",
            ]
            lines += self.table(
                self.ratios(worker_rows, ("workers", "connections")),
                [
                    ("workers", lambda r: r["workers"]),
                    ("page", lambda r: r["page"]),
                    ("conn.", lambda r: r["connections"]),
                ],
            )
            best = max((r for r in worker_rows if r["path"] != BARE), key=lambda r: r["rps"])
            lines += [
                "",
                f"Meilleur débit de l’article chaud : {best['workers']} workers "
                f"({best['connections']} connexions).",
            ]
        if change_rows:
            lines += [
                "",
                "Article chaud en cache pendant des changements (16 connexions ; articles "
                "publiés et commentaires modérés pris hors de sa rubrique) :",
                "",
            ]
            lines += self.table(
                self.ratios(change_rows),
                [("page", lambda r: r["page"]), ("changements", lambda r: r.get("changes", "–"))],
            )
        purge = getattr(self, "purge_latency", None)
        if varnish_rows:
            lines += [
                "",
                "À travers Varnish (VCL livrée, `deploy/varnish/default.vcl`), chaque requête "
                "comme un navigateur (cookies de mesure d’audience différents, l’une de six "
                "langues, Accept-Encoding: gzip, br) ; « × plafond » : débit divisé par celui du "
                "plafond nu servi directement par gunicorn (30 Ko non compressés) :",
                "",
            ]
            lines += self.table(
                self.ratios(varnish_rows),
                [
                    ("page", lambda r: r["page"]),
                    ("conn.", lambda r: r["connections"]),
                    ("× plafond", lambda r: f"{r['ratio'] / 100:.1f}"),
                ],
            )
        if purge:

            def ms(value):
                return "–" if value is None else f"{value:.0f} ms"

            lines += [
                "",
                f"Latence de purge à travers Varnish (de la validation d’une publication à la "
                f"première réponse de la une qui la montre, l’article chaud chargé pendant ce "
                f"temps à {purge['load']['rps']:.0f} req/s, p99 {purge['load']['p99']:.1f} ms) : "
                f"{purge['publications']} publications, p50 {ms(purge['p50'])}, "
                f"p99 {ms(purge['p99'])}, max {ms(purge['max'])} ; "
                f"{purge['missed']} jamais visibles en {PURGE_PATIENCE_SECONDS} s ; "
                f"{purge['stale_after']} réponses périmées après la première fraîche "
                f"(20 lectures par publication).",
            ]
        crawl = getattr(self, "api_crawl", None)
        if crawl:
            lines += [
                "",
                f"Parcours de toute l’archive par l’API (`manage.py bench_api`, sans cache, "
                f"en suivant « next ») : {crawl['pages']} pages de 50, {crawl['distinct']} "
                f"articles distincts sur {crawl['articles']} lus, {crawl['queries_min']} à "
                f"{crawl['queries_max']} requêtes SQL par page, p50 {crawl['ms_p50']} ms, "
                f"p95 {crawl['ms_p95']} ms par page, {crawl['seconds']} s en tout.",
            ]
        if live_rows:
            lines += [
                "",
                "Direct (`tools/management/commands/bench_live.py`) : 16 lecteurs interrogent sans "
                "pause le point d’interrogation d’un direct de 500 entrées, avec `If-None-Match` "
                "comme le script de la page, pendant qu’un éditeur publie une entrée toutes les "
                "10 s (10 000 lecteurs qui interrogent toutes les 20 s font 500 req/s) :",
                "",
            ]
            lines += self.table(
                self.ratios(live_rows),
                [("page", lambda r: r["page"]), ("conn.", lambda r: r["connections"])],
            )
            for r in live_rows:
                if "posted" in r:
                    share = 100 * r["not_modified"] / r["requests"] if r["requests"] else 0
                    lines += [
                        "",
                        f"Réponses 304 : {share:.0f} %. Entrées publiées : {r['posted']}, vues "
                        f"par un lecteur {r['delay_ms_median']:.0f} ms après leur publication "
                        f"(médiane ; {r['delay_ms_max']:.0f} ms au plus) : un lecteur qui "
                        "interroge toutes les 20 s la voit donc en moins de 20 s plus ce délai.",
                    ]
        if read_rows:
            self.ratios(read_rows)
            lines += [
                "",
                "Les plus lus : la balise qu’envoie le script d’un article une fois la page "
                "affichée, à côté de l’article en cache (16 connexions) :",
                "",
            ]
            lines += self.table(read_rows, [("page", lambda r: r["page"])])
            article = next((r for r in read_rows if r["page"] == "article chaud"), None)
            beacon = next((r for r in read_rows if r["path"] == read_rows[2]["path"]), None)
            if article and beacon and article.get("cpu_us") and beacon.get("cpu_us"):
                share = 100 * beacon["cpu_us"] / article["cpu_us"]
                lines += [
                    "",
                    f"Une lecture comptée coûte au serveur la page et sa balise : "
                    f"{article['cpu_us']:.0f} + {beacon['cpu_us']:.0f} µs de processeur, la "
                    f"balise ajoutant {share:.0f} % à une page servie par le cache d’origine "
                    "(rien quand Varnish ou un CDN sert la page).",
                ]
        lines += [
            "",
            "Requêtes SQL par page sans cache de pages (rendu complet / à partir des fragments) :",
            "",
        ]
        lines += [
            f"- `{path}` : {count} / {queries['fragments'][path]}"
            for path, count in queries["complet"].items()
        ]
        if newsletter:
            lines += [
                "",
                f"Newsletter (envoi complet à un puits SMTP local, {self.newsletter_sink}) :",
                "",
                "| abonnés | workers | durée s | e-mails | e-mails/s | processeur ms/e-mail "
                "| mémoire max par worker Mio |",
                "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
            ]
            lines += [
                f"| {n['subscribers']} | {n['workers']} | {n['seconds']:.1f} | {n['messages']} "
                f"| {n['per_second']} | {n['cpu_ms_per_message']:.2f} | {n['peak_mib']:.0f} |"
                for n in newsletter
            ]
        text = "\n".join(lines) + "\n"
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        (self.out_dir / f"bench-{stamp}.md").write_text(text)
        (self.out_dir / "latest.md").write_text(text)
        self.stdout.write("\n" + text)
        self.stdout.write(f"Écrit dans {self.out_dir / f'bench-{stamp}.md'}")
