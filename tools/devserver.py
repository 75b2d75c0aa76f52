"""`make run`: prepare the embedded database and the demo, then run the site and the worker.

One process does the preparation (one Django start instead of two), then keeps the development
server and the task worker as children in their own process groups, so that Ctrl-C reaches only
this supervisor: it stops both, waits for them, and exits quietly with status 0.
"""

import argparse
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STOP_GRACE_SECONDS = 10


class Stop(Exception):
    """Ctrl-C or SIGTERM while the supervisor runs."""


def _stop(signum, frame):
    raise Stop


def prepare() -> list[str]:
    """Migrate and load the demo; return the demo accounts' lines."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "actualites.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, connections
    from django.db.migrations.executor import MigrationExecutor

    from tools.demo import load_demo

    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        print(f"Base de données : {len(pending)} migrations à appliquer…", flush=True)
        call_command("migrate", interactive=False, verbosity=0)
    result = load_demo(with_accounts=settings.DEMO_MODE)
    if result["created"]:
        print(f"Démonstration : {result['created']} articles créés.", flush=True)
    connections.close_all()
    return [
        f"    {role} : {username} / {password}" for username, password, role in result["accounts"]
    ]


def wait_until_answering(url: str, children: list[subprocess.Popen], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(child.poll() is not None for child in children):
            return False
        try:
            with urllib.request.urlopen(url, timeout=2):
                return True
        except urllib.error.HTTPError:
            return True  # It answers; the status is not ours to judge here.
        except OSError:
            time.sleep(0.2)
    return False


def stop(children: list[subprocess.Popen]) -> None:
    for child in children:
        if child.poll() is None:
            try:
                os.killpg(child.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    for child in children:
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", default="8000")
    args = parser.parse_args()
    started = time.monotonic()
    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    children: list[subprocess.Popen] = []
    try:
        accounts = prepare()
        manage = [sys.executable, str(ROOT / "manage.py")]
        spawn = {"cwd": ROOT, "start_new_session": True}
        children.append(subprocess.Popen([*manage, "run_tasks_worker"], **spawn))
        # The checks ran with the migrations above: the server need not run them again.
        server = [*manage, "runserver", "--skip-checks", f"{args.host}:{args.port}"]
        children.append(subprocess.Popen(server, **spawn))
        site = f"http://{args.host}:{args.port}/"
        if not wait_until_answering(site + "healthz", children, timeout=60):
            print("Le site n’a pas démarré (voir les messages ci-dessus).", file=sys.stderr)
            stop(children)
            return 1
        print(
            "\n".join(
                [
                    "",
                    f"  Prêt en {time.monotonic() - started:.0f} s.",
                    f"  Site :            {site}",
                    f"  Administration :  {site}admin/",
                    *(["  Comptes de démonstration :", *accounts] if accounts else []),
                    f"  E-mails envoyés : {os.environ.get('VAR_DIR', 'var')}/mail/ (.txt à lire, .eml à ouvrir)",
                    "  Ctrl-C arrête le site et le worker.",
                    "",
                ]
            ),
            flush=True,
        )
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
        print("Le site ou le worker s’est arrêté : arrêt de l’autre.", file=sys.stderr)
        stop(children)
        return 1
    except Stop:
        # Further signals while stopping must not interrupt the wait for the children.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        print("\nArrêt du site et du worker…", flush=True)
        stop(children)
        print("Arrêtés.", flush=True)
        return 0


if __name__ == "__main__":
    sys.exit(main())
