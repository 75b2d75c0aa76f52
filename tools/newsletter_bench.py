"""Measure sending one issue to many subscribers through a local SMTP sink: rate and memory.

The sink is Postfix's `smtp-sink` (a C test server made for this) when installed
(`apt-get install postfix`, nothing needs to be configured or started), else aiosmtpd's
Sink handler, which then takes a share of the processor the measure shows.
"""

import contextlib
import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.test.utils import override_settings
from django.utils import timezone

from articles.models import Article, Category
from newsletter import sending
from newsletter.models import Issue, IssueArticle, Subscriber
from photos.models import Photo

SMTP_SINK = shutil.which("smtp-sink") or (
    "/usr/sbin/smtp-sink" if Path("/usr/sbin/smtp-sink").exists() else None
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def smtp_sink():
    """A throw-away SMTP server on 127.0.0.1 that accepts everything: yields (port, name)."""
    port = _free_port()
    if SMTP_SINK:
        # -c counts, 2000 is the listen backlog; as root it must drop to another user.
        args = [SMTP_SINK, *(["-u", "nobody"] if os.geteuid() == 0 else [])]
        args += [f"127.0.0.1:{port}", "2000"]
        name = "smtp-sink (Postfix)"
    else:
        args = [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}"]
        args += ["-c", "aiosmtpd.handlers.Sink"]
        name = "aiosmtpd"
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError(f"Le puits SMTP {name} n’a pas démarré.") from None
                time.sleep(0.05)
        yield port, name
    finally:
        process.terminate()
        process.wait(timeout=10)


def smtp_mailers(port: int) -> dict:
    return {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "use_tls": False, "timeout": 20},
        }
    }


def _photo() -> Photo:
    return Photo.objects.create(
        image="photos/banc-d-essai.jpg",
        width=1200,
        height=675,
        credit="Banc d’essai",
        alt_text="Photo de test",
        renditions=[{"width": 800, "height": 450, "jpg": "renditions/banc-800.jpg"}],
    )


def make_issue(*, label: str = "") -> Issue:
    """An issue being sent, with six published articles across the categories."""
    photo = Photo.objects.first() or _photo()
    categories = list(Category.objects.all()) or [
        Category.objects.create(name="Politique", slug="politique")
    ]
    issue = Issue.objects.create(
        subject=f"Banc d’essai{label}", introduction="Bonjour", status=Issue.Status.SENDING
    )
    for n in range(6):
        slug = f"banc-d-essai-{n}"
        article = Article.objects.filter(slug=slug).first() or Article.objects.create(
            title=f"Article de banc d’essai {n}",
            slug=slug,
            standfirst="Un chapô de longueur ordinaire pour mesurer le rendu de la lettre.",
            body="<p>Texte</p>",
            category=categories[n % len(categories)],
            hero_photo=photo,
            status=Article.Status.PUBLISHED,
            published_at=timezone.now(),
        )
        IssueArticle.objects.create(issue=issue, article=article, position=n)
    return issue


def create_confirmed_subscribers(count: int) -> None:
    """Bulk-create `count` confirmed subscribers (also used by `manage.py seed_archive`)."""
    categories = list(Category.objects.values_list("pk", flat=True))
    through = Subscriber.categories.through
    for start in range(0, count, 2000):
        batch = [
            Subscriber(
                email=f"abonne{n}@banc-essai.example",
                email_key=f"abonne{n}@banc-essai.example",
                status=Subscriber.Status.CONFIRMED,
                confirmed_at=timezone.now(),
            )
            for n in range(start, min(start + 2000, count))
        ]
        created = Subscriber.objects.bulk_create(batch)
        # One subscriber in three chose a single category: several variants are exercised.
        if categories and created[0].pk is not None:
            through.objects.bulk_create(
                through(subscriber_id=s.pk, category_id=categories[i % len(categories)])
                for i, s in enumerate(created)
                if i % 3 == 0
            )


def send_as_worker(issue_id: int) -> dict:
    """One worker's part of a sending (what a task does), timed: run in its own process."""
    before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.time()
    sending.deliver(Issue.objects.get(pk=issue_id))
    ended = time.time()
    after = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "started": started,
        "ended": ended,
        "cpu_seconds": after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime,
        "peak_mib": after.ru_maxrss / 1024,
    }


def _run_workers(issue: Issue, *, workers: int, port: int, database_url: str | None) -> dict:
    if database_url is None:
        # SQLite's throw-away database lives in this process: one worker, here.
        with override_settings(MAILERS=smtp_mailers(port)):
            return {"workers": [send_as_worker(issue.pk)]}
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        # As in production: no SQL query log kept in memory.
        "DJANGO_DEBUG": "0",
        # The worker command lives in tools/, which DEBUG off does not load on its own.
        "DJANGO_DEV_TOOLS": "1",
        "DJANGO_SECRET_KEY": settings.SECRET_KEY,
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(port),
        "SMTP_USE_TLS": "0",
        "LOG_LEVEL": "WARNING",
        "NEWSLETTER_BATCH_SIZE": str(settings.NEWSLETTER_BATCH_SIZE),
    }
    processes = [
        subprocess.Popen(
            [sys.executable, "manage.py", "bench_newsletter", f"--worker={issue.pk}"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(workers)
    ]
    results = []
    for process in processes:
        output, _ = process.communicate(timeout=3600)
        if process.returncode != 0:
            raise RuntimeError("Un worker du banc d’essai a échoué.")
        results.append(json.loads(output.strip().splitlines()[-1]))
    return {"workers": results}


def run(*, subscribers: int, workers: tuple[int, ...] = (1,), database_url: str | None = None):
    """Create the subscribers, then send one issue per entry of `workers` with that many
    worker processes (in this process when `database_url` is None), through an SMTP sink."""
    started = time.perf_counter()
    create_confirmed_subscribers(subscribers)
    setup = time.perf_counter() - started
    runs = []
    with smtp_sink() as (port, sink):
        for count in workers:
            issue = make_issue(label=f" ({count} worker{'s' if count > 1 else ''})")
            timings = _run_workers(issue, workers=count, port=port, database_url=database_url)
            seconds = max(w["ended"] for w in timings["workers"]) - min(
                w["started"] for w in timings["workers"]
            )
            progress = issue.progress()
            runs.append(
                {
                    "subscribers": subscribers,
                    "workers": count,
                    "seconds": round(seconds, 2),
                    "messages": progress["sent"],
                    "per_second": round(progress["sent"] / seconds) if seconds else 0,
                    "peak_mib": round(max(w["peak_mib"] for w in timings["workers"]), 1),
                    # Processor time of the workers per copy sent: steadier than the rate on a
                    # machine shared with other work.
                    "cpu_ms_per_message": round(
                        1000
                        * sum(w["cpu_seconds"] for w in timings["workers"])
                        / max(progress["sent"], 1),
                        2,
                    ),
                    **progress,
                }
            )
    return {"sink": sink, "setup_seconds": round(setup, 2), "runs": runs}
