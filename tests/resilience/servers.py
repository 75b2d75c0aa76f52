"""Servers a resilience test starts and stops itself: a private PostgreSQL, Redis, gunicorn."""

import glob
import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def postgres_binaries() -> Path | None:
    """Where initdb, pg_ctl and pg_basebackup are: pg_config's bindir, else Debian's folders."""
    if shutil.which("pg_config"):
        bindir = subprocess.run(
            ["pg_config", "--bindir"], capture_output=True, text=True, check=False
        ).stdout.strip()
        if bindir and (Path(bindir) / "initdb").exists():
            return Path(bindir)
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def why_no_private_postgres() -> str | None:
    """None when this machine can run a throw-away PostgreSQL cluster, else the reason."""
    if postgres_binaries() is None:
        return "pas de binaires PostgreSQL (initdb) sur cette machine"
    if os.geteuid() == 0:
        try:
            import pwd

            pwd.getpwnam("postgres")
        except KeyError:
            return "root sans compte « postgres » pour lancer initdb"
    return None


class PrivatePostgres:
    """A PostgreSQL cluster in a temporary folder, on a free port, that the test may stop."""

    def __init__(self):
        self.bin = postgres_binaries()
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="ae-pg-"))
        self.data = self.dir / "data"

    def _run(self, *args, check=True):
        command = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres")
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, check=check, capture_output=True, text=True, timeout=120)

    def init(self):
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "--no-sync")
        return self

    def start(self, *options: str):
        """Start the server; `options` are more `-c name=value` settings."""
        settings = " ".join(f"-c {option}" for option in options)
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-w",
            "-l",
            str(self.dir / "log"),
            "-o",
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off {settings}",
            "start",
        )

    def clone_as_standby_of(self, primary: "PrivatePostgres"):
        """A streaming standby: pg_basebackup -R writes standby.signal and primary_conninfo."""
        self._run(
            "pg_basebackup",
            "-h",
            "127.0.0.1",
            "-p",
            str(primary.port),
            "-U",
            "postgres",
            "-D",
            str(self.data),
            "-R",
            "-X",
            "stream",
            # An immediate checkpoint: the default spreads it over minutes.
            "--checkpoint=fast",
            "--no-sync",
        )
        return self

    def stop(self):
        self._run("pg_ctl", "-D", str(self.data), "-w", "-m", "fast", "stop", check=False)

    def url(self, name="postgres"):
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def destroy(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


class Gunicorn:
    def __init__(self, env, workers=3, output=None):
        self.port = free_port()
        self.env = env
        self.workers = workers
        # A file for the server's output (its log lines), else the test's own.
        self.output = output

    def start(self):
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "actualites.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--timeout",
                "30",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.output,
            stderr=self.output,
            start_new_session=True,
        )
        # A node restarted under load (test_web_nodes.py) has been seen to need 40 s on two
        # busy cores to load Django and answer /healthz.
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn s’est arrêté (code {self.process.returncode})")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError("gunicorn n'a pas démarré")

    def stop(self):
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)

    def kill(self):
        """The machine goes down: the master and its workers at once, nothing finished."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)


class PrivateRedis:
    """redis-server on a free loopback port, keeping nothing on disk."""

    def __init__(self):
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="ae-redis-"))

    def start(self):
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server") or "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.dir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("redis-server n'a pas démarré")

    def url(self, db=0):
        return f"redis://127.0.0.1:{self.port}/{db}"

    def destroy(self):
        self.process.terminate()
        self.process.wait(timeout=10)
        shutil.rmtree(self.dir, ignore_errors=True)


def manage(env, *args):
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
