"""A varnishd the edge tests start with the shipped VCL, in front of a server on loopback."""

import http.client
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHIPPED_VCL = ROOT / "deploy" / "varnish" / "default.vcl"
NODES_SCRIPT = ROOT / "deploy" / "varnish" / "nodes.sh"


def varnishd() -> str | None:
    return shutil.which("varnishd") or next(
        (
            path
            for path in ("/usr/sbin/varnishd", "/usr/local/sbin/varnishd")
            if os.access(path, os.X_OK)
        ),
        None,
    )


_handed_out: set[int] = set()


def free_port() -> int:
    """A free loopback port; within EDGE_TEST_PORTS ("8200-8299") when it is set."""
    wanted = os.environ.get("EDGE_TEST_PORTS", "")
    if not wanted:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            return sock.getsockname()[1]
    low, _, high = wanted.partition("-")
    candidates = range(int(low), int(high or low) + 1)
    if _handed_out.issuperset(candidates):
        _handed_out.clear()
    for port in candidates:
        if port in _handed_out:
            continue
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
        _handed_out.add(port)
        return port
    raise RuntimeError(f"aucun port libre dans EDGE_TEST_PORTS={wanted}")


def shipped_vcl(probe_interval: str = "0.2s") -> str:
    """deploy/varnish/default.vcl, its nodes probed often."""
    vcl = SHIPPED_VCL.read_text()
    rewritten = re.sub(r"\.interval = \d+s;", f".interval = {probe_interval};", vcl, count=1)
    assert rewritten != vcl, "sonde introuvable dans la VCL"
    return rewritten


def shipped_nodes(*backend_ports: int) -> str:
    """The nodes.vcl deploy/varnish/nodes.sh writes for web nodes on these loopback ports."""
    return subprocess.run(
        ["sh", str(NODES_SCRIPT), *(f"127.0.0.1:{port}" for port in backend_ports)],
        capture_output=True,
        text=True,
        check=True,
        timeout=10,
    ).stdout


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: str

    @property
    def cache(self) -> str:
        """What Varnish did: hit, hit-stale, miss or pass (the VCL's X-Cache header)."""
        return self.headers.get("X-Cache", "")


class Varnish:
    """varnishd in the foreground, in a temporary working folder, on free loopback ports."""

    def __init__(self, *backend_ports: int):
        self.backend_ports = backend_ports
        self.port = free_port()
        self.purge_port = free_port()
        self.admin_port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="ae-varnish-"))

    def start(self):
        vcl = self.dir / "default.vcl"
        vcl.write_text(shipped_vcl())
        (self.dir / "nodes.vcl").write_text(shipped_nodes(*self.backend_ports))
        secret = self.dir / "secret"
        secret.write_text(os.urandom(16).hex())
        self.log = open(self.dir / "varnishd.log", "w")
        self.process = subprocess.Popen(
            [
                varnishd(),
                "-F",
                "-j",
                "none",
                "-n",
                str(self.dir / "work"),
                "-a",
                f"http=127.0.0.1:{self.port}",
                "-a",
                f"purge=127.0.0.1:{self.purge_port}",
                "-T",
                f"127.0.0.1:{self.admin_port}",
                "-S",
                str(secret),
                "-p",
                f"vcl_path={self.dir}",
                "-f",
                str(vcl),
                "-s",
                "malloc,64m",
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("varnishd s'est arrêté :\n" + self.output())
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("varnishd ne répond pas :\n" + self.output())

    def output(self) -> str:
        self.log.flush()
        return (self.dir / "varnishd.log").read_text()

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def request(self, method, path, headers=None, body=None, port=None) -> Response:
        connection = http.client.HTTPConnection("127.0.0.1", port or self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            answer = connection.getresponse()
            return Response(answer.status, answer.headers, answer.read().decode("utf-8", "replace"))
        finally:
            connection.close()

    def get(self, path, **headers) -> Response:
        return self.request(
            "GET", path, {name.replace("_", "-"): value for name, value in headers.items()}
        )

    def purge(self, *keys, port=None) -> Response:
        headers = {"xkey": " ".join(keys)} if keys else {}
        return self.request("PURGE", "/", headers, port=port or self.purge_port)

    def backend_health(self) -> dict[str, bool]:
        """What the health probe says of each node, web1, web2… (varnishadm backend.list)."""
        listing = subprocess.run(
            [
                "varnishadm",
                "-T",
                f"127.0.0.1:{self.admin_port}",
                "-S",
                str(self.dir / "secret"),
                "backend.list",
            ],
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout
        health = {}
        for line in listing.splitlines():
            found = re.match(r"\S*\.(web\d+)\s", line)
            if found:
                health[found.group(1)] = "healthy" in line.split()
        return health

    def backend_healthy(self) -> bool:
        """What the health probe says of the first (or only) node."""
        return self.backend_health().get("web1", False)


def wait_until(condition, timeout=10.0, step=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return False
