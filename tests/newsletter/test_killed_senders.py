"""Two task-worker processes share one sending while they are killed and restarted at random.

Real processes (`manage.py run_tasks_worker`), a real SMTP server (aiosmtpd, in this process)
and PostgreSQL: every subscriber gets the issue, and more than once only for the copy a
worker had sent but not yet marked at the instant it was killed: at most one per kill.
"""

import os
import random
import signal
import subprocess
import sys
import time

import pytest
from django.db import connection

from newsletter import sending
from newsletter.models import Issue, Subscriber
from tests.factories import make_article
from tests.resilience.servers import ROOT
from tools.newsletter_bench import create_confirmed_subscribers

from .factories import make_issue
from .smtp_sink import RecordingSink

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="prises par SKIP LOCKED et verrous consultatifs : PostgreSQL seulement",
    ),
]

SUBSCRIBERS = 1200
KILLS = 4


def start_worker(env):
    return subprocess.Popen(
        [sys.executable, "manage.py", "run_tasks_worker", "--interval", "0.1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def stop(worker):
    """Asked to stop, a worker first ends what it holds and exits: on a busy machine that can
    outlast 30 s (seen once). Killed then: the assertions read what was stored, not how the
    workers ended."""
    os.killpg(worker.pid, signal.SIGTERM)
    try:
        worker.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)


def worker_env(sink):
    db = connection.settings_dict
    url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "tests-only-not-a-secret",
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(sink.port),
        "SMTP_USE_TLS": "0",
        "NEWSLETTER_BATCH_SIZE": "20",
        # A dead worker's rows must come back through its released lock, not a timeout.
        "NEWSLETTER_CLAIM_TIMEOUT": "3600",
        "LOG_LEVEL": "CRITICAL",
        "REDIS_URL": "",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return env


def test_two_workers_killed_at_random_send_each_copy_once_but_the_one_in_flight():
    rng = random.Random()
    issue = make_issue(articles=[make_article()])
    create_confirmed_subscribers(SUBSCRIBERS)

    with RecordingSink() as sink:
        env = worker_env(sink)
        workers = [start_worker(env), start_worker(env)]
        try:
            sending.start_sending(issue)  # two tasks: one per worker
            kills, killed = 0, set()
            deadline = time.monotonic() + 90
            while kills < KILLS and time.monotonic() < deadline:
                time.sleep(rng.uniform(0.2, 0.7))
                # While copies are left to send (a third of the subscribers are skipped:
                # fewer than SUBSCRIBERS are ever sent).
                progress = issue.progress()
                if not (progress["sent"] > 0 and progress["pending"] > 0):
                    continue
                victim = rng.randrange(2)
                if kills == KILLS - 1 and len(killed) == 1:
                    victim = 1 - next(iter(killed))  # each one killed at least once
                os.killpg(workers[victim].pid, signal.SIGKILL)
                workers[victim].wait(timeout=10)
                kills += 1
                killed.add(victim)
                workers[victim] = start_worker(env)
                # Its task stays marked as running: the editor presses « Relancer l'envoi »,
                # unless the other worker has just sent the last copies.
                issue.refresh_from_db()
                if issue.status == Issue.Status.SENDING:
                    sending.resume_sending(issue)

            # Each worker killed restarts, a Django process to load again: slow on a busy
            # machine. The deadline only stops a sending that hangs.
            deadline = time.monotonic() + 180
            while time.monotonic() < deadline:
                issue.refresh_from_db()
                if issue.status == Issue.Status.SENT:
                    break
                time.sleep(0.2)
        finally:
            for worker in workers:
                stop(worker)

    assert kills == KILLS and killed == {0, 1}, "the sending ended before every kill"
    assert issue.status == Issue.Status.SENT, issue.progress()
    progress = issue.progress()
    assert progress["sent"] + progress["skipped"] == progress["total"] == SUBSCRIBERS
    # Those who chose other categories than the article's are skipped, as always.
    addresses = set(
        Subscriber.objects.filter(deliveries__status="sent").values_list("email", flat=True)
    )
    assert len(addresses) == progress["sent"] > SUBSCRIBERS // 2
    received = sink.per_recipient()
    assert set(received) == addresses, "a subscriber got nothing, or a stranger got a copy"
    duplicates = sum(count - 1 for count in received.values())
    assert duplicates <= kills, f"{duplicates} copies sent twice for {kills} workers killed"
