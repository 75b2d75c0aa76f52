"""`make bench`: load-test the site under gunicorn on 127.0.0.1 and print a comparable table.

Everything runs on this machine: a separate benchmark database, gunicorn with the production
settings, and wrk (or a small Python load generator when wrk is absent), bounded in time.
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

# (label, whole-page cache, fragment cache): the page cache serves readers; without it, pages
# are built from kept fragments (what a miss costs in production); the last row renders all.
MODES = [
    ("cache", True, True),
    ("fragments", False, True),
    ("sans cache", False, False),
]


class Command(BaseCommand):
    help = "Banc de performance : gunicorn + wrk sur 127.0.0.1, résultats dans var/bench/."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=20_000)
        parser.add_argument("--comments", type=int, default=100_000)
        parser.add_argument("--subscribers", type=int, default=10_000)
        parser.add_argument("--duration", type=int, default=10, help="secondes par mesure")
        parser.add_argument("--worker-class", default="sync", choices=["sync", "gthread"])
        parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
        parser.add_argument("--threads", type=int, default=4, help="pour gthread")
        parser.add_argument("--port", type=int, default=8077)
        parser.add_argument("--skip-newsletter", action="store_true")

    def handle(self, *args, **options):
        self.options = options
        db_url, is_postgres = bench_database_url()
        if is_postgres:
            ensure_postgres_database(db_url)
        self.media = settings.VAR_DIR / "bench-media"
        self.env = {
            **os.environ,
            "DATABASE_URL": db_url,
            "DJANGO_DEBUG": "0",
            # Production settings plus tools/ (seed_archive, bench_urls, the ceiling view).
            "DJANGO_DEV_TOOLS": "1",
            "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "bench-only-not-a-secret"),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_SECURE_COOKIES": "0",
            "MEDIA_ROOT": str(self.media),
            "LOG_LEVEL": "WARNING",
            "BENCH_CEILING": "1",
            "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15"),
            "CACHE_KEY_PREFIX": "bench",
        }
        self.env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
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

        hot = self.manage_output("bench_urls")
        urls = json.loads(hot)
        rows = []
        for mode, page_cache, fragments in MODES:
            with self.gunicorn(page_cache=page_cache, fragments=fragments):
                for label, path, connections in self.plan(urls, page_cache):
                    result = self.load(path, connections)
                    rows.append(
                        {
                            "mode": mode,
                            "page": label,
                            "path": path,
                            "connections": connections,
                            **result,
                        }
                    )
        queries = json.loads(self.manage_output("bench_queries", *[u for u in urls.values()]))
        newsletter = [] if options["skip_newsletter"] else self.newsletter_runs()
        self.report(rows, queries, newsletter, seed_seconds)

    def plan(self, urls, cached):
        pages = [
            ("plafond (vue Django nue)", urls["ceiling"]),
            ("accueil", urls["home"]),
            ("article chaud", urls["article"]),
            ("rubrique", urls["category"]),
            ("rubrique, page 50", urls["category_page_50"]),
        ]
        if not cached and "search" in urls:
            pages.append(("recherche", urls["search"]))
        for connections in (16, 32) if cached else (16,):
            for label, path in pages:
                yield label, path, connections
        if not cached and "search" in urls:
            # One reader at a time: the latency of a search itself, without queueing.
            yield "recherche", urls["search"], 1

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

    def gunicorn(self, page_cache, fragments):
        command = self

        class Server:
            def __enter__(self):
                env = {
                    **command.env,
                    "PAGE_CACHE_ENABLED": "1" if page_cache else "0",
                    "FRAGMENT_CACHE_ENABLED": "1" if fragments else "0",
                }
                opts = command.options
                args = [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "actualites.wsgi",
                    "--bind",
                    f"127.0.0.1:{opts['port']}",
                    "--workers",
                    str(opts["workers"]),
                    "--worker-class",
                    opts["worker_class"],
                    "--log-level",
                    "warning",
                    "--timeout",
                    "30",
                ]
                if opts["worker_class"] == "gthread":
                    args += ["--threads", str(opts["threads"])]
                command.step(
                    f"gunicorn {opts['worker_class']} × {opts['workers']}, "
                    f"cache de pages {'activé' if page_cache else 'désactivé'}, "
                    f"fragments {'gardés' if fragments else 'recalculés'}"
                )
                self.process = subprocess.Popen(
                    args, env=env, cwd=settings.BASE_DIR, start_new_session=True
                )
                command.wait_until_up()
                return self

            def __exit__(self, *exc):
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=30)

        return Server()

    def wait_until_up(self):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                connection = http.client.HTTPConnection(
                    "127.0.0.1", self.options["port"], timeout=2
                )
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise CommandError("gunicorn n'a pas démarré.")

    def load(self, path, connections):
        port, duration = self.options["port"], self.options["duration"]
        # Two seconds of the same load first, not measured: every worker has then compiled the
        # page's templates and holds its caches, as on a site that has been up for a while.
        python_load("127.0.0.1", port, path, connections, WARM_UP_SECONDS)
        self.stdout.write(f"  {path} — {connections} connexions, {duration} s")
        if shutil.which("wrk"):
            with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
                script.write(WRK_SCRIPT)
            output = subprocess.run(
                [
                    "wrk",
                    f"-t{min(2, connections)}",
                    f"-c{connections}",
                    f"-d{duration}s",
                    "--timeout",
                    "5s",
                    "-s",
                    script.name,
                    f"http://127.0.0.1:{port}{path}",
                ],
                capture_output=True,
                text=True,
                check=True,
                timeout=duration + 60,
            ).stdout
            os.unlink(script.name)
            result = json.loads(output.strip().splitlines()[-1])
            tool = "wrk"
        else:
            result = python_load("127.0.0.1", port, path, connections, duration)
            tool = "python"
        result["rps"] = result["requests"] / result["seconds"] if result["seconds"] else 0
        result["tool"] = tool
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

    def report(self, rows, queries, newsletter, seed_seconds):
        ceilings = {
            (r["mode"], r["connections"]): r["rps"] for r in rows if r["page"].startswith("plafond")
        }
        lines = [
            f"# Banc de performance — {datetime.now().isoformat(timespec='seconds')}",
            "",
            f"Machine : {platform.node()}, {os.cpu_count()} cœurs, {platform.platform()}, "
            f"Python {platform.python_version()}. Base : "
            f"{'PostgreSQL' if self.env['DATABASE_URL'].startswith('postgres') else 'SQLite'}. "
            f"gunicorn {self.options['worker_class']} × {self.options['workers']}. "
            f"Archive : {self.options['articles']} articles, {self.options['comments']} "
            f"commentaires, {self.options['subscribers']} abonnés (créés en {seed_seconds:.0f} s).",
            "",
            "| mode | page | conn. | req/s | % du plafond | p50 ms | p95 ms | p99 ms | erreurs |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for r in rows:
            ceiling = (
                ceilings.get((r["mode"], r["connections"]))
                or ceilings.get(("cache", r["connections"]))
                or ceilings.get(("cache", 16))
            )
            ratio = 100 * r["rps"] / ceiling if ceiling else 0
            lines.append(
                f"| {r['mode']} | {r['page']} | {r['connections']} | {r['rps']:.0f} | "
                f"{ratio:.0f} % | {r['p50']:.1f} | {r['p95']:.1f} | {r['p99']:.1f} | "
                f"{r['errors']} |"
            )
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
